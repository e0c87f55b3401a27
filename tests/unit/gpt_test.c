/* GPT from sgdisk, then corrupted: header and array CRCs, backup fallback,
 * overlapping and out-of-range entries, header field limits; and the ways
 * the shell names a partition (number, PARTLABEL=, PARTUUID=, dev:part). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "images/image.h"
#include <disk/blk.h>
#include <disk/part.h>
#include <lib/errno.h>
#include <zlib.h>

#define LAST_LBA ((4u << 20) / 512 - 1)

static struct blk_ram ram;
static struct part_table table;
static uint8_t *image;
static size_t image_size;
static uint8_t disk[4 << 20];

static void fresh(void)
{
	if (!image) {
		image = img_load("gpt", &image_size, NULL, 0);
	}
	assert_non_null(image);
	memcpy(disk, image, sizeof(disk));
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* Recompute the array and header CRCs of the header at @lba. */
static void fix_crcs(uint64_t lba)
{
	uint8_t *h = disk + lba * 512;
	uint64_t arr = get32(h + 72);

	put32(h + 88, (uint32_t)crc32(0, disk + arr * 512, get32(h + 80) * get32(h + 84)));
	put32(h + 16, 0);
	put32(h + 16, (uint32_t)crc32(0, h, get32(h + 12)));
}

static void test_sgdisk(void **state)
{
	char text[PART_UUID_STR];

	fresh();
	assert_int_equal(gpt_parse(&ram.dev, &table), 0);
	assert_int_equal(table.count, 3);
	assert_string_equal(table.entries[0].name, "boot");
	assert_string_equal(table.entries[1].name, "rootfs");
	assert_string_equal(table.entries[2].name, "données");
	assert_int_equal(table.entries[0].first_lba, 2048);
	assert_int_equal(table.entries[0].block_count, 2048);
	assert_string_equal(table.entries[1].partuuid, "11111111-2222-3333-4444-555555555555");
	assert_string_equal(table.entries[0].partuuid, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	part_guid_format(table.entries[0].type_guid, text);
	assert_string_equal(text, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"); /* ESP */
	assert_int_equal(part_scan(&ram.dev, &table), 0);
	assert_int_equal(table.scheme, PART_SCHEME_GPT);
}

static void test_backup(void **state)
{
	/* Primary header damaged: the backup serves. */
	fresh();
	disk[512 + 40] ^= 0xff;
	assert_int_equal(gpt_parse(&ram.dev, &table), 0);
	assert_int_equal(table.count, 3);
	/* Primary array damaged. */
	fresh();
	disk[2 * 512 + 60] ^= 0xff;
	assert_int_equal(gpt_parse(&ram.dev, &table), 0);
	assert_string_equal(table.entries[1].name, "rootfs");
	/* Both damaged. */
	disk[LAST_LBA * 512 + 40] ^= 0xff;
	blk_cache_drop(&ram.dev); /* we wrote behind the block layer's back */
	assert_int_equal(gpt_parse(&ram.dev, &table), -EINVAL);
	/* Neither present. */
	fresh();
	memset(disk + 512, 0, 8);
	memset(disk + LAST_LBA * 512, 0, 8);
	assert_int_equal(gpt_parse(&ram.dev, &table), -ENOENT);
	/* Protective MBR but no GPT at all: an error, not "no table". */
	assert_int_equal(part_scan(&ram.dev, &table), -EINVAL);
}

/* Issue 8 #5: a disk that changes between reads (a backend can do that) must
 * not get unchecked entries parsed: the CRC is over the bytes parsed. The
 * hook changes partition 1's name once the last block of the array has been
 * read, and empties the cache (as an array larger than the cache would). */
static const struct blk_ops *ram_ops;
static bool has_changed;

static int changing_read(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf)
{
	int rc = ram_ops->read(dev, lba, count, buf);

	if (!has_changed && lba <= 33 && 33 < lba + count) {
		has_changed = true;
		disk[2 * 512 + 56] = 'X';
		blk_cache_drop(dev);
	}
	return rc;
}

static void test_array_changes_between_reads(void **state)
{
	static struct blk_ops changing;

	fresh();
	ram_ops = ram.dev.ops;
	changing = *ram_ops;
	changing.read = changing_read;
	ram.dev.ops = &changing;
	has_changed = false;
	assert_int_equal(gpt_parse(&ram.dev, &table), 0);
	assert_true(has_changed);
	assert_string_equal(table.entries[0].name, "boot");
	ram.dev.ops = ram_ops;
}

static void test_hostile_entries(void **state)
{
	uint64_t lbas[2] = {1, LAST_LBA};

	/* Partition 2 starts inside partition 1 (in both copies). */
	fresh();
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t arr = get32(disk + lbas[i] * 512 + 72);

		put32(disk + arr * 512 + 128 + 32, 3000);
		fix_crcs(lbas[i]);
	}
	assert_int_equal(gpt_parse(&ram.dev, &table), -EINVAL);
	/* Partition 3 ends beyond the last usable LBA. */
	fresh();
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t arr = get32(disk + lbas[i] * 512 + 72);

		put32(disk + arr * 512 + 256 + 40, LAST_LBA);
		fix_crcs(lbas[i]);
	}
	assert_int_equal(gpt_parse(&ram.dev, &table), -EINVAL);
}

static void test_header_fields(void **state)
{
	struct gpt_array a;
	uint8_t h[512];

	fresh();
	memcpy(h, disk + 512, 512);
	assert_int_equal(gpt_header_validate(h, 512, 1, LAST_LBA + 1, 512, &a), 0);
	assert_int_equal(a.entry_count, 128);
	assert_int_equal(a.entry_size, 128);
	assert_int_equal(gpt_header_validate(h, 512, 2, LAST_LBA + 1, 512, &a), -EINVAL);
	assert_int_equal(gpt_header_validate(h, 100, 1, LAST_LBA + 1, 512, &a), -EINVAL);
	/* Each field below is re-signed so only the field check can fail. */
	static const struct {
		unsigned int at;
		uint32_t value;
	} bad[] = {{12, 91}, {12, 513}, {84, 64},	    {84, 130}, {80, 100000},
		   {72, 0},  {72, 40},	{48, LAST_LBA + 5}, {40, 10}};
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t c[512];

		memcpy(c, h, 512);
		put32(c + bad[i].at, bad[i].value);
		put32(c + 16, 0);
		put32(c + 16, (uint32_t)crc32(0, c, get32(c + 12) <= 512 ? get32(c + 12) : 92));
		assert_int_not_equal(gpt_header_validate(c, 512, 1, LAST_LBA + 1, 512, &a), 0);
	}
	h[20] ^= 1;
	assert_int_equal(gpt_header_validate(h, 512, 1, LAST_LBA + 1, 512, &a), -EBADMSG);
}

static void test_select_and_open(void **state)
{
	const struct part_entry *e;
	struct blk_part p;

	fresh();
	assert_int_equal(part_scan(&ram.dev, &table), 0);
	assert_int_equal(part_select(&table, "2", &e), 0);
	assert_int_equal(e->number, 2);
	assert_int_equal(part_select(&table, "PARTLABEL=données", &e), 0);
	assert_int_equal(e->number, 3);
	assert_int_equal(part_select(&table, "PARTUUID=11111111-2222-3333-4444-555555555555", &e),
			 0);
	assert_int_equal(e->number, 2);
	assert_int_equal(part_select(&table, "PARTUUID=0FC63DAF-8483-4772-8E79-3D69D8477DE4", &e),
			 0);
	assert_int_equal(e->number, 1);
	assert_int_equal(part_select(&table, "9", &e), -ENOENT);
	assert_int_equal(part_select(&table, "0", &e), -EINVAL);
	assert_int_equal(part_select(&table, "x1", &e), -EINVAL);
	assert_int_equal(part_select(&table, "PARTLABEL=none", &e), -ENOENT);

	assert_int_equal(blk_register(&ram.dev), 0);
	assert_int_equal(part_open("ram0:2", &p), 0);
	assert_int_equal(p.first_lba, 4096);
	assert_int_equal(part_open("0:PARTLABEL=boot", &p), 0);
	assert_int_equal(p.first_lba, 2048);
	assert_int_equal(part_open("PARTUUID=11111111-2222-3333-4444-555555555555", &p), 0);
	assert_int_equal(p.first_lba, 4096);
	assert_int_equal(part_open("PARTLABEL=rootfs", &p), 0);
	assert_int_equal(p.first_lba, 4096);
	assert_int_equal(part_open("ram0", &p), 0);
	assert_int_equal(p.first_lba, 2048);
	assert_int_equal(part_open("0:0", &p), 0);
	assert_int_equal(p.block_count, LAST_LBA + 1);
	assert_int_equal(part_open("nodev:1", &p), -ENODEV);
	assert_int_equal(part_open("7", &p), -ENODEV);
	assert_int_equal(part_open("PARTLABEL=nowhere", &p), -ENOENT);
	blk_unregister(&ram.dev);
	assert_int_equal(part_open("0:1", &p), -ENODEV);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sgdisk),	    cmocka_unit_test(test_backup),
	    cmocka_unit_test(test_hostile_entries), cmocka_unit_test(test_header_fields),
	    cmocka_unit_test(test_select_and_open),
	    cmocka_unit_test(test_array_changes_between_reads),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
