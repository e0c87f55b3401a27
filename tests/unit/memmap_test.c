/* lib/memmap.c: what loads may overwrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>

#define MIB (1024ULL * 1024)

static struct dtinfo dt;

static int setup(void **state)
{
	dt.bank_count = 2;
	dt.banks[0] = (struct mem_range){0x40000000, 3072 * MIB};
	dt.banks[1] = (struct mem_range){0x200000000, 64 * MIB};
	dtinfo_set(&dt);
	memmap_reset();
	return 0;
}

static void test_ram_only(void **state)
{
	assert_int_equal(memmap_check(0x40000000, 4096, NULL), 0);
	assert_int_equal(memmap_check(0x200000000, 64 * MIB, NULL), 0);
	assert_int_equal(memmap_check(0x3ffff000, 8192, NULL), -EFAULT);
	/* Across the two banks is not inside one of them. */
	assert_int_equal(memmap_check(0x40000000 + 3072 * MIB - 4096, 8192, NULL), -EFAULT);
	assert_int_equal(memmap_check(UINT64_MAX - 10, 100, NULL), -EFAULT);
	assert_int_equal(memmap_check(0x10, 0, NULL), 0); /* empty: always */
}

static void test_regions(void **state)
{
	struct memmap_region hit = {0};

	assert_int_equal(memmap_add(0x40080000, 2 * MIB, MEMMAP_XENBOOT), 0);
	assert_int_equal(memmap_add(0x48000000, 0x2000, MEMMAP_FDT), 0);
	assert_int_equal(memmap_check(0x40000000, 0x80000, NULL), 0); /* ends where we start */
	assert_int_equal(memmap_check(0x40000000, 0x80001, &hit), -EBUSY);
	assert_int_equal(hit.kind, MEMMAP_XENBOOT);
	assert_int_equal(memmap_check(0x48001fff, 1, &hit), -EBUSY);
	assert_int_equal(hit.kind, MEMMAP_FDT);
	assert_int_equal(memmap_check(0x48002000, MIB, NULL), 0);
	assert_int_equal(memmap_count(), 2);
	assert_string_equal(memmap_kind_name(memmap_at(1)->kind), "device tree");
	assert_null(memmap_at(2));
}

static void test_bad_adds(void **state)
{
	assert_int_equal(memmap_add(0x1000, 0, MEMMAP_LOST), -EINVAL);
	assert_int_equal(memmap_add(UINT64_MAX - 0xfff, 0x2000, MEMMAP_LOST), -EINVAL);
	for (unsigned int i = 0; i < MEMMAP_MAX; i++) {
		assert_int_equal(memmap_add(0x41000000 + i * 8192ULL, 4096, MEMMAP_LOST), 0);
	}
	assert_int_equal(memmap_add(0x42000000, 4096, MEMMAP_LOST), -ENOSPC);
}

static void test_lost_pages_merge(void **state)
{
	/* Pages lost one by one must not fill the table. */
	for (unsigned int i = 0; i < 3 * MEMMAP_MAX; i++) {
		assert_int_equal(memmap_add(0x41000000 + i * 4096ULL, 4096, MEMMAP_LOST), 0);
	}
	assert_int_equal(memmap_count(), 1);
	assert_int_equal(memmap_at(0)->size, 3 * MEMMAP_MAX * 4096ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_ram_only, setup),
	    cmocka_unit_test_setup(test_regions, setup),
	    cmocka_unit_test_setup(test_bad_adds, setup),
	    cmocka_unit_test_setup(test_lost_pages_merge, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
