/* efi/simple_fs.c, efi/file.c, efi/file_dir.c and efi/initrd.c through
 * their function pointers, as GRUB, systemd-boot or Linux's stub call
 * them: the FAT and ext4 partitions of tests/unit/images' "disk" on a PV
 * disk, hostile names and buffers included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include <cmocka.h>

#include "efi_world.h"
#include <disk/part.h>
#include <efi/services.h>

#define U(s) ((const efi_char16_t *)u##s)
#define RW (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE)
#define RWC (RW | EFI_FILE_MODE_CREATE)

static struct efi_file_protocol *root_of(unsigned int part)
{
	struct efi_simple_file_system *sfs =
	    efi_protocol_of(part_handle(XVDA, part), &efi_guid_simple_file_system);
	struct efi_file_protocol *root = NULL;

	assert_non_null(sfs);
	assert_true(sfs->revision == EFI_SIMPLE_FILE_SYSTEM_REVISION);
	assert_int_equal(sfs->open_volume(sfs, &root), EFI_SUCCESS);
	return root;
}

static struct efi_file_protocol *open_ok(struct efi_file_protocol *dir, const efi_char16_t *name,
					 uint64_t mode)
{
	struct efi_file_protocol *f = NULL;

	assert_int_equal(dir->open(dir, &f, name, mode, 0), EFI_SUCCESS);
	assert_non_null(f);
	return f;
}

static efi_status_t try_open(struct efi_file_protocol *dir, const efi_char16_t *name, uint64_t mode)
{
	struct efi_file_protocol *f = NULL;
	efi_status_t s = dir->open(dir, &f, name, mode, 0);

	if (s == EFI_SUCCESS) {
		f->close(f);
	}
	return s;
}

/* The whole file @f from its position, in @chunk-byte reads. */
static uint8_t *read_all(struct efi_file_protocol *f, size_t chunk, size_t *len)
{
	uint8_t *buf = NULL;
	size_t at = 0;

	for (;;) {
		uint64_t n = chunk;
		buf = realloc(buf, at + chunk);
		assert_int_equal(f->read(f, &n, buf + at), EFI_SUCCESS);
		if (n == 0) {
			break;
		}
		assert_true(n <= chunk);
		at += n;
	}
	*len = at;
	return buf;
}

static void check_same(struct efi_file_protocol *f, const char *tree, const char *src, size_t chunk)
{
	size_t want_len, got_len;
	uint8_t *want = img_src(tree, src, &want_len), *got = read_all(f, chunk, &got_len);

	assert_non_null(want);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(want);
	free(got);
}

static uint64_t info_size(struct efi_file_protocol *f, bool *is_dir)
{
	union {
		struct efi_file_info info;
		uint8_t raw[512];
	} u;
	uint64_t size = sizeof(u);

	assert_int_equal(f->get_info(f, &efi_guid_file_info, &size, &u), EFI_SUCCESS);
	*is_dir = u.info.attribute & EFI_FILE_DIRECTORY;
	return u.info.file_size;
}

static void test_read_fat_and_ext4(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *ext = root_of(2), *f;
	bool is_dir;

	f = open_ok(fat, U("\\hello.txt"), EFI_FILE_MODE_READ);
	check_same(f, "srcfat", "hello.txt", 4);
	f->close(f);
	f = open_ok(fat, U("\\big.bin"), EFI_FILE_MODE_READ);
	check_same(f, "srcfat", "big.bin", 65536 + 13);
	assert_int_equal(info_size(f, &is_dir), 700000);
	assert_false(is_dir);
	f->close(f);
	/* FAT ignores case; ext4 does not. */
	f = open_ok(fat, U("\\HELLO.TXT"), EFI_FILE_MODE_READ);
	check_same(f, "srcfat", "hello.txt", 100);
	f->close(f);
	assert_int_equal(try_open(ext, U("\\HELLO.TXT"), EFI_FILE_MODE_READ), EFI_NOT_FOUND);
	f = open_ok(ext, U("\\dir\\sub\\nested.bin"), EFI_FILE_MODE_READ);
	check_same(f, "src", "dir/sub/nested.bin", 4096);
	f->close(f);
	/* ext4 symlinks are followed. */
	f = open_ok(ext, U("\\abs_link"), EFI_FILE_MODE_READ);
	check_same(f, "src", "dir/sub/nested.bin", 30000);
	f->close(f);
	fat->close(fat);
	ext->close(ext);
}

static void test_paths(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *dir, *sub, *f;
	bool is_dir;

	f = open_ok(fat, U("\\dir\\sub\\..\\..\\.\\hello.txt"), EFI_FILE_MODE_READ);
	check_same(f, "srcfat", "hello.txt", 100);
	/* Relative to a file: its directory. */
	sub = open_ok(f, U("dir"), EFI_FILE_MODE_READ);
	assert_int_equal(info_size(sub, &is_dir), 0);
	assert_true(is_dir);
	f->close(f);
	/* Relative to a directory, with '\\' runs. */
	dir = open_ok(sub, U("sub\\\\nested.bin"), EFI_FILE_MODE_READ);
	check_same(dir, "srcfat", "dir/sub/nested.bin", 8192);
	dir->close(dir);
	dir = open_ok(sub, U(".."), EFI_FILE_MODE_READ);
	assert_int_equal(info_size(dir, &is_dir), 0);
	assert_true(is_dir);
	dir->close(dir);
	sub->close(sub);
	/* Above the root, missing names and parents. */
	assert_int_equal(try_open(fat, U(".."), EFI_FILE_MODE_READ), EFI_NOT_FOUND);
	assert_int_equal(try_open(fat, U("\\dir\\..\\..\\hello.txt"), EFI_FILE_MODE_READ),
			 EFI_NOT_FOUND);
	assert_int_equal(try_open(fat, U("\\nothere"), EFI_FILE_MODE_READ), EFI_NOT_FOUND);
	assert_int_equal(try_open(fat, U("\\nodir\\x"), RWC), EFI_NOT_FOUND);
	assert_int_equal(try_open(fat, U("\\hello.txt\\x"), EFI_FILE_MODE_READ), EFI_NOT_FOUND);
	assert_int_equal(try_open(fat, U(""), EFI_FILE_MODE_READ), EFI_SUCCESS);
	fat->close(fat);
}

static void test_position(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *f;
	uint64_t pos, n;
	uint8_t buf[64];

	f = open_ok(fat, U("\\hello.txt"), EFI_FILE_MODE_READ);
	assert_int_equal(f->set_position(f, 7), EFI_SUCCESS);
	n = sizeof(buf);
	assert_int_equal(f->read(f, &n, buf), EFI_SUCCESS);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "xenboot\n", 8);
	assert_int_equal(f->get_position(f, &pos), EFI_SUCCESS);
	assert_int_equal(pos, 15);
	assert_int_equal(f->set_position(f, EFI_FILE_POSITION_END), EFI_SUCCESS);
	assert_int_equal(f->get_position(f, &pos), EFI_SUCCESS);
	assert_int_equal(pos, 15);
	n = sizeof(buf);
	assert_int_equal(f->read(f, &n, buf), EFI_SUCCESS);
	assert_int_equal(n, 0);
	/* Past the end: allowed to set, an error to read. */
	assert_int_equal(f->set_position(f, 1000), EFI_SUCCESS);
	n = sizeof(buf);
	assert_int_equal(f->read(f, &n, buf), EFI_DEVICE_ERROR);
	f->close(f);
	/* Directories: only a rewind; no position to get. */
	assert_int_equal(fat->set_position(fat, 3), EFI_UNSUPPORTED);
	assert_int_equal(fat->get_position(fat, &pos), EFI_UNSUPPORTED);
	assert_int_equal(fat->set_position(fat, 0), EFI_SUCCESS);
	fat->close(fat);
}

/* Read every entry of @dir; returns the count, @want found or not. */
static unsigned int list_dir(struct efi_file_protocol *dir, const char *want, bool *is_found)
{
	unsigned int count = 0;
	uint8_t buf[1024];

	*is_found = false;
	for (;;) {
		uint64_t need = 0, n;
		struct efi_file_info info;
		char name[256];
		efi_char16_t units[sizeof(buf) / 2];
		efi_status_t s = dir->read(dir, &need, NULL);

		if (s == EFI_SUCCESS) {
			assert_int_equal(need, 0);
			return count;
		}
		assert_int_equal(s, EFI_BUFFER_TOO_SMALL);
		assert_true(need > sizeof(info) && need < sizeof(buf));
		n = need - 1;
		assert_int_equal(dir->read(dir, &n, buf + 1), EFI_BUFFER_TOO_SMALL);
		n = sizeof(buf) - 1;
		/* An odd address: the info is copied, never cast. */
		assert_int_equal(dir->read(dir, &n, buf + 1), EFI_SUCCESS);
		assert_int_equal(n, need);
		memcpy(&info, buf + 1, sizeof(info));
		assert_int_equal(info.size, need);
		memcpy(units, buf + 1 + sizeof(info), need - sizeof(info));
		int len = efi_ucs2_to_utf8(name, sizeof(name), units, (need - sizeof(info)) / 2);
		assert_int_equal(len, (int)strlen(name));
		*is_found |= strcmp(name, want) == 0 && !(info.attribute & EFI_FILE_DIRECTORY);
		count++;
	}
}

static void test_directories(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *ext = root_of(2), *many;
	bool is_found;

	/* srcfat's root: 10 entries (no "." or ".." in a FAT root). */
	assert_int_equal(list_dir(fat, "A long file name.text", &is_found), 10);
	assert_true(is_found);
	assert_int_equal(list_dir(fat, "x", &is_found), 0); /* at the end it stays there */
	assert_int_equal(fat->set_position(fat, 0), EFI_SUCCESS);
	assert_int_equal(list_dir(fat, "MixedCase.Txt", &is_found), 10);
	assert_true(is_found);
	many = open_ok(fat, U("\\many"), EFI_FILE_MODE_READ);
	assert_int_equal(list_dir(many, "entry-with-a-longish-name-120.txt", &is_found), 122);
	assert_true(is_found);
	many->close(many);
	many = open_ok(ext, U("\\many"), EFI_FILE_MODE_READ);
	assert_int_equal(list_dir(many, "entry-with-a-longish-name-7.txt", &is_found), 122);
	assert_true(is_found);
	many->close(many);
	/* A directory cannot be written. */
	uint64_t n = 1;
	assert_int_equal(fat->write(fat, &n, "x"), EFI_UNSUPPORTED);
	fat->close(fat);
	ext->close(ext);
}

static void expect_bytes(struct efi_file_protocol *root, const efi_char16_t *name, const char *want,
			 size_t want_len)
{
	struct efi_file_protocol *f = open_ok(root, name, EFI_FILE_MODE_READ);
	size_t len;
	uint8_t *got = read_all(f, 3, &len);

	assert_int_equal(len, want_len);
	assert_memory_equal(got, want, len);
	free(got);
	f->close(f);
}

#define expect_content(root, name, want) expect_bytes(root, name, want, sizeof(want) - 1)

static void test_write_fat(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *f;
	union {
		struct efi_file_info info;
		uint8_t raw[256];
	} u;
	uint64_t n, size;

	f = open_ok(fat, U("\\dir\\New File.txt"), RWC);
	n = 3;
	assert_int_equal(f->write(f, &n, "abc"), EFI_SUCCESS);
	assert_int_equal(f->set_position(f, 1), EFI_SUCCESS);
	n = 2;
	assert_int_equal(f->write(f, &n, "XY"), EFI_SUCCESS); /* in place */
	assert_int_equal(f->set_position(f, EFI_FILE_POSITION_END), EFI_SUCCESS);
	n = 5;
	assert_int_equal(f->write(f, &n, "12345"), EFI_SUCCESS); /* grows */
	assert_int_equal(f->flush(f), EFI_SUCCESS);
	f->close(f);
	expect_content(fat, U("\\DIR\\new file.TXT"), "aXY12345");
	/* A gap past the end reads as zeros. */
	f = open_ok(fat, U("\\dir\\new file.txt"), RW);
	assert_int_equal(f->set_position(f, 10), EFI_SUCCESS);
	n = 1;
	assert_int_equal(f->write(f, &n, "Z"), EFI_SUCCESS);
	f->close(f);
	expect_content(fat, U("\\dir\\new file.txt"), "aXY12345\0\0Z");
	/* SetInfo shrinks it (the name unchanged). */
	f = open_ok(fat, U("\\dir\\new file.txt"), RW);
	size = sizeof(u);
	assert_int_equal(f->get_info(f, &efi_guid_file_info, &size, &u), EFI_SUCCESS);
	assert_int_equal(u.info.file_size, 11);
	u.info.file_size = 2;
	assert_int_equal(f->set_info(f, &efi_guid_file_info, size, &u), EFI_SUCCESS);
	u.info.attribute |= EFI_FILE_DIRECTORY;
	assert_int_equal(f->set_info(f, &efi_guid_file_info, size, &u), EFI_ACCESS_DENIED);
	assert_int_equal(f->set_info(f, &efi_guid_file_info, 10, &u), EFI_BAD_BUFFER_SIZE);
	f->close(f);
	expect_content(fat, U("\\dir\\new file.txt"), "aX");
	/* Growing past the rewrite cap, or past the 2 MiB volume: refused,
	 * the file as it was. */
	f = open_ok(fat, U("\\dir\\new file.txt"), RW);
	assert_int_equal(f->set_position(f, EFI_FILE_REWRITE_MAX), EFI_SUCCESS);
	n = 1;
	assert_int_equal(f->write(f, &n, "x"), EFI_OUT_OF_RESOURCES);
	assert_int_equal(n, 0);
	assert_int_equal(f->set_position(f, 3u << 20), EFI_SUCCESS);
	n = 1;
	assert_int_equal(f->write(f, &n, "x"), EFI_VOLUME_FULL);
	f->close(f);
	expect_content(fat, U("\\dir\\new file.txt"), "aX");
	/* Delete: gone. */
	f = open_ok(fat, U("\\dir\\new file.txt"), RW);
	assert_int_equal(f->delete (f), EFI_SUCCESS);
	assert_int_equal(try_open(fat, U("\\dir\\new file.txt"), EFI_FILE_MODE_READ),
			 EFI_NOT_FOUND);
	/* Read-only handles neither write nor delete (and Delete closes). */
	f = open_ok(fat, U("\\hello.txt"), EFI_FILE_MODE_READ);
	n = 1;
	assert_int_equal(f->write(f, &n, "x"), EFI_ACCESS_DENIED);
	assert_int_equal(f->flush(f), EFI_ACCESS_DENIED);
	assert_int_equal(f->delete (f), EFI_WARN_DELETE_FAILURE);
	expect_content(fat, U("\\hello.txt"), "hello, xenboot\n");
	/* No directories made. */
	assert_int_equal(fat->open(fat, &f, U("\\newdir"), RWC, EFI_FILE_DIRECTORY),
			 EFI_UNSUPPORTED);
	fat->close(fat);
}

static void test_ext4_read_only(void **state)
{
	struct efi_file_protocol *ext = root_of(2), *fat = root_of(1);
	union {
		struct efi_file_system_info info;
		uint8_t raw[64];
	} u;
	uint64_t size = 0;

	assert_int_equal(try_open(ext, U("\\hello.txt"), RW), EFI_WRITE_PROTECTED);
	assert_int_equal(try_open(ext, U("\\created"), RWC), EFI_WRITE_PROTECTED);
	assert_int_equal(try_open(ext, U("\\created"), EFI_FILE_MODE_READ), EFI_NOT_FOUND);
	assert_int_equal(ext->get_info(ext, &efi_guid_file_system_info, &size, NULL),
			 EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 38);
	assert_int_equal(ext->get_info(ext, &efi_guid_file_system_info, &size, &u), EFI_SUCCESS);
	assert_true(u.info.read_only);
	assert_true(u.info.volume_size == 8u << 20);
	size = sizeof(u);
	assert_int_equal(fat->get_info(fat, &efi_guid_file_system_info, &size, &u), EFI_SUCCESS);
	assert_false(u.info.read_only);
	assert_true(u.info.volume_size == 2u << 20);
	assert_int_equal(u.info.volume_label[0], 0);
	size = sizeof(u);
	assert_int_equal(fat->get_info(fat, &efi_guid_file_system_volume_label, &size, &u),
			 EFI_SUCCESS);
	assert_int_equal(size, 2);
	ext->close(ext);
	fat->close(fat);
}

static void test_hostile(void **state)
{
	struct efi_file_protocol *fat = root_of(1), *f = NULL, fake;
	efi_char16_t *endless = malloc(4 * FAT_PATH_MAX);
	struct efi_simple_file_system *sfs =
	    efi_protocol_of(part_handle(XVDA, 1), &efi_guid_simple_file_system);
	struct efi_simple_file_system sfs_fake = *sfs;
	uint64_t n = 4;
	uint8_t buf[16];

	for (size_t i = 0; i < 2 * FAT_PATH_MAX; i++) {
		endless[i] = 'a';
	}
	assert_int_equal(fat->open(fat, &f, endless, EFI_FILE_MODE_READ, 0), EFI_INVALID_PARAMETER);
	endless[2 * FAT_PATH_MAX - 1] = 0;
	assert_int_equal(fat->open(fat, &f, endless, EFI_FILE_MODE_READ, 0), EFI_INVALID_PARAMETER);
	free(endless);
	assert_int_equal(fat->open(fat, &f, NULL, EFI_FILE_MODE_READ, 0), EFI_INVALID_PARAMETER);
	assert_int_equal(fat->open(fat, NULL, U("\\hello.txt"), EFI_FILE_MODE_READ, 0),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(fat->open(fat, &f, U("\\hello.txt"), EFI_FILE_MODE_WRITE, 0),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(fat->open(fat, &f, U("\\hello.txt"), EFI_FILE_MODE_CREATE, 0),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(fat->open(fat, &f, U("\\hello.txt"), 0, 0), EFI_INVALID_PARAMETER);
	assert_int_equal(fat->open(fat, &f, U("\\x"), RWC, 0x100), EFI_INVALID_PARAMETER);
	/* A copy of a File is not one of ours. */
	fake = *fat;
	assert_int_equal(fat->open(&fake, &f, U("\\hello.txt"), EFI_FILE_MODE_READ, 0),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(fat->read(&fake, &n, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(fat->close(&fake), EFI_INVALID_PARAMETER);
	assert_int_equal(fat->get_info(&fake, &efi_guid_file_info, &n, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(sfs->open_volume(&sfs_fake, &f), EFI_INVALID_PARAMETER);
	assert_int_equal(sfs->open_volume(sfs, NULL), EFI_INVALID_PARAMETER);
	f = open_ok(fat, U("\\hello.txt"), EFI_FILE_MODE_READ);
	assert_int_equal(f->read(f, NULL, buf), EFI_INVALID_PARAMETER);
	n = 4;
	assert_int_equal(f->read(f, &n, NULL), EFI_INVALID_PARAMETER);
	n = sizeof(buf);
	assert_int_equal(f->get_info(f, &efi_guid_block_io, &n, buf), EFI_UNSUPPORTED);
	n = 1000;
	assert_int_equal(f->get_info(f, &efi_guid_file_info, &n, NULL), EFI_INVALID_PARAMETER);
	assert_int_equal(f->get_info(f, NULL, &n, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(f->set_info(f, &efi_guid_file_system_info, sizeof(buf), buf),
			 EFI_WRITE_PROTECTED);
	assert_int_equal(f->open_ex(f, &f, U("x"), EFI_FILE_MODE_READ, 0, NULL), EFI_UNSUPPORTED);
	f->close(f);
	fat->close(fat);
}

static void test_initrd(void **state)
{
	uint8_t *rd = guest_buf(0), out[4096];
	struct efi_load_file2 *lf;
	struct efi_device_path *path, *other;
	struct efi_object *o;
	uint64_t size = 0;
	size_t matched;

	fill_pattern(rd, 3000, 5);
	assert_int_equal(efi_initrd_register(BUF_GPA, 3000), 0);
	assert_int_equal(efi_initrd_register(BUF_GPA, 0), -EINVAL);
	assert_int_equal(efi_initrd_register(UINT64_MAX - 10, 100), -EINVAL);
	assert_int_equal(efi_initrd_register(BUF_GPA, 3000), 0); /* replaces */
	assert_int_equal(handles_with(&efi_guid_load_file2), 1);
	o = handle_with(&efi_guid_load_file2, 0);
	lf = efi_protocol_of(o, &efi_guid_load_file2);
	path = efi_protocol_of(o, &efi_guid_device_path);
	assert_int_equal(efi_devpath_vendor_media(&efi_guid_linux_initrd_media, &other), 0);
	assert_true(efi_devpath_eq(path, other));
	/* Linux's stub: the size first, then the copy. */
	assert_int_equal(lf->load_file(lf, other, false, &size, NULL), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 3000);
	size = 2999;
	assert_int_equal(lf->load_file(lf, other, false, &size, out), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 3000);
	size = sizeof(out);
	assert_int_equal(lf->load_file(lf, other, false, &size, out), EFI_SUCCESS);
	assert_int_equal(size, 3000);
	assert_memory_equal(out, rd, 3000);
	/* As Linux's stub finds it: LocateDevicePath, then LoadFile on the rest. */
	struct efi_device_path *rest = other;
	efi_handle_t h;
	assert_int_equal(efi_bs_locate_device_path(&efi_guid_load_file2, &rest, &h), EFI_SUCCESS);
	assert_ptr_equal(h, o);
	assert_int_equal(efi_devpath_match_prefix(path, other, &matched), 0);
	assert_ptr_equal(rest, (uint8_t *)other + matched);
	size = 0;
	assert_int_equal(lf->load_file(lf, rest, false, &size, NULL), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 3000);
	assert_int_equal(lf->load_file(lf, rest, false, &size, out), EFI_SUCCESS);
	/* A file below it, a bogus path, boot policy, a copy of the protocol. */
	struct efi_device_path *file, *below;
	struct efi_load_file2 fake = *lf;
	assert_int_equal(efi_devpath_file("x", &file), 0);
	assert_int_equal(efi_devpath_append(other, file, &below), 0);
	assert_int_equal(lf->load_file(lf, below, false, &size, out), EFI_NOT_FOUND);
	efi_dp_header(file, EFI_DP_TYPE_MEDIA, EFI_DP_MEDIA_FILE_PATH, 2);
	assert_int_equal(lf->load_file(lf, file, false, &size, out), EFI_NOT_FOUND);
	assert_int_equal(lf->load_file(lf, other, true, &size, out), EFI_UNSUPPORTED);
	assert_int_equal(lf->load_file(&fake, other, false, &size, out), EFI_INVALID_PARAMETER);
	assert_int_equal(lf->load_file(lf, NULL, false, &size, out), EFI_INVALID_PARAMETER);
	assert_int_equal(lf->load_file(lf, other, false, NULL, out), EFI_INVALID_PARAMETER);
	free(file);
	free(below);
	free(other);
	efi_initrd_unregister();
	assert_int_equal(handles_with(&efi_guid_load_file2), 0);
	assert_null(efi_object_of(o));
	efi_initrd_unregister();
}

/* What bootefi gives LoadImage after `load`, and how LoadImage and the boot
 * manager get back to the partition and the file. */
static void test_paths_for_load_image(void **state)
{
	struct efi_device_path *path, *rest, *bad;
	struct blk_part w;
	efi_handle_t h;
	uint64_t size;
	uint8_t *buf;
	char text[64];

	assert_int_equal(part_open("xvda:1", &w), 0);
	assert_int_equal(efi_disk_file_path(&w, "dir/sub/nested.bin", &path), 0);
	/* The lead's LocateDevicePath finds the ESP, with the file left. */
	rest = path;
	assert_int_equal(efi_bs_locate_device_path(&efi_guid_simple_file_system, &rest, &h),
			 EFI_SUCCESS);
	assert_ptr_equal(h, part_handle(XVDA, 1));
	assert_int_equal(efi_devpath_file_utf8(rest, text, sizeof(text)), 0);
	assert_string_equal(text, "/dir/sub/nested.bin");
	assert_int_equal(efi_path_file_size(path, &size), 0);
	assert_int_equal(size, 100000);
	buf = malloc(size + 1);
	assert_int_equal(efi_path_file_read(path, buf, size), 0);
	size_t want_len;
	uint8_t *want = img_src("srcfat", "dir/sub/nested.bin", &want_len);
	assert_memory_equal(buf, want, want_len);
	/* Fewer bytes than asked: the file changed since its size was taken. */
	assert_int_equal(efi_path_file_read(path, buf, size + 1), -EIO);
	free(want);
	free(buf);
	free(path);
	/* The disk itself has no filesystem; a window nobody published. */
	assert_int_equal(part_open("xvda:0", &w), 0);
	assert_int_equal(efi_disk_file_path(&w, NULL, &path), 0);
	assert_int_equal(efi_path_file_size(path, &size), -ENOENT);
	free(path);
	w.first_lba = 1;
	assert_int_equal(efi_disk_file_path(&w, "x", &path), -ENOENT);
	/* ext4, a missing file, a malformed path. */
	assert_int_equal(part_open("xvda:2", &w), 0);
	assert_int_equal(efi_disk_file_path(&w, "/hello.txt", &path), 0);
	assert_int_equal(efi_path_file_size(path, &size), 0);
	assert_int_equal(size, 15);
	free(path);
	assert_int_equal(efi_disk_file_path(&w, "/nothere", &path), 0);
	assert_int_equal(efi_path_file_size(path, &size), -ENOENT);
	free(path);
	assert_int_equal(efi_devpath_xen_vbd(XVDA, &bad), 0);
	efi_dp_header(bad, EFI_DP_TYPE_HARDWARE, EFI_DP_HW_VENDOR, 2);
	assert_int_equal(efi_path_file_size(bad, &size), -EINVAL);
	free(bad);
}

#define T(f) cmocka_unit_test_setup_teardown(f, efi_world_setup, efi_world_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_read_fat_and_ext4), T(test_paths),	  T(test_position),
	    T(test_directories),       T(test_write_fat), T(test_ext4_read_only),
	    T(test_hostile),	       T(test_initrd),	  T(test_paths_for_load_image),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
