/* The block layer: bounds and overflow checks, read-only and broken
 * devices, the write-through cache staying coherent, partition windows, and
 * large reads reaching the driver as one call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <disk/blk.h>
#include <lib/errno.h>
#include <string.h>

static struct blk_ram ram;
static uint8_t disk[1 << 20], buf[1 << 20];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(disk); i++) {
		disk[i] = (uint8_t)(i * 7 + (i >> 12));
	}
}

static void test_bounds(void **state)
{
	fill();
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, false), 0);
	assert_int_equal(blk_read(&ram.dev, sizeof(disk) - 10, 10, buf), 0);
	assert_memory_equal(buf, disk + sizeof(disk) - 10, 10);
	assert_int_equal(blk_read(&ram.dev, sizeof(disk) - 10, 11, buf), -EINVAL);
	assert_int_equal(blk_read(&ram.dev, UINT64_MAX - 5, 10, buf), -EINVAL);
	assert_int_equal(blk_read_blocks(&ram.dev, 2047, 2, buf), -EINVAL);
	assert_int_equal(blk_read_blocks(&ram.dev, UINT64_MAX, 2, buf), -EINVAL);
	assert_int_equal(blk_write(&ram.dev, sizeof(disk), 1, buf), -EINVAL);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, 100, 512, false), -EINVAL);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 768, false), -EINVAL);
}

static void test_unaligned_reads(void **state)
{
	static const struct {
		uint64_t off;
		size_t len;
	} cases[] = {{0, 1},	    {511, 2},	     {4095, 4098},     {100, 70000},
		     {8192, 65536}, {12345, 300000}, {0, sizeof(disk)}};

	fill();
	for (uint32_t bs = 512; bs <= 4096; bs *= 2) {
		assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), bs, true), 0);
		for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
			memset(buf, 0, sizeof(buf));
			assert_int_equal(blk_read(&ram.dev, cases[i].off, cases[i].len, buf), 0);
			assert_memory_equal(buf, disk + cases[i].off, cases[i].len);
		}
	}
}

static void test_one_call(void **state)
{
	uint64_t before;

	fill();
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	before = ram.read_calls;
	assert_int_equal(blk_read(&ram.dev, 4096, 512 * 1024, buf), 0);
	assert_int_equal(ram.read_calls - before, 1);
	/* Small reads near each other hit the cache. */
	before = ram.read_calls;
	for (unsigned int i = 0; i < 64; i++) {
		assert_int_equal(blk_read(&ram.dev, 1024 * 1024 - 4096 + i * 8, 8, buf), 0);
	}
	assert_int_equal(ram.read_calls - before, 1);
}

static void test_writes(void **state)
{
	static uint8_t pat[20000];

	fill();
	for (size_t i = 0; i < sizeof(pat); i++) {
		pat[i] = (uint8_t)~i;
	}
	for (uint32_t bs = 512; bs <= 4096; bs *= 8) {
		assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), bs, false), 0);
		/* Warm the cache, then write across lines at odd offsets. */
		assert_int_equal(blk_read(&ram.dev, 0, 16384, buf), 0);
		assert_int_equal(blk_read(&ram.dev, 3000, 10, buf), 0);
		assert_int_equal(blk_write(&ram.dev, 3001, sizeof(pat), pat), 0);
		assert_memory_equal(disk + 3001, pat, sizeof(pat));
		assert_int_equal(blk_read(&ram.dev, 3001, sizeof(pat), buf), 0);
		assert_memory_equal(buf, pat, sizeof(pat));
		assert_int_equal(blk_write(&ram.dev, 7, 1, "x"), 0);
		assert_int_equal(blk_read(&ram.dev, 7, 1, buf), 0);
		assert_int_equal(buf[0], 'x');
	}
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, true), 0);
	assert_int_equal(blk_write(&ram.dev, 0, 1, "x"), -EROFS);
	assert_int_equal(blk_write_blocks(&ram.dev, 0, 1, buf), -EROFS);
}

static void test_broken_and_parts(void **state)
{
	struct blk_part part;

	fill();
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, sizeof(disk), 512, false), 0);
	assert_int_equal(blk_part_init(&part, &ram.dev, 100, 10), 0);
	assert_int_equal(blk_part_read(&part, 0, 5120, buf), 0);
	assert_memory_equal(buf, disk + 51200, 5120);
	assert_int_equal(blk_part_read(&part, 1, 5120, buf), -EINVAL);
	assert_int_equal(blk_part_write(&part, 5119, 2, buf), -EINVAL);
	assert_int_equal(blk_part_init(&part, &ram.dev, 2040, 9), -EINVAL);
	assert_int_equal(blk_part_init(&part, &ram.dev, UINT64_MAX, 2), -EINVAL);
	assert_int_equal(blk_register(&ram.dev), 0);
	assert_int_equal(blk_register(&ram.dev), -EEXIST);
	assert_ptr_equal(blk_find("ram0"), &ram.dev);
	assert_ptr_equal(blk_get(0), &ram.dev);
	assert_int_equal(blk_count(), 1);
	blk_mark_broken(&ram.dev, "test");
	assert_int_equal(blk_read(&ram.dev, 0, 1, buf), -EIO);
	assert_int_equal(blk_write(&ram.dev, 0, 1, buf), -EIO);
	blk_unregister(&ram.dev);
	assert_null(blk_find("ram0"));
	assert_int_equal(blk_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bounds),	     cmocka_unit_test(test_unaligned_reads),
	    cmocka_unit_test(test_one_call),	     cmocka_unit_test(test_writes),
	    cmocka_unit_test(test_broken_and_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
