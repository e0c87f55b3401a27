/* The stack over the real netfront and sim/netback, wired to sim/netpeer
 * (netback's TX hook feeds the peer, the peer's sink is netback's inject):
 * the whole path the lab uses, in the sandbox, from net_poll() and from the
 * shell's ping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include "console_out.h"
#include <arch/arch.h>
#include <cmd/shell.h>
#include <lib/env.h>
#include <drivers/netfront.h>
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <lib/units.h>
#include <net/icmp.h>
#include <net/net.h>
#include <net/udp.h>
#include <sim/netback.h>
#include <sim/netpeer.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct dtinfo dt;
static struct sim_netpeer *peer;
static struct sim_netback *nb;
static struct net_stack ns;

static int echo_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	sim_nethost_send_udp(h, pkt->src_mac, pkt->src, 7, pkt->sport, pkt->data, pkt->data_len);
	return 1;
}

static const struct sim_netsvc echo_svc = {.name = "echo", .proto = 17, .port = 7, .rx = echo_rx};

static int setup(void **state)
{
	uint64_t size;
	struct sim_netback_config cfg = {.mac = {0x00, 0x16, 0x3e, 1, 2, 3}};
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, 1), .mac = {0x52, 0x54, 0, 0, 0, 1}};

	if (sim_init(NULL)) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt)) {
		return -1;
	}
	dtinfo_set(&dt);
	memmap_reset();
	if (pvcons_init_from_hvm() || guest_world_xen(&dt)) {
		return -1;
	}
	peer = sim_netpeer_new(NULL);
	struct sim_nethost *h = sim_netpeer_add_host(peer, &hc);
	if (sim_nethost_add_service(h, &echo_svc, NULL)) {
		return -1;
	}
	nb = sim_netback_add(&cfg);
	sim_netpeer_attach_netback(peer, nb);
	if (netfront_probe_all() != 1 || net_start(&ns, netdev_find("eth0"))) {
		return -1;
	}
	ns.ip = IP4(10, 0, 0, 2);
	ns.netmask = IP4(255, 255, 255, 0);
	return 0;
}

static int teardown(void **state)
{
	unsigned int reset, failed;

	int rc = netfront_shutdown_report(&reset, &failed);

	(void)rc;
	guest_world_stop();
	return 0;
}

static unsigned int got, bad;

static void rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	got++;
	for (size_t i = 0; i < len; i++) {
		bad += data[i] != (uint8_t)(i * 3 + len);
	}
}

static void test_ping_and_udp(void **state)
{
	static uint8_t buf[UDP_DATA_MAX];
	struct udp_bind b = {.port = 5000, .rx = rx};

	assert_int_equal(net_ping(&ns, IP4(10, 0, 0, 1), 2000), 0);
	assert_int_equal(udp_bind(&ns, &b), 0);
	for (unsigned int n = 0; n < 300; n++) {
		size_t len = 1 + (n * 97) % UDP_DATA_MAX;

		for (size_t i = 0; i < len; i++) {
			buf[i] = (uint8_t)(i * 3 + len);
		}
		assert_int_equal(udp_send(&ns, IP4(10, 0, 0, 1), 5000, 7, buf, len), 0);
		assert_int_equal(net_poll(&ns, arch_time_ns() + 100 * NS_PER_MS), 0);
	}
	assert_int_equal(got, 300);
	assert_int_equal(bad, 0);
	assert_int_equal(sim_netpeer_stats(peer)->from_guest_bad, 0);
}

/* U-Boot's ping through the shell: the stack finds eth0 (netfront's). */
static void test_shell_ping(void **state)
{
	char line[] = "ping 10.0.0.1";

	env_clear();
	assert_int_equal(env_set("ipaddr", "10.0.0.2"), 0);
	sim_console_output_clear();
	assert_int_equal(shell_run_line(line), 0);
	assert_out_has("Using eth0 device\nhost 10.0.0.1 is alive\n");
	assert_string_equal(env_get("ethaddr"), "00:16:3e:01:02:03");
}

/* A send that finds the device's queue full waits for room with the CPU
 * given back, even while received frames wait unread (eth_send() does not
 * read them: a callback may still use ns->rx). */
static void test_tx_full_wait_gives_cpu_back(void **state)
{
	uint8_t junk[64] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0, 0, 0, 9, 0x88, 0xb5};
	uint8_t data[32] = {0};
	int rc = 0;

	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	for (unsigned int n = 0; n < 200 && rc == 0; n++) {
		rc = udp_send(&ns, NET_IP_BROADCAST, 5000, 9, data, sizeof(data));
	}
	assert_int_equal(rc, -EAGAIN);
	/* A frame arrives and sits in the RX ring. */
	assert_int_equal(sim_netback_inject(nb, junk, sizeof(junk)), 0);
	sim_wait(arch_time_ns() + NS_PER_MS);
	assert_int_equal(sim_netback_stats(nb)->rx_queued, 0);

	uint64_t idle0 = sim_stats()->idle_ns, t0 = arch_time_ns();
	assert_int_equal(udp_send(&ns, NET_IP_BROADCAST, 5000, 9, data, sizeof(data)), -EAGAIN);
	uint64_t took = arch_time_ns() - t0, idle = sim_stats()->idle_ns - idle0;
	/* Bounded, and spent asleep rather than spinning. */
	assert_true(took >= 100 * NS_PER_MS && took < 200 * NS_PER_MS);
	if (idle < took / 2) {
		fail_msg("waited %llu ns, of which only %llu idle: a spin",
			 (unsigned long long)took, (unsigned long long)idle);
	}
	assert_false(ns.dev->is_broken);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ping_and_udp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shell_ping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tx_full_wait_gives_cpu_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
