/* EFI events, timers, TPL, WaitForEvent, Stall, the watchdog and the
 * monotonic count (efi/bs_event.c, efi/bs_time.c), called through the boot
 * services table as an application would, on the sim's simulated clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "guest_world.h"
#include <arch/arch.h>
#include <efi/event.h>
#include <efi/services.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/abi/sched.h>

#define MS 1000000ULL
#define UNITS_PER_MS 10000ULL /* SetTimer's 100 ns units */

static struct efi_boot_services *b;
static struct dtinfo dt;

/* A guest as xenboot's start-up leaves it (event channels live: the
 * console's notifications must not turn waits into spins), EFI started. */
static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_xen(&dt) || efi_start()) {
		return -1;
	}
	b = efi_get()->systab.boot_services;
	return 0;
}

static int teardown(void **state)
{
	guest_world_stop();
	return 0;
}

struct counter {
	unsigned int calls;
	efi_tpl_t tpl_seen; /* the TPL inside the last call */
	unsigned int order; /* when it last ran (global sequence) */
	efi_event_t close_me; /* closed by the notification, if set */
	bool is_resignaling; /* signals its own event again */
};

static unsigned int sequence;

static void count_notify(efi_event_t event, void *ctx)
{
	struct counter *c = ctx;

	c->calls++;
	c->tpl_seen = efi_get()->tpl;
	c->order = ++sequence;
	if (c->close_me) {
		assert_true(b->close_event(c->close_me) == EFI_SUCCESS);
		c->close_me = NULL;
	}
	if (c->is_resignaling) {
		assert_true(b->signal_event(event) == EFI_SUCCESS);
	}
}

static efi_event_t make(uint32_t type, efi_tpl_t tpl, struct counter *c)
{
	efi_event_t ev = NULL;

	assert_true(b->create_event(type, tpl, c ? count_notify : NULL, c, &ev) == EFI_SUCCESS);
	assert_non_null(ev);
	return ev;
}

static void test_create_rules(void **state)
{
	efi_event_t ev;
	struct counter c = {0};
	const efi_guid_t g = EFI_GUID(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

	assert_true(b->create_event(0, 0, NULL, NULL, NULL) == EFI_INVALID_PARAMETER);
	assert_true(b->create_event(EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify,
				    &c, &ev) == EFI_INVALID_PARAMETER);
	assert_true(b->create_event(0x1, 0, NULL, NULL, &ev) == EFI_INVALID_PARAMETER);
	assert_true(b->create_event(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, NULL, NULL, &ev) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->create_event(EVT_NOTIFY_SIGNAL, TPL_APPLICATION, count_notify, &c, &ev) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->create_event(EVT_NOTIFY_WAIT, TPL_HIGH_LEVEL, count_notify, &c, &ev) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->create_event(EVT_NOTIFY_WAIT, 1000, count_notify, &c, &ev) ==
		    EFI_INVALID_PARAMETER);
	/* The legacy group types stand for a group: a second one is refused. */
	assert_true(b->create_event_ex(EVT_SIGNAL_EXIT_BOOT_SERVICES, TPL_CALLBACK, count_notify,
				       &c, &g, &ev) == EFI_INVALID_PARAMETER);
	/* Valid ones; a plain event (type 0) needs no function or TPL. */
	ev = make(0, 0, NULL);
	assert_true(b->close_event(ev) == EFI_SUCCESS);
	ev = make(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_NOTIFY, &c);
	assert_true(b->close_event(ev) == EFI_SUCCESS);
	assert_true(b->close_event(ev) == EFI_INVALID_PARAMETER); /* already gone */
	assert_int_equal(c.calls, 0);
}

static void test_hostile_handles(void **state)
{
	uint64_t junk[32] = {0};
	efi_event_t bad = &junk[8];
	uint64_t index = 99;

	assert_true(b->signal_event(bad) == EFI_INVALID_PARAMETER);
	assert_true(b->check_event(bad) == EFI_INVALID_PARAMETER);
	assert_true(b->close_event(bad) == EFI_INVALID_PARAMETER);
	assert_true(b->set_timer(bad, TimerRelative, 1) == EFI_INVALID_PARAMETER);
	assert_true(b->signal_event(NULL) == EFI_INVALID_PARAMETER);
	assert_true(b->wait_for_event(1, &bad, &index) == EFI_INVALID_PARAMETER);
	assert_int_equal(index, 0);
	assert_true(b->wait_for_event(0, &bad, &index) == EFI_INVALID_PARAMETER);
	assert_true(b->wait_for_event(1, NULL, &index) == EFI_INVALID_PARAMETER);
	/* SetTimer on an event that is no timer, or with an unknown kind. */
	efi_event_t plain = make(0, 0, NULL);
	efi_event_t timer = make(EVT_TIMER, 0, NULL);
	assert_true(b->set_timer(plain, TimerRelative, 1) == EFI_INVALID_PARAMETER);
	assert_true(b->set_timer(timer, 3, 1) == EFI_INVALID_PARAMETER);
	/* An absurd time does not wrap around into "now". */
	assert_true(b->set_timer(timer, TimerRelative, UINT64_MAX) == EFI_SUCCESS);
	assert_true(b->stall(1000) == EFI_SUCCESS);
	assert_true(b->check_event(timer) == EFI_NOT_READY);
	assert_true(b->set_timer(timer, TimerPeriodic, UINT64_MAX / 50) == EFI_SUCCESS);
	assert_true(b->stall(1000) == EFI_SUCCESS);
	assert_true(b->check_event(timer) == EFI_NOT_READY);
	assert_true(b->close_event(plain) == EFI_SUCCESS);
	assert_true(b->close_event(timer) == EFI_SUCCESS);
}

static void test_signal_and_tpl(void **state)
{
	struct counter c = {0};
	efi_event_t ev = make(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &c);

	/* At TPL_APPLICATION the notification runs at once, at its own TPL. */
	assert_true(b->signal_event(ev) == EFI_SUCCESS);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.tpl_seen, TPL_CALLBACK);
	assert_int_equal(efi_get()->tpl, TPL_APPLICATION);
	/* Signal-type events cannot be checked or waited for. */
	assert_true(b->check_event(ev) == EFI_INVALID_PARAMETER);
	/* At TPL_NOTIFY it waits for RestoreTPL. */
	assert_int_equal(b->raise_tpl(TPL_NOTIFY), TPL_APPLICATION);
	assert_true(b->signal_event(ev) == EFI_SUCCESS);
	assert_int_equal(c.calls, 1);
	b->restore_tpl(TPL_APPLICATION);
	assert_int_equal(c.calls, 2);
	/* Caller bugs change nothing: raising below, restoring above. */
	assert_int_equal(b->raise_tpl(TPL_CALLBACK), TPL_APPLICATION);
	assert_int_equal(b->raise_tpl(TPL_APPLICATION), TPL_CALLBACK);
	assert_int_equal(efi_get()->tpl, TPL_CALLBACK);
	b->restore_tpl(TPL_NOTIFY);
	assert_int_equal(efi_get()->tpl, TPL_CALLBACK);
	assert_int_equal(b->raise_tpl(TPL_HIGH_LEVEL + 5), TPL_CALLBACK);
	assert_int_equal(efi_get()->tpl, TPL_HIGH_LEVEL);
	b->restore_tpl(TPL_APPLICATION);
	assert_int_equal(efi_get()->tpl, TPL_APPLICATION);
	assert_true(b->close_event(ev) == EFI_SUCCESS);
}

static void test_dispatch_order_and_misuse(void **state)
{
	struct counter lo = {0}, hi = {0}, loop = {.is_resignaling = true};
	efi_event_t ev_lo = make(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &lo);
	efi_event_t ev_hi = make(EVT_NOTIFY_SIGNAL, TPL_NOTIFY, &hi);

	(void)b->raise_tpl(TPL_HIGH_LEVEL);
	assert_true(b->signal_event(ev_lo) == EFI_SUCCESS);
	assert_true(b->signal_event(ev_hi) == EFI_SUCCESS);
	assert_int_equal(lo.calls + hi.calls, 0);
	b->restore_tpl(TPL_APPLICATION);
	assert_int_equal(lo.calls, 1);
	assert_int_equal(hi.calls, 1);
	assert_true(hi.order < lo.order); /* the higher TPL first */
	/* A notification closing its own event, and one that signals itself
	 * for ever: both return. */
	lo.close_me = ev_lo;
	assert_true(b->signal_event(ev_lo) == EFI_SUCCESS);
	assert_int_equal(lo.calls, 2);
	assert_true(b->check_event(ev_lo) == EFI_INVALID_PARAMETER);
	efi_event_t ev_loop = make(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &loop);
	assert_true(b->signal_event(ev_loop) == EFI_SUCCESS);
	assert_true(loop.calls > 1 && loop.calls < 10000);
	loop.is_resignaling = false;
	assert_true(b->close_event(ev_loop) == EFI_SUCCESS);
	assert_true(b->close_event(ev_hi) == EFI_SUCCESS);
}

static void test_groups(void **state)
{
	const efi_guid_t g = EFI_GUID(0xabcdef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	struct counter m1 = {0}, m2 = {0}, other = {0};
	efi_event_t e1, e2, e3, e4;

	assert_true(b->create_event_ex(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &m1, &g,
				       &e1) == EFI_SUCCESS);
	assert_true(b->create_event_ex(EVT_NOTIFY_SIGNAL, TPL_NOTIFY, count_notify, &m2, &g, &e2) ==
		    EFI_SUCCESS);
	assert_true(b->create_event_ex(0, 0, NULL, NULL, &g, &e3) == EFI_SUCCESS);
	e4 = make(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &other);
	/* Signalling a member signals them all; the others stay as they are. */
	assert_true(b->signal_event(e3) == EFI_SUCCESS);
	assert_int_equal(m1.calls, 1);
	assert_int_equal(m2.calls, 1);
	assert_int_equal(other.calls, 0);
	assert_true(b->check_event(e3) == EFI_SUCCESS); /* the plain member was signalled */
	assert_true(b->check_event(e3) == EFI_NOT_READY);
	assert_true(b->signal_event(e1) == EFI_SUCCESS);
	assert_int_equal(m2.calls, 2);
	/* The boot manager's way in, and a group nobody is in. */
	efi_events_signal_group(&g);
	assert_int_equal(m1.calls, 3);
	efi_events_signal_group(&efi_guid_event_group_ready_to_boot);
	assert_int_equal(m1.calls + m2.calls + other.calls, 6);
	for (efi_event_t *p = (efi_event_t[]){e1, e2, e3, e4}, *end = p + 4; p < end; p++) {
		assert_true(b->close_event(*p) == EFI_SUCCESS);
	}
}

static void test_timers(void **state)
{
	struct counter tick = {0};
	efi_event_t once = make(EVT_TIMER, 0, NULL);
	efi_event_t periodic = make(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &tick);

	assert_true(b->set_timer(once, TimerRelative, 1000 * UNITS_PER_MS) == EFI_SUCCESS);
	assert_true(b->set_timer(periodic, TimerPeriodic, 100 * UNITS_PER_MS) == EFI_SUCCESS);
	assert_true(b->check_event(once) == EFI_NOT_READY);
	uint64_t t0 = arch_time_ns();
	assert_true(b->stall(500 * 1000) == EFI_SUCCESS);
	assert_true(arch_time_ns() - t0 >= 500 * MS);
	assert_true(b->check_event(once) == EFI_NOT_READY);
	assert_true(b->stall(600 * 1000) == EFI_SUCCESS);
	assert_true(b->check_event(once) == EFI_SUCCESS);
	assert_true(b->check_event(once) == EFI_NOT_READY); /* relative: once */
	/* The periodic callback ran during the stalls: 1.1 s / 100 ms. */
	assert_in_range(tick.calls, 10, 11);
	assert_true(b->set_timer(periodic, TimerCancel, 0) == EFI_SUCCESS);
	unsigned int calls = tick.calls;
	assert_true(b->stall(500 * 1000) == EFI_SUCCESS);
	assert_int_equal(tick.calls, calls);
	/* Period 0: every check, yet a stall still ends. */
	assert_true(b->set_timer(periodic, TimerPeriodic, 0) == EFI_SUCCESS);
	assert_true(b->stall(10 * 1000) == EFI_SUCCESS);
	assert_in_range(tick.calls - calls, 2, 20);
	/* A period of 100 ns: once a tick (1 ms), not a spin, not a burst. */
	calls = tick.calls;
	assert_true(b->set_timer(periodic, TimerPeriodic, 1) == EFI_SUCCESS);
	assert_true(b->stall(100 * 1000) == EFI_SUCCESS);
	assert_in_range(tick.calls - calls, 90, 102);
	/* Relative 0: at the next check. */
	assert_true(b->set_timer(once, TimerRelative, 0) == EFI_SUCCESS);
	assert_true(b->check_event(once) == EFI_SUCCESS);
	assert_true(b->close_event(once) == EFI_SUCCESS);
	assert_true(b->close_event(periodic) == EFI_SUCCESS);
}

static void test_wait_for_event(void **state)
{
	struct counter tick = {0};
	efi_event_t plain = make(0, 0, NULL);
	efi_event_t timer = make(EVT_TIMER, 0, NULL);
	efi_event_t periodic = make(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &tick);
	efi_event_t list[2] = {plain, timer};
	uint64_t index = 99;

	/* The timer at index 1 ends the wait after 2 s; a callback timer
	 * keeps firing meanwhile (GRUB's and systemd-boot's countdowns). */
	assert_true(b->set_timer(timer, TimerRelative, 2000 * UNITS_PER_MS) == EFI_SUCCESS);
	assert_true(b->set_timer(periodic, TimerPeriodic, 250 * UNITS_PER_MS) == EFI_SUCCESS);
	uint64_t t0 = arch_time_ns();
	assert_true(b->wait_for_event(2, list, &index) == EFI_SUCCESS);
	uint64_t took = arch_time_ns() - t0;
	assert_int_equal(index, 1);
	assert_true(took >= 2000 * MS && took < 2050 * MS);
	assert_in_range(tick.calls, 7, 8);
	/* The first signalled wins. */
	assert_true(b->signal_event(plain) == EFI_SUCCESS);
	assert_true(b->signal_event(timer) == EFI_SUCCESS);
	assert_true(b->wait_for_event(2, list, &index) == EFI_SUCCESS);
	assert_int_equal(index, 0);
	/* Only at TPL_APPLICATION; a signal-type event in the list is an error. */
	(void)b->raise_tpl(TPL_CALLBACK);
	assert_true(b->wait_for_event(2, list, &index) == EFI_UNSUPPORTED);
	b->restore_tpl(TPL_APPLICATION);
	list[0] = periodic;
	assert_true(b->wait_for_event(2, list, &index) == EFI_INVALID_PARAMETER);
	assert_int_equal(index, 0);
	assert_true(b->close_event(plain) == EFI_SUCCESS);
	assert_true(b->close_event(timer) == EFI_SUCCESS);
	assert_true(b->close_event(periodic) == EFI_SUCCESS);
}

static unsigned int resets;

static void on_shutdown(unsigned int reason, void *ctx)
{
	assert_int_equal(reason, SHUTDOWN_reboot);
	resets++;
}

static void test_watchdog(void **state)
{
	efi_char16_t data[] = {'g', 'r', 'u', 'b', 0x1b, 0};

	sim_set_shutdown_hook(on_shutdown, NULL);
	/* Disabling (GRUB passes code 0) and a stall past it: nothing. */
	assert_true(b->set_watchdog_timer(1, 0x10000, 0, NULL) == EFI_SUCCESS);
	assert_true(b->set_watchdog_timer(0, 0, 0, NULL) == EFI_SUCCESS);
	assert_true(b->stall(2000 * 1000) == EFI_SUCCESS);
	assert_int_equal(resets, 0);
	/* Armed: the stall past it resets the domain, with a line saying why. */
	sim_console_output_clear();
	assert_true(b->set_watchdog_timer(1, 0x12345, sizeof(data), data) == EFI_SUCCESS);
	assert_true(b->stall(999 * 1000) == EFI_SUCCESS);
	assert_int_equal(resets, 0);
	assert_true(b->stall(2000 * 1000) == EFI_SUCCESS);
	assert_int_equal(resets, 1);
	assert_non_null(strstr(sim_console_output(NULL),
			       "EFI watchdog expired (code 0x12345, grub?): resetting the domain"));
	/* Once: a refused reset does not repeat at every poll. */
	assert_true(b->stall(2000 * 1000) == EFI_SUCCESS);
	assert_int_equal(resets, 1);
	/* An absurd timeout never fires; ExitBootServices disarms it. */
	assert_true(b->set_watchdog_timer(UINT64_MAX, 0x10000, 0, NULL) == EFI_SUCCESS);
	assert_true(b->stall(5000 * 1000) == EFI_SUCCESS);
	assert_true(b->set_watchdog_timer(1, 0x10000, 7, data) == EFI_SUCCESS);
	efi_events_exit_boot_services();
	assert_true(b->stall(2000 * 1000) == EFI_SUCCESS);
	assert_int_equal(resets, 1);
}

static void test_exit_boot_services(void **state)
{
	struct counter legacy = {0}, grouped = {0}, before = {0}, tick = {0};
	efi_event_t e1, e2, e3;
	efi_event_t timer = make(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, &tick);

	assert_true(b->create_event(EVT_SIGNAL_EXIT_BOOT_SERVICES, TPL_NOTIFY, count_notify,
				    &legacy, &e1) == EFI_SUCCESS);
	assert_true(b->create_event_ex(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &grouped,
				       &efi_guid_event_group_exit_boot_services,
				       &e2) == EFI_SUCCESS);
	assert_true(b->create_event_ex(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &before,
				       &efi_guid_event_group_before_exit_boot_services,
				       &e3) == EFI_SUCCESS);
	assert_true(b->set_timer(timer, TimerPeriodic, 10 * UNITS_PER_MS) == EFI_SUCCESS);
	efi_events_exit_boot_services();
	assert_int_equal(legacy.calls, 1);
	assert_int_equal(grouped.calls, 1);
	assert_int_equal(before.calls, 1);
	assert_true(before.order < legacy.order && before.order < grouped.order);
	/* Timers are stopped. */
	assert_true(b->stall(100 * 1000) == EFI_SUCCESS);
	assert_int_equal(tick.calls, 0);
	for (efi_event_t *p = (efi_event_t[]){e1, e2, e3, timer}, *end = p + 4; p < end; p++) {
		assert_true(b->close_event(*p) == EFI_SUCCESS);
	}
}

static void test_monotonic_count(void **state)
{
	uint64_t a, c;

	assert_true(b->get_next_monotonic_count(NULL) == EFI_INVALID_PARAMETER);
	assert_true(b->get_next_monotonic_count(&a) == EFI_SUCCESS);
	assert_true(b->get_next_monotonic_count(&c) == EFI_SUCCESS);
	assert_true(c == a + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_rules),
	    cmocka_unit_test(test_hostile_handles),
	    cmocka_unit_test(test_signal_and_tpl),
	    cmocka_unit_test(test_dispatch_order_and_misuse),
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_timers),
	    cmocka_unit_test(test_wait_for_event),
	    cmocka_unit_test(test_watchdog),
	    cmocka_unit_test(test_exit_boot_services),
	    cmocka_unit_test(test_monotonic_count),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
