/* What net/tcp.c (segments in and out) and net/tcp_conn.c (the calls that
 * wait: connect, send, recv, close) share. Not an API. */
#ifndef NET_TCP_INTERNAL_H
#define NET_TCP_INTERNAL_H

#include <lib/units.h>
#include <net/ip.h>
#include <net/tcp.h>

#define TCP_RTO_INIT_NS (1000 * NS_PER_MS) /* RFC 6298 2.1 */
#define TCP_RTO_MIN_NS (200 * NS_PER_MS) /* what Linux uses; RFC's 1 s is slow on a LAN */
#define TCP_RTO_MAX_NS (8000 * NS_PER_MS) /* the caller's timeout bounds the total anyway */
#define TCP_RTO_SYN_LOST_NS (3000 * NS_PER_MS)
#define TCP_RTX_MAX 10 /* retransmissions of one segment before giving up */
#define TCP_DELACK_NS 500000ULL /* a lone in-order segment waits this long for its ACK */
/* In-order segments per ACK while frames keep coming; an idle reader ACKs at
 * once. Few ACKs: each is a frame to send, which costs more than it seems
 * in a guest (a grant and a notification). */
#define TCP_ACK_EVERY 8
#define TCP_MSS_DEFAULT 536 /* RFC 9293 3.7.1: no MSS option */

/* Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4). */
static inline int tcp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline int tcp_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

/* A parsed segment header; data points into the caller's (untrusted) copy. */
struct tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss; /* 0: no option */
	uint8_t wscale; /* 0xff: no option */
	bool has_sack; /* SACK permitted */
	const uint8_t *data;
	size_t dlen;
};

/**
 * tcp_seg_parse() - the header of the untrusted @seg (@len bytes): data
 * offset within the segment, options bounded (MSS and window scale only on a
 * SYN). 0 or -EBADMSG. The checksum is the caller's.
 */
int __must_check tcp_seg_parse(const uint8_t *seg, size_t len, struct tcp_seg *s);

/**
 * tcp_xmit() - one segment of @c: @flags, sequence @seq, @dlen bytes of @data.
 * Returns ip_send()'s result, which only tcp_connect() looks at: a segment
 * that did not leave is one lost on the wire, and the timers send it again.
 */
int tcp_xmit(struct tcp_conn *c, uint32_t seq, uint8_t flags, const void *data, size_t dlen);
/** tcp_sack_len() - bytes of SACK option our next ACK carries: they come out of the MSS. */
size_t tcp_sack_len(const struct tcp_conn *c);
/** tcp_send_ack() - a pure ACK with the current window (clears a delayed one). */
void tcp_send_ack(struct tcp_conn *c);
/** tcp_output() - send what the window allows of queued data, then our FIN;
 * @force: at least one byte, into a zero window (the persist probe). */
void tcp_output(struct tcp_conn *c, bool force);
/** tcp_timers() - fire the retransmission and delayed-ACK timers due at @now. */
void tcp_timers(struct tcp_conn *c, uint64_t now);
/** tcp_fail() - end @c with @err (first error kept); it leaves the list on close. */
void tcp_fail(struct tcp_conn *c, int err);

#endif
