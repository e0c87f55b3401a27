/* UDP (include/net/udp.h). */
#include <lib/be.h>
#include <lib/errno.h>
#include <net/ip.h>
#include <net/udp.h>
#include <string.h>

int udp_bind(struct net_stack *ns, struct udp_bind *b)
{
	struct udp_bind **free_slot = NULL;

	if (!b->port || !b->rx) {
		return -EINVAL;
	}
	for (unsigned int i = 0; i < NET_UDP_SLOTS; i++) {
		if (ns->udp[i] && ns->udp[i]->port == b->port) {
			return -EADDRINUSE;
		}
		if (!ns->udp[i] && !free_slot) {
			free_slot = &ns->udp[i];
		}
	}
	if (!free_slot) {
		return -ENOSPC;
	}
	*free_slot = b;
	return 0;
}

void udp_unbind(struct net_stack *ns, struct udp_bind *b)
{
	for (unsigned int i = 0; i < NET_UDP_SLOTS; i++) {
		if (ns->udp[i] == b) {
			ns->udp[i] = NULL;
		}
	}
}

bool udp_input(struct net_stack *ns, uint32_t src, uint32_t dst, const uint8_t *p, size_t len)
{
	size_t ulen;
	uint16_t port;

	if (len < UDP_HLEN || (ulen = load_be16(p + 4)) < UDP_HLEN || ulen > len) {
		ns->stats.rx_bad_ip++;
		return false;
	}
	/* Checksum 0: the sender computed none (allowed over IPv4). */
	if (load_be16(p + 6) &&
	    inet_csum(p, ulen, inet_pseudo_sum(src, dst, IP_PROTO_UDP, (uint16_t)ulen))) {
		ns->stats.rx_bad_csum++;
		return false;
	}
	port = load_be16(p + 2);
	for (unsigned int i = 0; i < NET_UDP_SLOTS; i++) {
		struct udp_bind *b = ns->udp[i];

		if (b && b->port == port && load_be16(p)) {
			b->rx(b->ctx, src, load_be16(p), p + UDP_HLEN, ulen - UDP_HLEN);
			return true;
		}
	}
	ns->stats.rx_no_port++;
	return false;
}

int udp_send(struct net_stack *ns, uint32_t dst, uint16_t sport, uint16_t dport, const void *data,
	     size_t len)
{
	uint8_t *u = ns->tx + NET_L4_OFF;
	uint16_t csum;

	if (len > UDP_DATA_MAX) {
		return -EMSGSIZE;
	}
	if (data != u + UDP_HLEN) {
		memmove(u + UDP_HLEN, data, len);
	}
	store_be16(u, sport);
	store_be16(u + 2, dport);
	store_be16(u + 4, (uint16_t)(UDP_HLEN + len));
	store_be16(u + 6, 0);
	csum = inet_csum(u, UDP_HLEN + len,
			 inet_pseudo_sum(ns->ip, dst, IP_PROTO_UDP, (uint16_t)(UDP_HLEN + len)));
	/* 0 means "no checksum": send its other form. */
	store_be16(u + 6, csum ? csum : 0xffff);
	return ip_send(ns, dst, IP_PROTO_UDP, u, UDP_HLEN + len);
}
