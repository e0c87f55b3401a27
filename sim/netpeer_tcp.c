/* The simulated HTTP server's TCP (sim/netpeer_tcp.h): a small server side,
 * one response per connection (built by sim/netpeer_http.c), then FIN.
 * Written apart from net/tcp.c so that a shared mistake is unlikely. */
#include "internal.h"

#include "netpeer_tcp_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

static bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void srv_send(struct sim_tcp_server *s, struct srv_conn *c, uint32_t seq, uint8_t flags,
		     const uint8_t *data, size_t len)
{
	uint8_t seg[20 + 12 + 1500];
	size_t hlen = 20;

	memset(seg, 0, sizeof(seg));
	if (flags & F_SYN) {
		seg[20] = 2;
		seg[21] = 4;
		wr16(seg + 22, c->mss);
		hlen = 24;
		if (!s->cfg.is_wscale_off) {
			seg[24] = 1;
			seg[25] = 3;
			seg[26] = 3;
			seg[27] = 0; /* we never scale our own window */
			hlen = 28;
		}
		if (c->has_sack) {
			seg[hlen] = 1;
			seg[hlen + 1] = 1;
			seg[hlen + 2] = 4;
			seg[hlen + 3] = 2;
			hlen += 4;
		}
	}
	wr16(seg, s->cfg.port);
	wr16(seg + 2, c->cli_port);
	wr32(seg + 4, seq);
	wr32(seg + 8, c->rcv_nxt);
	seg[12] = (uint8_t)(hlen / 4) << 4;
	seg[13] = flags | F_ACK;
	wr16(seg + 14, s->cfg.rcv_window ? s->cfg.rcv_window : 65535);
	if (len) {
		memcpy(seg + hlen, data, len);
	}
	wr16(seg + 16,
	     sim_net_csum(seg, hlen + len,
			  sim_net_pseudo(sim_nethost_ip(s->host), c->cli_ip, 6, hlen + len)));
	sim_nethost_send_ip(s->host, c->cli_mac, c->cli_ip, 6, seg, hlen + len);
	s->stats.segs_out++;
}

static void srv_rst(struct sim_tcp_server *s, const struct sim_netpkt *pkt, uint32_t seq,
		    uint32_t ack)
{
	struct srv_conn tmp = {.cli_ip = pkt->src, .cli_port = pkt->sport, .rcv_nxt = ack};

	memcpy(tmp.cli_mac, pkt->src_mac, 6);
	srv_send(s, &tmp, seq, F_RST, NULL, 0);
}

static struct srv_conn *srv_find(struct sim_tcp_server *s, const struct sim_netpkt *pkt)
{
	for (unsigned int i = 0; i < SRV_CONNS; i++) {
		struct srv_conn *c = &s->conns[i];

		if (c->is_used && c->cli_ip == pkt->src && c->cli_port == pkt->sport) {
			return c;
		}
	}
	return NULL;
}

static void srv_free(struct srv_conn *c)
{
	free(c->resp);
	memset(c, 0, sizeof(*c));
}

/* The client's options: MSS and window scale only. */
static void srv_syn_opts(struct sim_tcp_server *s, struct srv_conn *c, const uint8_t *o, size_t len)
{
	s->stats.syn_mss = 0;
	s->stats.syn_wscale = -1;
	s->stats.syn_sack = false;
	c->has_sack = false;
	for (size_t i = 0; i < len && o[i] != 0;) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len) {
			break;
		}
		if (o[i] == 2 && o[i + 1] == 4) {
			s->stats.syn_mss = rd16(o + i + 2);
			c->mss = s->stats.syn_mss < c->mss ? (uint16_t)s->stats.syn_mss : c->mss;
		} else if (o[i] == 3 && o[i + 1] == 3) {
			s->stats.syn_wscale = o[i + 2];
			c->cli_wscale = s->cfg.is_wscale_off ? 0 : (o[i + 2] > 14 ? 14 : o[i + 2]);
		} else if (o[i] == 4 && o[i + 1] == 2) {
			s->stats.syn_sack = true;
			c->has_sack = !s->cfg.is_sack_off;
		}
		i += o[i + 1];
	}
}

static void srv_syn(struct sim_tcp_server *s, const struct sim_netpkt *pkt, const uint8_t *t,
		    size_t hlen)
{
	struct srv_conn *c = srv_find(s, pkt);

	if (s->cfg.is_refusing) {
		srv_rst(s, pkt, 0, rd32(t + 4) + 1);
		return;
	}
	if (c && c->is_established) {
		return; /* a stale SYN for a live connection */
	}
	for (unsigned int i = 0; !c && i < SRV_CONNS; i++) {
		if (!s->conns[i].is_used) {
			c = &s->conns[i];
		}
	}
	if (!c) {
		return; /* backlog full: the client retries */
	}
	if (!c->is_used) {
		c->is_used = true;
		c->cli_ip = pkt->src;
		c->cli_port = pkt->sport;
		memcpy(c->cli_mac, pkt->src_mac, 6);
		c->iss = s->next_iss;
		s->next_iss += 0x01000193;
		c->snd_una = c->iss;
		c->snd_nxt = c->snd_max = c->iss + 1;
		c->rto = SRV_RTO_NS;
		s->stats.connections++;
	}
	c->mss = s->cfg.mss ? s->cfg.mss : 1460;
	c->rcv_nxt = rd32(t + 4) + 1;
	srv_syn_opts(s, c, t + 20, hlen - 20);
	c->cli_wnd = rd16(t + 14);
	srv_send(s, c, c->iss, F_SYN, NULL, 0);
}

/* Send one segment again from snd_una (or the FIN there). */
static void srv_resend_one(struct sim_tcp_server *s, struct srv_conn *c)
{
	size_t off = c->snd_una - (c->iss + 1), n = c->resp_len - off;

	if (off < c->resp_len) {
		srv_send(s, c, c->snd_una, F_PSH, c->resp + off, n < c->mss ? n : c->mss);
	} else if (c->is_fin_sent) {
		srv_send(s, c, c->snd_una, F_FIN, NULL, 0);
	}
}

/* SACK blocks (RFC 2018): each must lie above the ACK and within what we sent. */
static void srv_sack_check(struct sim_tcp_server *s, struct srv_conn *c, uint32_t ack,
			   const uint8_t *o, size_t len)
{
	for (size_t i = 0; i < len && o[i] != 0;) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len) {
			s->stats.bad_sacks++;
			return;
		}
		if (o[i] == 5) {
			if (!c->has_sack || (o[i + 1] - 2) % 8 || o[i + 1] > 34) {
				s->stats.bad_sacks++;
			}
			for (size_t b = i + 2; b + 8 <= i + o[i + 1]; b += 8) {
				uint32_t l = rd32(o + b), r = rd32(o + b + 4);

				s->stats.sack_blocks++;
				if (!before(ack, l) || !before(l, r) || before(c->snd_max, r)) {
					s->stats.bad_sacks++;
				}
			}
		}
		i += o[i + 1];
	}
}

/* The client's ACK field and window. */
static void srv_ack(struct sim_tcp_server *s, struct srv_conn *c, uint32_t ack, uint32_t wnd,
		    size_t dlen)
{
	if (!c->is_established) {
		if (ack != c->iss + 1) {
			return;
		}
		c->is_established = true;
		c->snd_una = ack;
	}
	if (before(c->snd_una, ack) && !before(c->snd_max, ack)) {
		c->snd_una = ack;
		if (before(c->snd_nxt, ack)) {
			c->snd_nxt = ack;
		}
		c->dups = 0;
		c->rto = SRV_RTO_NS;
		c->rtx_at = c->snd_una == c->snd_max ? 0 : sim_time_ns() + c->rto;
		if (c->is_recovering && before(ack, c->recover)) {
			srv_resend_one(s, c); /* NewReno: a partial ACK shows the next hole */
		} else {
			c->is_recovering = false;
		}
	} else if (ack == c->snd_una && !dlen && c->snd_una != c->snd_max && wnd == c->cli_wnd) {
		s->stats.dup_acks++;
		if (++c->dups == 3 && !c->is_recovering) {
			s->stats.fast_rtx++;
			if (c->has_sack) {
				c->is_recovering = true;
				c->recover = c->snd_max;
				srv_resend_one(s, c); /* the client holds what follows */
			} else {
				c->snd_nxt = c->snd_una; /* go back */
			}
		}
	}
	c->cli_wnd = wnd;
	if (wnd == 0) {
		s->stats.zero_windows++;
	}
	if (c->is_established) {
		s->stats.window_max = wnd > s->stats.window_max ? wnd : s->stats.window_max;
		s->stats.window_min = wnd < s->stats.window_min ? wnd : s->stats.window_min;
	}
}

/* In-order request bytes and the client's FIN; anything else just gets an ACK. */
static void srv_data(struct sim_tcp_server *s, struct srv_conn *c, uint32_t seq, uint8_t flags,
		     const uint8_t *d, size_t len)
{
	bool is_new = false;

	if (s->cfg.rcv_window && len > s->cfg.rcv_window) {
		len = s->cfg.rcv_window; /* past our window: dropped */
		flags &= (uint8_t)~F_FIN;
	}
	if (seq == c->rcv_nxt && len) {
		size_t room = SRV_REQ_MAX - 1 - c->req_len, n = len < room ? len : room;

		memcpy(c->req + c->req_len, d, n);
		c->req_len += n;
		c->req[c->req_len] = '\0';
		c->rcv_nxt += (uint32_t)len;
		is_new = true;
		if (!c->resp && strstr(c->req, "\r\n\r\n")) {
			sim_http_request(s, c);
		}
	}
	if ((flags & F_FIN) && seq + len == c->rcv_nxt && !c->has_cli_fin) {
		c->rcv_nxt++;
		c->has_cli_fin = true;
		is_new = true;
	}
	if (is_new || len || (flags & F_FIN)) {
		srv_send(s, c, c->snd_nxt, 0, NULL, 0);
	}
}

/* The deafness knobs: the first SYNs, data segments and FINs go unheard. */
static bool srv_is_deaf(struct sim_tcp_server *s, uint8_t flags, size_t dlen)
{
	if ((flags & F_SYN) && s->stats.syns_ignored < s->cfg.ignore_syns) {
		s->stats.syns_ignored++;
		return true;
	}
	if (dlen && s->stats.data_ignored < s->cfg.ignore_data) {
		s->stats.data_ignored++;
		return true;
	}
	if ((flags & F_FIN) && s->stats.fins_ignored < s->cfg.ignore_fins) {
		s->stats.fins_ignored++;
		return true;
	}
	return false;
}

static int srv_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	struct sim_tcp_server *s = ctx;
	const uint8_t *t = pkt->l4;
	size_t hlen = pkt->l4_len >= 20 ? (size_t)(t[12] >> 4) * 4 : 0;
	struct srv_conn *c;
	uint8_t flags;

	if (hlen < 20 || hlen > pkt->l4_len) {
		return 1;
	}
	flags = t[13];
	c = srv_find(s, pkt);
	if (srv_is_deaf(s, flags, pkt->l4_len - hlen)) {
		return 1; /* as if lost: the client must send it again */
	}
	if (flags & F_RST) {
		s->stats.rst_in++;
		if (c) {
			srv_free(c);
		}
		return 1;
	}
	if (flags & F_SYN) {
		srv_syn(s, pkt, t, hlen);
		return 1;
	}
	if (!c) {
		if (!(flags & F_RST)) {
			srv_rst(s, pkt, rd32(t + 8), 0);
		}
		return 1;
	}
	if (flags & F_ACK) {
		srv_sack_check(s, c, rd32(t + 8), t + 20, hlen - 20);
		srv_ack(s, c, rd32(t + 8), (uint32_t)rd16(t + 14) << c->cli_wscale,
			pkt->l4_len - hlen);
	}
	srv_data(s, c, rd32(t + 4), flags, t + hlen, pkt->l4_len - hlen);
	if (c->has_cli_fin && c->is_fin_sent && c->snd_una == c->snd_max) {
		s->stats.closed++;
		srv_free(c);
	}
	return 1;
}

/* How much of the response may go out: the knobs cut it short. */
static size_t srv_limit(const struct sim_tcp_server *s, const struct srv_conn *c)
{
	size_t lim = c->resp_len;

	if (s->cfg.stall_after && s->cfg.stall_after < lim) {
		lim = s->cfg.stall_after;
	}
	if (s->cfg.fin_after && s->cfg.fin_after < lim) {
		lim = s->cfg.fin_after;
	}
	if (s->cfg.rst_after && s->cfg.rst_after < lim) {
		lim = s->cfg.rst_after;
	}
	return lim;
}

/* Send what the window and the flight cap allow, then FIN (or RST). */
static int srv_push(struct sim_tcp_server *s, struct srv_conn *c, uint64_t now)
{
	uint32_t flight = s->cfg.max_flight ? s->cfg.max_flight : 65536;
	uint32_t wnd =
	    s->cfg.is_window_ignored ? flight : (c->cli_wnd < flight ? c->cli_wnd : flight);
	size_t lim = srv_limit(s, c);
	int work = 0;

	for (;;) {
		size_t off = c->snd_nxt - (c->iss + 1), room, n;
		uint32_t in_flight = c->snd_nxt - c->snd_una;

		if (off >= lim || in_flight >= wnd) {
			break;
		}
		room = wnd - in_flight;
		n = lim - off < c->mss ? lim - off : c->mss;
		n = n < room ? n : room;
		if (s->cfg.trickle_ns) {
			if (now < c->next_trickle) {
				break;
			}
			c->next_trickle = now + s->cfg.trickle_ns;
			n = 1;
		}
		srv_send(s, c, c->snd_nxt, F_PSH, c->resp + off, n);
		c->snd_nxt += (uint32_t)n;
		work++;
	}
	if (s->cfg.rst_after && c->snd_nxt - (c->iss + 1) >= lim && !c->is_reset_sent) {
		srv_send(s, c, c->snd_nxt, F_RST, NULL, 0);
		c->is_reset_sent = true;
		return work + 1;
	}
	bool is_stalled = s->cfg.stall_after && s->cfg.stall_after < c->resp_len;

	if (!is_stalled && c->snd_nxt - (c->iss + 1) == lim &&
	    (!c->is_fin_sent || c->snd_nxt == c->fin_seq)) {
		c->fin_seq = c->snd_nxt;
		c->is_fin_sent = true;
		srv_send(s, c, c->snd_nxt, F_FIN, NULL, 0);
		c->snd_nxt++;
		work++;
	}
	if (before(c->snd_max, c->snd_nxt)) {
		c->snd_max = c->snd_nxt;
	}
	if (!c->rtx_at && c->snd_una != c->snd_max) {
		c->rtx_at = now + c->rto;
	}
	return work;
}

static int srv_step(struct sim_nethost *h, void *ctx)
{
	struct sim_tcp_server *s = ctx;
	uint64_t now = sim_time_ns();
	int work = 0;

	for (unsigned int i = 0; i < SRV_CONNS; i++) {
		struct srv_conn *c = &s->conns[i];

		if (!c->is_used || !c->is_established || !c->resp || c->is_reset_sent) {
			continue;
		}
		if (c->rtx_at && now >= c->rtx_at) {
			s->stats.rtx++;
			c->is_recovering = false;
			c->snd_nxt = c->snd_una;
			c->rto = c->rto * 2 > SRV_RTO_MAX_NS ? SRV_RTO_MAX_NS : c->rto * 2;
			c->rtx_at = 0;
			if (!c->cli_wnd && !s->cfg.is_window_ignored) {
				c->cli_wnd = 1; /* zero-window probe */
			}
		}
		work += srv_push(s, c, now);
	}
	return work;
}

static void srv_release(void *ctx)
{
	struct sim_tcp_server *s = ctx;

	for (unsigned int i = 0; i < SRV_CONNS; i++) {
		free(s->conns[i].resp);
	}
	free(s);
}

static const struct sim_netsvc srv_svc = {
    .name = "http",
    .proto = 6,
    .rx = srv_rx,
    .step = srv_step,
    .release = srv_release,
};

struct sim_tcp_server *sim_tcp_server_add(struct sim_nethost *h,
					  const struct sim_tcp_server_config *cfg)
{
	struct sim_tcp_server *s = calloc(1, sizeof(*s));

	if (!s) {
		return NULL;
	}
	s->cfg = *cfg;
	if (!s->cfg.port) {
		s->cfg.port = 80;
	}
	s->host = h;
	s->next_iss = 0xfffff000u; /* wraps early: sequence arithmetic must be modular */
	s->stats.syn_wscale = -1;
	s->stats.window_min = UINT32_MAX;
	s->svc = srv_svc;
	s->svc.port = s->cfg.port;
	if (sim_nethost_add_service(h, &s->svc, s)) {
		free(s);
		return NULL;
	}
	return s;
}

const struct sim_tcp_server_stats *sim_tcp_server_stats(const struct sim_tcp_server *s)
{
	return &s->stats;
}
