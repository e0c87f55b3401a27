/* TCP segments in and out (RFC 9293): header parsing, the checksum, the
 * state machine for arriving segments, and what we send back. The calls
 * that wait (connect, send, recv, close) are in net/tcp_conn.c.
 *
 * Receive: in-order payload goes straight into the connection's ring; a
 * segment beyond a hole is written at its place in the ring too (it is inside
 * the window we offered, so the space is ours) and its range remembered, up
 * to TCP_OOO_MAX ranges; when the hole fills, rcv_nxt jumps over them. We
 * ACK every second in-order segment, at once for anything out of order,
 * duplicate, a FIN or a filled hole, and otherwise after TCP_DELACK_NS. */
#include "tcp_internal.h"

#include <arch/arch.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <string.h>

#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_WSCALE 3
#define TCP_OPT_SACK_OK 4
#define TCP_OPT_SACK 5
#define TCP_WSCALE_MAX 14 /* RFC 7323 2.3 */

const char *tcp_state_name(enum tcp_state s)
{
	static const char *const names[] = {
	    "CLOSED",	  "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
	    "CLOSE_WAIT", "CLOSING",  "LAST_ACK",    "TIME_WAIT",
	};

	return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

/* MSS and window scale; anything else is skipped by its length. */
static int tcp_opts_parse(const uint8_t *p, size_t len, struct tcp_seg *s)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = p[i], olen;

		if (kind == TCP_OPT_END) {
			break;
		}
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2 || (olen = p[i + 1]) < 2 || olen > len - i) {
			return -EBADMSG;
		}
		if (kind == TCP_OPT_MSS && olen == 4) {
			s->mss = load_be16(p + i + 2);
		} else if (kind == TCP_OPT_WSCALE && olen == 3) {
			s->wscale = MIN(p[i + 2], TCP_WSCALE_MAX);
		} else if (kind == TCP_OPT_SACK_OK && olen == 2) {
			s->has_sack = true;
		}
		i += olen;
	}
	return 0;
}

int tcp_seg_parse(const uint8_t *seg, size_t len, struct tcp_seg *s)
{
	size_t off;

	if (len < TCP_HDR_LEN) {
		return -EBADMSG;
	}
	off = (size_t)(seg[12] >> 4) * 4;
	if (off < TCP_HDR_LEN || off > len) {
		return -EBADMSG;
	}
	s->sport = load_be16(seg);
	s->dport = load_be16(seg + 2);
	s->seq = load_be32(seg + 4);
	s->ack = load_be32(seg + 8);
	s->flags = seg[13] & 0x3f;
	s->win = load_be16(seg + 14);
	s->mss = 0;
	s->wscale = 0xff;
	s->has_sack = false;
	s->data = seg + off;
	s->dlen = len - off;
	if (s->flags & TCP_SYN) {
		return tcp_opts_parse(seg + TCP_HDR_LEN, off - TCP_HDR_LEN, s);
	}
	return 0;
}

/* What goes into the header of a segment we send. */
struct tcp_out {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint8_t olen; /* a multiple of 4, at most 40 */
	uint8_t opts[40];
};

/* Build and send one segment. */
static int tcp_emit(struct net_stack *ns, uint32_t src, uint32_t dst, const struct tcp_out *o,
		    const void *data, size_t dlen)
{
	uint8_t seg[TCP_HDR_LEN + 40 + TCP_MSS_MAX];
	size_t hlen = TCP_HDR_LEN + o->olen;

	if (dlen > TCP_MSS_MAX || o->olen > 40) {
		return -EMSGSIZE;
	}
	store_be16(seg, o->sport);
	store_be16(seg + 2, o->dport);
	store_be32(seg + 4, o->seq);
	store_be32(seg + 8, (o->flags & TCP_ACK) ? o->ack : 0);
	seg[12] = (uint8_t)(hlen / 4) << 4;
	seg[13] = o->flags;
	store_be16(seg + 14, o->win);
	store_be32(seg + 16, 0); /* checksum and urgent pointer */
	memcpy(seg + TCP_HDR_LEN, o->opts, o->olen);
	if (dlen) {
		memcpy(seg + hlen, data, dlen);
	}
	uint16_t sum = inet_csum(seg, hlen + dlen,
				 inet_pseudo_sum(src, dst, IP_PROTO_TCP, (uint16_t)(hlen + dlen)));
	store_be16(seg + 16, sum);
	return ip_send(ns, dst, IP_PROTO_TCP, seg, hlen + dlen);
}

/* Our SYN's options: MSS, window scale, SACK permitted (RFC 9293, 7323, 2018). */
static void tcp_syn_opts(struct tcp_out *o)
{
	static const uint8_t opts[12] = {
	    TCP_OPT_MSS,     4, TCP_MSS_MAX >> 8, TCP_MSS_MAX & 0xff, TCP_OPT_NOP,
	    TCP_OPT_WSCALE,  3, TCP_RCV_WSCALE,	  TCP_OPT_NOP,	      TCP_OPT_NOP,
	    TCP_OPT_SACK_OK, 2};

	memcpy(o->opts, opts, sizeof(opts));
	o->olen = sizeof(opts);
}

size_t tcp_sack_len(const struct tcp_conn *c)
{
	return c->has_sack && c->ooo_count ? 4 + 8 * MIN(c->ooo_count, 4u) : 0;
}

/* SACK blocks for the ranges we hold, the latest first (RFC 2018 4). */
static void tcp_sack_opts(const struct tcp_conn *c, struct tcp_out *o)
{
	unsigned int n = MIN(c->ooo_count, 4u),
		     first = c->ooo_last < c->ooo_count ? c->ooo_last : 0;

	o->opts[0] = TCP_OPT_NOP;
	o->opts[1] = TCP_OPT_NOP;
	o->opts[2] = TCP_OPT_SACK;
	o->opts[3] = (uint8_t)(2 + 8 * n);
	for (unsigned int i = 0; i < n; i++) {
		const struct tcp_range *r = &c->ooo[(first + i) % c->ooo_count];

		store_be32(o->opts + 4 + 8 * i, r->start);
		store_be32(o->opts + 8 + 8 * i, r->end);
	}
	o->olen = (uint8_t)(4 + 8 * n);
}

/* The window field: free ring space, scaled, never more than 16 bits. */
static uint16_t tcp_window(struct tcp_conn *c, uint8_t flags)
{
	size_t free = c->rsize - c->rlen;
	size_t w = (flags & TCP_SYN) ? free : free >> c->rcv_wscale;

	/* Receiver SWS avoidance (RFC 9293 3.8.6.2.2): no window under one MSS. */
	if (free < TCP_MSS_MAX && free < c->rsize / 2) {
		w = 0;
	}
	return (uint16_t)MIN(w, (size_t)0xffff);
}

int tcp_xmit(struct tcp_conn *c, uint32_t seq, uint8_t flags, const void *data, size_t dlen)
{
	struct tcp_out o = {.sport = c->lport,
			    .dport = c->rport,
			    .seq = seq,
			    .ack = c->rcv_nxt,
			    .flags = flags,
			    .win = tcp_window(c, flags)};

	if (flags & TCP_SYN) {
		tcp_syn_opts(&o);
	} else if ((flags & TCP_ACK) && tcp_sack_len(c)) {
		tcp_sack_opts(c, &o);
	}
	if (flags & TCP_ACK) {
		uint32_t scaled = (flags & TCP_SYN) ? o.win : (uint32_t)o.win << c->rcv_wscale;

		c->rcv_adv = c->rcv_nxt + scaled;
		c->ack_owed = 0;
		c->ack_deadline = 0;
	}
	c->stats.tx_segs++;
	return tcp_emit(c->ns, c->laddr, c->raddr, &o, data, dlen);
}

void tcp_send_ack(struct tcp_conn *c)
{
	c->stats.tx_acks++;
	(void)tcp_xmit(c, c->snd_nxt, TCP_ACK, NULL, 0); /* a lost ACK is repaired by the peer */
}

/* RFC 9293 3.10.7.1: a segment for no connection gets a RST (unless it is one). */
static void tcp_reset_reply(struct net_stack *ns, uint32_t src, uint32_t dst,
			    const struct tcp_seg *s)
{
	struct tcp_out o = {.sport = s->dport, .dport = s->sport, .seq = s->ack, .flags = TCP_RST};

	if (s->flags & TCP_RST) {
		return;
	}
	if (!(s->flags & TCP_ACK)) {
		o.seq = 0;
		o.ack =
		    s->seq + (uint32_t)s->dlen + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
		o.flags |= TCP_ACK;
	}
	(void)tcp_emit(ns, dst, src, &o, NULL, 0);
}

void tcp_fail(struct tcp_conn *c, int err)
{
	if (!c->error) {
		c->error = err;
	}
	c->state = TCP_CLOSED;
	c->rtx_deadline = 0;
	c->ack_deadline = 0;
}

/* RFC 6298 2.2/2.3 with alpha 1/8, beta 1/4. */
static void tcp_rtt_sample(struct tcp_conn *c, uint64_t r)
{
	if (!c->srtt_ns) {
		c->srtt_ns = r;
		c->rttvar_ns = r / 2;
	} else {
		uint64_t d = c->srtt_ns > r ? c->srtt_ns - r : r - c->srtt_ns;

		c->rttvar_ns = (3 * c->rttvar_ns + d) / 4;
		c->srtt_ns = (7 * c->srtt_ns + r) / 8;
	}
	c->rto_ns = MIN(MAX(c->srtt_ns + 4 * c->rttvar_ns, TCP_RTO_MIN_NS), TCP_RTO_MAX_NS);
}

/* SYN_SENT: the only way forward is a SYN-ACK for our SYN. */
static void tcp_rx_syn_sent(struct tcp_conn *c, const struct tcp_seg *s)
{
	if ((s->flags & TCP_ACK) && s->ack != c->iss + 1) {
		if (!(s->flags & TCP_RST)) {
			struct tcp_out o = {
			    .sport = c->lport, .dport = c->rport, .seq = s->ack, .flags = TCP_RST};

			(void)tcp_emit(c->ns, c->laddr, c->raddr, &o, NULL, 0);
		}
		return;
	}
	if (s->flags & TCP_RST) {
		if (s->flags & TCP_ACK) {
			tcp_fail(c, -ECONNREFUSED);
		}
		return;
	}
	if ((s->flags & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK)) {
		return; /* a simultaneous open is not something a server does */
	}
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->snd_una = s->ack;
	c->snd_mss = s->mss ? MIN(MAX(s->mss, 64), TCP_MSS_MAX) : TCP_MSS_DEFAULT;
	c->has_sack = s->has_sack;
	if (s->wscale != 0xff) {
		c->snd_wscale = s->wscale;
		c->rcv_wscale = TCP_RCV_WSCALE;
	}
	c->snd_wnd = s->win; /* never scaled in a SYN (RFC 7323 2.2) */
	c->rtx_deadline = 0;
	if (c->rtt_start) {
		tcp_rtt_sample(c, arch_time_ns() - c->rtt_start);
		c->rtt_start = 0;
	} else if (c->rtx_count) {
		c->rto_ns = TCP_RTO_SYN_LOST_NS; /* RFC 6298 5.7: our SYN was lost once */
	}
	c->rtx_count = 0;
	c->state = TCP_ESTABLISHED;
	tcp_send_ack(c);
}

/* Our FIN acknowledged: where each state goes (RFC 9293 3.10.7.4). */
static void tcp_fin_acked(struct tcp_conn *c)
{
	if (c->state == TCP_FIN_WAIT_1) {
		c->state = TCP_FIN_WAIT_2;
	} else if (c->state == TCP_CLOSING) {
		c->state = TCP_TIME_WAIT;
	} else if (c->state == TCP_LAST_ACK) {
		c->state = TCP_CLOSED;
	}
}

/* The ACK field. Returns -1 when the segment must be dropped. */
static int tcp_rx_ack(struct tcp_conn *c, const struct tcp_seg *s)
{
	if (tcp_seq_lt(c->snd_max, s->ack)) {
		tcp_send_ack(c); /* acknowledges what we never sent */
		return -1;
	}
	if (tcp_seq_lt(c->snd_una, s->ack)) {
		uint32_t acked = s->ack - c->snd_una;
		size_t n = MIN((size_t)acked, c->slen);

		memmove(c->sbuf, c->sbuf + n, c->slen - n);
		c->slen -= n;
		c->snd_una = s->ack;
		if (tcp_seq_lt(c->snd_nxt, c->snd_una)) {
			c->snd_nxt = c->snd_una;
		}
		if (c->rtt_start && tcp_seq_le(c->rtt_seq, s->ack)) {
			tcp_rtt_sample(c, arch_time_ns() - c->rtt_start);
			c->rtt_start = 0;
		}
		c->rtx_count = 0;
		c->rtx_deadline = c->snd_una == c->snd_max ? 0 : arch_time_ns() + c->rto_ns;
		if (c->has_fin_sent && c->snd_una == c->fin_seq + 1) {
			tcp_fin_acked(c);
		}
	}
	if (tcp_seq_le(c->snd_una, s->ack)) {
		c->snd_wnd = (uint32_t)s->win << c->snd_wscale;
	}
	return 0;
}

/* Copy @n bytes to ring offset @off past the in-order tail (all inside the free space). */
static void tcp_ring_write(struct tcp_conn *c, size_t off, const uint8_t *p, size_t n)
{
	size_t pos = (c->rhead + c->rlen + off) % c->rsize;
	size_t first = MIN(n, c->rsize - pos);

	memcpy(c->rbuf + pos, p, first);
	memcpy(c->rbuf, p + first, n - first);
}

/* Remember [start, end) out of order, merged with what it touches. 0 or -ENOSPC. */
static int tcp_ooo_add(struct tcp_conn *c, uint32_t start, uint32_t end)
{
	for (unsigned int i = 0; i < c->ooo_count; i++) {
		struct tcp_range *r = &c->ooo[i];

		if (tcp_seq_le(start, r->end) && tcp_seq_le(r->start, end)) {
			r->start = tcp_seq_lt(start, r->start) ? start : r->start;
			r->end = tcp_seq_lt(r->end, end) ? end : r->end;
			c->ooo_last = i;
			return 0; /* ranges may now touch each other: tcp_ooo_merge() copes */
		}
	}
	if (c->ooo_count == TCP_OOO_MAX) {
		return -ENOSPC;
	}
	c->ooo[c->ooo_count].start = start;
	c->ooo[c->ooo_count].end = end;
	c->ooo_last = c->ooo_count++;
	return 0;
}

/* rcv_nxt moved: absorb every held range it reached. True if one was. */
static bool tcp_ooo_merge(struct tcp_conn *c)
{
	bool is_merged = false;

	for (unsigned int i = 0; i < c->ooo_count;) {
		struct tcp_range *r = &c->ooo[i];

		if (tcp_seq_lt(c->rcv_nxt, r->start)) {
			i++;
			continue;
		}
		if (tcp_seq_lt(c->rcv_nxt, r->end)) {
			c->rlen += r->end - c->rcv_nxt;
			c->rcv_nxt = r->end;
		}
		*r = c->ooo[--c->ooo_count];
		is_merged = true;
		i = 0; /* rcv_nxt moved: look again from the start */
	}
	return is_merged;
}

/* @n in-order bytes: to a waiting reader first, the rest into the ring.
 * True if a held range was reached (a hole filled: ACK at once). */
static bool tcp_rx_in_order(struct tcp_conn *c, const uint8_t *p, size_t n)
{
	size_t direct = c->rlen ? 0 : MIN(n, c->user_room);

	if (direct) {
		/* The ring's tail moves with rcv_nxt, so held ranges keep their place. */
		memcpy(c->user_buf + c->user_got, p, direct);
		c->user_got += direct;
		c->user_room -= direct;
		c->rhead = (c->rhead + direct) % c->rsize;
	}
	tcp_ring_write(c, 0, p + direct, n - direct);
	c->rlen += n - direct;
	c->rcv_nxt += (uint32_t)n;
	c->ack_owed++;
	return tcp_ooo_merge(c);
}

/* Payload and FIN of an acceptable segment, trimmed to the window. */
static void tcp_rx_data(struct tcp_conn *c, const struct tcp_seg *s)
{
	const uint8_t *p = s->data;
	size_t n = s->dlen, free = c->rsize - c->rlen, off;
	uint32_t seq = s->seq;
	bool has_fin = s->flags & TCP_FIN, is_urgent = false;

	if (tcp_seq_lt(seq, c->rcv_nxt)) {
		size_t dup = c->rcv_nxt - seq; /* the acceptability check bounds it by n + 1 */

		if (dup > n) {
			return; /* only a FIN we already have */
		}
		p += dup;
		n -= dup;
		seq = c->rcv_nxt;
		c->stats.rx_dup++;
		is_urgent = true;
	}
	off = seq - c->rcv_nxt;
	if (off >= free) {
		n = 0;
		has_fin = false;
	} else if (n > free - off) {
		n = free - off;
		has_fin = false;
	}
	if (n && off == 0) {
		is_urgent |= tcp_rx_in_order(c, p, n);
	} else if (n) {
		c->stats.rx_ooo++;
		if (tcp_ooo_add(c, seq, seq + (uint32_t)n) == 0) {
			tcp_ring_write(c, off, p, n);
		}
		has_fin = false; /* the peer sends it again after the hole is filled */
		is_urgent = true;
	}
	c->stats.rx_bytes += n;
	if (has_fin && seq + n == c->rcv_nxt && c->ooo_count == 0) {
		c->rcv_nxt++;
		c->has_fin = true;
		c->state = c->state == TCP_ESTABLISHED	? TCP_CLOSE_WAIT
			   : c->state == TCP_FIN_WAIT_2 ? TCP_TIME_WAIT
							: TCP_CLOSING;
		is_urgent = true;
	}
	if (is_urgent || c->ack_owed >= TCP_ACK_EVERY) {
		tcp_send_ack(c);
	} else if (c->ack_owed && !c->ack_deadline) {
		c->ack_deadline = arch_time_ns() + TCP_DELACK_NS;
	}
}

/* RFC 9293 3.10.7.4: is any of [seq, seq+len) inside our window? */
static bool tcp_is_acceptable(const struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	uint32_t wnd = (uint32_t)(c->rsize - c->rlen);

	if (len == 0) {
		return wnd ? tcp_seq_le(c->rcv_nxt, seq) && tcp_seq_lt(seq, c->rcv_nxt + wnd)
			   : seq == c->rcv_nxt;
	}
	if (!wnd) {
		return false;
	}
	return (tcp_seq_le(c->rcv_nxt, seq) && tcp_seq_lt(seq, c->rcv_nxt + wnd)) ||
	       (tcp_seq_le(c->rcv_nxt, seq + len - 1) &&
		tcp_seq_lt(seq + len - 1, c->rcv_nxt + wnd));
}

/* Every synchronized state. */
static void tcp_rx_sync(struct tcp_conn *c, const struct tcp_seg *s)
{
	uint32_t len = (uint32_t)s->dlen + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);

	if (!tcp_is_acceptable(c, s->seq, len)) {
		c->stats.rx_dup++;
		if (!(s->flags & TCP_RST)) {
			tcp_send_ack(c);
		}
		return;
	}
	if (s->flags & TCP_RST) {
		/* RFC 5961 3.2: only the exact sequence number resets; else a challenge ACK. */
		if (s->seq == c->rcv_nxt) {
			tcp_fail(c, -ENOTCONN);
		} else {
			tcp_send_ack(c);
		}
		return;
	}
	if (s->flags & TCP_SYN) {
		tcp_send_ack(c); /* RFC 5961 4.2: challenge ACK */
		return;
	}
	if (!(s->flags & TCP_ACK) || tcp_rx_ack(c, s)) {
		return;
	}
	if (c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 ||
	    c->state == TCP_FIN_WAIT_2) {
		if (s->dlen || (s->flags & TCP_FIN)) {
			tcp_rx_data(c, s);
		}
	}
	tcp_output(c, false); /* what this ACK's window lets out now */
}

static struct tcp_conn *tcp_find(struct net_stack *ns, uint32_t src, const struct tcp_seg *s)
{
	for (struct tcp_conn *c = ns->tcp_conns; c; c = c->next) {
		if (c->raddr == src && c->rport == s->sport && c->lport == s->dport &&
		    c->state != TCP_CLOSED) {
			return c;
		}
	}
	return NULL;
}

bool tcp_input(struct net_stack *ns, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
	struct tcp_seg s;
	struct tcp_conn *c;

	/* TCP is unicast only (RFC 1122 4.2.3.10), and a RST must come from our address. */
	if (!ns->ip || dst != ns->ip || len > 0xffff ||
	    inet_csum(seg, len, inet_pseudo_sum(src, dst, IP_PROTO_TCP, (uint16_t)len)) != 0 ||
	    tcp_seg_parse(seg, len, &s)) {
		return false; /* counted by the IPv4 layer; nothing to answer */
	}
	c = tcp_find(ns, src, &s);
	if (!c) {
		tcp_reset_reply(ns, src, dst, &s);
		return false;
	}
	c->stats.rx_segs++;
	if (c->state == TCP_SYN_SENT) {
		tcp_rx_syn_sent(c, &s);
	} else {
		tcp_rx_sync(c, &s);
	}
	return true;
}
