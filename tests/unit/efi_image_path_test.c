/* efi/bs_image.c and efi/image_file.c: where an image comes from. LoadImage
 * with a device path (DeviceHandle and FilePath split at the longest
 * prefix a handle has, the Loaded Image Device Path kept whole) and without
 * a buffer (the file read through a stand-in Simple File System, BootPolicy
 * taking \EFI\BOOT\BOOTAA64.EFI for a bare volume). The real Simple File
 * System is efi_image_disk_test's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <efi/abi/file.h>
#include <lib/errno.h>

#include "efi_image_world.h"

/* A device with a path (one vendor node), and a file node below it. */
struct dev_path {
	uint8_t vendor[20];
	uint8_t file[4 + 8 * 2];
	uint8_t end[4];
};

static void test_device_and_file_path(void **state)
{
	static const uint8_t end[4] = {0x7f, 0xff, 4, 0};
	static const efi_char16_t name[] = {'\\', 'a', '.', 'e', 'f', 'i', 0, 0};
	struct {
		uint8_t vendor[20];
		uint8_t end[4];
	} dev = {{1, 4, 20, 0, 0xaa}, {0x7f, 0xff, 4, 0}};
	struct dev_path full = {{1, 4, 20, 0, 0xaa}, {4, 4, 20, 0}, {0x7f, 0xff, 4, 0}};
	efi_handle_t disk = NULL, h = NULL;

	memcpy(full.file + 4, name, 16);
	assert_true(bs->install_protocol_interface(&disk, &efi_guid_device_path,
						   EFI_NATIVE_INTERFACE, &dev) == EFI_SUCCESS);
	assert_true(bs->load_image(false, fw, (struct efi_device_path *)&full, file, sizeof(file),
				   &h) == EFI_SUCCESS);
	struct efi_loaded_image *li = loaded_image(h);
	assert_ptr_equal(li->device_handle, disk);
	assert_memory_equal(li->file_path, full.file, sizeof(full.file));
	assert_memory_equal((uint8_t *)li->file_path + sizeof(full.file), end, 4);
	void *dp = NULL;
	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image_device_path, &dp) == EFI_SUCCESS);
	assert_memory_equal(dp, &full, sizeof(full));
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	/* A path with a zero-length node is not kept (never walked past). */
	full.file[2] = 0;
	assert_true(bs->load_image(false, fw, (struct efi_device_path *)&full, file, sizeof(file),
				   &h) == EFI_SUCCESS);
	assert_null(loaded_image(h)->device_handle);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_true(bs->uninstall_protocol_interface(disk, &efi_guid_device_path, &dev) ==
		    EFI_SUCCESS);
	assert_no_leak();
}

/* ---- LoadImage from a device path: a stand-in Simple File System */

struct fake_fs {
	struct efi_simple_file_system sfs;
	struct efi_file_protocol root, file;
	uint64_t pos, short_by;
	int open_files;
};
static struct fake_fs fake;
static const efi_char16_t boot_name[] = {'\\', 'E',  'F', 'I', '\\', 'B', 'O', 'O',
					 'T',  '\\', 'B', 'O', 'O',  'T', 'A', 'A',
					 '6',  '4',  '.', 'E', 'F',  'I', 0};

static efi_status_t f_open(struct efi_file_protocol *self, struct efi_file_protocol **out,
			   const efi_char16_t *name, uint64_t mode, uint64_t attr)
{
	if (self != &fake.root || mode != EFI_FILE_MODE_READ) {
		return EFI_INVALID_PARAMETER;
	}
	if (memcmp(name, boot_name, sizeof(boot_name))) {
		return EFI_NOT_FOUND;
	}
	fake.pos = 0;
	fake.open_files++;
	*out = &fake.file;
	return EFI_SUCCESS;
}

static efi_status_t f_close(struct efi_file_protocol *self)
{
	fake.open_files--;
	return EFI_SUCCESS;
}

static efi_status_t f_set_position(struct efi_file_protocol *self, uint64_t pos)
{
	fake.pos = pos == EFI_FILE_POSITION_END ? sizeof(file) : pos;
	return EFI_SUCCESS;
}

static efi_status_t f_get_position(struct efi_file_protocol *self, uint64_t *pos)
{
	*pos = fake.pos;
	return EFI_SUCCESS;
}

static efi_status_t f_read(struct efi_file_protocol *self, uint64_t *size, void *buf)
{
	uint64_t n = MIN(*size, sizeof(file) - fake.pos - fake.short_by);

	memcpy(buf, file + fake.pos, n);
	fake.pos += n;
	*size = n;
	return EFI_SUCCESS;
}

static efi_status_t f_open_volume(struct efi_simple_file_system *self,
				  struct efi_file_protocol **root)
{
	fake.open_files++;
	*root = &fake.root;
	return EFI_SUCCESS;
}

static void test_load_from_path(void **state)
{
	struct {
		uint8_t vendor[20];
		uint8_t end[4];
	} dev = {{1, 4, 20, 0, 0xbb}, {0x7f, 0xff, 4, 0}};
	struct {
		uint8_t vendor[20];
		uint8_t file[4 + sizeof(boot_name)];
		uint8_t end[4];
	} full = {{1, 4, 20, 0, 0xbb}, {4, 4, 4 + sizeof(boot_name), 0}, {0x7f, 0xff, 4, 0}};
	efi_handle_t vol = NULL, h = NULL;
	struct efi_device_path *p = (struct efi_device_path *)&full;

	memset(&fake, 0, sizeof(fake));
	fake.sfs.open_volume = f_open_volume;
	fake.root.open = fake.file.open = f_open;
	fake.root.close = fake.file.close = f_close;
	fake.file.set_position = f_set_position;
	fake.file.get_position = f_get_position;
	fake.file.read = f_read;
	memcpy(full.file + 4, boot_name, sizeof(boot_name));
	/* No volume on that path yet. */
	assert_true(bs->load_image(true, fw, p, NULL, 0, &h) == EFI_NOT_FOUND);
	assert_true(bs->install_multiple_protocol_interfaces(&vol, &efi_guid_device_path, &dev,
							     &efi_guid_simple_file_system,
							     &fake.sfs, NULL) == EFI_SUCCESS);
	assert_true(bs->load_image(true, fw, p, NULL, 0, &h) == EFI_SUCCESS);
	struct efi_loaded_image *li = loaded_image(h);
	assert_ptr_equal(li->device_handle, vol);
	assert_memory_equal(li->file_path, full.file, sizeof(full.file));
	assert_int_equal(fake.open_files, 0);
	assert_int_equal(mem.live_pool, 0); /* the file buffer went back */
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	/* Another name: not found; a file that reads short: an error, nothing kept. */
	full.file[6] = 'X';
	assert_true(bs->load_image(true, fw, p, NULL, 0, &h) == EFI_NOT_FOUND);
	full.file[6] = 'E';
	fake.short_by = 16;
	assert_true(bs->load_image(true, fw, p, NULL, 0, &h) == EFI_DEVICE_ERROR);
	/* Only the volume, no file node: with BootPolicy the removable media
	 * path \EFI\BOOT\BOOTAA64.EFI (the stand-in's one file), else nothing. */
	fake.short_by = 0;
	assert_true(bs->load_image(false, fw, (struct efi_device_path *)&dev, NULL, 0, &h) ==
		    EFI_NOT_FOUND);
	assert_true(bs->load_image(true, fw, (struct efi_device_path *)&dev, NULL, 0, &h) ==
		    EFI_SUCCESS);
	assert_ptr_equal(loaded_image(h)->device_handle, vol);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_int_equal(fake.open_files, 0);
	assert_true(bs->uninstall_multiple_protocol_interfaces(vol, &efi_guid_device_path, &dev,
							       &efi_guid_simple_file_system,
							       &fake.sfs, NULL) == EFI_SUCCESS);
	assert_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_device_and_file_path, per_test),
	    cmocka_unit_test_setup(test_load_from_path, per_test),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
