/* Review findings (issue 10): the disk, file and handle services misused as
 * a hostile application would, and as GRUB / systemd-boot / Linux's stub
 * use them, on tests/unit/images' "disk" (efi_world.h). Each test failed
 * before the fix it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include <cmocka.h>

#include "efi_world.h"
#include <efi/services.h>

#define U(s) ((const efi_char16_t *)u##s)
#define RW (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE)
#define RWC (RW | EFI_FILE_MODE_CREATE)

static const efi_guid_t g1 = EFI_GUID(0x11111111, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
static int if1, if2;

static struct efi_file_protocol *fat_root(void)
{
	struct efi_simple_file_system *sfs =
	    efi_protocol_of(part_handle(XVDA, 1), &efi_guid_simple_file_system);
	struct efi_file_protocol *root = NULL;

	assert_non_null(sfs);
	assert_int_equal(sfs->open_volume(sfs, &root), EFI_SUCCESS);
	return root;
}

static uint64_t file_size_of(struct efi_file_protocol *root, const efi_char16_t *name)
{
	struct efi_file_protocol *f = NULL;
	union {
		struct efi_file_info info;
		uint8_t raw[256];
	} u;
	uint64_t size = sizeof(u);

	assert_int_equal(root->open(root, &f, name, EFI_FILE_MODE_READ, 0), EFI_SUCCESS);
	assert_int_equal(f->get_info(f, &efi_guid_file_info, &size, &u), EFI_SUCCESS);
	f->close(f);
	return u.info.file_size;
}

/* Open(CREATE) of a name above the root once created (truncated) whatever
 * path the previous Open had resolved: here the existing hello.txt. */
static void test_create_above_root(void **state)
{
	struct efi_file_protocol *fat = fat_root(), *f = NULL;

	assert_int_equal(file_size_of(fat, U("\\hello.txt")), 15);
	assert_int_equal(fat->open(fat, &f, U("\\..\\hello.txt"), RWC, 0), EFI_NOT_FOUND);
	assert_int_equal(fat->open(fat, &f, U(".."), RWC, 0), EFI_NOT_FOUND);
	/* A file as a parent directory: nothing made, the file kept. */
	assert_int_equal(fat->open(fat, &f, U("\\hello.txt\\x"), RWC, 0), EFI_NOT_FOUND);
	assert_int_equal(file_size_of(fat, U("\\hello.txt")), 15);
	fat->close(fat);
}

/* InstallMultipleProtocolInterfaces with a device path some handle already
 * has: EFI_ALREADY_STARTED, nothing installed (UEFI 2.10 §7.3). */
static void test_install_multiple_same_path(void **state)
{
	struct efi_object *disk = part_handle(XVDA, 1);
	const struct efi_device_path *dp = efi_protocol_of(disk, &efi_guid_device_path);
	struct efi_device_path *copy = efi_devpath_dup_pool(dp), *longer;
	efi_handle_t h = NULL;
	void *p;
	uint8_t node[5] = {1, 1, 5, 0, 'x'};

	assert_non_null(copy);
	assert_int_equal(efi_bs_install_multiple_protocol_interfaces(&h, &efi_guid_device_path,
								     copy, &g1, &if1, NULL),
			 EFI_ALREADY_STARTED);
	assert_null(h);
	assert_int_equal(efi_bs_locate_protocol(&g1, NULL, &p), EFI_NOT_FOUND);
	/* A longer path below it is a new device. */
	assert_int_equal(efi_devpath_append_node(dp, node, &longer), 0);
	assert_int_equal(efi_bs_install_multiple_protocol_interfaces(&h, &efi_guid_device_path,
								     longer, &g1, &if1, NULL),
			 EFI_SUCCESS);
	assert_int_equal(efi_bs_uninstall_multiple_protocol_interfaces(h, &efi_guid_device_path,
								       longer, &g1, &if1, NULL),
			 EFI_SUCCESS);
	free(longer);
	(void)efi_bs_free_pool(copy);
}

/* Uninstall every protocol of a handle xenboot made, as an application
 * may: the handle is gone. */
static void uninstall_all(efi_handle_t h)
{
	struct efi_object *o = efi_object_of(h);

	assert_non_null(o);
	while (o && o->protocol_count) {
		struct efi_protocol *p = &o->protocols[0];
		assert_int_equal(efi_bs_uninstall_protocol_interface(h, &p->guid, p->iface),
				 EFI_SUCCESS);
		o = efi_object_of(h);
	}
	assert_null(efi_object_of(h));
}

/* The initrd's handle uninstalled by the application, a new handle made in
 * its memory: efi_initrd_unregister() once wrote into the freed handle and
 * freed it again (taking the application's handle with it). */
static void test_initrd_handle_uninstalled(void **state)
{
	efi_handle_t h, mine = NULL;

	assert_int_equal(efi_initrd_register(0x100000, 64), 0);
	h = handle_with(&efi_guid_load_file2, 0);
	uninstall_all(h);
	assert_int_equal(efi_bs_install_protocol_interface(&mine, &g1, EFI_NATIVE_INTERFACE, &if1),
			 EFI_SUCCESS);
	efi_initrd_unregister();
	assert_ptr_equal(efi_protocol_of(mine, &g1), &if1);
	assert_int_equal(efi_bs_uninstall_protocol_interface(mine, &g1, &if1), EFI_SUCCESS);
}

/* The same for a disk handle: efi_disks_stop() (the teardown) once wrote
 * into the freed handle. */
static void test_disk_handle_uninstalled(void **state)
{
	efi_handle_t mine = NULL;

	uninstall_all(part_handle(XVDB, 0));
	assert_int_equal(efi_bs_install_protocol_interface(&mine, &g1, EFI_NATIVE_INTERFACE, &if2),
			 EFI_SUCCESS);
	efi_disks_stop(efi_get());
	assert_ptr_equal(efi_protocol_of(mine, &g1), &if2);
	assert_int_equal(efi_bs_uninstall_protocol_interface(mine, &g1, &if2), EFI_SUCCESS);
}

/* An exclusive open shuts out other exclusive and driver opens, not
 * GET_PROTOCOL / BY_HANDLE_PROTOCOL (GRUB's way): those were
 * EFI_ACCESS_DENIED. */
static void test_get_protocol_beside_exclusive(void **state)
{
	efi_handle_t agent = part_handle(XVDB, 0), other = part_handle(XVDA, 0);
	efi_handle_t disk = part_handle(XVDA, 1);
	void *p = NULL;

	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_block_io, &p, agent, NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE),
			 EFI_SUCCESS);
	p = NULL;
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_block_io, &p, other, NULL,
					      EFI_OPEN_PROTOCOL_GET_PROTOCOL),
			 EFI_SUCCESS);
	assert_ptr_equal(p, efi_protocol_of(disk, &efi_guid_block_io));
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_block_io, &p, other, NULL,
					      EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL),
			 EFI_SUCCESS);
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_block_io, &p, other, NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE),
			 EFI_ACCESS_DENIED);
	assert_int_equal(efi_bs_close_protocol(disk, &efi_guid_block_io, agent, NULL), EFI_SUCCESS);
}

/* Four agents' shared opens fill a protocol's opener table: an exclusive
 * open after them went unrecorded, so another agent's exclusive open was
 * granted too and CloseProtocol said EFI_NOT_FOUND. */
static void test_exclusive_after_full_table(void **state)
{
	efi_handle_t disk = part_handle(XVDA, 1), a[6] = {0};
	void *p = NULL;

	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(
		    efi_bs_install_protocol_interface(&a[i], &g1, EFI_NATIVE_INTERFACE, &if1),
		    EFI_SUCCESS);
	}
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_disk_io, &p, a[i], NULL,
						      EFI_OPEN_PROTOCOL_GET_PROTOCOL),
				 EFI_SUCCESS);
	}
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_disk_io, &p, a[4], NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE),
			 EFI_SUCCESS);
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_disk_io, &p, a[5], NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE),
			 EFI_ACCESS_DENIED);
	assert_int_equal(efi_bs_close_protocol(disk, &efi_guid_disk_io, a[4], NULL), EFI_SUCCESS);
	assert_int_equal(efi_bs_open_protocol(disk, &efi_guid_disk_io, &p, a[5], NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE),
			 EFI_SUCCESS);
	assert_int_equal(efi_bs_close_protocol(disk, &efi_guid_disk_io, a[5], NULL), EFI_SUCCESS);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(efi_bs_uninstall_protocol_interface(a[i], &g1, &if1), EFI_SUCCESS);
	}
}

/* SetInfo with another FileName (systemd-boot's boot counting renames
 * "a+3.conf" to "a+2-1.conf" so): fs/ cannot rename, so EFI_ACCESS_DENIED,
 * not EFI_SUCCESS with the file left under its old name. */
static void test_set_info_rename(void **state)
{
	struct efi_file_protocol *fat = fat_root(), *f = NULL;
	union {
		struct efi_file_info info;
		uint8_t raw[256];
	} u;
	uint64_t size = sizeof(u);
	static const char16_t other[] = u"other.txt";

	assert_int_equal(fat->open(fat, &f, U("\\hello.txt"), RW, 0), EFI_SUCCESS);
	assert_int_equal(f->get_info(f, &efi_guid_file_info, &size, &u), EFI_SUCCESS);
	/* Its own name (the size unchanged): nothing to do. */
	assert_int_equal(f->set_info(f, &efi_guid_file_info, size, &u), EFI_SUCCESS);
	memcpy(u.info.file_name, other, sizeof(other));
	u.info.size = sizeof(u.info) + sizeof(other);
	assert_int_equal(f->set_info(f, &efi_guid_file_info, u.info.size, &u), EFI_ACCESS_DENIED);
	/* Unterminated within its Size: not a name either. */
	u.info.size = sizeof(u.info) + 4;
	assert_int_equal(f->set_info(f, &efi_guid_file_info, sizeof(u), &u), EFI_ACCESS_DENIED);
	f->close(f);
	assert_int_equal(file_size_of(fat, U("\\hello.txt")), 15);
	fat->close(fat);
}

/* Checked and found right (kept as regressions): two Files on one file see
 * each other's writes (in place and grown by rewrite), a Delete while
 * another File has it open leaves that one failing cleanly and other files
 * intact, a second Close is refused, Disk I/O writes are what Block I/O
 * reads next. */
static void test_shared_files(void **state)
{
	struct efi_file_protocol *fat = fat_root(), *a = NULL, *b = NULL;
	uint8_t buf[64];
	uint64_t n;

	assert_int_equal(fat->open(fat, &a, U("\\hello.txt"), RW, 0), EFI_SUCCESS);
	assert_int_equal(fat->open(fat, &b, U("\\HELLO.TXT"), RW, 0), EFI_SUCCESS);
	assert_int_equal(a->set_position(a, EFI_FILE_POSITION_END), EFI_SUCCESS);
	n = 5;
	assert_int_equal(a->write(a, &n, "12345"), EFI_SUCCESS);
	n = 3;
	assert_int_equal(b->write(b, &n, "HEL"), EFI_SUCCESS);
	n = sizeof(buf);
	assert_int_equal(b->set_position(b, 0), EFI_SUCCESS);
	assert_int_equal(b->read(b, &n, buf), EFI_SUCCESS);
	assert_int_equal(n, 20);
	assert_memory_equal(buf, "HELlo, xenboot\n12345", 20);
	assert_int_equal(file_size_of(fat, U("\\big.bin")), 700000);
	/* Delete while b is open. */
	assert_int_equal(a->delete (a), EFI_SUCCESS);
	n = sizeof(buf);
	assert_int_equal(b->set_position(b, 0), EFI_SUCCESS);
	assert_int_not_equal(b->read(b, &n, buf), EFI_SUCCESS);
	n = 1;
	assert_int_not_equal(b->write(b, &n, "x"), EFI_SUCCESS);
	assert_int_equal(b->close(b), EFI_SUCCESS);
	assert_int_equal(fat->close(b), EFI_INVALID_PARAMETER);
	assert_int_equal(file_size_of(fat, U("\\big.bin")), 700000);
	/* Block I/O write of the FAT partition, then File reads it. */
	struct efi_block_io *bio = efi_protocol_of(part_handle(XVDA, 1), &efi_guid_block_io);
	struct efi_disk_io *dio = efi_protocol_of(part_handle(XVDA, 1), &efi_guid_disk_io);
	uint8_t sec[512];
	assert_int_equal(bio->read_blocks(bio, bio->media->media_id, 0, 512, sec), EFI_SUCCESS);
	assert_int_equal(dio->write_disk(dio, bio->media->media_id, 3, 8, "XENBOOT!"), EFI_SUCCESS);
	assert_int_equal(bio->read_blocks(bio, bio->media->media_id, 0, 512, sec), EFI_SUCCESS);
	assert_memory_equal(sec + 3, "XENBOOT!", 8);
	fat->close(fat);
}

#define T(f) cmocka_unit_test_setup_teardown(f, efi_world_setup, efi_world_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_create_above_root),
	    T(test_install_multiple_same_path),
	    T(test_initrd_handle_uninstalled),
	    T(test_disk_handle_uninstalled),
	    T(test_get_protocol_beside_exclusive),
	    T(test_set_info_rename),
	    T(test_exclusive_after_full_table),
	    T(test_shared_files),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
