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

/* Two banks with a gap, the second one above 4 GiB, for the allocator. */
#define B0 0x40000000ULL
#define B0_SIZE (64 * MIB)
#define B1 0x100000000ULL
#define B1_SIZE (16 * MIB)

static int setup_alloc(void **state)
{
	dt.bank_count = 2;
	dt.banks[0] = (struct mem_range){B0, B0_SIZE};
	dt.banks[1] = (struct mem_range){B1, B1_SIZE};
	dtinfo_set(&dt);
	memmap_reset();
	return 0;
}

static unsigned int describe(struct memmap_desc *d, unsigned int max)
{
	unsigned int n = 0;

	assert_int_equal(memmap_describe(d, max, &n), 0);
	return n;
}

/* The map is sorted, page-aligned, covers each bank exactly, no equal neighbours. */
static void check_cover(const struct memmap_desc *d, unsigned int n)
{
	uint64_t pos = B0;

	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(d[i].base % 4096, 0);
		assert_int_equal(d[i].size % 4096, 0);
		assert_true(d[i].size > 0);
		if (pos == B0 + B0_SIZE) {
			pos = B1;
		}
		assert_int_equal(d[i].base, pos);
		pos += d[i].size;
		if (i > 0 && d[i - 1].base + d[i - 1].size == d[i].base) {
			assert_false(d[i - 1].kind == d[i].kind && d[i - 1].tag == d[i].tag);
		}
	}
	assert_int_equal(pos, B1 + B1_SIZE);
}

static void test_alloc_top_down_bottom_up(void **state)
{
	uint64_t a = 0, b = 0;

	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, true, 7), 0);
	assert_int_equal(a, B1 + B1_SIZE - 4096); /* the highest page of RAM */
	assert_int_equal(memmap_alloc(&b, 4096, 0, 0, UINT64_MAX, false, 7), 0);
	assert_int_equal(b, B0);
	/* Partial pages count whole: 1 byte takes a page, the next goes above. */
	assert_int_equal(memmap_alloc(&b, 1, 0, 0, UINT64_MAX, false, 7), 0);
	assert_int_equal(b, B0 + 4096);
	/* Under a maximum address (EFI AllocateMaxAddress): the top of bank 0. */
	assert_int_equal(memmap_alloc(&a, 8192, 0, 0, 0xffffffff + 1ULL, true, 2), 0);
	assert_int_equal(a, B0 + B0_SIZE - 8192);
	assert_int_equal(memmap_check(a, 1, NULL), -EBUSY);
	assert_int_equal(memmap_check(a - 4096, 4096, NULL), 0);
}

static void test_alloc_around_regions(void **state)
{
	struct memmap_region hit;
	uint64_t a = 0;

	/* An unaligned FDT: the pages it touches are all taken. */
	assert_int_equal(memmap_add(B0 + 0x800, 0x1000, MEMMAP_FDT), 0);
	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, false, 1), 0);
	assert_int_equal(a, B0 + 0x2000);
	/* 2 MiB alignment skips the rest of the first 2 MiB. */
	assert_int_equal(memmap_alloc(&a, 4096, 2 * MIB, 0, UINT64_MAX, false, 1), 0);
	assert_int_equal(a, B0 + 2 * MIB);
	/* Top-down below an overlapping pair of regions at the top of bank 1. */
	assert_int_equal(memmap_add(B1 + B1_SIZE - MIB, MIB, MEMMAP_XENBOOT), 0);
	assert_int_equal(memmap_add(B1 + B1_SIZE - 3 * MIB, 2 * MIB + 1, MEMMAP_HEAP), 0);
	assert_int_equal(memmap_alloc(&a, 2 * MIB, 2 * MIB, 0, UINT64_MAX, true, 1), 0);
	assert_int_equal(a, B1 + B1_SIZE - 6 * MIB);
	/* Never across the gap between the banks, never outside [lo, hi). */
	assert_int_equal(memmap_alloc(&a, B0_SIZE, 0, 0, UINT64_MAX, false, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 4096, 0, B0 + B0_SIZE, B1, false, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 8192, 0, B1, B1 + 4096, true, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 4096, 0, B1 + 4096, B1 + 8192, true, 1), 0);
	assert_int_equal(a, B1 + 4096);
	assert_int_equal(memmap_check(B1 + 4096, 4096, &hit), -EBUSY);
	assert_int_equal(hit.kind, MEMMAP_ALLOC);
	assert_int_equal(hit.tag, 1);
}

static void test_alloc_at(void **state)
{
	assert_int_equal(memmap_add(B0 + MIB, 0x10, MEMMAP_LOST), 0);
	assert_int_equal(memmap_alloc_at(B0, MIB, 4), 0);
	assert_int_equal(memmap_alloc_at(B0, 4096, 4), -EBUSY);
	assert_int_equal(memmap_alloc_at(B0 + MIB, 4096, 4), -EBUSY); /* the lost page */
	assert_int_equal(memmap_alloc_at(B0 + MIB + 4096, 4096, 4), 0);
	assert_int_equal(memmap_alloc_at(B0 + B0_SIZE - 4096, 8192, 4), -EFAULT);
	assert_int_equal(memmap_alloc_at(B1 - 4096, 4096, 4), -EFAULT);
	assert_int_equal(memmap_alloc_at(B0 + 2 * MIB + 1, 4096, 4), -EINVAL);
	assert_int_equal(memmap_alloc_at(B0 + 2 * MIB, 0, 4), -EINVAL);
	assert_int_equal(memmap_alloc_at(UINT64_MAX & ~0xfffULL, 0x2000, 4), -EINVAL);
	assert_int_equal(memmap_alloc_at(B0 + 2 * MIB, UINT64_MAX, 4), -EINVAL);
}

static void test_hostile_alloc(void **state)
{
	uint64_t a = 0xdead;

	assert_int_equal(memmap_alloc(&a, 0, 0, 0, UINT64_MAX, false, 1), -EINVAL);
	assert_int_equal(memmap_alloc(&a, UINT64_MAX, 0, 0, UINT64_MAX, false, 1), -EINVAL);
	assert_int_equal(memmap_alloc(&a, UINT64_MAX - 4095, 0, 0, UINT64_MAX, true, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 4096, 3 * 4096, 0, UINT64_MAX, false, 1), -EINVAL);
	assert_int_equal(memmap_alloc(&a, 4096, 1ULL << 63, 0, UINT64_MAX, false, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 4096, 0, UINT64_MAX, 0, true, 1), -ENOMEM);
	assert_int_equal(a, 0xdead);
	assert_int_equal(memmap_count(), 0);
	assert_int_equal(memmap_add(B0, 4096, MEMMAP_ALLOC), -EINVAL); /* only the allocator */
	assert_int_equal(memmap_add(B0, 4096, MEMMAP_FREE), -EINVAL);
	assert_int_equal(memmap_add(B0, 4096, (enum memmap_kind)99), -EINVAL);
	/* A bank at the very top of the address space (hostile DT). */
	dt.banks[1] = (struct mem_range){UINT64_MAX - 3 * 4096 + 1, 3 * 4096};
	dtinfo_set(&dt);
	assert_int_equal(memmap_alloc(&a, 4096, 0, B1, UINT64_MAX, true, 1), 0);
	assert_int_equal(a, UINT64_MAX - 2 * 4096 + 1);
	assert_int_equal(memmap_alloc(&a, 4096, 0, B1, UINT64_MAX, false, 1), 0);
	assert_int_equal(a, UINT64_MAX - 3 * 4096 + 1);
	/* The last page ends at 2^64, which no range can hold: not RAM. */
	assert_int_equal(memmap_alloc(&a, 4096, 0, B1, UINT64_MAX, false, 1), -ENOMEM);
}

static void test_exhaustion(void **state)
{
	uint64_t a, total = 0;

	dt.bank_count = 1;
	dt.banks[0] = (struct mem_range){B0, 16 * 4096};
	dtinfo_set(&dt);
	while (memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, false, (uint32_t)(total & 1)) == 0) {
		total += 4096;
	}
	assert_int_equal(total, 16 * 4096);
	assert_int_equal(memmap_free(B0 + 4096, 4096), 0);
	assert_int_equal(memmap_alloc(&a, 8192, 0, 0, UINT64_MAX, false, 1), -ENOMEM);
	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, true, 1), 0);
	assert_int_equal(a, B0 + 4096);
	/* The table fills up: separate allocations of different tags. */
	setup_alloc(state);
	for (unsigned int i = 0; i < MEMMAP_MAX; i++) {
		assert_int_equal(memmap_alloc(&a, 4096, 8192, 0, UINT64_MAX, false, i), 0);
	}
	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, false, 9999), -ENOSPC);
}

static void test_free_split(void **state)
{
	struct memmap_desc d[16];
	uint64_t a;
	unsigned int n;

	assert_int_equal(memmap_alloc_at(B0 + MIB, 16 * 4096, 3), 0);
	assert_int_equal(memmap_count(), 1);
	/* The middle: one region becomes two, same tag. */
	assert_int_equal(memmap_free(B0 + MIB + 4 * 4096, 2 * 4096), 0);
	assert_int_equal(memmap_count(), 2);
	assert_int_equal(memmap_check(B0 + MIB + 4 * 4096, 2 * 4096, NULL), 0);
	assert_int_equal(memmap_check(B0 + MIB + 3 * 4096, 4096, NULL), -EBUSY);
	assert_int_equal(memmap_check(B0 + MIB + 6 * 4096, 4096, NULL), -EBUSY);
	/* Freeing what is already free, or across a hole, frees nothing. */
	assert_int_equal(memmap_free(B0 + MIB + 4 * 4096, 4096), -ENOENT);
	assert_int_equal(memmap_free(B0 + MIB + 3 * 4096, 3 * 4096), -ENOENT);
	assert_int_equal(memmap_check(B0 + MIB + 3 * 4096, 4096, NULL), -EBUSY);
	/* Over two allocations: the head of one and the tail of the other stay. */
	assert_int_equal(memmap_alloc_at(B0 + MIB + 4 * 4096, 2 * 4096, 3), 0);
	assert_int_equal(memmap_free(B0 + MIB + 2 * 4096, 8 * 4096), 0);
	n = describe(d, 16);
	assert_int_equal(n, 6);
	assert_int_equal(d[1].base, B0 + MIB);
	assert_int_equal(d[1].size, 2 * 4096);
	assert_int_equal(d[1].kind, MEMMAP_ALLOC);
	assert_int_equal(d[2].kind, MEMMAP_FREE);
	assert_int_equal(d[3].base, B0 + MIB + 10 * 4096);
	assert_int_equal(d[3].size, 6 * 4096);
	/* Not the heap, not unaligned, not empty, not wrapping. */
	assert_int_equal(memmap_add(B1, MIB, MEMMAP_HEAP), 0);
	assert_int_equal(memmap_free(B1, 4096), -ENOENT);
	assert_int_equal(memmap_free(B0 + MIB + 1, 4096), -EINVAL);
	assert_int_equal(memmap_free(B0 + MIB, 0), -EINVAL);
	assert_int_equal(memmap_free(UINT64_MAX & ~0xfffULL, 8192), -EINVAL);
	/* Everything back: the map is as before. */
	assert_int_equal(memmap_free(B0 + MIB, 2 * 4096), 0);
	assert_int_equal(memmap_free(B0 + MIB + 10 * 4096, 6 * 4096), 0);
	assert_int_equal(memmap_count(), 1);
	assert_int_equal(memmap_alloc(&a, 64 * 1024, 0, 0, UINT64_MAX, false, 3), 0);
	assert_int_equal(a, B0);
}

static void test_describe(void **state)
{
	struct memmap_desc d[16];
	unsigned int n = 0;
	uint64_t a;

	n = describe(d, 16);
	assert_int_equal(n, 2);
	check_cover(d, n);
	assert_int_equal(d[0].kind, MEMMAP_FREE);
	assert_int_equal(d[1].size, B1_SIZE);
	/* Overlaps: LOST > FDT > XENBOOT > HEAP > ALLOC, partial pages outwards. */
	assert_int_equal(memmap_add(B0 + 0x100000, 0x300000, MEMMAP_HEAP), 0);
	assert_int_equal(memmap_add(B0 + 0x80000, 0x200001, MEMMAP_XENBOOT), 0);
	assert_int_equal(memmap_add(B0 + 0x200800, 0x10, MEMMAP_LOST), 0);
	assert_int_equal(memmap_add(B0 + 0x3ff000, 0x2000, MEMMAP_FDT), 0);
	assert_int_equal(memmap_alloc_at(B0 + 0x401000, 0x1000, 9), 0);
	assert_int_equal(memmap_alloc_at(B0 + 0x402000, 0x1000, 10), 0);
	assert_int_equal(memmap_alloc(&a, 0x1000, 0, 0, UINT64_MAX, true, 9), 0);
	n = describe(d, 16);
	check_cover(d, n);
	const struct memmap_desc want[] = {
	    {B0, 0x80000, MEMMAP_FREE, 0},
	    {B0 + 0x80000, 0x180000, MEMMAP_XENBOOT, 0}, /* over the heap */
	    {B0 + 0x200000, 0x1000, MEMMAP_LOST, 0}, /* 16 bytes: a whole page */
	    {B0 + 0x201000, 0x80000, MEMMAP_XENBOOT, 0}, /* its last byte's page too */
	    {B0 + 0x281000, 0x17e000, MEMMAP_HEAP, 0},
	    {B0 + 0x3ff000, 0x2000, MEMMAP_FDT, 0},
	    {B0 + 0x401000, 0x1000, MEMMAP_ALLOC, 9},
	    {B0 + 0x402000, 0x1000, MEMMAP_ALLOC, 10},
	    {B0 + 0x403000, B0_SIZE - 0x403000, MEMMAP_FREE, 0},
	    {B1, B1_SIZE - 0x1000, MEMMAP_FREE, 0},
	    {B1 + B1_SIZE - 0x1000, 0x1000, MEMMAP_ALLOC, 9},
	};
	assert_int_equal(n, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(d[i].base, want[i].base);
		assert_int_equal(d[i].size, want[i].size);
		assert_int_equal(d[i].kind, want[i].kind);
		assert_int_equal(d[i].tag, want[i].tag);
	}
	/* Too small: -ENOSPC and the count needed, the first ones filled. */
	assert_int_equal(memmap_describe(d, 3, &n), -ENOSPC);
	assert_int_equal(n, 11);
	assert_int_equal(d[2].kind, MEMMAP_LOST);
	assert_int_equal(memmap_describe(NULL, 0, &n), -ENOSPC);
	assert_int_equal(n, 11);
}

static void test_describe_banks(void **state)
{
	struct memmap_desc d[8];
	unsigned int n;

	/* Unsorted, overlapping and unaligned banks: whole pages, joined. */
	dt.bank_count = 3;
	dt.banks[0] = (struct mem_range){B1, B1_SIZE};
	dt.banks[1] = (struct mem_range){B0 + 0x10, 0x3000};
	dt.banks[2] = (struct mem_range){B0 + 0x2000, 0x2000};
	dtinfo_set(&dt);
	n = describe(d, 8);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].base, B0 + 0x1000);
	assert_int_equal(d[0].size, 0x3000);
	assert_int_equal(d[1].base, B1);
	/* A region outside RAM is not in the map. */
	assert_int_equal(memmap_add(0x1000, 0x1000, MEMMAP_LOST), 0);
	assert_int_equal(describe(d, 8), 2);
	dt.bank_count = 0;
	dtinfo_set(&dt);
	assert_int_equal(describe(d, 8), 0);
}

static void test_key(void **state)
{
	uint64_t k = memmap_key(), a;

	assert_int_equal(memmap_add(B0, 4096, MEMMAP_FDT), 0);
	assert_true(memmap_key() != k);
	k = memmap_key();
	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, false, 1), 0);
	assert_true(memmap_key() != k);
	k = memmap_key();
	assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, false, 1), 0); /* merged */
	assert_true(memmap_key() != k);
	k = memmap_key();
	assert_int_equal(memmap_free(a, 4096), 0);
	assert_true(memmap_key() != k);
	k = memmap_key();
	/* Failures change nothing. */
	assert_int_equal(memmap_free(a, 4096), -ENOENT);
	assert_int_equal(memmap_alloc_at(B0, 4096, 1), -EBUSY);
	assert_int_equal(memmap_describe(NULL, 0, &(unsigned int){0}), -ENOSPC);
	assert_int_equal(memmap_key(), k);
	assert_int_equal(memmap_add(B0 + 8192, 4096, MEMMAP_LOST), 0);
	assert_true(memmap_key() != k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_ram_only, setup),
	    cmocka_unit_test_setup(test_regions, setup),
	    cmocka_unit_test_setup(test_bad_adds, setup),
	    cmocka_unit_test_setup(test_lost_pages_merge, setup),
	    cmocka_unit_test_setup(test_alloc_top_down_bottom_up, setup_alloc),
	    cmocka_unit_test_setup(test_alloc_around_regions, setup_alloc),
	    cmocka_unit_test_setup(test_alloc_at, setup_alloc),
	    cmocka_unit_test_setup(test_hostile_alloc, setup_alloc),
	    cmocka_unit_test_setup(test_exhaustion, setup_alloc),
	    cmocka_unit_test_setup(test_free_split, setup_alloc),
	    cmocka_unit_test_setup(test_describe, setup_alloc),
	    cmocka_unit_test_setup(test_describe_banks, setup_alloc),
	    cmocka_unit_test_setup(test_key, setup_alloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
