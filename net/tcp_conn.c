/* The TCP calls that wait: connect, send, recv, close; and what drives a
 * connection while its caller waits (sending queued data and FIN, the
 * retransmission and delayed-ACK timers). Every loop here ends at the
 * caller's deadline or on the connection's error. */
#include "tcp_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

#define TCP_CLOSE_WAIT_MS 1000 /* how long tcp_close() waits for the FIN exchange */
#define TCP_PORT_BASE 49152 /* RFC 6335 dynamic ports */

void tcp_output(struct tcp_conn *c, bool force)
{
	bool is_sending = c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT ||
			  c->state == TCP_FIN_WAIT_1 || c->state == TCP_LAST_ACK ||
			  c->state == TCP_CLOSING;

	while (is_sending) {
		size_t sent = (size_t)(c->snd_nxt - c->snd_una), n;

		if (sent >= c->slen) {
			break;
		}
		n = MIN(c->slen - sent, (size_t)c->snd_mss - tcp_sack_len(c));
		n = MIN(n, c->snd_wnd > sent ? c->snd_wnd - sent : 0);
		if (!n && force && sent == 0) {
			n = 1; /* zero-window probe (RFC 9293 3.8.6.1) */
		}
		if (!n) {
			break;
		}
		force = false;
		(void)tcp_xmit(c, c->snd_nxt, TCP_ACK | TCP_PSH, c->sbuf + sent, n);
		c->snd_nxt += (uint32_t)n;
	}
	if (is_sending && c->has_fin_queued && c->snd_nxt == c->snd_una + c->slen &&
	    (!c->has_fin_sent || c->snd_nxt == c->fin_seq)) {
		c->fin_seq = c->snd_nxt;
		c->has_fin_sent = true;
		(void)tcp_xmit(c, c->snd_nxt, TCP_ACK | TCP_FIN, NULL, 0);
		c->snd_nxt++;
	}
	if (tcp_seq_lt(c->snd_max, c->snd_nxt)) {
		if (!c->rtt_start) {
			c->rtt_start = arch_time_ns();
			c->rtt_seq = c->snd_nxt;
		}
		c->snd_max = c->snd_nxt;
	}
	if (!c->rtx_deadline && (c->snd_una != c->snd_max || (c->slen && !c->snd_wnd))) {
		c->rtx_deadline = arch_time_ns() + c->rto_ns;
	}
}

/* Go back to snd_una and send again, with twice the timeout (RFC 6298 5.5). */
static void tcp_retransmit(struct tcp_conn *c, uint64_t now)
{
	if (++c->rtx_count > TCP_RTX_MAX) {
		tcp_fail(c, -ETIMEDOUT);
		return;
	}
	c->stats.rtx++;
	c->rto_ns = MIN(c->rto_ns * 2, TCP_RTO_MAX_NS);
	c->rtt_start = 0; /* Karn: no sample from a retransmitted segment */
	c->rtx_deadline = 0;
	if (c->state == TCP_SYN_SENT) {
		(void)tcp_xmit(c, c->iss, TCP_SYN, NULL, 0);
		c->rtx_deadline = now + c->rto_ns;
		return;
	}
	c->snd_nxt = c->snd_una;
	tcp_output(c, true);
}

void tcp_timers(struct tcp_conn *c, uint64_t now)
{
	if (c->ack_deadline && now >= c->ack_deadline) {
		tcp_send_ack(c);
	}
	if (c->rtx_deadline && now >= c->rtx_deadline) {
		tcp_retransmit(c, now);
	}
}

/* One step of a wait: due timers, then frames until the next timer or @deadline. */
static int tcp_step(struct tcp_conn *c, uint64_t deadline)
{
	uint64_t next = deadline;
	int rc;

	tcp_timers(c, arch_time_ns());
	if (c->rtx_deadline && c->rtx_deadline < next) {
		next = c->rtx_deadline;
	}
	if (c->ack_deadline && c->ack_deadline < next) {
		next = c->ack_deadline;
	}
	rc = net_poll(c->ns, next);
	if (rc == -EIO) {
		tcp_fail(c, rc); /* the device is broken: nothing will ever arrive */
	}
	return c->error;
}

static uint64_t tcp_deadline(unsigned int timeout_ms)
{
	return arch_time_ns() + (uint64_t)timeout_ms * NS_PER_MS;
}

/* A sequence number and port no one can guess from the last connection (RFC 6528, lightly). */
static uint32_t tcp_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(x ^ (x >> 32));
}

static uint16_t tcp_pick_port(struct net_stack *ns)
{
	uint16_t port = (uint16_t)(TCP_PORT_BASE + (tcp_mix(arch_time_ns() ^ 0x5eed) & 0x3fff));

	for (struct tcp_conn *c = ns->tcp_conns; c;) {
		if (c->lport == port) {
			port = port == 0xffff ? TCP_PORT_BASE : port + 1;
			c = ns->tcp_conns;
			continue;
		}
		c = c->next;
	}
	return port;
}

static void tcp_unlink(struct tcp_conn *c)
{
	for (struct tcp_conn **pp = &c->ns->tcp_conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	free(c->rbuf);
	c->rbuf = NULL;
	c->state = TCP_CLOSED;
}

/* RFC 1122 4.2.3.10: no connection to a broadcast or multicast address. */
static bool tcp_is_unicast(const struct net_stack *ns, uint32_t dst)
{
	bool is_subnet_bcast =
	    ns->netmask && ns->netmask != 0xffffffffu && dst == (ns->ip | ~ns->netmask);

	return dst && dst != 0xffffffffu && (dst >> 28) != 0xe && !is_subnet_bcast;
}

int tcp_connect(struct net_stack *ns, struct tcp_conn *c, uint32_t dst, uint16_t port,
		unsigned int timeout_ms)
{
	uint64_t deadline = tcp_deadline(timeout_ms);
	int rc;

	memset(c, 0, sizeof(*c));
	if (!tcp_is_unicast(ns, dst)) {
		return -EADDRNOTAVAIL;
	}
	c->rbuf = malloc(TCP_RBUF_SIZE);
	if (!c->rbuf) {
		return -ENOMEM;
	}
	c->ns = ns;
	c->raddr = dst;
	c->laddr = ns->ip;
	c->rport = port;
	c->lport = tcp_pick_port(ns);
	c->rsize = TCP_RBUF_SIZE;
	c->iss = tcp_mix(arch_time_ns() ^ ((uint64_t)dst << 16) ^ port);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->snd_mss = TCP_MSS_DEFAULT;
	c->rto_ns = TCP_RTO_INIT_NS;
	c->state = TCP_SYN_SENT;
	c->next = ns->tcp_conns;
	ns->tcp_conns = c;
	rc = tcp_xmit(c, c->iss, TCP_SYN, NULL, 0);
	c->rtt_start = arch_time_ns();
	c->rtx_deadline = c->rtt_start + c->rto_ns;
	while (!rc && c->state == TCP_SYN_SENT) {
		if (arch_time_ns() >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		rc = tcp_step(c, deadline);
	}
	if (!rc && c->state != TCP_ESTABLISHED) {
		rc = c->error ? c->error : -ENOTCONN;
	}
	if (rc) {
		tcp_unlink(c);
	}
	return rc;
}

int tcp_send(struct tcp_conn *c, const void *data, size_t len, unsigned int timeout_ms)
{
	uint64_t deadline = tcp_deadline(timeout_ms);
	const uint8_t *p = data;

	while (len) {
		if (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT) {
			return c->error ? c->error : -ENOTCONN;
		}
		if (c->slen < TCP_SBUF_SIZE) {
			size_t n = MIN(len, TCP_SBUF_SIZE - c->slen);

			memcpy(c->sbuf + c->slen, p, n);
			c->slen += n;
			p += n;
			len -= n;
			tcp_output(c, false);
			continue;
		}
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		if (tcp_step(c, deadline)) {
			return c->error;
		}
	}
	return 0;
}

/* After the reader made room: tell a sender that may be waiting on a small window. */
static void tcp_window_update(struct tcp_conn *c)
{
	uint32_t edge = c->rcv_nxt + (uint32_t)(c->rsize - c->rlen);
	int32_t left = (int32_t)(c->rcv_adv - c->rcv_nxt);

	if (left < (int32_t)(c->rsize / 2) && (int32_t)(edge - c->rcv_adv) >= 2 * TCP_MSS_MAX) {
		tcp_send_ack(c);
	}
}

static size_t tcp_ring_read(struct tcp_conn *c, uint8_t *buf, size_t size)
{
	size_t n = MIN(size, c->rlen), first = MIN(n, c->rsize - c->rhead);

	memcpy(buf, c->rbuf + c->rhead, first);
	memcpy(buf + first, c->rbuf, n - first);
	c->rhead = (c->rhead + n) % c->rsize;
	c->rlen -= n;
	tcp_window_update(c);
	return n;
}

/* Wait for data. A burst in progress is ACKed every TCP_ACK_EVERY segments;
 * the moment no frame is waiting, what is owed is ACKed before blocking. */
static void tcp_recv_step(struct tcp_conn *c, uint64_t deadline)
{
	if (c->ack_owed) {
		int rc = net_poll(c->ns, 0); /* a deadline in the past: does not wait */

		if (rc == -ETIMEDOUT && c->ack_owed) {
			tcp_send_ack(c);
		} else if (rc && rc != -ETIMEDOUT) {
			tcp_fail(c, rc);
		}
		return;
	}
	(void)tcp_step(c, deadline);
}

int tcp_recv(struct tcp_conn *c, void *buf, size_t size, size_t *got, unsigned int timeout_ms)
{
	uint64_t deadline = tcp_deadline(timeout_ms);

	*got = 0;
	for (;;) {
		if (c->rlen && size) {
			*got = tcp_ring_read(c, buf, size);
			return 0;
		}
		if (c->has_fin || !size) {
			return 0;
		}
		if (c->error) {
			return c->error;
		}
		if (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
		    c->state != TCP_FIN_WAIT_2) {
			return -ENOTCONN;
		}
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		c->user_buf = buf;
		c->user_room = size;
		c->user_got = 0;
		tcp_recv_step(c, deadline);
		c->user_room = 0;
		if (c->user_got) {
			*got = c->user_got;
			return 0;
		}
	}
}

void tcp_abort(struct tcp_conn *c)
{
	if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT && c->state != TCP_TIME_WAIT) {
		(void)tcp_xmit(c, c->snd_nxt, TCP_RST, NULL, 0);
	}
	tcp_unlink(c);
}

void tcp_close(struct tcp_conn *c)
{
	uint64_t deadline = tcp_deadline(TCP_CLOSE_WAIT_MS);

	/* Unread data or a peer still sending: RFC 9293 3.10.4 says reset. */
	if (c->rlen || c->state == TCP_SYN_SENT ||
	    (c->state != TCP_CLOSE_WAIT && c->state != TCP_ESTABLISHED)) {
		tcp_abort(c);
		return;
	}
	c->state = c->state == TCP_ESTABLISHED ? TCP_FIN_WAIT_1 : TCP_LAST_ACK;
	c->has_fin_queued = true;
	tcp_output(c, false);
	while (c->state != TCP_CLOSED && c->state != TCP_TIME_WAIT && arch_time_ns() < deadline) {
		if (c->rlen) {
			c->rhead = (c->rhead + c->rlen) % c->rsize; /* nobody reads it now */
			c->rlen = 0;
		}
		(void)tcp_step(c, deadline);
	}
	tcp_abort(c);
}
