/* console_flush() through the PV console (issue 8 #10), and the console's
 * handoff: a slow backend gets every byte of the last lines, a stalled one
 * costs a bounded wait, input is consumed, and after handoff output still
 * works without event channels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arch/arch.h>
#include <cmd/cmd.h>
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>

#define MS 1000000ULL

static int setup(void **state)
{
	if (sim_init(NULL)) {
		return -1;
	}
	return pvcons_init_from_hvm();
}

static int teardown(void **state)
{
	console_set(NULL);
	sim_reset();
	return 0;
}

/* A crash report longer than the ring, to a backend that takes 16 bytes
 * per step: without a flush op most of it is still in the ring. */
static void test_flush_waits_for_slow_backend(void **state)
{
	static char msg[3000];
	size_t len;

	memset(msg, 'c', sizeof(msg));
	sim_console_set_rate(16);
	console_write(msg, sizeof(msg));
	sim_console_output(&len);
	assert_true(len < sizeof(msg));
	uint64_t deadline = arch_time_ns() + 2000 * MS;
	console_flush(deadline);
	sim_console_output(&len);
	assert_int_equal(len, sizeof(msg));
	assert_true(arch_time_ns() < deadline);
	assert_int_equal(pvcons_check_quiet(), 0);
}

/* A backend that never consumes: the flush ends at its deadline. */
static void test_flush_bounded_when_stalled(void **state)
{
	sim_console_fault(SIM_CONS_STALL);
	console_write("lost?", 5);
	uint64_t t0 = arch_time_ns();
	console_flush(t0 + 300 * MS);
	uint64_t waited = arch_time_ns() - t0;
	assert_true(waited >= 300 * MS && waited < 400 * MS);
	assert_int_equal(pvcons_check_quiet(), -EBUSY);
	/* It recovers: the bytes were kept, not dropped. */
	sim_console_fault(SIM_CONS_OK);
	console_flush(arch_time_ns() + 300 * MS);
	assert_string_equal(sim_console_output(NULL), "lost?");
}

/* Handoff: pending input is consumed (not left for the OS), output pushed,
 * the indices consistent; later output is polled and still arrives. */
static void test_handoff_quiesces(void **state)
{
	struct xencons_interface *r = sim_console_ring();

	assert_int_equal(sim_console_input("\x03stop", 5), 5);
	sim_console_set_rate(8);
	console_write("bye, Xen", 8);
	assert_int_equal(pvcons_handoff(arch_time_ns() + 1000 * MS), 0);
	assert_true(r->in_cons == r->in_prod);
	assert_true(r->out_cons == r->out_prod);
	assert_string_equal(sim_console_output(NULL), "bye, Xen");

	uint64_t sends = sim_stats()->evtchn_send_count;
	sim_console_output_clear();
	console_write("Starting kernel ...", 19);
	console_flush(arch_time_ns() + 1000 * MS);
	assert_string_equal(sim_console_output(NULL), "Starting kernel ...");
	assert_true(sim_stats()->evtchn_send_count > sends);
	assert_int_equal(pvcons_check_quiet(), 0);
}

/* After handoff a dead backend costs the short polled bound, not 2 s. */
static void test_after_handoff_writes_bounded(void **state)
{
	static char msg[3000];

	assert_int_equal(pvcons_handoff(arch_time_ns() + 100 * MS), 0);
	sim_console_fault(SIM_CONS_STALL);
	memset(msg, 'k', sizeof(msg));
	uint64_t t0 = arch_time_ns();
	console_write(msg, sizeof(msg));
	uint64_t waited = arch_time_ns() - t0;
	assert_true(waited >= PVCONS_POLLED_OUT_TIMEOUT_MS * MS);
	assert_true(waited < (PVCONS_POLLED_OUT_TIMEOUT_MS + 50) * MS);
}

static char at_shutdown[4096];

/* What the console backend had received when Xen was asked to end us. */
static void record_output(unsigned int reason, void *ctx)
{
	size_t len;
	const char *out = sim_console_output(&len);

	memcpy(at_shutdown, out, len < sizeof(at_shutdown) - 1 ? len + 1 : sizeof(at_shutdown));
	at_shutdown[sizeof(at_shutdown) - 1] = '\0';
}

/* The last lines before poweroff reach the backend before the domain
 * ends, however slow it drains (issue 8 #10). */
static void test_poweroff_lines_not_lost(void **state)
{
	static char line[1500];
	char *argv[] = {"poweroff"};

	memset(line, 'p', sizeof(line) - 1);
	sim_set_shutdown_hook(record_output, NULL);
	sim_console_set_rate(16);
	console_write(line, strlen(line));
	assert_int_not_equal(cmd_find("poweroff")->run(1, argv), 0);
	assert_int_equal(sim_stats()->shutdown_count, 1);
	assert_non_null(strstr(at_shutdown, line));
	assert_non_null(strstr(at_shutdown, "powering off\r\n"));
	sim_set_shutdown_hook(NULL, NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_flush_waits_for_slow_backend),
	    T(test_flush_bounded_when_stalled),
	    T(test_handoff_quiesces),
	    T(test_after_handoff_writes_bounded),
	    T(test_poweroff_lines_not_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
