/* The hosts of the simulated wire (sim/netpeer.h): ARP, ICMP echo, the
 * checks of every frame the guest sends, and dispatch to services. Its
 * parsing is written apart from net/, so a bug there shows here. */
#include "netpeer_internal.h"

uint16_t sim_net_csum(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;
	uint64_t s = sum;

	for (size_t i = 0; i < len; i++) {
		s += i & 1 ? b[i] : (uint32_t)b[i] << 8;
	}
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

uint32_t sim_net_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + (uint32_t)len;
}

/* The MAC a host's frames come from: its own, or its router's. */
static const uint8_t *host_src_mac(struct sim_nethost *h)
{
	if (h->cfg.is_remote) {
		for (unsigned int i = 0; i < h->peer->host_count; i++) {
			if (h->peer->hosts[i].cfg.is_router) {
				return h->peer->hosts[i].cfg.mac;
			}
		}
	}
	return h->cfg.mac;
}

int sim_nethost_send_ip(struct sim_nethost *h, const uint8_t *dst_mac, uint32_t dst, uint8_t proto,
			const void *l4, size_t len)
{
	uint8_t f[SIM_NET_FRAME_MAX];
	uint8_t *ip = f + ETH_HLEN;

	if (len > SIM_NET_FRAME_MAX - ETH_HLEN - IP_HLEN) {
		return -1;
	}
	eth_fill(f, dst_mac, host_src_mac(h), 0x0800);
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + len));
	put16(ip + 4, h->ip_id++);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, h->cfg.ip);
	put32(ip + 16, dst);
	put16(ip + 10, sim_net_csum(ip, IP_HLEN, 0));
	memcpy(ip + IP_HLEN, l4, len);
	netpeer_to_guest(h->peer, f, ETH_HLEN + IP_HLEN + len);
	return 0;
}

int sim_nethost_send_udp(struct sim_nethost *h, const uint8_t *dst_mac, uint32_t dst,
			 uint16_t sport, uint16_t dport, const void *data, size_t len)
{
	uint8_t u[SIM_NET_FRAME_MAX];
	uint16_t sum;

	if (len > SIM_NET_FRAME_MAX - ETH_HLEN - IP_HLEN - 8) {
		return -1;
	}
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + len));
	put16(u + 6, 0);
	memcpy(u + 8, data, len);
	sum = sim_net_csum(u, 8 + len, sim_net_pseudo(h->cfg.ip, dst, 17, 8 + len));
	put16(u + 6, sum ? sum : 0xffff);
	return sim_nethost_send_ip(h, dst_mac, dst, 17, u, 8 + len);
}

static struct sim_nethost *host_by_ip(struct sim_netpeer *p, uint32_t ip)
{
	for (unsigned int i = 0; i < p->host_count; i++) {
		if (p->hosts[i].cfg.ip == ip) {
			return &p->hosts[i];
		}
	}
	return NULL;
}

static void host_arp_learn(struct sim_nethost *h, uint32_t ip, const uint8_t *mac)
{
	unsigned int slot = 0;

	for (unsigned int i = 0; i < HOST_ARP_SLOTS; i++) {
		if (h->arp[i].ip == ip || !h->arp[i].ip) {
			slot = i;
			break;
		}
	}
	h->arp[slot].ip = ip;
	memcpy(h->arp[slot].mac, mac, 6);
}

static void arp_send(struct sim_nethost *h, uint16_t op, const uint8_t *dst_mac, const uint8_t *tha,
		     uint32_t tpa)
{
	uint8_t f[ETH_HLEN + ARP_LEN];
	uint8_t *a = f + ETH_HLEN;
	static const uint8_t hdr[6] = {0, 1, 8, 0, 6, 4};

	eth_fill(f, dst_mac, h->cfg.mac, 0x0806);
	memcpy(a, hdr, 6);
	put16(a + 6, op);
	memcpy(a + 8, h->cfg.mac, 6);
	put32(a + 14, h->cfg.ip);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	netpeer_to_guest(h->peer, f, sizeof(f));
}

static void arp_from_guest(struct sim_netpeer *p, const uint8_t *f, size_t len, bool is_hurt)
{
	const uint8_t *a = f + ETH_HLEN;
	static const uint8_t hdr[6] = {0, 1, 8, 0, 6, 4};
	uint16_t op;

	if (len < ETH_HLEN + ARP_LEN || memcmp(a, hdr, 6) || ((op = be16(a + 6)) != 1 && op != 2) ||
	    memcmp(a + 8, f + 6, 6)) {
		p->stats.from_guest_bad += !is_hurt;
		return;
	}
	struct sim_nethost *h = host_by_ip(p, be32(a + 24));

	if (!h || h->cfg.is_remote) {
		p->stats.unclaimed++;
		return;
	}
	if (op == 2) {
		host_arp_learn(h, be32(a + 14), a + 8);
		return;
	}
	p->stats.arp_requests++;
	if (!h->cfg.is_arp_silent) {
		p->stats.arp_replies++;
		arp_send(h, 2, a + 8, a + 8, be32(a + 14));
	}
}

int sim_nethost_arp_probe(struct sim_nethost *h, uint32_t ip)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[6];

	arp_send(h, 1, bcast, zero, ip);
	return 0;
}

bool sim_nethost_arp_lookup(const struct sim_nethost *h, uint32_t ip, uint8_t mac[6])
{
	for (unsigned int i = 0; i < HOST_ARP_SLOTS; i++) {
		if (h->arp[i].ip == ip && ip) {
			memcpy(mac, h->arp[i].mac, 6);
			return true;
		}
	}
	return false;
}

static void echo_reply(struct sim_nethost *h, const struct sim_netpkt *pkt)
{
	uint8_t m[SIM_NET_FRAME_MAX];

	memcpy(m, pkt->l4, pkt->l4_len);
	m[0] = 0;
	put16(m + 2, 0);
	put16(m + 2, sim_net_csum(m, pkt->l4_len, 0));
	h->peer->stats.echo_replies++;
	sim_nethost_send_ip(h, pkt->src_mac, pkt->src, 1, m, pkt->l4_len);
}

/* Hand @pkt to @h: echo, or the service for its protocol and port. */
static void host_rx(struct sim_nethost *h, struct sim_netpkt *pkt)
{
	struct sim_netpeer *p = h->peer;

	if (pkt->proto == 1 && pkt->l4_len >= 8 && pkt->l4[0] == 8) {
		p->stats.echo_requests++;
		if (!h->cfg.is_echo_silent && pkt->dst == h->cfg.ip) {
			echo_reply(h, pkt);
		}
		return;
	}
	for (unsigned int i = 0; i < h->svc_count; i++) {
		const struct sim_netsvc *s = h->svcs[i].svc;

		if (s->proto == pkt->proto && (!s->port || s->port == pkt->dport) &&
		    s->rx(h, h->svcs[i].ctx, pkt)) {
			return;
		}
	}
	p->stats.unclaimed++;
}

/* The transport checks: lengths and checksums of ICMP, UDP and TCP. */
static bool l4_parse(struct sim_netpkt *pkt)
{
	const uint8_t *l = pkt->l4;
	size_t n = pkt->l4_len;

	switch (pkt->proto) {
	case 1:
		return n >= 8 && sim_net_csum(l, n, 0) == 0;
	case 17:
		if (n < 8 || be16(l + 4) != n) {
			return false;
		}
		pkt->data = l + 8;
		pkt->data_len = n - 8;
		break;
	case 6:
		if (n < 20 || (l[12] >> 4) * 4u < 20 || (l[12] >> 4) * 4u > n) {
			return false;
		}
		break;
	default:
		return true;
	}
	pkt->sport = be16(l);
	pkt->dport = be16(l + 2);
	/* The guest always fills the UDP checksum in. */
	return sim_net_csum(l, n, sim_net_pseudo(pkt->src, pkt->dst, pkt->proto, n)) == 0;
}

/* Which hosts get an IPv4 packet sent to @dst_mac: broadcast reaches every
 * local host; a unicast needs the host's MAC, or the router's for a remote one. */
static bool host_takes(struct sim_nethost *h, const uint8_t *dst_mac, uint32_t dst)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	if (!memcmp(dst_mac, bcast, 6)) {
		return !h->cfg.is_remote && (dst == 0xffffffffu || dst == h->cfg.ip);
	}
	if (dst != h->cfg.ip) {
		return false;
	}
	return !memcmp(dst_mac, host_src_mac(h), 6);
}

static void ip_from_guest(struct sim_netpeer *p, const uint8_t *f, size_t len, bool is_hurt)
{
	const uint8_t *ip = f + ETH_HLEN;
	size_t hlen, tot;
	struct sim_netpkt pkt = {.frame = f, .frame_len = len, .src_mac = f + 6};

	/* The guest sends no options, and pads only up to 60 bytes. */
	if (len < ETH_HLEN + IP_HLEN || ip[0] != 0x45 || (tot = be16(ip + 2)) < IP_HLEN ||
	    tot > len - ETH_HLEN || (len > 60 && tot != len - ETH_HLEN) ||
	    sim_net_csum(ip, IP_HLEN, 0)) {
		p->stats.from_guest_bad += !is_hurt;
		return;
	}
	hlen = IP_HLEN;
	if ((be16(ip + 6) & 0x3fff) || !(be16(ip + 6) & 0x4000)) {
		p->stats.from_guest_fragments++;
		return;
	}
	pkt.src = be32(ip + 12);
	pkt.dst = be32(ip + 16);
	pkt.proto = ip[9];
	pkt.l4 = ip + hlen;
	pkt.l4_len = tot - hlen;
	if (!l4_parse(&pkt)) {
		p->stats.from_guest_bad += !is_hurt;
		return;
	}
	bool is_taken = false;

	for (unsigned int i = 0; i < p->host_count; i++) {
		if (host_takes(&p->hosts[i], f, pkt.dst)) {
			is_taken = true;
			host_rx(&p->hosts[i], &pkt);
		}
	}
	p->stats.unclaimed += !is_taken;
}

void netpeer_deliver(struct sim_netpeer *p, const uint8_t *f, size_t len, bool is_hurt)
{
	if (len < ETH_HLEN || len > SIM_NET_FRAME_MAX || (f[6] & 1)) {
		p->stats.from_guest_bad += !is_hurt;
		return;
	}
	switch (be16(f + 12)) {
	case 0x0806:
		arp_from_guest(p, f, len, is_hurt);
		break;
	case 0x0800:
		ip_from_guest(p, f, len, is_hurt);
		break;
	default:
		p->stats.from_guest_bad += !is_hurt;
	}
}
