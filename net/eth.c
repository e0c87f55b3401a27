/* Ethernet II in and out (include/net/eth.h). */
#include <arch/arch.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <net/arp.h>
#include <net/eth.h>
#include <net/ip.h>
#include <string.h>

const uint8_t eth_broadcast[NET_MAC_LEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

bool eth_input(struct net_stack *ns, uint8_t *f, size_t len)
{
	const uint8_t *dst = f, *src = f + NET_MAC_LEN;

	if (len < NET_ETH_HLEN || len > NETDEV_FRAME_MAX) {
		goto bad;
	}
	/* Ours or broadcast; never from a group address or from ourselves
	 * (a reflected frame, or a host claiming our MAC). */
	if (memcmp(dst, ns->mac, NET_MAC_LEN) && memcmp(dst, eth_broadcast, NET_MAC_LEN)) {
		goto bad;
	}
	if ((src[0] & 1) || !memcmp(src, ns->mac, NET_MAC_LEN)) {
		goto bad;
	}
	switch (load_be16(f + 12)) {
	case ETH_TYPE_ARP:
		return arp_input(ns, f, f + NET_ETH_HLEN, len - NET_ETH_HLEN);
	case ETH_TYPE_IP:
		if (ns->is_resolving) {
			ns->stats.rx_busy++;
			return false;
		}
		return ip_input(ns, f, f + NET_ETH_HLEN, len - NET_ETH_HLEN);
	}
bad:
	ns->stats.rx_bad_eth++;
	return false;
}

int eth_send(struct net_stack *ns, uint8_t *f, const uint8_t *dst, uint16_t type, size_t len)
{
	uint64_t deadline_ns = 0;
	int rc;

	memmove(f, dst, NET_MAC_LEN);
	memcpy(f + NET_MAC_LEN, ns->mac, NET_MAC_LEN);
	store_be16(f + 12, type);
	if (len < ETH_FRAME_MIN) {
		memset(f + len, 0, ETH_FRAME_MIN - len);
		len = ETH_FRAME_MIN;
	}
	for (;;) {
		rc = netdev_send(ns->dev, f, len);
		if (rc != -EAGAIN) {
			break;
		}
		/* The device's queue is full: give the CPU back until sends
		 * complete, for a bounded time. */
		if (!deadline_ns) {
			deadline_ns = net_deadline_ms(ETH_TX_WAIT_MS);
		} else if (arch_time_ns() >= deadline_ns) {
			break;
		}
		netdev_wait(ns->dev, deadline_ns);
	}
	if (rc) {
		ns->stats.tx_errors++;
		return rc;
	}
	ns->stats.tx_frames++;
	return 0;
}
