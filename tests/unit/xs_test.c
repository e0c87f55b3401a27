/* XenStore client (xen/xs*.c) against the simulated xenstored: every
 * operation, every fault knob, and the dom0less late start. Simulated time
 * jumps while the guest waits, so the timeouts cost nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/xen.h>
#include <xen/xs.h>
#include <xen/xs_ring.h>

#include "xs_world.h"

#define HOME "/local/domain/7/"
#define NS_PER_S 1000000000ULL

static int boot(void **state)
{
	return xs_world_boot() ? -1 : xs_init();
}

static void test_read_write(void **state)
{
	char buf[64];

	assert_int_equal(xs_write(0, "data/a", "hello"), 0);
	assert_int_equal(sim_xs_read(HOME "data/a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hello");
	assert_int_equal(xs_read(0, HOME "data/a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hello");
	assert_int_equal(xs_read(0, "data/a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hello");
	/* Empty values exist and read as "". */
	assert_int_equal(xs_write(0, "data/empty", ""), 0);
	assert_int_equal(xs_read(0, "data/empty", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(xs_read(0, "data/none", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(xs_read(0, "data/a", buf, 5), -E2BIG);
	assert_int_equal(xs_printf(0, "data/n", "%u", 42U), 0);
	assert_int_equal(xs_read(0, "data/n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "42");
	assert_int_equal(xs_read(0, "", buf, sizeof(buf)), -EINVAL);
}

/* The reply is in the ring before evtchn_send() returns (the sim answers
 * inside the hypercall): the client must take it without sleeping, which
 * is where U-Boot's client lost replies. */
static void test_fast_reply_needs_no_wait(void **state)
{
	char buf[16];
	unsigned int waits = sim_stats()->wait_count;

	for (int i = 0; i < 20; i++) {
		assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
	}
	assert_string_equal(buf, "7");
	assert_int_equal(sim_stats()->wait_count, waits);
}

static void test_big_values_cross_the_ring(void **state)
{
	static char big[4000], back[4001];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(xs_write(0, "data/big", big), 0);
	assert_int_equal(xs_read(0, "data/big", back, sizeof(back)), 0);
	assert_string_equal(back, big);
	static char huge[XENSTORE_PAYLOAD_MAX + 10];
	memset(huge, 'h', sizeof(huge) - 1);
	assert_int_equal(xs_write(0, "data/huge", huge), -E2BIG);
	/* Still in step afterwards. */
	assert_int_equal(xs_read(0, "data/big", back, sizeof(back)), 0);
}

static void test_read_u64_is_strict(void **state)
{
	static const char *const bad[] = {"12a", "-1", " 1", "0x10", "", "99999999999999999999"};
	uint64_t v;

	assert_int_equal(sim_xs_write(HOME "n", "18446744073709551615"), 0);
	assert_int_equal(xs_read_u64(0, "n", &v), 0);
	assert_true(v == UINT64_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sim_xs_write(HOME "n", bad[i]), 0);
		assert_int_equal(xs_read_u64(0, "n", &v), -EINVAL);
	}
	/* A NUL inside the value: not its prefix (issue 8 #6). */
	assert_int_equal(sim_xs_write_bytes(HOME "n", "5\0junk", 6), 0);
	assert_int_equal(xs_read_u64(0, "n", &v), -EINVAL);
	char buf[16];
	assert_int_equal(xs_read(0, "n", buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "");
	uint32_t domid;
	assert_int_equal(xs_domid(&domid), 0);
	assert_int_equal(domid, 7);
}

static void test_directory_mkdir_rm(void **state)
{
	char buf[64];
	unsigned int count;

	assert_int_equal(xs_mkdir(0, "dir"), 0);
	assert_int_equal(xs_directory(0, "dir", buf, sizeof(buf), &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(xs_write(0, "dir/x", "1"), 0);
	assert_int_equal(xs_write(0, "dir/yy", "2"), 0);
	assert_int_equal(xs_directory(0, "dir", buf, sizeof(buf), &count), 0);
	assert_int_equal(count, 2);
	assert_true(!strcmp(buf, "x") || !strcmp(buf, "yy"));
	assert_int_equal(xs_directory(0, "dir", buf, 3, &count), -E2BIG);
	assert_int_equal(xs_rm(0, "dir"), 0);
	assert_false(sim_xs_exists(HOME "dir/x"));
	assert_int_equal(xs_directory(0, "dir", buf, sizeof(buf), &count), -ENOENT);
	assert_int_equal(xs_rm(0, "dir"), -ENOENT);
}

static void test_transactions(void **state)
{
	xs_tx_t tx;
	char buf[16];

	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_not_equal(tx, 0);
	assert_int_equal(xs_write(tx, "t/a", "1"), 0);
	assert_false(sim_xs_exists(HOME "t/a"));
	assert_int_equal(xs_read(tx, "t/a", buf, sizeof(buf)), 0);
	assert_int_equal(xs_transaction_end(tx, false), 0);
	assert_true(sim_xs_exists(HOME "t/a"));

	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_equal(xs_write(tx, "t/b", "1"), 0);
	assert_int_equal(xs_transaction_end(tx, true), 0);
	assert_false(sim_xs_exists(HOME "t/b"));

	/* Someone else writes meanwhile: the commit must fail with EAGAIN. */
	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_equal(xs_write(tx, "t/c", "1"), 0);
	assert_int_equal(sim_xs_write(HOME "other", "x"), 0);
	assert_int_equal(xs_transaction_end(tx, false), -EAGAIN);
	assert_false(sim_xs_exists(HOME "t/c"));
	assert_int_equal(sim_xs_stats()->transactions, 0);
	assert_int_equal(xs_transaction_end(0, false), -EINVAL);
}

static int write_d(xs_tx_t tx, void *ctx)
{
	(*(int *)ctx)++;
	return xs_write(tx, "t/d", "1");
}

static int fail_fn(xs_tx_t tx, void *ctx)
{
	return -ENOSPC;
}

static void test_transaction_retry(void **state)
{
	int runs = 0;

	sim_xs_fault(SIM_XS_TX_EAGAIN, 2);
	assert_int_equal(xs_transaction_retry(write_d, &runs), 0);
	assert_int_equal(runs, 3);
	assert_true(sim_xs_exists(HOME "t/d"));
	runs = 0;
	sim_xs_fault(SIM_XS_TX_EAGAIN, 100);
	assert_int_equal(xs_transaction_retry(write_d, &runs), -EAGAIN);
	assert_int_equal(runs, XS_TRANSACTION_TRIES);
	sim_xs_fault(SIM_XS_OK, 0);
	assert_int_equal(xs_transaction_retry(fail_fn, NULL), -ENOSPC);
	assert_int_equal(sim_xs_stats()->transactions, 0);
}

static void test_watches(void **state)
{
	uint64_t soon = sim_time_ns() + NS_PER_S;

	assert_int_equal(xs_watch("w", "tok"), 0);
	assert_int_equal(xs_watch("w", "tok"), -EEXIST);
	/* xenstored fires every new watch once. */
	assert_int_equal(xs_wait_watch("tok", soon), 0);
	assert_int_equal(xs_wait_watch("tok", sim_time_ns() + NS_PER_S), -ETIMEDOUT);
	assert_int_equal(sim_xs_write(HOME "w/sub", "1"), 0);
	assert_int_equal(sim_xs_write(HOME "w", "2"), 0);
	/* Two events, coalesced into one wake-up. */
	assert_int_equal(xs_wait_watch("tok", sim_time_ns() + NS_PER_S), 0);
	assert_int_equal(xs_wait_watch("tok", sim_time_ns() + NS_PER_S), -ETIMEDOUT);
	assert_int_equal(xs_unwatch("w", "tok"), 0);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(xs_wait_watch("tok", sim_time_ns()), -ENOENT);
	assert_int_equal(sim_xs_write(HOME "w", "3"), 0);
	char buf[8];
	assert_int_equal(xs_read(0, "w", buf, sizeof(buf)), 0);
}

static void test_reset_removes_watches(void **state)
{
	assert_int_equal(xs_watch("a", "t1"), 0);
	assert_int_equal(xs_watch(HOME "b", "t2"), 0);
	assert_int_equal(sim_xs_stats()->watches, 2);
	assert_int_equal(xs_reset(), 0);
	assert_int_equal(sim_xs_stats()->watches, 0);
}

/* A transaction left open (a caller that forgot, or an end that timed
 * out) is aborted by the reset: nothing of it is committed. */
static void test_reset_aborts_transactions(void **state)
{
	xs_tx_t tx;

	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_equal(xs_write(tx, "data/tx", "1"), 0);
	assert_false(xs_is_quiet());
	assert_int_equal(xs_reset(), 0);
	assert_int_equal(sim_xs_stats()->transactions, 0);
	assert_false(sim_xs_exists(HOME "data/tx"));
	assert_true(xs_is_quiet());
}

/* The reply to a timed-out request never comes: the reset waits for it,
 * bounded, and says so. */
static void test_reset_owed_reply_never_comes(void **state)
{
	char buf[16];

	sim_xs_fault(SIM_XS_WRONG_REQ_ID, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	assert_false(xs_is_quiet());
	uint64_t t0 = sim_time_ns();
	assert_int_equal(xs_reset(), -ETIMEDOUT);
	uint64_t waited = sim_time_ns() - t0;
	assert_true(waited >= XS_TIMEOUT_MS * 1000000ULL &&
		    waited < 2 * XS_TIMEOUT_MS * 1000000ULL);
}

/* Two timeouts in a row: the next request fails at once, unsent; 10 s
 * later one is tried again and, the server being back, answered. */
static void test_dead_server_fails_fast(void **state)
{
	char buf[16];

	sim_xs_fault(SIM_XS_STALL, 2);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	unsigned int taken = sim_xs_stats()->requests;
	uint64_t t0 = sim_time_ns();
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	assert_true(sim_time_ns() - t0 < 1000000ULL);
	assert_int_equal(sim_xs_stats()->requests, taken);
	sim_time_advance(10 * NS_PER_S);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
}

static void test_fault_wrong_req_id(void **state)
{
	char buf[16];
	struct xs_stats st;

	sim_xs_fault(SIM_XS_WRONG_REQ_ID, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
	xs_get_stats(&st);
	assert_int_equal(st.stale_replies, 1);
	assert_int_equal(st.timeouts, 1);
}

static void test_fault_dup_req_id(void **state)
{
	char buf[16];
	struct xs_stats st;

	sim_xs_fault(SIM_XS_DUP_REQ_ID, 1);
	assert_int_equal(xs_write(0, "x", "1"), 0);
	assert_int_equal(xs_read(0, "x", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	xs_get_stats(&st);
	assert_int_equal(st.stale_replies, 1);
}

static void test_fault_wrong_tx(void **state)
{
	char buf[32];

	assert_int_equal(sim_xs_write(HOME "k", "v"), 0);
	sim_xs_fault(SIM_XS_WRONG_TX, 1);
	assert_int_equal(xs_read(0, "k", buf, sizeof(buf)), -EIO);
	assert_int_equal(xs_read(0, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "v");
}

static void test_fault_wrong_type(void **state)
{
	char buf[16];

	sim_xs_fault(SIM_XS_WRONG_TYPE, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EIO);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
}

static void test_fault_oversized(void **state)
{
	char buf[16];

	sim_xs_fault(SIM_XS_OVERSIZED, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -E2BIG);
	/* The excess was drained: the next message starts at a header. */
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "7");
}

static void test_fault_rsp_prod_jump(void **state)
{
	char buf[16];
	struct xs_stats st;

	sim_xs_fault(SIM_XS_RSP_PROD_JUMP, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EIO);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EIO);
	assert_int_equal(xs_write(0, "x", "1"), -EIO);
	xs_get_stats(&st);
	assert_true(st.is_broken);
}

static void test_fault_events_first(void **state)
{
	char buf[16];
	struct xs_stats st;

	assert_int_equal(xs_watch("w", "tok"), 0);
	assert_int_equal(xs_wait_watch("tok", sim_time_ns() + NS_PER_S), 0);
	sim_xs_fault(SIM_XS_EVENT_FIRST, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
		assert_string_equal(buf, "7");
	}
	assert_int_equal(xs_wait_watch("tok", sim_time_ns()), 0);
	sim_xs_fault(SIM_XS_BAD_EVENT, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
	xs_get_stats(&st);
	assert_int_equal(st.bad_events, 1);
}

static void test_fault_stall(void **state)
{
	char buf[16];
	uint64_t t0 = sim_time_ns();

	sim_xs_fault(SIM_XS_STALL, 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ETIMEDOUT);
	assert_true(sim_time_ns() - t0 >= XS_TIMEOUT_MS * 1000000ULL);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
}

static void test_fault_errors(void **state)
{
	char buf[16];

	sim_xs_fault_error("EACCES", 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EACCES);
	sim_xs_fault_error("EQUOTA", 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EIO);
	sim_xs_fault_error("", 1);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -EIO);
	/* No NUL on the wire: the name still parses. */
	sim_xs_fault(SIM_XS_NO_NUL, 1);
	assert_int_equal(xs_read(0, "nothing", buf, sizeof(buf)), -ENOENT);
	unsigned int count;
	assert_int_equal(xs_write(0, "d/a", "1"), 0);
	sim_xs_fault(SIM_XS_NO_NUL, 1);
	assert_int_equal(xs_directory(0, "d", buf, sizeof(buf), &count), 0);
	assert_int_equal(count, 1);
	assert_string_equal(buf, "a");
	xs_tx_t tx;
	sim_xs_fault(SIM_XS_NO_NUL, 1);
	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_equal(xs_transaction_end(tx, true), 0);
}

static void test_trickle(void **state)
{
	static char big[3000], back[3001];

	sim_xs_set_trickle(1);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(xs_write(0, "big", big), 0);
	assert_int_equal(xs_read(0, "big", back, sizeof(back)), 0);
	assert_string_equal(back, big);
}

static void test_late_xenstore(void **state)
{
	char buf[16];

	xs_detach();
	sim_xs_late(3 * NS_PER_S, 2 * NS_PER_S);
	uint64_t t0 = sim_time_ns();
	assert_int_equal(xs_init(), 0);
	assert_true(sim_time_ns() - t0 >= 5 * NS_PER_S);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), 0);
}

static void test_late_xenstore_never(void **state)
{
	char buf[16];

	xs_detach();
	sim_xs_late(UINT64_MAX, 0);
	assert_int_equal(xs_init(), -ETIMEDOUT);
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ENODEV);
	xs_detach();
	sim_xs_late(1, UINT64_MAX);
	assert_int_equal(xs_init(), -ETIMEDOUT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, boot, xs_world_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_read_write),
	    T(test_fast_reply_needs_no_wait),
	    T(test_big_values_cross_the_ring),
	    T(test_read_u64_is_strict),
	    T(test_directory_mkdir_rm),
	    T(test_transactions),
	    T(test_transaction_retry),
	    T(test_watches),
	    T(test_reset_removes_watches),
	    T(test_fault_wrong_req_id),
	    T(test_fault_dup_req_id),
	    T(test_fault_wrong_type),
	    T(test_fault_wrong_tx),
	    T(test_fault_oversized),
	    T(test_fault_rsp_prod_jump),
	    T(test_fault_events_first),
	    T(test_fault_stall),
	    T(test_fault_errors),
	    T(test_trickle),
	    T(test_late_xenstore),
	    T(test_late_xenstore_never),
	    T(test_reset_aborts_transactions),
	    T(test_reset_owed_reply_never_comes),
	    T(test_dead_server_fails_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
