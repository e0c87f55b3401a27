/* TCP segments against an open connection: each input is a series of
 * records, each a segment (flags, sequence and ACK numbers near the
 * connection's own, window, options, payload, a good or bad checksum) fed
 * to tcp_input(), or a read / a jump in time. The connection is a real one,
 * opened by tcp_connect() to the simulated server, with a request queued so
 * ACK processing has data to work on. Checks the ring and the held ranges
 * after every record. */
#include "fuzz.h"
#include <arch/arch.h>
#include <drivers/pvcons.h>
#include <lib/be.h>
#include <net/ip.h>
#include <net/net.h>
#include <net/tcp.h>
#include <sim/netpeer.h>
#include <sim/netpeer_tcp.h>
#include <sim/sim.h>
#include <string.h>

#define HOST_IP 0x0a000001u
#define GUEST_IP 0x0a000002u

static struct {
	bool is_up;
	struct sim_netpeer *peer;
	struct sim_nethost *host;
	struct sim_netwire wire;
	struct net_stack ns;
} f;

static int world_up(void)
{
	static const uint8_t gmac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};
	struct sim_nethost_config hc = {.ip = HOST_IP, .mac = {0x52, 0x54, 0, 0xaa, 0xbb, 1}};
	struct sim_tcp_server_config sc = {0};

	if (f.is_up) {
		sim_reset(); /* a fresh wire, server and clock for every input */
	}
	if (sim_init(NULL) || pvcons_init_from_hvm()) {
		return -1;
	}
	f.peer = sim_netpeer_new(NULL);
	f.host = sim_netpeer_add_host(f.peer, &hc);
	sim_netwire_init(&f.wire, f.peer, "eth0", gmac);
	if (!f.host || net_start(&f.ns, &f.wire.dev) || !sim_tcp_server_add(f.host, &sc)) {
		return -1;
	}
	f.ns.ip = GUEST_IP;
	f.ns.netmask = 0xffffff00u;
	f.is_up = true;
	return 0;
}

static void check(const struct tcp_conn *c)
{
	size_t free = c->rsize - c->rlen;

	fuzz_check(c->rlen <= c->rsize && c->rhead < c->rsize);
	fuzz_check(c->ooo_count <= TCP_OOO_MAX && c->slen <= TCP_SBUF_SIZE);
	for (unsigned int i = 0; i < c->ooo_count; i++) {
		const struct tcp_range *r = &c->ooo[i];

		fuzz_check((int32_t)(r->start - c->rcv_nxt) > 0);
		fuzz_check((int32_t)(r->end - r->start) > 0);
		fuzz_check(r->end - c->rcv_nxt <= free);
	}
}

/* One record: 8 header bytes, then payload and options taken from the input. */
static size_t feed(struct tcp_conn *c, const uint8_t *d, size_t n)
{
	uint8_t seg[60 + TCP_MSS_MAX] = {0}, flags = d[0] & 0x3f;
	size_t olen = (d[7] & 0x0f) * 4, dlen = (size_t)d[6] * 6, used = 8;
	int32_t dseq = (int16_t)load_be16(d + 1) * ((d[7] & 0x10) ? 4096 : 1);

	if (dlen > TCP_MSS_MAX) {
		dlen = TCP_MSS_MAX;
	}
	olen = olen > 40 ? 40 : olen;
	store_be16(seg, c->rport);
	store_be16(seg + 2, c->lport);
	store_be32(seg + 4, c->rcv_nxt + (uint32_t)dseq);
	store_be32(seg + 8, c->snd_una + (uint32_t)(int8_t)d[3]);
	seg[12] = (uint8_t)((20 + olen) / 4) << 4;
	seg[13] = flags;
	store_be16(seg + 14, load_be16(d + 4));
	for (size_t i = 0; i < olen + dlen && used < n; i++) {
		seg[20 + i] = d[used++];
	}
	size_t len = 20 + olen + dlen;

	store_be16(seg + 16,
		   inet_csum(seg, len, inet_pseudo_sum(HOST_IP, GUEST_IP, 6, (uint16_t)len)));
	if (d[0] & 0x40) {
		seg[17] ^= 0x5a; /* a bad checksum: must change nothing */
	}
	(void)tcp_input(&f.ns, HOST_IP, GUEST_IP, seg, len);
	return used;
}

static void fuzz_tcp(const uint8_t *data, size_t size)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n";
	static uint8_t sink[1 << 16];
	struct tcp_conn c;
	size_t pos = 0, got;

	if (world_up()) {
		__builtin_trap();
	}
	if (tcp_connect(&f.ns, &c, HOST_IP, 80, 2000)) {
		return; /* the server's slots are all busy: not this input's fault */
	}
	if (tcp_send(&c, req, sizeof(req) - 1, 100)) {
		tcp_abort(&c);
		return;
	}
	while (size - pos >= 8) {
		if ((data[pos] & 0xc0) == 0xc0) {
			int rc = tcp_recv(&c, sink, 1 + data[pos + 1] * 256u, &got, data[pos] & 3);

			(void)rc;
			sim_time_advance((uint64_t)data[pos + 2] << 20);
			pos += 3;
		} else {
			pos += feed(&c, data + pos, size - pos);
		}
		check(&c);
	}
	tcp_abort(&c);
	fuzz_check(f.ns.tcp_conns == NULL);
}

FUZZ_TARGET(fuzz_tcp)
