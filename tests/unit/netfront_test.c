/* drivers/net/netfront*.c, unmodified, against sim/netback.c: the
 * handshake and its keys, frames both ways (the RX ring kept full of
 * granted pages, TX grants reclaimed), frames at odd offsets, in several
 * slots (NETRXF_more_data) or with a blank checksum, two vifs and
 * `net list`. Hostile backends: netfront_hostile_test.c. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netfront_world.h"
static void test_handshake(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	char v[32];

	assert_memory_equal(dev->mac, MAC0, 6);
	assert_int_equal(netfront_count(), 1);
	assert_int_equal(sim_netback_state(nb), XenbusStateConnected);
	assert_true(sim_netback_is_mapped(nb));
	front_key(0, "request-rx-copy", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "feature-rx-notify", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "feature-no-csum-offload", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "4");
	front_key(0, "event-channel", v, sizeof(v));
	assert_true(v[0] != '\0');
	/* The backend found a full RX ring of granted pages. */
	sim_wait(arch_time_ns() + MS);
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	/* A second probe connects nothing twice. */
	assert_int_equal(netfront_probe_all(), 1);
	assert_int_equal(netdev_count(), 1);
}

static void test_tx_frames_and_reclaim(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX];

	/* More frames than TX buffers and ring slots: both wrap. */
	for (unsigned int n = 0; n < 1500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(send_frame(dev, f, len), 0);
	}
	drain(dev);
	sim_wait(arch_time_ns() + MS);
	drain(dev);
	assert_int_equal(sent.count, 1500);
	for (unsigned int n = 0; n < 1500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(sent.len[n], len);
		assert_int_equal(sent.sum[n], fnv(f, len));
	}
	assert_true(dev->stats.tx_frames == 1500);
	/* Every frame's grant ended once it was answered. */
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	assert_false(dev->is_broken);
}

static void test_tx_buffers_come_back(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0}, rx[NETDEV_FRAME_MAX];
	size_t got;
	unsigned int queued = 0;

	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	while (netdev_send(dev, f, sizeof(f)) == 0) {
		queued++;
	}
	/* Each frame in flight holds its own read-only grant. */
	assert_int_equal(queued, 64);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS + 64);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EAGAIN);
	sim_netback_fault(nb, SIM_NB_OK, 0, 0);
	sim_wait(arch_time_ns() + MS);
	assert_int_equal(netdev_poll(dev, rx, sizeof(rx), &got), -EAGAIN);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	assert_int_equal(sent.count, 64);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), 0);
}

static void test_rx_frames_ring_kept_full(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	size_t got;

	/* More frames than the ring holds, queued at once. */
	for (unsigned int n = 0; n < 500; n++) {
		assert_int_equal(sim_netback_inject(nb, f, make_frame(f, n)), 0);
	}
	for (unsigned int n = 0; n < 500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(recv_frame(dev, rx, &got, S), 0);
		assert_int_equal(got, len);
		assert_memory_equal(rx, f, len);
	}
	assert_int_equal(recv_frame(dev, rx, &got, 10 * MS), -ETIMEDOUT);
	assert_true(dev->stats.rx_frames == 500);
	assert_int_equal(sim_netback_stats(nb)->rx_posted_max, NET_RX_RING_SIZE);
	/* Every page went back to the backend. */
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
}

static void test_rx_offset_and_multi_slot(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[SIM_NB_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	struct netfront_stats before, after;
	size_t got;

	netfront_stats_get(&before);
	/* A frame at the end of its page. */
	sim_netback_rx_layout(nb, 2582, 0, 0);
	size_t len = 1514; /* fits exactly */
	for (size_t i = 0; i < len; i++) {
		f[i] = (uint8_t)(i * 13 + (i >> 8));
	}
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	/* The same frame in 4 slots of 400 bytes (NETRXF_more_data). */
	sim_netback_rx_layout(nb, 100, 400, 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	/* Larger than any frame we take: dropped whole, then the next one is fine. */
	memset(f, 0x5a, 3000);
	assert_int_equal(sim_netback_inject(nb, f, 3000), 0);
	len = make_frame(f, 7);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	netfront_stats_get(&after);
	assert_true(after.rx_multi_slot - before.rx_multi_slot == 2);
	assert_true(after.rx_oversize - before.rx_oversize == 1);
	assert_true(dev->stats.rx_dropped == 1);
	assert_false(dev->is_broken);
	/* Pages go back in batches while frames come, all of them once idle. */
	assert_true(sim_netback_rx_posted(nb) >= NET_RX_RING_SIZE - NF_RX_REFILL_BATCH);
	drain(dev);
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
}

/* An IPv4/UDP frame 10.0.0.1:1000 -> 10.0.0.2:69 with a 5-byte payload. */
static size_t udp_frame(uint8_t *f)
{
	static const uint8_t head[] = {0x00, 0x16, 0x3e, 0x01, 0x02, 0x03, 0x52, 0x54, 0x00, 0x00,
				       0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x21, 0x12, 0x34,
				       0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 10,	 0,    0,    1,
				       10,   0,	   0,	 2,    0x03, 0xe8, 0x00, 0x45, 0x00, 0x0d,
				       0x00, 0x00, 'h',	 'e',  'l',  'l',  'o'};

	memcpy(f, head, sizeof(head));
	return sizeof(head);
}

static uint16_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	}
	if (len & 1) {
		sum += (uint32_t)p[len - 1] << 8;
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

static void test_rx_csum_blank_filled(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[128], rx[NETDEV_FRAME_MAX];
	size_t got, len = udp_frame(f);

	sim_netback_rx_layout(nb, 0, 0, NETRXF_CSUM_BLANK | NETRXF_DATA_VALIDATED);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	/* The UDP checksum now verifies: pseudo header + segment sums to 0xffff. */
	uint8_t pseudo[12] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, 13};
	assert_int_not_equal(rx[40] | rx[41], 0);
	assert_int_equal(sum16(rx + 34, 13, sum16(pseudo, 12, 0)), 0xffff);
	assert_memory_equal(rx, f, 40);
	/* Not IPv4: left as it came. */
	f[12] = 0x86;
	f[13] = 0xdd;
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_memory_equal(rx, f, len);
}

static void test_two_vifs_and_net_list(void **state)
{
	struct sim_netback *nb0 = add_vif(0, MAC0), *nb1 = add_vif(1, MAC1);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	size_t got, len = make_frame(f, 9);

	assert_int_equal(netfront_probe_all(), 2);
	struct netdev *eth1 = netdev_find("eth1");
	assert_non_null(eth1);
	assert_memory_equal(eth1->mac, MAC1, 6);
	assert_int_equal(sim_netback_inject(nb1, f, len), 0);
	assert_int_equal(recv_frame(eth1, rx, &got, S), 0);
	drain(eth1);
	assert_int_equal(recv_frame(netdev_find("eth0"), rx, &got, 10 * MS), -ETIMEDOUT);
	(void)nb0;

	char *argv[] = {"net", "list", NULL};
	sim_console_output_clear();
	assert_int_equal(cmd_find("net")->run(2, argv), 0);
	assert_out_has("eth0 : device/vif/0 00:16:3e:01:02:03 active\n");
	assert_out_has("eth1 : device/vif/1 00:16:3e:0a:0b:0c\n");
	assert_out_has("backend /local/domain/0/backend/vif/7/1 (domain 0), rx 256/256 pages "
		       "posted, tx 0/64 in flight, sg no\n");
	assert_out_has("rx 1 frames");
	char *bad[] = {"net", "show", NULL};
	assert_int_equal(cmd_find("net")->run(2, bad), CMD_RET_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_handshake, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_frames_and_reclaim, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_buffers_come_back, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_frames_ring_kept_full, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_offset_and_multi_slot, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_csum_blank_filled, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_two_vifs_and_net_list, world_setup,
					    world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
