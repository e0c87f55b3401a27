/* Hostile frames into the stack's input path (net_poll): truncated
 * headers, lying lengths, bad checksums, IP options, fragments, wrong or
 * group addresses, malformed ARP and ICMP. Each case starts from a valid
 * UDP datagram to a bound port, breaks one thing, and checks that the
 * datagram is (or, for the harmless variants, is still) delivered intact,
 * which drop counter moved, and that every frame counts exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net_world.h"
#include <net/icmp.h>
#include <net/ip.h>
#include <net/udp.h>

#define PAYLOAD "payload!"
#define PLEN 8
#define FLEN (14 + 20 + 8 + PLEN)

static struct {
	unsigned int count;
	size_t len;
	uint8_t data[64];
} got;

static void got_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	got.count++;
	got.len = len;
	memcpy(got.data, data, len < sizeof(got.data) ? len : sizeof(got.data));
}

static struct udp_bind bind4000 = {.port = 4000, .rx = got_rx};

static int setup(void **state)
{
	memset(&got, 0, sizeof(got));
	if (world_up(state)) {
		return -1;
	}
	return udp_bind(&w.ns, &bind4000);
}

static void fix_ip(uint8_t *f)
{
	uint8_t *ip = f + 14;
	size_t hlen = (ip[0] & 0xfu) * 4;

	store_be16(ip + 10, 0);
	store_be16(ip + 10, sim_net_csum(ip, hlen, 0));
}

static void fix_udp(uint8_t *f)
{
	uint8_t *ip = f + 14;
	uint8_t *u = ip + (ip[0] & 0xfu) * 4;
	size_t n = load_be16(u + 4);

	store_be16(u + 6, 0);
	uint16_t s =
	    sim_net_csum(u, n, sim_net_pseudo(load_be32(ip + 12), load_be32(ip + 16), 17, n));
	store_be16(u + 6, s ? s : 0xffff);
}

/* A valid datagram host:5000 -> guest:4000. */
static size_t build(uint8_t *f)
{
	uint8_t *ip = f + 14, *u = ip + 20;

	memset(f, 0, 1514);
	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	store_be16(ip + 2, 20 + 8 + PLEN);
	store_be16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = 17;
	store_be32(ip + 12, HOST_IP);
	store_be32(ip + 16, GUEST_IP);
	store_be16(u, 5000);
	store_be16(u + 2, 4000);
	store_be16(u + 4, 8 + PLEN);
	memcpy(u + 8, PAYLOAD, PLEN);
	fix_udp(f);
	fix_ip(f);
	return FLEN;
}

static uint64_t outcomes(void)
{
	const struct net_counters *c = &w.ns.stats;

	return c->rx_handled + c->rx_bad_eth + c->rx_bad_arp + c->rx_bad_ip + c->rx_bad_csum +
	       c->rx_fragments + c->rx_not_ours + c->rx_no_port + c->rx_busy;
}

#define OFF(field) offsetof(struct net_counters, field)
#define HANDLED OFF(rx_handled)

static uint64_t counter(size_t off)
{
	return *(const uint64_t *)((const uint8_t *)&w.ns.stats + off);
}

/* Inject @f and check where it went. */
static void expect(const char *name, const uint8_t *f, size_t len, size_t off)
{
	uint64_t before = counter(off), frames = w.ns.stats.rx_frames;
	unsigned int delivered = got.count;

	assert_int_equal(sim_netpeer_inject(w.peer, f, len), 0);
	int rc = net_poll(&w.ns, arch_time_ns() + 20 * NS_PER_MS);

	if (counter(off) != before + 1 || w.ns.stats.rx_frames != frames + 1) {
		fail_msg("%s: counter at %zu did not move (rc %d)", name, off, rc);
	}
	assert_int_equal(outcomes(), w.ns.stats.rx_frames);
	if (off == HANDLED) {
		assert_int_equal(rc, 0);
	}
	if (off == HANDLED && load_be16(f + 12) == 0x0800) {
		assert_int_equal(got.count, delivered + 1);
		assert_int_equal(got.len, PLEN);
		assert_memory_equal(got.data, PAYLOAD, PLEN);
	} else if (off != HANDLED) {
		assert_int_equal(rc, -ETIMEDOUT);
		if (got.count != delivered) {
			fail_msg("%s: delivered", name);
		}
	}
}

static void test_valid_variants(void **state)
{
	uint8_t f[1514];
	size_t len = build(f);

	expect("valid", f, len, HANDLED);
	/* Ethernet padding after the datagram is cut off by the IP length. */
	expect("padded", f, 60, HANDLED);
	/* UDP checksum 0: none computed. */
	store_be16(f + 40, 0);
	expect("no udp csum", f, len, HANDLED);
	/* Trailing bytes inside the IP payload beyond the UDP length. */
	len = build(f);
	store_be16(f + 16, 20 + 8 + PLEN + 6);
	fix_ip(f);
	expect("udp shorter than ip payload", f, len + 6, HANDLED);
	/* The subnet broadcast and the limited broadcast are ours too. */
	len = build(f);
	store_be32(f + 30, IP4(10, 0, 0, 255));
	fix_udp(f);
	fix_ip(f);
	expect("subnet broadcast", f, len, HANDLED);
	memset(f, 0xff, 6);
	store_be32(f + 30, 0xffffffff);
	fix_udp(f);
	fix_ip(f);
	expect("broadcast", f, len, HANDLED);
}

/* IP options are skipped (the header checksum covers them). */
static void test_ip_options(void **state)
{
	uint8_t f[1514], g[1514];
	size_t len = build(g);

	memcpy(f, g, 34);
	memcpy(f + 34, (uint8_t[]){1, 1, 1, 0, 0x94, 4, 0, 0}, 8); /* NOPs, EOL, router alert */
	memcpy(f + 42, g + 34, len - 34);
	f[14] = 0x47;
	store_be16(f + 16, 28 + 8 + PLEN);
	fix_ip(f);
	expect("options", f, len + 8, HANDLED);
	/* An IHL that runs past the packet. */
	f[14] = 0x4f;
	fix_ip(f);
	expect("ihl past total", f, len + 8, OFF(rx_bad_ip));
}

static void test_truncated(void **state)
{
	uint8_t f[1514];
	size_t len = build(f);

	for (size_t n = 0; n < len; n++) {
		size_t off = n < 14 ? OFF(rx_bad_eth) : OFF(rx_bad_ip);

		expect("truncated", f, n, off);
	}
}

struct mutation {
	const char *name;
	size_t at; /* byte offset */
	uint8_t value;
	bool is_fixed; /* recompute the checksums after */
	size_t counter;
};

static const struct mutation mutations[] = {
    {"version 6", 14, 0x65, true, OFF(rx_bad_ip)},
    {"ihl 4", 14, 0x44, true, OFF(rx_bad_ip)},
    {"total length past frame", 16, 0x40, true, OFF(rx_bad_ip)},
    {"total length below header", 17, 19, true, OFF(rx_bad_ip)},
    {"ip checksum", 24, 0x55, false, OFF(rx_bad_csum)},
    {"udp checksum", 40, 0x55, false, OFF(rx_bad_csum)},
    {"payload byte", 45, 'X', false, OFF(rx_bad_csum)},
    {"udp length past packet", 39, 8 + PLEN + 1, true, OFF(rx_bad_ip)},
    {"udp length below header", 39, 7, true, OFF(rx_bad_ip)},
    {"more fragments", 20, 0x20, true, OFF(rx_fragments)},
    {"fragment offset", 21, 0x01, true, OFF(rx_fragments)},
    {"dst mac", 5, 0x57, false, OFF(rx_bad_eth)},
    {"group dst mac", 0, 0x01, false, OFF(rx_bad_eth)},
    {"group src mac", 6, 0x01, false, OFF(rx_bad_eth)},
    {"vlan", 12, 0x81, false, OFF(rx_bad_eth)},
    {"dst ip", 33, 3, true, OFF(rx_not_ours)},
    {"src multicast", 26, 224, true, OFF(rx_bad_ip)},
    {"src ourselves", 29, 2, true, OFF(rx_bad_ip)},
    {"protocol 99", 23, 99, true, OFF(rx_no_port)},
    {"tcp before net/tcp.c", 23, 6, true, OFF(rx_no_port)},
    {"port unbound", 37, 0xa1, true, OFF(rx_no_port)},
};

static void test_mutations(void **state)
{
	uint8_t f[1514];

	for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];
		size_t len = build(f);

		f[m->at] = m->value;
		if (m->is_fixed) {
			if ((f[14] & 0xf) >= 5 && load_be16(f + 38) >= 8 &&
			    load_be16(f + 38) <= 16) {
				fix_udp(f);
			}
			fix_ip(f);
		}
		expect(m->name, f, len, m->counter);
	}
	/* DF alone is not a fragment. */
	size_t len = build(f);

	f[20] = 0x40;
	fix_ip(f);
	expect("df", f, len, HANDLED);
}

static void test_bad_arp_and_icmp(void **state)
{
	uint8_t f[60] = {0};
	uint8_t *a = f + 14;
	static const uint8_t good[8] = {0, 1, 8, 0, 6, 4, 0, 1};

	memset(f, 0xff, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0806);
	memcpy(a, good, 8);
	memcpy(a + 8, host_mac, 6);
	store_be32(a + 14, HOST_IP);
	store_be32(a + 24, GUEST_IP);
	for (size_t i = 0; i < 8; i++) {
		a[i] ^= 0x10;
		expect("arp header", f, 60, OFF(rx_bad_arp));
		a[i] ^= 0x10;
	}
	expect("arp truncated", f, 14 + 27, OFF(rx_bad_arp));
	a[8] = 0x01; /* group sender MAC: never cached, never answered */
	expect("arp group sender", f, 60, OFF(rx_bad_arp));
	a[8] = host_mac[0];
	expect("arp ok", f, 60, HANDLED);
	assert_int_equal(w.ns.stats.arp_replies, 1);

	uint8_t g[1514];
	size_t len = build(g);

	g[23] = 1; /* ICMP: echo request with a bad checksum, then too short */
	memcpy(g + 34, (uint8_t[]){8, 0, 0, 0, 0, 1, 0, 1}, 8);
	fix_ip(g);
	expect("icmp checksum", g, len, OFF(rx_bad_csum));
	store_be16(g + 16, 20 + 4);
	fix_ip(g);
	expect("icmp short", g, 14 + 24, OFF(rx_bad_ip));
	assert_int_equal(w.ns.stats.icmp_echo_replies, 0);
}

/* A flood of frames that are not for us ends at the deadline. */
static void test_flood_keeps_deadline(void **state)
{
	uint8_t f[1514];
	size_t len = build(f);

	f[5] ^= 1;
	for (int i = 0; i < SIM_NET_QUEUE; i++) {
		assert_int_equal(sim_netpeer_inject(w.peer, f, len), 0);
	}
	uint64_t t0 = arch_time_ns();

	assert_int_equal(net_poll(&w.ns, t0), -ETIMEDOUT);
	assert_true(w.ns.stats.rx_frames >= 1);
	assert_true(arch_time_ns() - t0 < NS_PER_MS);
}

/* A device whose every poll brings an ARP request for our address (each
 * one handled: answered) and takes 1 ms, for at most FLOOD_FRAMES frames. */
#define FLOOD_FRAMES 60000

static unsigned int flood_left;

static int flood_send(struct netdev *dev, const void *frame, size_t len)
{
	return 0;
}

static int flood_poll(struct netdev *dev, void *buf, size_t size, size_t *len)
{
	static const uint8_t req[42] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0,	  0xaa, 0xbb, 7,    0x08, 0x06,
	    0,	  1,	8,    0,    6,	  4,	0,    1,    0x52, 0x54, 0,    0xaa, 0xbb, 7,
	    10,	  0,	0,    7,    0,	  0,	0,    0,    0,	  0,	10,   0,    0,	  2};

	if (!flood_left) {
		return -EAGAIN;
	}
	flood_left--;
	sim_time_advance(NS_PER_MS);
	memcpy(buf, req, sizeof(req));
	*len = sizeof(req);
	return 0;
}

static void flood_wait(struct netdev *dev, uint64_t deadline_ns)
{
	sim_wait(deadline_ns);
}

static const struct netdev_ops flood_ops = {
    .send = flood_send, .poll = flood_poll, .wait = flood_wait};

/* A flood of frames the stack handles (not what it waits for) must not
 * keep ARP resolution or ping past their deadlines: net_poll() returns 0
 * for each of them, whatever the time. */
static void test_handled_flood_keeps_deadline(void **state)
{
	struct netdev dev = {.name = "flood", .mac = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56}};
	static struct net_stack ns;

	dev.ops = &flood_ops;
	assert_int_equal(net_start(&ns, &dev), 0);
	ns.ip = GUEST_IP;
	ns.netmask = IP4(255, 255, 255, 0);
	/* ARP: 4 tries of 500 ms. */
	flood_left = FLOOD_FRAMES;
	uint64_t t0 = arch_time_ns();
	assert_int_equal(net_ping(&ns, HOST_IP, 1000), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 3 * NS_PER_SEC);
	/* Ping itself, the host already in the cache. */
	ns.arp[0].ip = HOST_IP;
	memcpy(ns.arp[0].mac, host_mac, 6);
	flood_left = FLOOD_FRAMES;
	t0 = arch_time_ns();
	assert_int_equal(net_ping(&ns, HOST_IP, 2000), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 3 * NS_PER_SEC);
	assert_true(ns.stats.arp_replies > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_valid_variants, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_ip_options, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_truncated, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_mutations, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_bad_arp_and_icmp, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_flood_keeps_deadline, setup, world_down),
	    cmocka_unit_test_setup_teardown(test_handled_flood_keeps_deadline, setup, world_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
