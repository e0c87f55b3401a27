/* ICMP echo (include/net/icmp.h). */
#include <arch/arch.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <net/eth.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <string.h>

#define ICMP_HLEN 8
#define PING_DATA_LEN 32
#define PING_INTERVAL_MS 1000
/* Replies to this many of our latest requests count (a slow first reply). */
#define PING_SEQ_WINDOW 16

/* Turn the request in @f into the reply, in place: a fresh 20-byte IPv4
 * header (the request's options are not echoed) and the same ICMP body. */
static bool icmp_echo_reply(struct net_stack *ns, uint8_t *f, uint32_t src, uint8_t *p, size_t len)
{
	uint8_t *h = f + NET_ETH_HLEN, *m = h + NET_IP_HLEN;

	memmove(m, p, len);
	m[0] = ICMP_ECHO_REPLY;
	store_be16(m + 2, 0);
	store_be16(m + 2, inet_csum(m, len, 0));
	ip_header(ns, h, src, IP_PROTO_ICMP, len);
	if (eth_send(ns, f, f + NET_MAC_LEN, ETH_TYPE_IP, NET_L4_OFF + len) == 0) {
		ns->stats.icmp_echo_replies++;
	}
	return true;
}

bool icmp_input(struct net_stack *ns, uint8_t *f, uint32_t src, uint32_t dst, uint8_t *p,
		size_t len)
{
	if (len < ICMP_HLEN) {
		ns->stats.rx_bad_ip++;
		return false;
	}
	if (inet_csum(p, len, 0)) {
		ns->stats.rx_bad_csum++;
		return false;
	}
	/* Never answer a broadcast (RFC 1122 3.2.2.6 allows silence). */
	if (p[0] == ICMP_ECHO_REQUEST && p[1] == 0 && ns->ip && dst == ns->ip && src) {
		return icmp_echo_reply(ns, f, src, p, len);
	}
	if (p[0] == ICMP_ECHO_REPLY && load_be16(p + 4) == ICMP_PING_ID && src == ns->ping_dst &&
	    (uint16_t)(ns->ping_seq - load_be16(p + 6)) < PING_SEQ_WINDOW) {
		ns->is_ping_answered = true;
		return true;
	}
	ns->stats.rx_no_port++;
	return false;
}

static int ping_send(struct net_stack *ns, uint32_t dst)
{
	uint8_t *m = ns->tx + NET_L4_OFF;

	ns->ping_seq++;
	m[0] = ICMP_ECHO_REQUEST;
	m[1] = 0;
	store_be16(m + 2, 0);
	store_be16(m + 4, ICMP_PING_ID);
	store_be16(m + 6, ns->ping_seq);
	for (unsigned int i = 0; i < PING_DATA_LEN; i++) {
		m[ICMP_HLEN + i] = (uint8_t)i;
	}
	store_be16(m + 2, inet_csum(m, ICMP_HLEN + PING_DATA_LEN, 0));
	return ip_send(ns, dst, IP_PROTO_ICMP, m, ICMP_HLEN + PING_DATA_LEN);
}

int net_ping(struct net_stack *ns, uint32_t dst, unsigned int timeout_ms)
{
	uint64_t end = net_deadline_ms(timeout_ms);
	int rc;

	ns->ping_dst = dst;
	ns->is_ping_answered = false;
	while (arch_time_ns() < end) {
		uint64_t next = net_deadline_ms(PING_INTERVAL_MS);

		rc = ping_send(ns, dst);
		while (rc == 0 && !ns->is_ping_answered) {
			rc = net_poll(ns, MIN(next, end));
			/* 0 is any handled frame, even one past the deadline. */
			if (rc == 0 && arch_time_ns() >= MIN(next, end)) {
				rc = -ETIMEDOUT;
			}
		}
		if (ns->is_ping_answered) {
			return 0;
		}
		if (rc != -ETIMEDOUT) {
			return rc;
		}
	}
	return -ETIMEDOUT;
}
