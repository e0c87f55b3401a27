/* drivers/console/pvcons.c, unmodified, on the sim's console backend: ring
 * wrap-around, a full ring, a backend that is gone, and a backend that
 * writes impossible indices (STYLE U1, E5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arch/arch.h>
#include <drivers/pvcons.h>
#include <lib/errno.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>

#define MS 1000000ULL
#define OUT_TIMEOUT_NS (PVCONS_OUT_TIMEOUT_MS * MS)

static int setup(void **state)
{
	if (sim_init(NULL)) {
		return -1;
	}
	return pvcons_init_from_hvm();
}

static int teardown(void **state)
{
	sim_reset();
	return 0;
}

static struct pvcons_stats stats(void)
{
	struct pvcons_stats s;

	pvcons_get_stats(&s);
	return s;
}

static void test_init_from_hvm(void **state)
{
	struct xencons_interface *r = sim_console_ring();

	assert_true(pvcons_is_ready());
	pvcons_write("hello", 5);
	assert_string_equal(sim_console_output(NULL), "hello");
	assert_int_equal(r->out_prod, 5);
	assert_int_equal(sim_stats()->console_io_count, 0);
}

/* Indices are free-running u32: start just below the wrap. */
static void test_output_wraps(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	static char msg[5000], got[5001];
	size_t len;

	for (size_t i = 0; i < sizeof(msg); i++) {
		msg[i] = (char)('a' + i % 26);
	}
	r->out_prod = r->out_cons = 0xffffff00u;
	pvcons_init(r, SIM_CONSOLE_PORT);
	sim_console_set_rate(300); /* slow backend: the writer must wait for room */
	pvcons_write(msg, sizeof(msg));
	/* The last bytes are still in the ring: let the backend catch up. */
	pvcons_flush(arch_time_ns() + 1000 * MS);
	const char *out = sim_console_output(&len);
	assert_int_equal(len, sizeof(msg));
	memcpy(got, out, len);
	assert_memory_equal(got, msg, sizeof(msg));
	assert_true(r->out_prod == (uint32_t)(0xffffff00u + sizeof(msg)));
	assert_true(stats().dropped == 0);
}

static void test_input_wraps(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	char buf[64];
	size_t n = 0;

	r->in_prod = r->in_cons = 0xfffffff0u;
	pvcons_init(r, SIM_CONSOLE_PORT);
	assert_int_equal(sim_console_input("0123456789abcdefghijklmnopqrstuvwxyzABCD", 40), 40);
	while (n < 40) {
		size_t got = pvcons_read(buf + n, sizeof(buf) - n, arch_time_ns() + 1000 * MS);
		assert_true(got > 0);
		n += got;
	}
	assert_memory_equal(buf, "0123456789abcdefghijklmnopqrstuvwxyzABCD", 40);
	assert_true(r->in_cons == (uint32_t)(0xfffffff0u + 40));
}

static void test_read_times_out(void **state)
{
	char c;
	uint64_t deadline = arch_time_ns() + 500 * MS;

	assert_int_equal(pvcons_read(&c, 1, deadline), 0);
	assert_true(arch_time_ns() >= deadline);
	assert_int_equal(pvcons_read(&c, 0, deadline), 0);
}

/* A stalled backend costs one bounded wait, then bytes are dropped at once. */
static void test_full_ring_stall(void **state)
{
	static char msg[3000];
	uint64_t t0 = arch_time_ns();

	memset(msg, 'z', sizeof(msg));
	sim_console_fault(SIM_CONS_STALL);
	pvcons_write(msg, sizeof(msg));
	uint64_t waited = arch_time_ns() - t0;
	assert_true(waited >= OUT_TIMEOUT_NS && waited < OUT_TIMEOUT_NS + 100 * MS);
	assert_true(stats().dropped == sizeof(msg) - XENCONS_OUT_SIZE);

	t0 = arch_time_ns();
	pvcons_write("more", 4);
	assert_true(arch_time_ns() - t0 < 10 * MS);
	assert_true(stats().dropped == sizeof(msg) - XENCONS_OUT_SIZE + 4);

	/* The backend recovers: output flows again. */
	sim_console_fault(SIM_CONS_OK);
	sim_wait(UINT64_MAX);
	sim_console_output_clear();
	pvcons_write("back", 4);
	assert_string_equal(sim_console_output(NULL), "back");
}

static void test_backend_gone(void **state)
{
	static char msg[3000];
	uint64_t t0 = arch_time_ns();

	memset(msg, 'g', sizeof(msg));
	sim_console_fault(SIM_CONS_DISCONNECT);
	sim_wait(UINT64_MAX - 1);
	pvcons_write(msg, sizeof(msg));
	/* "connection" says nobody is there: no need to wait out the timeout. */
	assert_true(arch_time_ns() - t0 < OUT_TIMEOUT_NS);
	assert_true(stats().dropped == sizeof(msg) - XENCONS_OUT_SIZE);
	t0 = arch_time_ns();
	pvcons_flush(t0 + 500 * MS);
	assert_true(arch_time_ns() - t0 <= 500 * MS + MS);
}

static void test_in_prod_jump(void **state)
{
	char buf[16];

	sim_console_fault(SIM_CONS_IN_PROD_JUMP);
	sim_wait(UINT64_MAX);
	assert_int_equal(pvcons_read(buf, sizeof(buf), arch_time_ns() + 50 * MS), 0);
	assert_true(stats().bad_indices >= 1);
	assert_int_equal(sim_console_ring()->in_cons, 0);
	/* Once the backend behaves, input works again. */
	sim_console_fault(SIM_CONS_OK);
	assert_int_equal(sim_console_input("ok", 2), 2);
	assert_int_equal(pvcons_read(buf, sizeof(buf), arch_time_ns() + 50 * MS), 2);
	assert_memory_equal(buf, "ok", 2);
}

static void test_out_cons_impossible(void **state)
{
	static const enum sim_console_fault faults[] = { SIM_CONS_OUT_CONS_BACK,
							 SIM_CONS_OUT_CONS_AHEAD };

	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(sim_init(NULL), 0);
		assert_int_equal(pvcons_init_from_hvm(), 0);
		pvcons_write("abc", 3);
		sim_console_fault(faults[i]);
		sim_wait(UINT64_MAX);
		uint32_t prod = sim_console_ring()->out_prod;
		uint64_t t0 = arch_time_ns();
		pvcons_write("def", 3);
		/* Nothing written past a consumer index we cannot trust. */
		assert_int_equal(sim_console_ring()->out_prod, prod);
		assert_true(arch_time_ns() - t0 < OUT_TIMEOUT_NS);
		assert_true(stats().bad_indices >= 1);
		assert_true(stats().dropped == 3);
	}
}

static void test_in_ring_full(void **state)
{
	static char buf[XENCONS_IN_SIZE + 8];
	size_t n = 0;

	sim_console_fault(SIM_CONS_IN_FULL);
	sim_wait(UINT64_MAX);
	sim_console_fault(SIM_CONS_OK);
	while (n < XENCONS_IN_SIZE) {
		size_t got = pvcons_read(buf + n, sizeof(buf) - n, arch_time_ns() + 10 * MS);
		assert_true(got > 0);
		n += got;
	}
	assert_int_equal(n, XENCONS_IN_SIZE);
	assert_true(buf[0] == 'x' && buf[XENCONS_IN_SIZE - 1] == 'x');
	assert_int_equal(stats().bad_indices, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_from_hvm),
		T(test_output_wraps),
		T(test_input_wraps),
		T(test_read_times_out),
		T(test_full_ring_stall),
		T(test_backend_gone),
		T(test_in_prod_jump),
		T(test_out_cons_impossible),
		T(test_in_ring_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
