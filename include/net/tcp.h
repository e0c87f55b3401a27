/* TCP, client side, enough for HTTP/1.1 (RFC 9293): an active open with the
 * MSS and window-scale options, in-order receive into a ring buffer whose free
 * space is the window we advertise, a few out-of-order ranges held in that
 * same ring, retransmission of our SYN, data and FIN with a back-off, FIN and
 * RST. One connection is driven at a time by its caller: every wait is inside
 * tcp_connect/send/recv/close and bounded by the caller's timeout. */
#ifndef NET_TCP_H
#define NET_TCP_H

#include <lib/compiler.h>
#include <net/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_LEN 20
#define TCP_MSS_MAX 1460 /* a 1500-byte MTU less the IPv4 and TCP headers */
/* The receive ring: the window we offer. 256 KiB with a window scale of 3
 * keeps a LAN pipe full without the sender ever waiting for us. */
#define TCP_RBUF_SIZE (256u << 10)
#define TCP_RCV_WSCALE 3
#define TCP_SBUF_SIZE 4096 /* unacknowledged data we sent (an HTTP request) */
#define TCP_OOO_MAX 8 /* out-of-order ranges held in the ring */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

enum tcp_state {
	TCP_CLOSED,
	TCP_SYN_SENT,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, /* our FIN sent, not acknowledged */
	TCP_FIN_WAIT_2, /* our FIN acknowledged, theirs still to come */
	TCP_CLOSE_WAIT, /* their FIN received, ours not sent */
	TCP_CLOSING, /* both FINs sent, ours not acknowledged */
	TCP_LAST_ACK, /* their FIN received, ours sent, not acknowledged */
	TCP_TIME_WAIT, /* both done: nothing to wait for (we never reuse the port soon) */
};

struct tcp_range {
	uint32_t start, end; /* sequence numbers, end exclusive */
};

struct tcp_stats {
	uint64_t rx_segs, rx_bytes; /* segments for this connection, payload bytes accepted */
	uint32_t rx_ooo; /* held out of order */
	uint32_t rx_dup; /* payload we already had or could not hold */
	uint32_t rx_bad; /* refused: checksum, header, outside the window */
	uint32_t tx_segs, tx_acks, rtx; /* sent, of which pure ACKs, retransmissions */
};

struct tcp_conn {
	struct net_stack *ns;
	struct tcp_conn *next; /* in ns->tcp_conns */
	uint32_t raddr, laddr;
	uint16_t rport, lport;
	enum tcp_state state;
	int error; /* set once: -ECONNREFUSED, -ENOTCONN (reset), -ETIMEDOUT */

	/* Send side. sbuf[0] is sequence number snd_una once the SYN is acknowledged. */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd; /* bytes, scaled */
	uint16_t snd_mss;
	uint8_t snd_wscale; /* theirs, 0 unless both sides sent the option */
	bool has_fin_queued; /* tcp_close() asked for our FIN */
	bool has_fin_sent; /* fin_seq is our FIN's sequence number */
	uint32_t fin_seq;
	size_t slen;
	uint8_t sbuf[TCP_SBUF_SIZE];

	/* Retransmission (RFC 6298): one timer for SYN, data and FIN. */
	uint64_t rto_ns, rtx_deadline; /* 0: not armed */
	uint64_t srtt_ns, rttvar_ns, rtt_start;
	uint32_t rtt_seq; /* timed segment's end; 0 with rtt_start 0: none */
	unsigned int rtx_count;

	/* Receive side: rlen in-order bytes from rhead; then the window. */
	uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge last advertised */
	uint8_t rcv_wscale;
	bool has_fin; /* their FIN arrived in order: EOF after the ring drains */
	uint8_t *rbuf;
	size_t rsize, rhead, rlen;
	struct tcp_range ooo[TCP_OOO_MAX];
	unsigned int ooo_count;
	unsigned int ooo_last; /* the range that changed last: the first SACK block */
	bool has_sack; /* both sides sent SACK permitted: our ACKs list the ranges */
	unsigned int ack_owed; /* in-order segments not yet acknowledged */
	uint64_t ack_deadline; /* delayed ACK; 0: none */
	/* A reader waiting in tcp_recv() on an empty ring: in-order data goes
	 * straight to its buffer, one copy less. */
	uint8_t *user_buf;
	size_t user_room, user_got;

	struct tcp_stats stats;
};

/**
 * tcp_connect() - open @c (caller-owned, contents overwritten) to @dst:@port
 * and wait up to @timeout_ms for the handshake. Allocates the receive ring;
 * on success the caller must tcp_close() or tcp_abort() it. Returns 0,
 * -EADDRNOTAVAIL (@dst broadcast, multicast or 0: nothing sent), -ENOMEM,
 * -ECONNREFUSED (RST), -ETIMEDOUT, or an ip_send() error.
 */
int __must_check tcp_connect(struct net_stack *ns, struct tcp_conn *c, uint32_t dst, uint16_t port,
			     unsigned int timeout_ms);

/**
 * tcp_send() - queue @len bytes and send them as the window allows; waits
 * (bounded by @timeout_ms) only for room in the send buffer. Returns 0,
 * -ENOTCONN (closed or reset), -ETIMEDOUT.
 */
int __must_check tcp_send(struct tcp_conn *c, const void *data, size_t len,
			  unsigned int timeout_ms);

/**
 * tcp_recv() - copy up to @size received bytes into @buf, waiting up to
 * @timeout_ms for the first. *@got 0 with return 0 means the peer closed
 * (EOF). Returns 0, -ETIMEDOUT (nothing arrived), -ENOTCONN (reset),
 * -ECONNREFUSED, or the connection's error.
 */
int __must_check tcp_recv(struct tcp_conn *c, void *buf, size_t size, size_t *got,
			  unsigned int timeout_ms);

/**
 * tcp_close() - send our FIN, wait (briefly, bounded) for the exchange to end,
 * then forget @c and free its ring. Never fails: a peer that does not answer
 * gets a RST.
 */
void tcp_close(struct tcp_conn *c);

/** tcp_abort() - send a RST if connected, forget @c, free its ring. */
void tcp_abort(struct tcp_conn *c);

/* tcp_input(), the IPv4 layer's hook, is declared in <net/ip.h>: it checks
 * the checksum and header, updates the connection, answers a segment for no
 * connection with a RST, and returns true if a connection took it. */

/** tcp_state_name() - "ESTABLISHED" and friends, for messages and tests. */
const char *tcp_state_name(enum tcp_state s);

#endif
