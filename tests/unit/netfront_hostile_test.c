/* drivers/net/netfront*.c against a sim/netback.c that misbehaves: honest
 * errors only drop frames; every hostile knob gets one message and a
 * broken device; stalls cost a bounded wait; refused devices leave nothing
 * behind; and the teardown (also through handoff_xen()) leaves each vif at
 * Initialising with its backend at InitWait and no grant of ours. */
#define _GNU_SOURCE /* REG_EFL, for the flipping-producer test */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netfront_world.h"

#include "ring_flip.h"

static void test_tx_stall_breaks_after_10s(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0};

	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	while (netdev_send(dev, f, sizeof(f)) == 0) {
	}
	sim_time_advance(9 * S);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EAGAIN);
	sim_time_advance(2 * S);
	sim_console_output_clear();
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EIO);
	assert_true(dev->is_broken);
	assert_out_has("eth0: no sent frame answered for 10 s");
}

static void test_honest_errors_drop_only(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	struct netfront_stats before, after;
	size_t got, len = make_frame(f, 3);

	netfront_stats_get(&before);
	sim_netback_fault(nb, SIM_NB_RX_ERROR, 0, 1);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(recv_frame(dev, rx, &got, 10 * MS), -ETIMEDOUT);
	assert_true(dev->stats.rx_frames == 1 && dev->stats.rx_dropped == 1);
	sim_netback_fault(nb, SIM_NB_TX_ERROR, 0, 1);
	assert_int_equal(send_frame(dev, f, len), 0);
	assert_int_equal(send_frame(dev, f, len), 0);
	sim_wait(arch_time_ns() + MS);
	drain(dev);
	assert_int_equal(sent.count, 1);
	netfront_stats_get(&after);
	assert_true(after.rx_errors - before.rx_errors == 1);
	assert_true(after.tx_errors - before.tx_errors == 1);
	assert_false(dev->is_broken);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
}

/* Each knob and the one message it must draw. */
static const struct {
	enum sim_netback_fault fault;
	const char *why;
} hostile_cases[] = {
    {SIM_NB_RX_BAD_ID, "RX response id is not its slot's posted page"},
    {SIM_NB_RX_DUP_ID, "RX response id is not its slot's posted page"},
    {SIM_NB_RX_BAD_OFFSET, "RX response offset + size lies outside the page"},
    {SIM_NB_RX_BAD_STATUS, "RX response status is not one netif defines"},
    {SIM_NB_RX_EXTRA, "RX extra-info slot we never asked for"},
    {SIM_NB_RX_PROD_JUMP, "RX response producer jumped past the pages posted"},
    {SIM_NB_TX_BAD_ID, "TX response id names no frame in flight"},
    /* One frame in flight, two answers: the producer check sees it first. */
    {SIM_NB_TX_DUP_ID, "TX response producer jumped past the frames sent"},
    {SIM_NB_TX_BAD_STATUS, "TX response status is not one netif defines"},
    {SIM_NB_TX_PROD_JUMP, "TX response producer jumped past the frames sent"},
    {SIM_NB_TX_KEEP_MAP, "backend still maps a sent frame it answered"},
};

/* Every hostile knob: one message, broken, -EIO from then on, and the
 * teardown still hands the vif back with no grant left. */
static void test_hostile_backends(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(hostile_cases); i++) {
		uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
		size_t got, len = make_frame(f, i);
		struct sim_netback *nb;
		unsigned int reset, failed;

		if (i) {
			world_teardown(state);
			world_setup(state);
		}
		struct netdev *dev = one_vif(&nb);
		sim_netback_fault(nb, hostile_cases[i].fault, 0, 1);
		sim_console_output_clear();
		assert_int_equal(sim_netback_inject(nb, f, len), 0);
		int rc = 0;
		for (unsigned int k = 0; k < 8 && rc != -EIO; k++) {
			rc = netdev_send(dev, f, len);
			int prc = recv_frame(dev, rx, &got, 10 * MS);
			rc = prc == -EIO ? prc : rc;
		}
		if (rc != -EIO) {
			fail_msg("case %u: never broken", i);
		}
		assert_true(dev->is_broken);
		assert_out_has(hostile_cases[i].why);
		assert_int_equal(netdev_send(dev, f, len), -EIO);
		assert_int_equal(netdev_poll(dev, rx, sizeof(rx), &got), -EIO);
		/* One message, however often it is used afterwards. */
		const char *first = strstr(out(), "not used again");
		assert_non_null(first);
		assert_null(strstr(first + 1, "not used again"));
		int rc2 = netfront_shutdown_report(&reset, &failed);
		if (hostile_cases[i].fault == SIM_NB_TX_KEEP_MAP) {
			/* That page is lost for good, recorded, kept from the OS. */
			assert_int_equal(rc2, -EBUSY);
			assert_true(memmap_count() > 0);
			continue;
		}
		assert_int_equal(rc2, 0);
		assert_int_equal(reset, 1);
		assert_int_equal(sim_gnttab_active_count(), 0);
		assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
	}
}

static void test_rx_stall_bounded(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0}, rx[NETDEV_FRAME_MAX];
	size_t got;

	sim_netback_fault(nb, SIM_NB_RX_STALL, 0, 0);
	assert_int_equal(sim_netback_inject(nb, f, sizeof(f)), 0);
	uint64_t t0 = arch_time_ns();
	assert_int_equal(recv_frame(dev, rx, &got, 2 * S), -ETIMEDOUT);
	/* The wait let time pass (gave the CPU back) and ended at its deadline. */
	assert_true(arch_time_ns() - t0 >= 2 * S && arch_time_ns() - t0 < 3 * S);
	assert_false(dev->is_broken);
	sim_netback_fault(nb, SIM_NB_OK, 0, 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, sizeof(f));
}

/* After the teardown: Initialising / InitWait, no keys, grants, ports,
 * pages or watches of ours; and the vif connects again. */
static void test_teardown_and_reconnect(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	unsigned int reset, failed;
	char v[32];
	size_t got;

	size_t len = make_frame(f, 1);
	assert_int_equal(send_frame(dev, f, len), 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	front_key(0, "event-channel", v, sizeof(v));
	evtchn_port_t port = (evtchn_port_t)atoi(v);
	assert_true(sim_evtchn_is_open(port));

	assert_int_equal(netfront_shutdown_report(&reset, &failed), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(failed, 0);
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	back_state(0, v, sizeof(v));
	assert_string_equal(v, "2");
	static const char *const keys[] = {"tx-ring-ref", "rx-ring-ref", "event-channel",
					   "request-rx-copy", "feature-rx-notify"};
	for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
		front_key(0, keys[i], v, sizeof(v));
		assert_string_equal(v, "");
	}
	assert_false(sim_netback_is_mapped(nb));
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_false(sim_evtchn_is_open(port));
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(netdev_count(), 0);
	assert_int_equal(netfront_count(), 0);

	assert_int_equal(netfront_probe_all(), 1);
	dev = netdev_find("eth0");
	assert_non_null(dev);
	assert_int_equal(sim_netback_stats(nb)->connects, 2);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_memory_equal(rx, f, len);
}

/* A stalled backend holds 64 frames and 3 RX frames wait unread: the
 * teardown still ends every grant once the backend closed. */
static void test_teardown_with_frames_in_flight(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	unsigned int reset, failed;
	uint8_t f[64] = {0};

	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(sim_netback_inject(nb, f, sizeof(f)), 0);
	}
	sim_wait(arch_time_ns() + MS);
	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	while (netdev_send(dev, f, sizeof(f)) == 0) {
	}
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS + 64);
	assert_int_equal(netfront_shutdown_report(&reset, &failed), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(memmap_count(), 0);
	assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
}

static void test_backend_never_closes(void **state)
{
	struct sim_netback *nb;
	unsigned int reset, failed;
	struct netfront_stats before, after;
	char v[32];

	one_vif(&nb);
	netfront_stats_get(&before);
	sim_netback_fault(nb, SIM_NB_NO_CLOSE, 0, 0);
	sim_console_output_clear();
	uint64_t t0 = arch_time_ns();
	assert_int_equal(netfront_shutdown_report(&reset, &failed), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 <= 11 * S);
	assert_int_equal(failed, 1);
	assert_out_has("eth0: backend did not reach Closed");
	/* Its pages stay granted and out of everyone's reach. */
	netfront_stats_get(&after);
	assert_true(after.lost_pages - before.lost_pages == 2 + NET_RX_RING_SIZE + 32);
	assert_true(memmap_count() > 0);
	assert_int_equal(memmap_at(0)->kind, MEMMAP_LOST);
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "6");
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(netdev_count(), 0);
}

/* We went Connected, the backend never follows: a bounded wait, then the
 * vif is walked back (Initialising / InitWait) with nothing left behind. */
static void test_backend_never_connects(void **state)
{
	struct sim_netback *nb = add_vif(0, MAC0);
	char v[32];

	sim_netback_fault(nb, SIM_NB_NO_CONNECT, 0, 0);
	sim_console_output_clear();
	uint64_t t0 = arch_time_ns();
	assert_int_equal(netfront_probe_all(), 0);
	assert_true(arch_time_ns() - t0 >= 10 * S && arch_time_ns() - t0 < 12 * S);
	assert_out_has("backend stayed InitWait for 10000 ms");
	assert_out_has("device/vif/0: not connected: ETIMEDOUT");
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "tx-ring-ref", v, sizeof(v));
	assert_string_equal(v, "");
	assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(netdev_count(), 0);
}

static void test_refused_devices_leave_nothing(void **state)
{
	struct sim_netback_config bad_mac = {.handle = 0, .mac_text = "00:16:3e:zz:00:01"};
	struct sim_netback_config multicast = {.handle = 1, .mac = {0x01, 0, 0x5e, 0, 0, 1}};
	struct sim_netback_config no_copy = {.handle = 2, .mac = {0, 0x16, 0x3e, 0, 0, 2}};
	char v[32];

	no_copy.no_rx_copy = true;
	assert_non_null(sim_netback_add(&bad_mac));
	assert_non_null(sim_netback_add(&multicast));
	assert_non_null(sim_netback_add(&no_copy));
	sim_console_output_clear();
	assert_int_equal(netfront_probe_all(), 0);
	assert_out_has("device/vif/0: no usable mac");
	assert_out_has("device/vif/1: no usable mac");
	assert_out_has("cannot copy frames to us (feature-rx-copy)");
	front_key(2, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(2, "tx-ring-ref", v, sizeof(v));
	assert_string_equal(v, "");
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(netdev_count(), 0);
}

/* boot/handoff.c hands every vif back before the jump. */
static void test_handoff_resets_vifs(void **state)
{
	struct sim_netback *nb;
	char v[32];

	one_vif(&nb);
	sim_console_output_clear();
	assert_int_equal(handoff_xen(), 0);
	assert_out_has("handoff: 0 vbds reset, 1 vif reset, 1 event channel closed");
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(netdev_count(), 0);
}

/* The backend moves the TX producer though nothing was sent: a misbehaving
 * backend (one message, broken), not a producer to ignore - left alone it
 * made every wait return at once (responses seemed pending): a spin. */
static void test_tx_prod_moves_with_nothing_sent(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	struct netfront *nf = dev->priv;
	uint8_t rx[NETDEV_FRAME_MAX];
	size_t got;

	sim_console_output_clear();
	__atomic_store_n(&nf->tx_sring->rsp_prod, nf->tx_cons + 40, __ATOMIC_SEQ_CST);
	assert_int_equal(recv_frame(dev, rx, &got, 100 * MS), -EIO);
	assert_true(dev->is_broken);
	assert_out_has("eth0: TX response producer jumped past the frames sent");
}

/* One poll with @sring's producer flipping; returns how often it was read. */
static unsigned int poll_with_flips(struct netdev *dev, struct xen_sring_hdr *sring, uint32_t cons)
{
#ifndef RING_FLIP_OK
	skip(); /* needs ring_flip.h's trap: x86-64 Linux */
#else
	uint8_t rx[NETDEV_FRAME_MAX];
	size_t got;

	assert_int_equal(ring_flip_start(sring, cons), 0);
	int rc = netdev_poll(dev, rx, sizeof(rx), &got);
	unsigned int reads = ring_flip_stop();

	assert_int_equal(rc, -EAGAIN);
	return reads;
#endif
}

/* The response loops of both rings stop once a re-check brought nothing:
 * without that they ran as long as the backend kept flipping. */
static void test_flipping_producer_bounded(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	struct netfront *nf = dev->priv;
	uint8_t f[64] = {0};

	/* One frame in flight, so "one more" is a producer the TX check allows. */
	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), 0);
	unsigned int tx_reads = poll_with_flips(dev, nf->tx_sring, nf->tx_cons);
	unsigned int rx_reads = poll_with_flips(dev, nf->rx_sring, nf->rx_cons);
	if (tx_reads > 4 || rx_reads > 4) {
		fail_msg("rsp_prod read %u (TX) and %u (RX) times in one poll", tx_reads, rx_reads);
	}
	assert_false(dev->is_broken);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tx_stall_breaks_after_10s, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_honest_errors_drop_only, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_hostile_backends, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_stall_bounded, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_prod_moves_with_nothing_sent, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_flipping_producer_bounded, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_and_reconnect, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_with_frames_in_flight, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_backend_never_closes, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_backend_never_connects, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_refused_devices_leave_nothing, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_handoff_resets_vifs, world_setup, world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
