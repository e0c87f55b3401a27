/* ICMP (RFC 792): echo replies to requests for our address, and ping. */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#include <net/net.h>

#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_PING_ID 0x7862 /* "xb" */

/** icmp_input() - the ICMP message @p (@len bytes, untrusted) of frame @f, from @src to @dst. */
bool icmp_input(struct net_stack *ns, uint8_t *f, uint32_t src, uint32_t dst, uint8_t *p,
		size_t len);

/**
 * net_ping() - send echo requests to @dst, one a second, until a matching
 * reply arrives or @timeout_ms passes. Returns 0, -ETIMEDOUT, or an error of
 * ip_send().
 */
int __must_check net_ping(struct net_stack *ns, uint32_t dst, unsigned int timeout_ms);

#endif
