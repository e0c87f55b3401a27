/* Grant table (xen/gnttab.c) against the simulated Xen: growth on demand,
 * exhaustion, revoking while the backend maps a page, publication order,
 * and the handoff unmap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/gnttab.h>
#include <xen/xen.h>

#define PER_FRAME 512
#define RAM_GFN ((SIM_RAM0_BASE >> 12) + 0x100)

static struct dtinfo dt;

static int boot(void **state)
{
	uint64_t size;

	if (sim_init(NULL)) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt)) {
		return -1;
	}
	return gnttab_init(&dt);
}

static int teardown(void **state)
{
	gnttab_unmap_all();
	shinfo_unmap();
	sim_reset();
	return 0;
}

static void test_init_reserves_toolstack_refs(void **state)
{
	grant_ref_t ref;

	assert_int_equal(gnttab_free_count(), PER_FRAME - 8);
	assert_int_equal(gnttab_grant(SIM_BACKEND_DOMID, RAM_GFN, false, &ref), 0);
	assert_true(ref >= 8);
	/* Frame 0 sits at the region's first page. */
	assert_non_null(sim_phys_to_virt(SIM_GNTTAB_BASE));
}

static void test_grant_publishes_entry(void **state)
{
	struct grant_entry_v1 e;
	grant_ref_t rw, ro;

	assert_int_equal(gnttab_grant(3, RAM_GFN, false, &rw), 0);
	assert_int_equal(gnttab_grant(3, RAM_GFN + 1, true, &ro), 0);
	assert_int_equal(sim_gnttab_entry(rw, &e), 0);
	assert_int_equal(e.flags, GTF_permit_access);
	assert_int_equal(e.domid, 3);
	assert_int_equal(e.frame, RAM_GFN);
	assert_int_equal(sim_gnttab_entry(ro, &e), 0);
	assert_int_equal(e.flags, GTF_permit_access | GTF_readonly);
	/* The backend can map what was granted, and only as granted. */
	void *page;
	assert_int_equal(sim_gnttab_map(3, ro, true, &page), -XEN_EPERM);
	assert_int_equal(sim_gnttab_map(4, rw, false, &page), -XEN_EPERM);
	assert_int_equal(sim_gnttab_map(3, rw, true, &page), 0);
	assert_ptr_equal(page, sim_phys_to_virt(RAM_GFN << 12));
	sim_gnttab_unmap(rw, true);
	assert_int_equal(gnttab_grant(3, 1ULL << 32, false, &rw), -EINVAL);
}

static void test_grows_on_demand(void **state)
{
	grant_ref_t ref;

	for (unsigned int i = 0; i < PER_FRAME - 8; i++) {
		assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	}
	assert_int_equal(gnttab_free_count(), 0);
	assert_int_equal(sim_gnttab_frame_count(), 1);
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	assert_int_equal(ref, PER_FRAME);
	assert_int_equal(sim_gnttab_frame_count(), 2);
	assert_int_equal(gnttab_free_count(), PER_FRAME - 1);
	/* Frame 1 went right after frame 0. */
	struct grant_entry_v1 *e = sim_phys_to_virt(SIM_GNTTAB_BASE + 4096);
	assert_non_null(e);
	assert_int_equal(e[0].frame, RAM_GFN);
}

static void test_exhaust(void **state)
{
	grant_ref_t ref;
	unsigned int n = 0;

	while (gnttab_grant(0, RAM_GFN, false, &ref) == 0) {
		n++;
	}
	assert_int_equal(n, SIM_GNTTAB_MAX_FRAMES * PER_FRAME - 8);
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), -ENOSPC);
	assert_int_equal(gnttab_end(ref), 0);
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
}

static void test_small_region_limits_growth(void **state)
{
	struct dtinfo small = dt;
	grant_ref_t ref;
	unsigned int n = 0;

	gnttab_unmap_all();
	/* Three pages: two grant frames, then shared_info. */
	small.gnttab.size = 3 * 4096;
	assert_int_equal(gnttab_init(&small), 0);
	while (gnttab_grant(0, RAM_GFN, false, &ref) == 0) {
		n++;
	}
	assert_int_equal(n, 2 * PER_FRAME - 8);
}

static void test_end_while_mapped_is_busy(void **state)
{
	grant_ref_t ref;
	void *page;
	struct grant_entry_v1 e;

	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	assert_int_equal(sim_gnttab_map(0, ref, false, &page), 0);
	assert_int_equal(gnttab_end(ref), -EBUSY);
	assert_int_equal(sim_gnttab_entry(ref, &e), 0);
	assert_true(e.flags & GTF_permit_access);
	/* Still ours: nobody else gets it meanwhile. */
	unsigned int free_before = gnttab_free_count();
	sim_gnttab_unmap(ref, false);
	assert_int_equal(gnttab_end(ref), 0);
	assert_int_equal(gnttab_free_count(), free_before + 1);
	assert_int_equal(sim_gnttab_entry(ref, &e), 0);
	assert_int_equal(e.flags, 0);
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	assert_int_equal(sim_gnttab_map(0, ref, true, &page), 0);
	assert_int_equal(gnttab_end(ref), -EBUSY);
	sim_gnttab_unmap(ref, true);
	assert_int_equal(gnttab_end(ref), 0);
}

static void test_end_bad_refs(void **state)
{
	grant_ref_t ref;

	assert_int_equal(gnttab_end(1), -EINVAL);
	assert_int_equal(gnttab_end(100000), -EINVAL);
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	assert_int_equal(gnttab_end(ref), 0);
	assert_int_equal(gnttab_end(ref), -EINVAL);
}

static void test_unmap_all(void **state)
{
	grant_ref_t ref;

	for (unsigned int i = 0; i < PER_FRAME; i++) {
		assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), 0);
	}
	assert_int_equal(gnttab_unmap_all(), 0);
	assert_null(sim_phys_to_virt(SIM_GNTTAB_BASE));
	assert_null(sim_phys_to_virt(SIM_GNTTAB_BASE + 4096));
	assert_int_equal(gnttab_grant(0, RAM_GFN, false, &ref), -ENODEV);
	/* The OS can map frame 0 again (Xen refuses while it is mapped). */
	assert_int_equal(gnttab_init(&dt), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, boot, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_reserves_toolstack_refs), T(test_grant_publishes_entry),
		T(test_grows_on_demand),	      T(test_exhaust),
		T(test_small_region_limits_growth),   T(test_end_while_mapped_is_busy),
		T(test_end_bad_refs),		      T(test_unmap_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
