/* ARP for IPv4 over Ethernet (RFC 826): a small cache, replies to requests
 * for our address, and a bounded resolution. */
#ifndef NET_ARP_H
#define NET_ARP_H

#include <net/net.h>

#define ARP_TRIES 4
#define ARP_TRY_MS 500 /* a try waits this long for the reply */

/** arp_input() - an ARP packet at @p (@len bytes after the Ethernet header) in frame @f. */
bool arp_input(struct net_stack *ns, uint8_t *f, const uint8_t *p, size_t len);

/** arp_lookup() - the cached MAC of @ip, or NULL. */
const uint8_t *arp_lookup(struct net_stack *ns, uint32_t ip);

/**
 * arp_resolve() - the MAC of on-link @ip into @mac: from the cache, else
 * ARP_TRIES requests ARP_TRY_MS apart. Frames other than ARP that arrive
 * meanwhile are dropped (rx_busy): their senders retry. ns->rx and ns->tx
 * are left alone. Returns 0, -ETIMEDOUT or the device's error.
 */
int __must_check arp_resolve(struct net_stack *ns, uint32_t ip, uint8_t mac[NET_MAC_LEN]);

#endif
