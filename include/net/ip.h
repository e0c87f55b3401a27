/* TEMPORARY stand-in for netcore's include/net/ip.h, deleted before the merge. */
#ifndef NET_IP_H
#define NET_IP_H

#include <net/net.h>

#define IP_PROTO_TCP 6

uint16_t inet_csum(const void *p, size_t len, uint32_t sum);
uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
int __must_check ip_send(struct net_stack *ns, uint32_t dst, uint8_t proto, const void *l4,
			 size_t len);
bool tcp_input(struct net_stack *ns, uint32_t src, uint32_t dst, const uint8_t *seg,
	       size_t len);

#endif
