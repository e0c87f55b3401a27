/* A DHCP server on a simulated host (sim/netpeer_apps.h), written apart from
 * net/dhcp.c: it answers DISCOVER with an OFFER and REQUEST with an ACK (or
 * NAK), broadcast to port 68 as RFC 2131 §4.1 asks when the client set the
 * broadcast flag, and can be hostile (silence, NAKs, rogue replies). */
#include "internal.h"

#include <sim/netpeer_apps.h>
#include <string.h>

#define OPTS 240
#define REPLY_MAX 576

struct dhcpd {
	struct sim_dhcp_config cfg;
	struct sim_dhcp_stats *stats, own;
};

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The value of option @code in the request, or NULL. */
static const uint8_t *find_opt(const uint8_t *p, size_t len, uint8_t code, uint8_t *olen)
{
	for (size_t i = OPTS; i < len && p[i] != 255;) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len) {
			return NULL;
		}
		if (p[i] == code) {
			*olen = p[i + 1];
			return p + i + 2;
		}
		i += 2 + (size_t)p[i + 1];
	}
	return NULL;
}

static size_t opt(uint8_t *p, uint8_t code, const void *v, size_t len)
{
	p[0] = code;
	p[1] = (uint8_t)len;
	memcpy(p + 2, v, len);
	return 2 + len;
}

static size_t opt32(uint8_t *p, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	return opt(p, code, b, 4);
}

static size_t build(struct dhcpd *d, struct sim_nethost *h, const uint8_t *req, uint8_t type,
		    uint32_t yiaddr, uint8_t *out)
{
	const struct sim_dhcp_config *c = &d->cfg;
	size_t n = OPTS;

	memset(out, 0, REPLY_MAX);
	out[0] = 2;
	out[1] = 1;
	out[2] = 6;
	memcpy(out + 4, req + 4, 4); /* xid */
	memcpy(out + 10, req + 10, 2); /* flags */
	put32(out + 16, yiaddr);
	put32(out + 20, c->next_server);
	memcpy(out + 28, req + 28, 16); /* chaddr */
	if (c->bootfile_field) {
		strncpy((char *)out + 108, c->bootfile_field, 127);
	}
	put32(out + 236, 0x63825363);
	n += opt(out + n, 53, &type, 1);
	n += opt32(out + n, 54, sim_nethost_ip(h));
	if (type != 6) {
		n += c->netmask ? opt32(out + n, 1, c->netmask) : 0;
		n += c->router ? opt32(out + n, 3, c->router) : 0;
		n += c->dns ? opt32(out + n, 6, c->dns) : 0;
		n += opt32(out + n, 51, c->lease_s ? c->lease_s : 3600);
		n += c->tftp_server ? opt(out + n, 66, c->tftp_server, strlen(c->tftp_server)) : 0;
		n += c->bootfile ? opt(out + n, 67, c->bootfile, strlen(c->bootfile)) : 0;
	}
	out[n++] = 255;
	return n < 300 ? 300 : n;
}

static void send_reply(struct sim_nethost *h, const uint8_t *out, size_t len)
{
	sim_nethost_send_udp(h, bcast_mac, 0xffffffffu, 67, 68, out, len);
}

/* Replies a client must drop, sent just before the real one @out. */
static void send_rogues(struct sim_nethost *h, const uint8_t *out, size_t len)
{
	uint8_t r[REPLY_MAX];

	/* Each offers another address: a client that took one binds wrongly. */
	memcpy(r, out, len);
	r[7] ^= 0x55; /* another transaction */
	put32(r + 16, get32(out + 16) + 96);
	send_reply(h, r, len);
	memcpy(r, out, len);
	r[33] ^= 0x01; /* another client's MAC */
	put32(r + 16, get32(out + 16) + 97);
	send_reply(h, r, len);
	memcpy(r, out, len);
	r[OPTS + 4] = 250; /* option 54's length runs past the end */
	send_reply(h, r, OPTS + 8);
	memcpy(r, out, len);
	put32(r + 16, 0xffffffffu); /* a broadcast address offered */
	send_reply(h, r, len);
	memcpy(r, out, len);
	if (r[OPTS + 2] == 5) {
		put32(r + 16, get32(out + 16) + 1); /* an ACK for an address not offered */
		send_reply(h, r, len);
	}
}

static void check_pxe(struct dhcpd *d, const uint8_t *p, size_t len)
{
	uint8_t cl = 0, al = 0;
	const uint8_t *class = find_opt(p, len, 60, &cl), *arch = find_opt(p, len, 93, &al);

	d->stats->has_pxe_class = class && cl == 20 && !memcmp(class, "PXEClient:Arch:00011", 20) &&
				  arch && al == 2 && arch[0] == 0 && arch[1] == 11;
}

static int dhcpd_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	struct dhcpd *d = ctx;
	const uint8_t *p = pkt->data, *t, *want;
	uint8_t out[REPLY_MAX], tl = 0, wl = 0;
	size_t len = pkt->data_len, n;

	if (len < OPTS + 3 || p[0] != 1 || get32(p + 236) != 0x63825363 ||
	    !(t = find_opt(p, len, 53, &tl)) || tl != 1) {
		return 1; /* not a DHCP request: dropped */
	}
	if (t[0] == 1) {
		d->stats->discovers++;
		check_pxe(d, p, len);
		if (d->stats->discovers <= d->cfg.ignore_discovers) {
			return 1;
		}
		n = build(d, h, p, 2, d->cfg.offer_ip, out);
		d->stats->offers++;
	} else if (t[0] == 3) {
		d->stats->requests++;
		want = find_opt(p, len, 50, &wl);
		bool is_ok = want && wl == 4 && get32(want) == d->cfg.offer_ip;
		if (!is_ok || d->stats->naks < d->cfg.naks) {
			n = build(d, h, p, 6, 0, out);
			d->stats->naks++;
		} else {
			n = build(d, h, p, 5, d->cfg.offer_ip, out);
			d->stats->acks++;
		}
	} else {
		return 1;
	}
	if (d->cfg.has_rogue_replies) {
		send_rogues(h, out, n);
	}
	send_reply(h, out, n);
	return 1;
}

static void dhcpd_release(void *ctx)
{
	free(ctx);
}

static const struct sim_netsvc dhcpd_svc = {
    .name = "dhcp", .proto = 17, .port = 67, .rx = dhcpd_rx, .release = dhcpd_release};

int sim_dhcp_add(struct sim_nethost *h, const struct sim_dhcp_config *cfg,
		 struct sim_dhcp_stats *stats)
{
	struct dhcpd *d = calloc(1, sizeof(*d));

	if (!d) {
		return -1;
	}
	d->cfg = *cfg;
	d->stats = stats ? stats : &d->own;
	memset(d->stats, 0, sizeof(*d->stats));
	if (sim_nethost_add_service(h, &dhcpd_svc, d)) {
		free(d);
		return -1;
	}
	return 0;
}
