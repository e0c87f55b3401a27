/* lib/memmap.c against a model: a page-by-page owner array over two
 * banks, driven by a fixed pseudo-random sequence of memmap_alloc (both
 * directions, alignments, windows), memmap_alloc_at and memmap_free of
 * ranges that cut allocations of the same tag (which record() merges)
 * and cross tags. After every step the map must show each page as the
 * model does: no page given twice, none freed that was not given, every
 * allocation inside its window and aligned, the map covering the banks
 * exactly. The EFI stub's over-allocate-then-free-the-slack lives here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_world.h"

#include <lib/errno.h>
#include <lib/memmap.h>
#include <string.h>

#define PG 4096ULL
#define B0 SIM_RAM0_BASE
#define B0_PAGES 512u /* 2 MiB */
#define B1 SIM_RAM1_BASE
#define B1_PAGES 256u
#define NPAGES (B0_PAGES + B1_PAGES)

static struct dtinfo dt;
static uint32_t owner[NPAGES]; /* 0: free; BUSY: a region of another kind; else tag + 1 */
#define BUSY 100u
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

/* Page index of @pa in the model, or -1 outside the banks. */
static long idx(uint64_t pa)
{
	if (pa >= B0 && pa < B0 + B0_PAGES * PG) {
		return (long)((pa - B0) / PG);
	}
	if (pa >= B1 && pa < B1 + B1_PAGES * PG) {
		return (long)(B0_PAGES + (pa - B1) / PG);
	}
	return -1;
}

static uint64_t pa_of(unsigned int i)
{
	return i < B0_PAGES ? B0 + i * PG : B1 + (i - B0_PAGES) * PG;
}

static int setup(void **state)
{
	struct sim_config cfg = {.bank_count = 2,
				 .banks = {{B0, B0_PAGES * PG}, {B1, B1_PAGES * PG}}};

	if (sim_init(&cfg)) {
		return -1;
	}
	uint64_t size;
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt)) {
		return -1;
	}
	dtinfo_set(&dt);
	memmap_reset();
	/* Regions of other kinds, with partial pages: never given, never freed. */
	if (memmap_add(B0 + 0x10800, 0x1900, MEMMAP_HEAP) ||
	    memmap_add(B1 + 5 * PG + 1, 1, MEMMAP_LOST) ||
	    memmap_add(B1 + 6 * PG, PG, MEMMAP_LOST)) {
		return -1;
	}
	owner[0x10] = owner[0x11] = owner[0x12] = BUSY;
	owner[B0_PAGES + 5] = owner[B0_PAGES + 6] = BUSY;
	return 0;
}

static int teardown(void **state)
{
	memmap_reset();
	sim_reset();
	return 0;
}

/* The map, page by page, equals the model. */
static void check_map(void)
{
	static struct memmap_desc d[MEMMAP_MAX * 2 + 8];
	unsigned int n = 0, seen = 0;

	assert_int_equal(memmap_describe(d, ARRAY_SIZE(d), &n), 0);
	for (unsigned int i = 0; i < n; i++) {
		for (uint64_t pa = d[i].base; pa < d[i].base + d[i].size; pa += PG) {
			long k = idx(pa);
			assert_true(k >= 0);
			uint32_t want = owner[k];
			uint32_t got = d[i].kind == MEMMAP_FREE	   ? 0
				       : d[i].kind == MEMMAP_ALLOC ? d[i].tag + 1
								   : BUSY;
			if (want != got) {
				fail_msg("page 0x%llx: map %u, model %u", (unsigned long long)pa,
					 got, want);
			}
			seen++;
		}
	}
	assert_int_equal(seen, NPAGES);
}

static void do_alloc(void)
{
	uint64_t pages = 1 + rnd(rnd(4) ? 8 : 64), align = PG << rnd(5), addr;
	uint64_t lo = rnd(2) ? 0 : pa_of((unsigned int)rnd(NPAGES));
	uint64_t hi = rnd(2) ? UINT64_MAX : pa_of((unsigned int)rnd(NPAGES)) + PG;
	uint32_t tag = (uint32_t)rnd(3);
	bool down = rnd(2);
	int rc = memmap_alloc(&addr, pages * PG, align, lo, hi, down, tag);

	if (rc) {
		assert_int_equal(rc, -ENOMEM);
		return;
	}
	assert_true(addr % align == 0 && addr >= lo && addr + pages * PG <= hi);
	for (uint64_t p = 0; p < pages; p++) {
		long k = idx(addr + p * PG);
		assert_true(k >= 0);
		assert_int_equal(owner[k], 0);
		assert_true(p == 0 || k == idx(addr) + (long)p); /* one bank */
		owner[k] = tag + 1;
	}
}

/* Free a random run: succeeds exactly when every page of it is allocated. */
static void do_free(void)
{
	unsigned int i = (unsigned int)rnd(NPAGES), n = 1 + (unsigned int)rnd(16);
	bool all = true;

	if (i + n > NPAGES) {
		n = NPAGES - i;
	}
	for (unsigned int k = 0; k < n; k++) {
		all = all && owner[i + k] && owner[i + k] != BUSY &&
		      idx(pa_of(i + k)) == (long)(i + k) &&
		      (k == 0 || pa_of(i + k) == pa_of(i) + k * PG);
	}
	int rc = memmap_free(pa_of(i), n * PG);
	if (!all) {
		assert_int_not_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, 0);
	memset(&owner[i], 0, n * sizeof(owner[0]));
}

static void do_alloc_at(void)
{
	unsigned int i = (unsigned int)rnd(NPAGES), n = 1 + (unsigned int)rnd(8);
	bool ok = i + n <= NPAGES;
	uint32_t tag = (uint32_t)rnd(3);

	for (unsigned int k = 0; ok && k < n; k++) {
		ok = !owner[i + k] && pa_of(i + k) == pa_of(i) + k * PG;
	}
	int rc = memmap_alloc_at(pa_of(i), n * PG, tag);
	if (!ok) {
		assert_int_not_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, 0);
	for (unsigned int k = 0; k < n; k++) {
		owner[i + k] = tag + 1;
	}
}

/* The Linux stub's aligned allocation: pages + slack, then the slack freed. */
static void do_stub_aligned(void)
{
	uint64_t pages = 1 + rnd(16), align = PG << (1 + rnd(4)), slack = align / PG - 1, addr;
	uint32_t tag = (uint32_t)rnd(3);

	if (memmap_alloc(&addr, (pages + slack) * PG, PG, 0, UINT64_MAX, true, tag)) {
		return;
	}
	for (uint64_t p = 0; p < pages + slack; p++) {
		assert_int_equal(owner[idx(addr + p * PG)], 0);
		owner[idx(addr + p * PG)] = tag + 1;
	}
	uint64_t a = (addr + align - 1) & ~(align - 1);
	if (a > addr) {
		assert_int_equal(memmap_free(addr, a - addr), 0);
		for (uint64_t pa = addr; pa < a; pa += PG) {
			owner[idx(pa)] = 0;
		}
	}
	uint64_t end = addr + (pages + slack) * PG;
	if (end > a + pages * PG) {
		assert_int_equal(memmap_free(a + pages * PG, end - (a + pages * PG)), 0);
		for (uint64_t pa = a + pages * PG; pa < end; pa += PG) {
			owner[idx(pa)] = 0;
		}
	}
}

static void test_model(void **state)
{
	for (unsigned int step = 0; step < 8000; step++) {
		switch (rnd(5)) {
		case 0:
		case 1:
			do_alloc();
			break;
		case 2:
			do_free();
			break;
		case 3:
			do_alloc_at();
			break;
		default:
			do_stub_aligned();
			break;
		}
		if (memmap_count() > MEMMAP_MAX - 16) {
			/* Keep the table from filling: free everything. */
			for (unsigned int i = 0; i < NPAGES; i++) {
				if (owner[i] && owner[i] != BUSY) {
					assert_int_equal(memmap_free(pa_of(i), PG), 0);
					owner[i] = 0;
				}
			}
		}
		check_map();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
