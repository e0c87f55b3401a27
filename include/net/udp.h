/* UDP (RFC 768): bindings by local port, send with the checksum. */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <net/net.h>

#define UDP_HLEN 8
#define UDP_DATA_MAX (NET_L4_MAX - UDP_HLEN)

/* A local port and who gets what arrives on it; owned by the caller and
 * linked into the stack between udp_bind() and udp_unbind(). */
struct udp_bind {
	uint16_t port;
	/* @data (@len bytes, untrusted) lives in ns->rx: valid during the call. */
	void (*rx)(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len);
	void *ctx;
};

/** udp_bind() - deliver datagrams to @b->port. 0, -EINVAL (port 0, no rx), -EADDRINUSE, -ENOSPC. */
int __must_check udp_bind(struct net_stack *ns, struct udp_bind *b);
/** udp_unbind() - stop delivering to @b (no-op if it is not bound). */
void udp_unbind(struct net_stack *ns, struct udp_bind *b);

/**
 * udp_send() - one datagram of @len bytes from local port @sport to @dst:@dport.
 * @dst NET_IP_BROADCAST works without an address (source 0.0.0.0, for DHCP).
 * Returns 0, -EMSGSIZE (> UDP_DATA_MAX) or an error of ip_send().
 */
int __must_check udp_send(struct net_stack *ns, uint32_t dst, uint16_t sport, uint16_t dport,
			  const void *data, size_t len);

/** udp_input() - the UDP datagram @p (@len bytes, untrusted) from @src to @dst. */
bool udp_input(struct net_stack *ns, uint32_t src, uint32_t dst, const uint8_t *p, size_t len);

#endif
