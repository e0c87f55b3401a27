/* netfront under the stack on a bad wire: sim/netpeer drops, duplicates,
 * reorders and corrupts frames both ways behind sim/netback.c. Pings still
 * get through, none hangs past its deadline, the device never breaks
 * (loss is not misbehaviour), and every frame netfront put on the ring
 * reached the peer well formed. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netfront_world.h"

#include <net/icmp.h>
#include <net/net.h>
#include <sim/netpeer.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct sim_netpeer *peer;
static struct sim_netback *nb;
static struct net_stack ns;

/* eth0 wired to a peer with host 10.0.0.1; the stack as 10.0.0.2/24. */
static struct netdev *vif_on_peer(const struct sim_netpeer_config *pc)
{
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, 1),
					.mac = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01}};

	peer = sim_netpeer_new(pc);
	assert_non_null(peer);
	assert_non_null(sim_netpeer_add_host(peer, &hc));
	struct netdev *dev = one_vif(&nb);
	sim_netpeer_attach_netback(peer, nb);
	assert_int_equal(net_start(&ns, dev), 0);
	ns.ip = IP4(10, 0, 0, 2);
	ns.netmask = IP4(255, 255, 255, 0);
	return dev;
}

static void test_ping_on_a_bad_wire(void **state)
{
	struct sim_netpeer_config pc = {
	    .seed = 9,
	    .to_guest = {.loss_pct = 20, .dup_pct = 20, .reorder_pct = 20, .corrupt_pct = 10},
	    .from_guest = {.loss_pct = 20, .dup_pct = 10},
	};
	struct netdev *dev = vif_on_peer(&pc);
	unsigned int alive = 0;

	for (unsigned int i = 0; i < 20; i++) {
		uint64_t t0 = arch_time_ns();
		alive += net_ping(&ns, IP4(10, 0, 0, 1), 5000) == 0;
		assert_true(arch_time_ns() - t0 <= 6 * S);
	}
	assert_true(alive >= 10);
	assert_false(dev->is_broken);
	const struct sim_netpeer_stats *st = sim_netpeer_stats(peer);
	assert_true(st->lost > 0 && st->duplicated > 0 && st->corrupted > 0);
	assert_int_equal(st->from_guest_bad, 0);
	/* Nothing of the wire's doing leaks grants or pages. */
	uint8_t buf[NETDEV_FRAME_MAX];
	size_t len;
	for (unsigned int k = 0; k < 64 && netdev_poll(dev, buf, sizeof(buf), &len) == 0; k++) {
	}
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
	/* `net list` agrees: not broken, every page posted, nothing in flight. */
	char *argv[] = {"net", "list", NULL};
	sim_console_output_clear();
	assert_int_equal(cmd_find("net")->run(2, argv), 0);
	assert_out_has("eth0 : device/vif/0 00:16:3e:01:02:03 active\n");
	assert_out_has("rx 256/256 pages posted, tx 0/64 in flight");
	assert_null(strstr(out(), "BROKEN"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ping_on_a_bad_wire, world_setup, world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
