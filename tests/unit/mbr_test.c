/* MBR tables from sfdisk and hand-made hostile ones: primary and logical
 * partitions, protective MBRs, superfloppies, EBR loops, 4 KiB sectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "images/image.h"
#include <disk/blk.h>
#include <disk/part.h>
#include <lib/errno.h>

static struct blk_ram ram;
static struct part_table table;
static uint8_t disk[1 << 20];

static void test_sfdisk(void **state)
{
	static const struct {
		unsigned int number;
		uint64_t first, count;
		uint8_t type;
	} want[] = {{1, 2048, 2048, 0x0c},
		    {2, 4096, 2048, 0x83},
		    {5, 8192, 1024, 0x83},
		    {6, 12288, 1024, 0x83},
		    {7, 15360, 1024, 0x82}};
	size_t size;
	uint8_t *img = img_load("mbr", &size, NULL, 0);

	assert_non_null(img);
	assert_int_equal(blk_ram_init(&ram, "ram0", img, size, 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), 0);
	assert_int_equal(table.scheme, PART_SCHEME_MBR);
	assert_string_equal(table.disk_id, "12345678");
	assert_int_equal(table.count, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(table.entries[i].number, want[i].number);
		assert_int_equal(table.entries[i].first_lba, want[i].first);
		assert_int_equal(table.entries[i].block_count, want[i].count);
		assert_int_equal(table.entries[i].mbr_type, want[i].type);
	}
	assert_true(table.entries[0].is_bootable);
	assert_false(table.entries[1].is_bootable);
	assert_string_equal(table.entries[2].partuuid, "12345678-05");
	assert_int_equal(part_scan(&ram.dev, &table), 0);
	assert_int_equal(table.scheme, PART_SCHEME_MBR);
	free(img);
}

static void test_not_mbr(void **state)
{
	size_t size;
	uint8_t *gpt = img_load("gpt", &size, NULL, 0), *fat = img_load("fat16", &size, NULL, 0);

	assert_int_equal(blk_ram_init(&ram, "ram0", gpt, 4 << 20, 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), -EAGAIN);
	/* A FAT volume without a table: the whole disk is the volume. */
	assert_int_equal(blk_ram_init(&ram, "ram0", fat, size, 512, true), 0);
	assert_int_equal(part_scan(&ram.dev, &table), 0);
	assert_int_equal(table.scheme, PART_SCHEME_NONE);
	assert_int_equal(table.count, 0);
	/* No signature. */
	memset(disk, 0, sizeof(disk));
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), -ENOENT);
	assert_int_equal(part_scan(&ram.dev, &table), 0);
	assert_int_equal(table.scheme, PART_SCHEME_NONE);
	free(gpt);
	free(fat);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* Partition record @slot of the sector at byte @sector. */
static void set_part(uint64_t sector, unsigned int slot, uint8_t type, uint32_t first,
		     uint32_t count)
{
	uint8_t *e = disk + sector + 446 + 16 * slot;

	e[0] = 0;
	e[4] = type;
	put32(e + 8, first);
	put32(e + 12, count);
	disk[sector + 510] = 0x55;
	disk[sector + 511] = 0xaa;
}

static void test_hostile(void **state)
{
	memset(disk, 0, sizeof(disk));
	set_part(0, 0, 0x83, 100, 10);
	set_part(0, 1, 0x83, 1000, 100000); /* beyond the 2048-sector disk: dropped */
	set_part(0, 2, 0x05, 200, 1000);
	/* EBRs at 200 -> 300 -> 400 -> 300 -> ...: a loop. */
	set_part(200 * 512, 0, 0x83, 1, 10);
	set_part(200 * 512, 1, 0x05, 100, 50);
	set_part(300 * 512, 0, 0x83, 1, 10);
	set_part(300 * 512, 1, 0x05, 200, 50);
	set_part(400 * 512, 0, 0x83, 1, 10);
	set_part(400 * 512, 1, 0x05, 100, 50);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), 0);
	assert_int_equal(table.entries[0].number, 1);
	assert_int_equal(table.entries[1].number, 5);
	/* The loop is cut after 64 hops: 1 primary plus 64 logicals. */
	assert_int_equal(table.count, 65);
	/* A logical partition leaving its extended partition is dropped. */
	set_part(200 * 512, 0, 0x83, 1, 5000);
	set_part(200 * 512, 1, 0, 0, 0);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), 0);
	assert_int_equal(table.count, 1);
	/* A status byte other than 0x00/0x80 means this is not an MBR. */
	disk[446] = 0x12;
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	assert_int_equal(mbr_parse(&ram.dev, &table), -ENOENT);
}

static void test_4k_sectors(void **state)
{
	memset(disk, 0, sizeof(disk));
	set_part(0, 0, 0x83, 8, 100);
	set_part(0, 1, 0x83, 200, 56); /* ends exactly at block 256 */
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 4096, true), 0);
	assert_int_equal(ram.dev.block_count, 256);
	assert_int_equal(mbr_parse(&ram.dev, &table), 0);
	assert_int_equal(table.count, 2);
	assert_int_equal(table.entries[1].first_lba, 200);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sfdisk),
	    cmocka_unit_test(test_not_mbr),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_4k_sectors),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
