/* Frames into the IP stack through net_poll(), as a network would send
 * them (Ethernet, ARP, IPv4, ICMP, UDP; TCP reaches tcp_input()).
 *
 * Input: one flags byte (bit 0: no address yet, as during DHCP; bit 1: no
 * UDP binding; bit 2: first send a datagram to 10.0.0.1, so the frames go
 * through ARP resolution until a reply resolves it), then frames, each a le16 length and that many
 * bytes (the last one takes what is left). A device hands them to the stack one by one; what the
 * stack sends back (ARP and echo replies) is checked: a whole frame from our MAC. Every received
 * frame must count exactly once. */
#include <fuzz.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <net/net.h>
#include <net/udp.h>
#include <sim/sim.h>
#include <string.h>

static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};

static struct {
	const uint8_t *data;
	size_t size;
	size_t delivered; /* bytes handed to UDP bindings */
} in;

static int fz_send(struct netdev *dev, const void *frame, size_t len)
{
	fuzz_check(len >= 60 && len <= NETDEV_FRAME_MAX);
	fuzz_check(memcmp((const uint8_t *)frame + 6, mac, 6) == 0);
	return 0;
}

static int fz_poll(struct netdev *dev, void *buf, size_t size, size_t *len)
{
	size_t n;

	if (in.size < 2) {
		return -EAGAIN;
	}
	n = (size_t)in.data[0] | (size_t)in.data[1] << 8;
	in.data += 2;
	in.size -= 2;
	n = MIN(MIN(n, in.size), (size_t)NETDEV_FRAME_MAX);
	memcpy(buf, in.data, n);
	in.data += n;
	in.size -= n;
	*len = n;
	return 0;
}

/* Nothing more will come: let the deadline pass at once. */
static void fz_wait(struct netdev *dev, uint64_t deadline_ns)
{
	uint64_t now = sim_time_ns();

	if (deadline_ns > now) {
		sim_time_advance(deadline_ns - now);
	}
}

static const struct netdev_ops fz_ops = {.send = fz_send, .poll = fz_poll, .wait = fz_wait};

static void fz_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	struct net_stack *ns = ctx;

	/* The payload lies inside the receive buffer. */
	fuzz_check(data >= ns->rx && data + len <= ns->rx + sizeof(ns->rx));
	for (size_t i = 0; i < len; i++) {
		in.delivered += data[i] != 0x5a;
	}
}

static void net_input_fuzz(const uint8_t *data, size_t size)
{
	static struct netdev dev = {.name = "fz0", .ops = &fz_ops};
	static struct net_stack ns;
	struct udp_bind b = {.port = 4000, .rx = fz_rx, .ctx = &ns};

	if (size < 1) {
		return;
	}
	memcpy(dev.mac, mac, 6);
	if (net_start(&ns, &dev)) {
		return;
	}
	if (!(data[0] & 1)) {
		ns.ip = 0x0a000002;
		ns.netmask = 0xffffff00;
		ns.gateway = 0x0a000001;
	}
	if (!(data[0] & 2) && udp_bind(&ns, &b)) {
		return;
	}
	in.data = data + 1;
	in.size = size - 1;
	if (data[0] & 4) {
		int rc = udp_send(&ns, 0x0a000001, 4000, 7, "x", 1);

		fuzz_check(rc == 0 || rc == -ETIMEDOUT || rc == -EADDRNOTAVAIL);
		fuzz_check(rc != 0 || ns.stats.arp_requests >= 1);
	}
	while (net_poll(&ns, 0) == 0) {
	}
	const struct net_counters *c = &ns.stats;

	fuzz_check(c->rx_frames == c->rx_handled + c->rx_bad_eth + c->rx_bad_arp + c->rx_bad_ip +
				       c->rx_bad_csum + c->rx_fragments + c->rx_not_ours +
				       c->rx_no_port + c->rx_busy);
}

FUZZ_TARGET(net_input_fuzz)
