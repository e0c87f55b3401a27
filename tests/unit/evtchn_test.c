/* xen/evtchn.c and xen/shinfo.c, unmodified, against the simulated Xen:
 * shared_info placement, 2-level pending bits, bounded waits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <arch/arch.h>
#include <sim/sim.h>
#include <xen/evtchn.h>
#include <xen/xen.h>

static struct dtinfo dt;

static int setup(void **state)
{
	uint64_t size;
	const void *fdt;

	if (sim_init(NULL)) {
		return -1;
	}
	fdt = sim_fdt(&size);
	return dtinfo_parse(fdt, size, &dt);
}

/* The guest's modules keep their state in statics: undo what the test did
 * before the world goes away. */
static int teardown(void **state)
{
	(void)shinfo_unmap();
	sim_reset();
	return 0;
}

static int setup_mapped(void **state)
{
	if (setup(state) || shinfo_map(&dt)) {
		return -1;
	}
	evtchn_init();
	return 0;
}

static void test_shinfo_outside_ram(void **state)
{
	uint64_t want = (SIM_GNTTAB_BASE + SIM_GNTTAB_SIZE) / 4096 - 1;

	assert_null(shinfo_get());
	assert_int_equal(shinfo_map(&dt), 0);
	assert_ptr_equal(shinfo_get(), sim_shinfo());
	assert_true(sim_shinfo_gfn() == want);
	/* Mapping twice is harmless. */
	assert_int_equal(shinfo_map(&dt), 0);
	assert_int_equal(shinfo_unmap(), 0);
	assert_null(shinfo_get());
	assert_true(sim_shinfo_gfn() == ~0ULL);
	assert_int_equal(sim_ram_hole_count(), 0);
}

static void test_shinfo_needs_hypervisor_node(void **state)
{
	struct dtinfo none = dt;

	none.has_hypervisor = false;
	assert_int_equal(shinfo_map(&none), -ENODEV);
	assert_null(shinfo_get());
}

static void test_before_shinfo(void **state)
{
	assert_int_equal(sim_evtchn_notify_guest(SIM_CONSOLE_PORT), 0);
	/* Without shared_info nothing can be seen: callers poll their rings. */
	assert_false(evtchn_test_and_clear(SIM_CONSOLE_PORT));
}

static void test_test_and_clear(void **state)
{
	struct shared_info *s = sim_shinfo();

	assert_false(evtchn_test_and_clear(SIM_STORE_PORT));
	assert_int_equal(sim_evtchn_notify_guest(SIM_STORE_PORT), 0);
	assert_true(evtchn_test_and_clear(SIM_STORE_PORT));
	assert_false(evtchn_test_and_clear(SIM_STORE_PORT));
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_false(evtchn_test_and_clear(EVTCHN_2L_NR_CHANNELS));
	assert_false(evtchn_test_and_clear(~0U));
}

static void test_alloc_send_close(void **state)
{
	evtchn_port_t port = 0;

	assert_int_equal(evtchn_alloc_unbound(SIM_BACKEND_DOMID, &port), 0);
	assert_true(port >= SIM_FIRST_FREE_PORT);
	assert_int_equal(sim_evtchn_remote(port), SIM_BACKEND_DOMID);
	assert_int_equal(sim_evtchn_backend_bind(SIM_BACKEND_DOMID, port), 0);
	assert_int_equal(evtchn_send(port), 0);
	assert_true(sim_evtchn_take_kick(port));
	assert_int_equal(evtchn_close(port), 0);
	assert_false(sim_evtchn_is_open(port));
	/* Closing masks it first, so a late event raises no upcall. */
	assert_true(sim_shinfo()->evtchn_mask[port / 64] & (1ULL << (port % 64)));
	assert_int_equal(evtchn_send(port), -EINVAL);
	assert_int_equal(evtchn_close(port), -EINVAL);
}

static void test_wait_times_out_instantly(void **state)
{
	uint64_t t0 = arch_time_ns();
	uint64_t deadline = t0 + 30ULL * 1000000000ULL;

	assert_int_equal(evtchn_wait(SIM_STORE_PORT, deadline), -ETIMEDOUT);
	assert_true(arch_time_ns() >= deadline);
	/* It waited (gave the CPU back) rather than spinning on the clock. */
	assert_true(sim_stats()->idle_ns >= 30ULL * 1000000000ULL - 20000000ULL);
}

static int steps_left;

/* A backend that answers after a few steps. */
static int late_step(void *ctx)
{
	if (steps_left > 0 && --steps_left == 0) {
		sim_evtchn_notify_guest(SIM_STORE_PORT);
		return 1;
	}
	return 0;
}

static const struct sim_backend_ops late_ops = { .name = "late", .step = late_step };

static void test_wait_gets_event(void **state)
{
	uint64_t t0 = arch_time_ns();

	assert_int_equal(sim_backend_add(&late_ops, NULL), 0);
	steps_left = 5;
	assert_int_equal(evtchn_wait(SIM_STORE_PORT, t0 + 1000000000ULL), 0);
	assert_int_equal(steps_left, 0);
	assert_true(arch_time_ns() < t0 + 1000000000ULL);
	assert_false(evtchn_test_and_clear(SIM_STORE_PORT));
}

static void test_wait_other_port_pending(void **state)
{
	uint64_t t0 = arch_time_ns();

	/* An unrelated pending port must not make the wait spin forever. */
	assert_int_equal(sim_evtchn_notify_guest(SIM_CONSOLE_PORT), 0);
	assert_int_equal(evtchn_wait(SIM_STORE_PORT, t0 + 100000000ULL), -ETIMEDOUT);
	assert_true(sim_evtchn_is_pending(SIM_CONSOLE_PORT));
	assert_true(evtchn_test_and_clear(SIM_CONSOLE_PORT));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TM(fn) cmocka_unit_test_setup_teardown(fn, setup_mapped, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shinfo_outside_ram),
		T(test_shinfo_needs_hypervisor_node),
		T(test_before_shinfo),
		TM(test_test_and_clear),
		TM(test_alloc_send_close),
		TM(test_wait_times_out_instantly),
		TM(test_wait_gets_event),
		TM(test_wait_other_port_pending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
