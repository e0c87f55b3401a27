/* The IP stack (net/) against the simulated peer over sim_netwire: ARP
 * (resolution with loss, the cache, replies), ping both ways, UDP round
 * trips and broadcast from 0.0.0.0, routing through the gateway, size
 * limits, and UDP under loss, duplicates, reordering and corruption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "net_world.h"
#include <net/arp.h>
#include <net/eth.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/udp.h>

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* ---- a UDP echo service on the host, port 7 ---- */
static int echo_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	unsigned int *count = ctx;

	(*count)++;
	sim_nethost_send_udp(h, pkt->src_mac, pkt->src, 7, pkt->sport, pkt->data, pkt->data_len);
	return 1;
}

static unsigned int echo_count;
static const struct sim_netsvc echo_svc = {.name = "echo", .proto = 17, .port = 7, .rx = echo_rx};

/* ---- what the guest's binding received ---- */
struct got {
	unsigned int count;
	uint32_t src;
	uint16_t sport;
	size_t len;
	uint8_t data[2048];
	bool is_bad; /* a payload that was never sent */
};

static void got_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	struct got *g = ctx;

	g->count++;
	g->src = src;
	g->sport = sport;
	g->len = len;
	memcpy(g->data, data, len < sizeof(g->data) ? len : sizeof(g->data));
}

/* ---- frames the guest sent ---- */
static struct {
	unsigned int count;
	unsigned int arp_requests;
	size_t len[64];
	uint8_t frame[64][1514];
} cap;

static void capture(void *ctx, const uint8_t *f, size_t len)
{
	if (len >= 42 && load_be16(f + 12) == 0x0806 && load_be16(f + 20) == 1) {
		cap.arp_requests++;
	}
	if (cap.count < 64) {
		cap.len[cap.count] = len;
		memcpy(cap.frame[cap.count], f, len);
	}
	cap.count++;
}

static int setup(void **state)
{
	memset(&cap, 0, sizeof(cap));
	echo_count = 0;
	if (world_up(state)) {
		return -1;
	}
	sim_netpeer_capture(w.peer, capture, NULL);
	return sim_nethost_add_service(w.host, &echo_svc, &echo_count);
}

static void test_ping_resolves_then_caches(void **state)
{
	assert_int_equal(net_ping(&w.ns, HOST_IP, 1000), 0);
	assert_int_equal(w.ns.stats.arp_requests, 1);
	assert_non_null(arp_lookup(&w.ns, HOST_IP));
	assert_memory_equal(arp_lookup(&w.ns, HOST_IP), host_mac, 6);
	assert_int_equal(net_ping(&w.ns, HOST_IP, 1000), 0);
	assert_int_equal(w.ns.stats.arp_requests, 1);
	assert_int_equal(peer_stats()->echo_replies, 2);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
	assert_int_equal(peer_stats()->from_guest_fragments, 0);
}

/* Nobody answers: ARP_TRIES requests, then -ETIMEDOUT in bounded time. */
static void test_arp_timeout_is_bounded(void **state)
{
	uint8_t mac[6];
	uint64_t t0 = arch_time_ns();

	assert_int_equal(arp_resolve(&w.ns, IP4(10, 0, 0, 99), mac), -ETIMEDOUT);
	assert_int_equal(cap.arp_requests, ARP_TRIES);
	assert_int_equal(w.ns.stats.arp_timeouts, 1);
	uint64_t ms = (arch_time_ns() - t0) / NS_PER_MS;
	assert_true(ms >= ARP_TRIES * ARP_TRY_MS && ms < ARP_TRIES * ARP_TRY_MS + 100);
	/* ping to the same silent address gives up at its own timeout. */
	t0 = arch_time_ns();
	assert_int_equal(net_ping(&w.ns, IP4(10, 0, 0, 99), 3000), -ETIMEDOUT);
	assert_true((arch_time_ns() - t0) / NS_PER_MS < 3000 + ARP_TRIES * ARP_TRY_MS);
}

/* 30 % of the frames lost each way: ping still gets through (it retries
 * ARP and echo) for every seed, and ARP needed more than one request for
 * some of them. */
static void test_arp_and_ping_with_loss(void **state)
{
	unsigned int retried = 0;

	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct sim_netfaults f = {.loss_pct = 30};
		struct sim_netpeer_config pc = {.seed = seed, .to_guest = f, .from_guest = f};

		assert_int_equal(world_up_with(&pc), 0);
		int rc = net_ping(&w.ns, HOST_IP, 10000);
		assert_int_equal(rc, 0);
		retried += w.ns.stats.arp_requests > 1;
		assert_int_equal(sim_netpeer_stats(w.peer)->from_guest_bad, 0);
	}
	assert_true(retried > 0);
}

/* The host asks for our address and for another one: only ours is
 * answered, from our MAC, and the host learns it. */
static void test_arp_replies_for_our_address_only(void **state)
{
	uint8_t mac[6];

	sim_nethost_arp_probe(w.host, IP4(10, 0, 0, 77));
	sim_nethost_arp_probe(w.host, GUEST_IP);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 100 * NS_PER_MS), 0);
	assert_int_equal(w.ns.stats.arp_replies, 1);
	assert_int_equal(w.ns.stats.rx_bad_arp, 1);
	assert_true(sim_nethost_arp_lookup(w.host, GUEST_IP, mac));
	assert_memory_equal(mac, guest_mac, 6);
	assert_false(sim_nethost_arp_lookup(w.host, IP4(10, 0, 0, 77), mac));
	/* The asker was cached on the way: no request needed to reach it. */
	assert_int_equal(net_ping(&w.ns, HOST_IP, 1000), 0);
	assert_int_equal(cap.arp_requests, 0);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
}

/* Broadcast chatter between other hosts does not fill the cache; the
 * cache keeps the most recently used entries when it is full. */
static void test_arp_cache_learns_only_what_concerns_us(void **state)
{
	uint8_t f[60] = {0};
	uint8_t *a = f + 14;

	memset(f, 0xff, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0806);
	memcpy(a, (uint8_t[]){0, 1, 8, 0, 6, 4, 0, 1}, 8);
	memcpy(a + 8, host_mac, 6);
	store_be32(a + 14, IP4(10, 0, 0, 50));
	store_be32(a + 24, IP4(10, 0, 0, 51));
	assert_int_equal(sim_netpeer_inject(w.peer, f, sizeof(f)), 0);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), -ETIMEDOUT);
	assert_null(arp_lookup(&w.ns, IP4(10, 0, 0, 50)));
	assert_int_equal(w.ns.stats.arp_replies, 0);
	/* Requests for us from NET_ARP_SLOTS + 2 hosts: the first ones go. */
	for (unsigned int i = 0; i < NET_ARP_SLOTS + 2; i++) {
		f[11] = (uint8_t)(0x10 + i);
		a[13] = (uint8_t)(0x10 + i);
		store_be32(a + 14, IP4(10, 0, 0, 100 + i));
		store_be32(a + 24, GUEST_IP);
		assert_int_equal(sim_netpeer_inject(w.peer, f, sizeof(f)), 0);
		assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	}
	assert_int_equal(w.ns.stats.arp_replies, NET_ARP_SLOTS + 2);
	assert_null(arp_lookup(&w.ns, IP4(10, 0, 0, 100)));
	assert_null(arp_lookup(&w.ns, IP4(10, 0, 0, 101)));
	for (unsigned int i = 2; i < NET_ARP_SLOTS + 2; i++) {
		const uint8_t *m = arp_lookup(&w.ns, IP4(10, 0, 0, 100 + i));

		assert_non_null(m);
		assert_int_equal(m[5], 0x10 + i);
	}
}

/* The host pings us: one reply, well formed (the peer checks), same body. */
static void test_echo_reply(void **state)
{
	uint8_t m[40];

	for (unsigned int i = 0; i < sizeof(m); i++) {
		m[i] = (uint8_t)(i * 7);
	}
	m[0] = 8;
	m[1] = 0;
	store_be16(m + 2, 0);
	store_be16(m + 2, sim_net_csum(m, sizeof(m), 0));
	sim_nethost_send_ip(w.host, guest_mac, GUEST_IP, 1, m, sizeof(m));
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	assert_int_equal(w.ns.stats.icmp_echo_replies, 1);
	assert_int_equal(cap.count, 1);
	const uint8_t *r = cap.frame[0] + 34;

	assert_memory_equal(cap.frame[0], host_mac, 6);
	assert_int_equal(load_be32(cap.frame[0] + 26), GUEST_IP);
	assert_int_equal(load_be32(cap.frame[0] + 30), HOST_IP);
	assert_int_equal(r[0], 0);
	assert_memory_equal(r + 4, m + 4, sizeof(m) - 4);
	assert_int_equal(sim_net_csum(r, sizeof(m), 0), 0);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
	/* To the broadcast address: no reply. */
	sim_nethost_send_ip(w.host, bcast_mac, 0xffffffff, 1, m, sizeof(m));
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), -ETIMEDOUT);
	assert_int_equal(w.ns.stats.icmp_echo_replies, 1);
}

/* A request with IP options: the reply has a plain 20-byte header (the
 * peer refuses anything else from us) and the same ICMP body. */
static void test_echo_reply_drops_options(void **state)
{
	uint8_t f[14 + 24 + 40] = {0};
	uint8_t *ip = f + 14, *m = ip + 24;

	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0800);
	ip[0] = 0x46;
	store_be16(ip + 2, 24 + 40);
	ip[8] = 64;
	ip[9] = 1;
	store_be32(ip + 12, HOST_IP);
	store_be32(ip + 16, GUEST_IP);
	memcpy(ip + 20, (uint8_t[]){0x94, 4, 0, 0}, 4);
	store_be16(ip + 10, sim_net_csum(ip, 24, 0));
	m[0] = 8;
	for (unsigned int i = 4; i < 40; i++) {
		m[i] = (uint8_t)(i ^ 0x3c);
	}
	store_be16(m + 2, sim_net_csum(m, 40, 0));
	assert_int_equal(sim_netpeer_inject(w.peer, f, sizeof(f)), 0);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	assert_int_equal(cap.count, 1);
	assert_int_equal(cap.len[0], 14 + 20 + 40);
	assert_int_equal(cap.frame[0][14], 0x45);
	assert_int_equal(cap.frame[0][34], 0);
	assert_memory_equal(cap.frame[0] + 34 + 4, m + 4, 36);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
	assert_int_equal(peer_stats()->echo_requests, 0);
}

static void test_udp_round_trip(void **state)
{
	static struct got g;
	struct udp_bind b = {.port = 4000, .rx = got_rx, .ctx = &g};
	struct udp_bind b2 = {.port = 4000, .rx = got_rx, .ctx = &g};

	memset(&g, 0, sizeof(g));
	assert_int_equal(udp_bind(&w.ns, &b), 0);
	assert_int_equal(udp_bind(&w.ns, &b2), -EADDRINUSE);
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, "hello", 5), 0);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	assert_int_equal(echo_count, 1);
	assert_int_equal(g.count, 1);
	assert_int_equal(g.src, HOST_IP);
	assert_int_equal(g.sport, 7);
	assert_int_equal(g.len, 5);
	assert_memory_equal(g.data, "hello", 5);
	/* The largest datagram that fits one frame, and one byte more. */
	static uint8_t big[UDP_DATA_MAX + 1];

	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (uint8_t)(i * 13 + 1);
	}
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, big, UDP_DATA_MAX + 1), -EMSGSIZE);
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, big, UDP_DATA_MAX), 0);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	assert_int_equal(g.len, UDP_DATA_MAX);
	assert_memory_equal(g.data, big, UDP_DATA_MAX);
	assert_int_equal(cap.len[cap.count - 1], 1514);
	/* Unbound: counted, not delivered. */
	udp_unbind(&w.ns, &b);
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, "x", 1), 0);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), -ETIMEDOUT);
	assert_int_equal(g.count, 2);
	assert_int_equal(w.ns.stats.rx_no_port, 1);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
	assert_int_equal(peer_stats()->from_guest_fragments, 0);
}

static int dhcp_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	struct got *g = ctx;

	g->count++;
	g->src = pkt->src;
	g->sport = pkt->sport;
	g->len = pkt->data_len;
	return 1;
}

/* DHCP's first packet: from 0.0.0.0 to 255.255.255.255 without ARP. */
static void test_udp_broadcast_without_address(void **state)
{
	static struct got g;
	static const struct sim_netsvc svc = {
	    .name = "dhcp", .proto = 17, .port = 67, .rx = dhcp_rx};

	memset(&g, 0, sizeof(g));
	assert_int_equal(sim_nethost_add_service(w.host, &svc, &g), 0);
	w.ns.ip = 0;
	assert_int_equal(udp_send(&w.ns, HOST_IP, 68, 67, "discover", 8), -EADDRNOTAVAIL);
	assert_int_equal(udp_send(&w.ns, NET_IP_BROADCAST, 68, 67, "discover", 8), 0);
	assert_int_equal(g.count, 1);
	assert_int_equal(g.src, 0);
	assert_int_equal(g.sport, 68);
	assert_int_equal(cap.arp_requests, 0);
	assert_memory_equal(cap.frame[0], bcast_mac, 6);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
}

/* Off-link goes through the gateway's MAC; without one, -ENXIO. */
static void test_gateway(void **state)
{
	struct sim_nethost_config far = {
	    .ip = IP4(192, 168, 7, 9), .is_remote = true, .mac = {0x52, 0x54, 0, 0xcc, 0, 9}};

	assert_non_null(sim_netpeer_add_host(w.peer, &far));
	assert_int_equal(net_ping(&w.ns, far.ip, 1000), -ENXIO);
	w.ns.gateway = HOST_IP;
	assert_int_equal(net_ping(&w.ns, far.ip, 1000), 0);
	assert_int_equal(cap.arp_requests, 1);
	assert_int_equal(load_be32(cap.frame[0] + 38), HOST_IP);
	assert_memory_equal(cap.frame[1], host_mac, 6);
	assert_int_equal(load_be32(cap.frame[1] + 30), far.ip);
	/* Our own and group addresses are refused. */
	assert_int_equal(ip_send(&w.ns, GUEST_IP, 17, "", 0), -EINVAL);
	assert_int_equal(ip_send(&w.ns, IP4(224, 0, 0, 1), 17, "", 0), -EINVAL);
	assert_int_equal(ip_send(&w.ns, HOST_IP, 17, "", NET_L4_MAX + 1), -EMSGSIZE);
}

/* 60 datagrams through 20 % duplicates, reordering and corruption each
 * way: whatever is delivered is exactly something that was sent. */
static struct got fault_got;
static unsigned int fault_seen[60];

static void fault_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	unsigned int n;
	char want[64];

	if (len != 40 || sscanf((const char *)data, "datagram %u", &n) != 1 || n >= 60) {
		fault_got.is_bad = true;
		return;
	}
	snprintf(want, sizeof(want), "datagram %u %-28s", n, "padding");
	if (memcmp(want, data, 40)) {
		fault_got.is_bad = true;
	}
	fault_seen[n]++;
	fault_got.count++;
}

static void test_udp_with_faults(void **state)
{
	struct sim_netfaults f = {.dup_pct = 20, .reorder_pct = 20, .corrupt_pct = 20};
	struct udp_bind b = {.port = 4001, .rx = fault_rx};
	unsigned int distinct = 0;

	sim_netpeer_set_faults(w.peer, &f, &f);
	assert_int_equal(udp_bind(&w.ns, &b), 0);
	assert_int_equal(net_ping(&w.ns, HOST_IP, 5000), 0); /* ARP first */
	for (unsigned int i = 0; i < 60; i++) {
		char msg[64];

		snprintf(msg, sizeof(msg), "datagram %u %-28s", i, "padding");
		assert_int_equal(udp_send(&w.ns, HOST_IP, 4001, 7, msg, 40), 0);
		while (net_poll(&w.ns, arch_time_ns() + 5 * NS_PER_MS) == 0) {
		}
	}
	assert_false(fault_got.is_bad);
	for (unsigned int i = 0; i < 60; i++) {
		distinct += fault_seen[i] > 0;
	}
	assert_true(distinct > 30);
	assert_true(peer_stats()->corrupted > 0 && peer_stats()->duplicated > 0 &&
		    peer_stats()->reordered > 0);
	assert_true(w.ns.stats.rx_bad_csum + w.ns.stats.rx_bad_ip + w.ns.stats.rx_bad_eth > 0);
}

/* A device that stays full: the send gives up after ETH_TX_WAIT_MS. */
static void test_device_full(void **state)
{
	uint64_t t0;

	assert_int_equal(net_ping(&w.ns, HOST_IP, 1000), 0);
	w.wire.is_tx_full = true;
	t0 = arch_time_ns();
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, "x", 1), -EAGAIN);
	uint64_t ms = (arch_time_ns() - t0) / NS_PER_MS;

	assert_true(ms >= ETH_TX_WAIT_MS && ms < ETH_TX_WAIT_MS + 20);
	assert_int_equal(w.ns.stats.tx_errors, 1);
	w.wire.is_tx_full = false;
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, "x", 1), 0);
	assert_int_equal(echo_count, 1);
}

/* While ip_send() waits for ARP, other IPv4 is dropped (rx_busy), ARP is
 * answered, and neither ns->rx (a callback may be reading it) nor ns->tx
 * (the datagram waiting to go) is touched. */
static void test_resolution_leaves_buffers_alone(void **state)
{
	static struct got g;
	struct udp_bind b = {.port = 4000, .rx = got_rx, .ctx = &g};
	static uint8_t rx_before[sizeof(w.ns.rx)];

	memset(&g, 0, sizeof(g));
	assert_int_equal(udp_bind(&w.ns, &b), 0);
	/* A datagram for port 4000 waits in the queue, then the host's ARP. */
	sim_nethost_send_udp(w.host, guest_mac, GUEST_IP, 7, 4000, "early", 5);
	memset(w.ns.rx, 0x5a, sizeof(w.ns.rx));
	memcpy(rx_before, w.ns.rx, sizeof(rx_before));
	assert_int_equal(udp_send(&w.ns, HOST_IP, 4000, 7, "late", 4), 0);
	assert_memory_equal(w.ns.rx, rx_before, sizeof(rx_before));
	assert_int_equal(w.ns.stats.rx_busy, 1);
	assert_int_equal(g.count, 0);
	/* The datagram that waited reached the echo service whole. */
	assert_int_equal(echo_count, 1);
	assert_int_equal(net_poll(&w.ns, arch_time_ns() + 50 * NS_PER_MS), 0);
	assert_int_equal(g.count, 1);
	assert_memory_equal(g.data, "late", 4);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
}

static int sink_frames;

static int sink(void *ctx, const uint8_t *f, size_t len)
{
	sink_frames++;
	return sink_frames > 1; /* room for one */
}

/* With a sink (sim/netback.c's inject), frames bypass the queue. */
static void test_sink(void **state)
{
	sim_netpeer_set_sink(w.peer, sink, NULL);
	sim_nethost_arp_probe(w.host, GUEST_IP);
	sim_nethost_arp_probe(w.host, GUEST_IP);
	assert_int_equal(sink_frames, 2);
	assert_int_equal(sim_netpeer_pending(w.peer), 0);
	assert_int_equal(peer_stats()->to_guest, 1);
	assert_int_equal(peer_stats()->overflow, 1);
}

/* inet_csum() equals the peer's independent byte-wise checksum for every
 * length and alignment, with and without a pseudo-header sum. */
static void test_inet_csum(void **state)
{
	static uint8_t buf[1600];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	memset(buf + 100, 0xff, 200);
	for (size_t off = 0; off < 4; off++) {
		for (size_t len = 0; len < 1500; len += len < 80 ? 1 : 37) {
			uint32_t ps = inet_pseudo_sum(0xc0a80001u, 0xffffffffu, 17, (uint16_t)len);

			assert_int_equal(inet_csum(buf + off, len, 0),
					 sim_net_csum(buf + off, len, 0));
			assert_int_equal(
			    inet_csum(buf + off, len, ps),
			    sim_net_csum(buf + off, len,
					 sim_net_pseudo(0xc0a80001u, 0xffffffffu, 17, len)));
		}
	}
}

static void test_ip_parse(void **state)
{
	static const char *const bad[] = {"",	       "1.2.3",	   "1.2.3.4.",	  "1.2.3.4.5",
					  "256.1.1.1", "1..2.3",   "01234.1.1.1", "1.2.3.4 ",
					  "a.b.c.d",   "-1.2.3.4", "1.2.3.0x4"};
	uint32_t ip;
	char buf[16];

	assert_int_equal(net_ip_parse("10.0.0.1", &ip), 0);
	assert_int_equal(ip, HOST_IP);
	assert_int_equal(net_ip_parse("255.255.255.255", &ip), 0);
	assert_int_equal(ip, 0xffffffffu);
	assert_string_equal(net_ip_format(IP4(192, 168, 0, 254), buf), "192.168.0.254");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(net_ip_parse(bad[i], &ip), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ping_resolves_then_caches, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_arp_timeout_is_bounded, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_arp_and_ping_with_loss, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_arp_replies_for_our_address_only, setup,
					    world_down),
	    cmocka_unit_test_setup_teardown(test_arp_cache_learns_only_what_concerns_us, setup,
					    world_down),
	    cmocka_unit_test_setup_teardown(test_echo_reply, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_echo_reply_drops_options, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_udp_round_trip, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_udp_broadcast_without_address, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_gateway, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_udp_with_faults, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_device_full, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_resolution_leaves_buffers_alone, setup,
					    world_down),
	    cmocka_unit_test_setup_teardown(test_sink, setup, world_down),
	    cmocka_unit_test(test_inet_csum),
	    cmocka_unit_test(test_ip_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
