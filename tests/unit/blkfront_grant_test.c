/* drivers/block/ against a hostile sim/blkback.c (issue 8 #3): a call
 * returns only when no page of its caller is still granted, or with -EFAULT
 * and the pages recorded as MEMMAP_LOST. Direct (non-persistent) mode, where
 * the caller's own pages are granted. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

#include <lib/memmap.h>

/* 64 pages of the caller's buffer: several direct requests in flight. */
#define NPAGES 64
#define NSECT (NPAGES * 8)

static struct sim_blkback *direct_disk(void)
{
	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt);
	memmap_reset();
	struct sim_blkback_config cfg = full_cfg(XVDA, image);
	struct sim_blkback *bb = sim_blkback_add(&cfg);
	assert_non_null(bb);
	blkfront_set_persistent(false);
	/* Small requests: many of them in flight at once. */
	blkfront_set_max_segments(8);
	assert_int_equal(blkfront_probe_all(), 1);
	return bb;
}

static int grant_teardown(void **state)
{
	memmap_reset();
	return teardown(state);
}

/* Pages of the buffer at BUF_GPA that some grant entry still exposes. */
static unsigned int buf_pages_granted(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NPAGES; i++) {
		n += sim_gnttab_frame_is_granted((BUF_GPA >> PAGE_SHIFT) + i);
	}
	return n;
}

static bool info_of_broken(void)
{
	struct blkfront_info in;

	blkfront_get_info(blkfront_get(0), &in);
	return in.is_broken;
}

static bool buf_page_is_lost(unsigned int i)
{
	struct memmap_region hit;
	int rc = memmap_check(BUF_GPA + (uint64_t)i * PAGE_SIZE, PAGE_SIZE, &hit);

	return rc == -EBUSY && hit.kind == MEMMAP_LOST;
}

static void test_direct_mode_is_used(void **state)
{
	direct_disk();
	struct blkfront_stats before, after;

	blkfront_stats_get(&before);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, NSECT, guest_buf(0)), 0);
	blkfront_stats_get(&after);
	assert_true(after.direct_pages - before.direct_pages == NPAGES);
	assert_int_equal(buf_pages_granted(), 0);
	assert_int_equal(memmap_count(), 0);
}

/* The backend takes the requests and never answers (it never mapped the
 * pages): the timeout revokes every grant of the caller's pages. */
static void test_timeout_revokes_caller_pages(void **state)
{
	struct sim_blkback *bb = direct_disk();

	sim_blkback_fault(bb, SIM_BB_STALL, 0, 0);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, NSECT, guest_buf(0)), -ETIMEDOUT);
	assert_int_equal(buf_pages_granted(), 0);
	assert_int_equal(memmap_count(), 0);
	assert_true(info_of_broken());
}

/* The backend maps the pages and never answers: they cannot be revoked, so
 * the call says the memory is lost and every such page is in the memmap. */
static void test_timeout_with_pages_mapped_is_lost(void **state)
{
	struct sim_blkback *bb = direct_disk();
	struct blkfront_stats before, after;

	blkfront_stats_get(&before);
	sim_blkback_fault(bb, SIM_BB_STALL_MAPPED, 0, 0);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, NSECT, guest_buf(0)), -EFAULT);
	blkfront_stats_get(&after);
	unsigned int granted = buf_pages_granted();
	assert_true(granted > 0);
	assert_true(after.lost_pages - before.lost_pages == granted);
	for (unsigned int i = 0; i < NPAGES; i++) {
		if (sim_gnttab_frame_is_granted((BUF_GPA >> PAGE_SHIFT) + i)) {
			assert_true(buf_page_is_lost(i));
		}
	}
}

/* The backend answers OKAY but keeps the caller's page mapped: the read
 * must not succeed, and the page is lost for good. */
static void test_completion_with_page_mapped_fails(void **state)
{
	struct sim_blkback *bb = direct_disk();

	sim_blkback_fault(bb, SIM_BB_KEEP_DATA, 0, 1);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 8, guest_buf(0)), -EFAULT);
	assert_true(sim_gnttab_frame_is_granted(BUF_GPA >> PAGE_SHIFT));
	assert_true(buf_page_is_lost(0));
	assert_false(buf_page_is_lost(1));
	/* The device is broken: later calls fail before granting anything. */
	assert_int_equal(blkfront_read(blkfront_get(0), 8, 8, guest_buf(PAGE_SIZE)), -EIO);
	assert_false(sim_gnttab_frame_is_granted((BUF_GPA >> PAGE_SHIFT) + 1));
}

/* A garbled response breaks the device with other requests in flight:
 * their grants (answered, so not mapped) end before the call returns. */
static void test_broken_midway_revokes_the_rest(void **state)
{
	struct sim_blkback *bb = direct_disk();

	sim_blkback_fault(bb, SIM_BB_BAD_STATUS, 0, 1);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, NSECT, guest_buf(0)), -EIO);
	assert_int_equal(buf_pages_granted(), 0);
	assert_int_equal(memmap_count(), 0);
}

/* The same for writes: the backend only had read access, but a page that
 * stays granted would still leak its contents later. */
static void test_write_timeout_revokes(void **state)
{
	struct sim_blkback *bb = direct_disk();

	sim_blkback_fault(bb, SIM_BB_STALL, 0, 0);
	assert_int_equal(blkfront_write(blkfront_get(0), 0, NSECT, guest_buf(0)), -ETIMEDOUT);
	assert_int_equal(buf_pages_granted(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_direct_mode_is_used, grant_teardown),
	    cmocka_unit_test_teardown(test_timeout_revokes_caller_pages, grant_teardown),
	    cmocka_unit_test_teardown(test_timeout_with_pages_mapped_is_lost, grant_teardown),
	    cmocka_unit_test_teardown(test_completion_with_page_mapped_fails, grant_teardown),
	    cmocka_unit_test_teardown(test_broken_midway_revokes_the_rest, grant_teardown),
	    cmocka_unit_test_teardown(test_write_timeout_revokes, grant_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
