/* efi/varfile.c and efi/varfile_esp.c: the EBBR variable file from a
 * hand-built image (the layout checked byte by byte, CRC by zlib), hostile
 * images, the pick between two copies, and saves to the FAT partition of
 * images/mkimg.sh's GPT disk with a power cut at every block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include <disk/blk.h>
#include <disk/part.h>
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <fs/fs.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <uchar.h>
#include <zlib.h>

#define NV EFI_VARIABLE_NON_VOLATILE
#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS
#define STORE_SIZE 0x10000

static const uint8_t global[16] = {0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
				   0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c};
static uint64_t store_mem[STORE_SIZE / 8], other_mem[STORE_SIZE / 8];
static void *const store = store_mem, *const other = other_mem;
static uint8_t img[VARFILE_SIZE], img2[VARFILE_SIZE];

static struct blk_ram ram;
static struct dtinfo dt;
static uint8_t *disk, *pristine;
static size_t disk_size;
static struct fs fs;

/* ---- hand-built EBBR images */

static size_t put_entry(uint8_t *p, uint32_t attr, const char16_t *name, const void *data,
			uint32_t size)
{
	size_t name_size = 2;

	while (name[name_size / 2 - 1]) {
		name_size += 2;
	}
	memset(p, 0, 32);
	memcpy(p, &size, 4);
	memcpy(p + 4, &attr, 4);
	memcpy(p + 16, global, 16);
	memcpy(p + 32, name, name_size);
	memcpy(p + 32 + name_size, data, size);
	size_t total = (32 + name_size + size + 7) & ~(size_t)7;
	memset(p + 32 + name_size + size, 0, total - (32 + name_size + size));
	return total;
}

/* Header for @length bytes, CRC by zlib. */
static void put_header(uint8_t *p, uint32_t length)
{
	uint32_t crc = (uint32_t)crc32(0, p + 24, length - 24);

	memset(p, 0, 8);
	memcpy(p + 8, "UbEfiVa\1", 8);
	memcpy(p + 16, &length, 4);
	memcpy(p + 20, &crc, 4);
}

/* BootOrder (NV|BS|RT, 00 00 01 00) and Boot0000 (NV|BS, "xyz"). */
static size_t fixture(uint8_t *p)
{
	size_t off = 24;

	memset(p, 0, VARFILE_SIZE);
	off += put_entry(p + off, NV | BS | RT, u"BootOrder", "\0\0\1\0", 4);
	off += put_entry(p + off, NV | BS, u"Boot0000", "xyz", 3);
	put_header(p, (uint32_t)off);
	return off;
}

static size_t get(const void *s, const char16_t *name, void *buf)
{
	size_t size = 256;

	return varstore_get(s, name, global, NULL, buf, &size) ? 0 : size;
}

static int setup_store(void **state)
{
	assert_int_equal(varstore_init(store, STORE_SIZE, VARFILE_NV_LIMIT), 0);
	assert_int_equal(varstore_init(other, STORE_SIZE, VARFILE_NV_LIMIT), 0);
	return 0;
}

static void test_ebbr_fixture(void **state)
{
	struct varfile_info in;
	uint8_t buf[256];
	size_t len = fixture(img), out_len;

	assert_int_equal(len, 24 + 56 + 56);
	assert_int_equal(varfile_validate(img, len, &in), 0);
	assert_true(in.is_valid && !in.has_tail);
	assert_int_equal(in.kept, 2);
	assert_int_equal(in.skipped, 0);
	assert_int_equal(varfile_apply(store, img, len, &in), 0);
	assert_int_equal(get(store, u"BootOrder", buf), 4);
	assert_memory_equal(buf, "\0\0\1\0", 4);
	assert_int_equal(get(store, u"Boot0000", buf), 3);
	/* Volatile variables stay out; what remains is the fixture, byte for byte. */
	assert_int_equal(varstore_set(store, u"Vol", global, BS, "v", 1, 0), 0);
	assert_int_equal(varfile_export(store, img2, 10, &out_len), -EOVERFLOW);
	assert_int_equal(out_len, len);
	assert_int_equal(varfile_export(store, img2, sizeof(img2), &out_len), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(img2, img, len);
	/* A tail makes it ours, with its generation. */
	varfile_seal(img, VARFILE_SIZE, 77);
	assert_int_equal(varfile_validate(img, VARFILE_SIZE, &in), 0);
	assert_true(in.has_tail);
	assert_int_equal(in.generation, 77);
	/* A tail that does not match the header is someone else's bytes. */
	img[VARFILE_SIZE - 1] ^= 1;
	assert_int_equal(varfile_validate(img, VARFILE_SIZE, &in), 0);
	assert_false(in.has_tail);
}

/* Re-seal the CRC after a change to the entries, so the entry checks run. */
static void reseal(uint8_t *p)
{
	uint32_t length;

	memcpy(&length, p + 16, 4);
	put_header(p, length);
}

static void expect_refused(uint8_t *p, size_t size, int err)
{
	struct varfile_info in;

	assert_int_equal(varfile_validate(p, size, &in), err);
	assert_false(in.is_valid);
	assert_int_equal(varfile_apply(store, p, size, &in), -EINVAL);
	assert_int_equal(varstore_nv_used(store), 0);
}

static void test_hostile(void **state)
{
	size_t len = fixture(img);
	uint32_t v;

	expect_refused(img, 23, -EINVAL);
	img[9] = 'B';
	expect_refused(img, len, -EINVAL);
	fixture(img);
	img[15] = 2; /* revision */
	expect_refused(img, len, -EINVAL);
	fixture(img);
	expect_refused(img, len - 1, -EFBIG); /* length past the bytes */
	v = 23;
	memcpy(img + 16, &v, 4);
	expect_refused(img, len, -EFBIG);
	fixture(img);
	img[100] ^= 0x40;
	expect_refused(img, len, -EILSEQ);
	/* Data size past the end. */
	fixture(img);
	v = 0xfffffff0;
	memcpy(img + 24 + 56, &v, 4);
	reseal(img);
	expect_refused(img, len, -EBADMSG);
	/* A name without its NUL before the end. */
	fixture(img);
	memset(img + 24 + 56 + 32, 'A', 56 - 32);
	reseal(img);
	expect_refused(img, len, -EBADMSG);
	/* An entry header cut short. */
	fixture(img);
	v = (uint32_t)len + 8;
	memcpy(img + 16, &v, 4);
	reseal(img);
	expect_refused(img, len + 8, -EBADMSG);
}

/* Entries we do not keep are skipped, the rest loaded; the last of
 * repeated names wins; a file too big changes nothing. */
static void test_skipped_and_repeated(void **state)
{
	struct varfile_info in;
	size_t off = 24;
	uint8_t buf[256];

	memset(img, 0, sizeof(img));
	off += put_entry(img + off, BS | RT, u"Volatile", "v", 1);
	off += put_entry(img + off, NV | BS | RT | 0x20, u"db", "auth", 4);
	off += put_entry(img + off, NV | BS | RT | 0x08, u"HwErrRec0000", "h", 1);
	off += put_entry(img + off, NV | BS, u"Empty", "", 0);
	off += put_entry(img + off, NV, u"NoAccess", "n", 1);
	off += put_entry(img + off, NV | BS, u"Twice", "first", 5);
	off += put_entry(img + off, NV | BS, u"Twice", "second", 6);
	/* The last entry without its padding (tolerated). */
	off += put_entry(img + off, NV | BS | RT, u"Last", "L", 1) - 5;
	put_header(img, (uint32_t)off);
	assert_int_equal(varfile_validate(img, off, &in), 0);
	assert_int_equal(in.skipped, 5);
	assert_int_equal(in.kept, 3);
	assert_int_equal(varfile_apply(store, img, off, &in), 0);
	assert_int_equal(get(store, u"Twice", buf), 6);
	assert_memory_equal(buf, "second", 6);
	assert_int_equal(get(store, u"Last", buf), 1);
	assert_int_equal(get(store, u"Volatile", buf), 0);
	assert_int_equal(get(store, u"db", buf), 0);
	/* Into a store with room for less than the kept entries. */
	assert_int_equal(varstore_init(other, 4096, 100), 0);
	assert_int_equal(varfile_apply(other, img, off, &in), -ENOSPC);
	assert_int_equal(varstore_nv_used(other), 0);
}

static void test_newest(void **state)
{
	struct varfile_info a = {.is_valid = true, .has_tail = true, .generation = 5};
	struct varfile_info b = a, bad = {.err = -EILSEQ};

	assert_int_equal(varfile_newest(&a, &b), 0);
	b.generation = 6;
	assert_int_equal(varfile_newest(&a, &b), 1);
	a.generation = 0xffffffff;
	b.generation = 1; /* wrapped */
	assert_int_equal(varfile_newest(&a, &b), 1);
	assert_int_equal(varfile_newest(&b, &a), 0);
	b.has_tail = false;
	assert_int_equal(varfile_newest(&a, &b), 1);
	a.has_tail = false;
	assert_int_equal(varfile_newest(&a, &b), 0);
	assert_int_equal(varfile_newest(&bad, &b), 1);
	assert_int_equal(varfile_newest(&a, &bad), 0);
	assert_int_equal(varfile_newest(&bad, &bad), -ENOENT);
}

/* ---- on the FAT partition */

static void reboot(void)
{
	struct blk_part part;

	blk_unregister(&ram.dev);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, disk_size, 512, false), 0);
	assert_int_equal(blk_register(&ram.dev), 0);
	assert_int_equal(part_open("ram0:1", &part), 0);
	assert_int_equal(fs_mount(&fs, &part), 0);
}

static int setup_disk(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_ramdisk(&ram, "disk", &disk, &disk_size)) {
		return -1;
	}
	pristine = malloc(disk_size);
	if (!pristine) {
		return -1;
	}
	memcpy(pristine, disk, disk_size);
	return 0;
}

static int teardown_disk(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	free(pristine);
	sim_reset();
	return 0;
}

static int fresh(void **state)
{
	memcpy(disk, pristine, disk_size);
	reboot();
	return setup_store(state);
}

/* A store of generation @g: three variables full of @g, big enough that a
 * copy spans many blocks. */
static void fill(void *s, char g)
{
	static char data[3000];

	assert_int_equal(varstore_init(s, STORE_SIZE, VARFILE_NV_LIMIT), 0);
	for (int i = 0; i < 3; i++) {
		memset(data, g, sizeof(data));
		data[0] = (char)('0' + i);
		assert_int_equal(varstore_set(s, (char16_t[]){u'V', (char16_t)(u'0' + i), 0},
					      global, NV | BS | RT, data, sizeof(data), 0),
				 0);
	}
	assert_int_equal(varstore_set(s, u"Volatile", global, BS, "x", 1, 0), 0);
}

/* Which generation the loaded store is: 0 for empty, '?' for anything else. */
static char gen_of(void *s)
{
	static char data[3000];
	size_t a, b;

	if (varstore_nv_used(s) == 0) {
		return 0;
	}
	size_t size = sizeof(data);
	if (varstore_get(s, u"V1", global, NULL, data, &size) || size != sizeof(data)) {
		return '?';
	}
	fill(other, data[1]);
	assert_int_equal(varfile_export(s, img, sizeof(img), &a), 0);
	assert_int_equal(varfile_export(other, img2, sizeof(img2), &b), 0);
	return a == b && memcmp(img, img2, a) == 0 ? data[1] : '?';
}

static char load_gen(void)
{
	assert_int_equal(varstore_init(store, STORE_SIZE, VARFILE_NV_LIMIT), 0);
	int rc = varfile_load_fs(store, &fs);

	return rc == -ENOENT ? 0 : rc ? '!' : gen_of(store);
}

static uint32_t generation_of(const char *name)
{
	struct varfile_info in;
	uint64_t size;
	size_t n;

	assert_int_equal(fs_size(&fs, name, &size), 0);
	assert_int_equal(size, VARFILE_SIZE);
	assert_int_equal(fs_read(&fs, name, img, 0, VARFILE_SIZE, &n), 0);
	assert_int_equal(varfile_validate(img, n, &in), 0);
	assert_true(in.has_tail);
	return in.generation;
}

static void test_save_load(void **state)
{
	assert_int_equal(load_gen(), 0);
	fill(store, 'A');
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	assert_int_equal(generation_of(VARFILE_NAME), 1);
	assert_int_equal(generation_of(VARFILE_NAME_REDUND), 2);
	reboot();
	assert_int_equal(load_gen(), 'A');
	assert_int_equal(get(store, u"Volatile", img), 0);
	/* In place: the data blocks of the two copies and nothing else. */
	fill(store, 'B');
	uint64_t blocks = ram.blocks_written;
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	assert_int_equal(ram.blocks_written - blocks, 2 * VARFILE_SIZE / 512);
	assert_int_equal(generation_of(VARFILE_NAME), 3);
	assert_int_equal(generation_of(VARFILE_NAME_REDUND), 4);
	reboot();
	assert_int_equal(load_gen(), 'B');
}

/* Linux copied VarToFile over ubootefi.var: that copy (no tail, its own
 * size) wins over our newer-numbered one, and the next save rewrites it. */
static void test_external_copy(void **state)
{
	size_t len;

	fill(store, 'A');
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	fill(other, 'C');
	assert_int_equal(varfile_export(other, img2, sizeof(img2), &len), 0);
	assert_int_equal(fs_write(&fs, VARFILE_NAME, img2, len), 0);
	reboot();
	assert_int_equal(load_gen(), 'C');
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	assert_int_equal(generation_of(VARFILE_NAME_REDUND), 3);
	assert_int_equal(generation_of(VARFILE_NAME), 4);
	reboot();
	assert_int_equal(load_gen(), 'C');
	/* A corrupt copy: the other is used. */
	fill(store, 'D');
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	assert_int_equal(fs_overwrite(&fs, VARFILE_NAME_REDUND, 100, "garbage", 7), 0);
	reboot();
	assert_int_equal(load_gen(), 'D');
	assert_int_equal(fs_overwrite(&fs, VARFILE_NAME, 100, "garbage", 7), 0);
	reboot();
	assert_int_equal(load_gen(), '!');
}

/* Cut the power after every possible number of written blocks of a save
 * of 'B' over 'A': loading then gives 'A' or 'B', never a mix or nothing. */
static void test_power_cut(void **state)
{
	unsigned int seen_a = 0, seen_b = 0;
	uint8_t *before = malloc(disk_size);

	assert_non_null(before);
	fill(store, 'A');
	assert_int_equal(varfile_save_fs(store, &fs), 0);
	memcpy(before, disk, disk_size);
	for (uint64_t n = 0;; n++) {
		memcpy(disk, before, disk_size);
		reboot();
		fill(store, 'B');
		ram.has_write_budget = true;
		ram.write_budget = n;
		int rc = varfile_save_fs(store, &fs);
		ram.has_write_budget = false;
		reboot();
		char g = load_gen();
		assert_true(g == 'A' || g == 'B');
		seen_a += g == 'A';
		seen_b += g == 'B';
		if (rc == 0) {
			break;
		}
	}
	free(before);
	assert_true(seen_a > 0 && seen_b > 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest format[] = {
	    cmocka_unit_test_setup(test_ebbr_fixture, setup_store),
	    cmocka_unit_test_setup(test_hostile, setup_store),
	    cmocka_unit_test_setup(test_skipped_and_repeated, setup_store),
	    cmocka_unit_test(test_newest),
	};
	const struct CMUnitTest esp[] = {
	    cmocka_unit_test_setup(test_save_load, fresh),
	    cmocka_unit_test_setup(test_external_copy, fresh),
	    cmocka_unit_test_setup(test_power_cut, fresh),
	};
	img_init(argv[0]);
	int failed = cmocka_run_group_tests_name("format", format, NULL, NULL);

	return failed + cmocka_run_group_tests_name("esp", esp, setup_disk, teardown_disk);
}
