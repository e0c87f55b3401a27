/* Ethernet II framing (no VLANs, no FCS: netdev frames carry none). */
#ifndef NET_ETH_H
#define NET_ETH_H

#include <net/net.h>

#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
/* Shortest frame on the wire without the FCS; we pad what we send to it. */
#define ETH_FRAME_MIN 60

/* How long a send waits for room in a full device queue. */
#define ETH_TX_WAIT_MS 100

extern const uint8_t eth_broadcast[NET_MAC_LEN];

/** eth_input() - check and dispatch the frame in @f (@len bytes, untrusted). */
bool eth_input(struct net_stack *ns, uint8_t *f, size_t len);

/**
 * eth_send() - fill the Ethernet header of the frame @f (@len bytes with the
 * header; padded here to ETH_FRAME_MIN) and send it, waiting up to
 * ETH_TX_WAIT_MS while the device has no room. Returns 0, -EAGAIN (still no
 * room) or the device's error.
 */
int __must_check eth_send(struct net_stack *ns, uint8_t *f, const uint8_t *dst, uint16_t type,
			  size_t len);

#endif
