/* IPv4 (RFC 791): header and checksum checks on input, fragments dropped
 * (counted), options skipped; on output a 20-byte header with DF set and
 * the next hop chosen by netmask and gateway. */
#ifndef NET_IP_H
#define NET_IP_H

#include <net/net.h>

#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_TTL 64

/**
 * inet_csum() - the Internet checksum (RFC 1071) of @len bytes at @p, with
 * @sum (an unfolded partial sum such as inet_pseudo_sum()) added: the value
 * to store with store_be16(). Over data that holds a correct checksum the
 * result is 0.
 */
uint16_t inet_csum(const void *p, size_t len, uint32_t sum);
/** inet_pseudo_sum() - the unfolded sum of the UDP/TCP pseudo-header. */
uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/**
 * ip_send() - send @len bytes of transport data @l4 (built by the caller,
 * checksum included; may be ns->tx + NET_L4_OFF) to @dst as protocol
 * @proto. NET_IP_BROADCAST goes to every host without ARP, even before we
 * have an address (source 0.0.0.0). Returns 0, -EMSGSIZE (> NET_L4_MAX),
 * -EADDRNOTAVAIL (no address yet), -ENXIO (off-link without a gateway),
 * -EINVAL (our own or a multicast address), -ETIMEDOUT (no ARP reply), or
 * the device's error.
 */
int __must_check ip_send(struct net_stack *ns, uint32_t dst, uint8_t proto, const void *l4,
			 size_t len);

/** ip_header() - our 20-byte header for @l4_len bytes of @proto to @dst, at @h. */
void ip_header(struct net_stack *ns, uint8_t *h, uint32_t dst, uint8_t proto, size_t l4_len);

/** ip_input() - the IPv4 packet at @p (@len bytes after the Ethernet header) of frame @f. */
bool ip_input(struct net_stack *ns, uint8_t *f, uint8_t *p, size_t len);

/**
 * tcp_input() - a TCP segment (@len bytes at @seg in ns->rx, untrusted,
 * checksum not yet checked) that passed the IPv4 checks, from @src to @dst.
 * net/tcp.c defines it; until that is linked, a weak default refuses every
 * segment. Returns true if the segment was handled; a refused one is
 * counted by the IPv4 layer (rx_no_port).
 */
bool tcp_input(struct net_stack *ns, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);

#endif
