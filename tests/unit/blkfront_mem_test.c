/* drivers/block/blkfront_mem.c against sim/heap.c and sim/blkback.c: the
 * pages a connection shares come from the heap at connect, are zeroed
 * before they are granted, go back at shutdown, and stay out of use for
 * good while a backend still maps them; a small heap degrades, not fails. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

/* The shared pages come from the heap at connect: ring and indirect pages
 * at once, the pool in chunks as reads need it; all of it goes back at
 * shutdown. */
static void test_pages_from_heap(void **state)
{
	one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);

	assert_int_equal(sim_heap_used(), 4 + BF_MAX_IN_FLIGHT);
	assert_int_equal(dev->pool_chunk_count, 0);
	assert_int_equal(blkfront_read(dev, 0, 8, guest_buf(0)), 0);
	assert_int_equal(sim_heap_used(), 4 + BF_MAX_IN_FLIGHT + BF_POOL_CHUNK_PAGES);
	assert_int_equal(blkfront_read(dev, 0, DISK_SIZE / 512, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, DISK_SIZE);
	assert_int_equal(dev->pool_chunk_count, BF_POOL_CHUNKS);
	assert_int_equal(blkfront_shutdown_all(), 0);
	assert_int_equal(sim_heap_used(), 0);
}

/* The heap hands out pages filled with 0xa5: what a backend is shown must
 * have been zeroed first (STYLE U4). */
static void test_granted_pages_zeroed(void **state)
{
	one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);
	static const uint8_t zero[PAGE_SIZE];
	void *page;

	for (unsigned int i = 0; i < dev->ind_ref_count; i++) {
		assert_int_equal(sim_gnttab_map(SIM_BACKEND_DOMID, dev->ind_refs[i], false, &page),
				 0);
		assert_memory_equal(page, zero, PAGE_SIZE);
		sim_gnttab_unmap(dev->ind_refs[i], false);
	}
	assert_memory_equal(dev->ring_mem + XEN_SRING_HDR_SIZE, zero,
			    PAGE_SIZE - XEN_SRING_HDR_SIZE);
	/* One sector through a fresh pool page: the rest of the page is zero. */
	assert_int_equal(blkfront_read(dev, 0, 1, guest_buf(0)), 0);
	assert_memory_equal(bf_pool_page(dev, 0) + 512, zero, PAGE_SIZE - 512);
}

/* A backend that keeps pages mapped after closing: those pages are never
 * given back (the rest is), and shutdown says so. */
static void test_busy_pages_leaked(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));

	assert_int_equal(blkfront_read(blkfront_get(0), 0, 64, guest_buf(0)), 0);
	sim_blkback_fault(bb, SIM_BB_KEEP_MAPS, 0, 1);
	assert_int_equal(blkfront_shutdown_all(), -EBUSY);
	/* The one pool chunk stays allocated; ring and indirect pages are free. */
	assert_int_equal(sim_heap_used(), BF_POOL_CHUNK_PAGES);
	assert_int_equal(blkfront_count(), 0);
	/* The slot is not reused and no second teardown is tried. */
	assert_int_equal(blkfront_probe_all(), 0);
	assert_int_equal(blkfront_shutdown_all(), 0);
}

/* A small heap: the pool stops at what fits and reads still work; with no
 * room for the indirect pages the device does not connect, and leaks nothing. */
static void test_small_heap(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));

	assert_int_equal(blkfront_shutdown_all(), 0);
	bf_forget_all();
	sim_heap_set_limit(4 + BF_MAX_IN_FLIGHT + BF_POOL_CHUNK_PAGES + 10);
	assert_int_equal(blkfront_probe_all(), 1);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, DISK_SIZE / 512, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, DISK_SIZE);
	assert_int_equal(blkfront_get(0)->pool_chunk_count, 1);
	assert_int_equal(blkfront_shutdown_all(), 0);
	bf_forget_all();
	sim_heap_set_limit(4 + BF_MAX_IN_FLIGHT - 1);
	assert_int_equal(blkfront_probe_all(), 0);
	assert_int_equal(sim_heap_used(), 0);
	assert_int_equal(sim_blkback_state(bb), XenbusStateInitWait);
	/* With room again, the same device connects. */
	sim_heap_set_limit(0);
	assert_int_equal(blkfront_probe_all(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_pages_from_heap, teardown),
	    cmocka_unit_test_teardown(test_granted_pages_zeroed, teardown),
	    cmocka_unit_test_teardown(test_busy_pages_leaked, teardown),
	    cmocka_unit_test_teardown(test_small_heap, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
