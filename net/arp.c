/* ARP (RFC 826) for IPv4 over Ethernet (include/net/arp.h). The cache
 * learns only from ARP itself: a sender already cached is refreshed, and a
 * sender that asks for or answers us is added, so unrelated broadcast
 * chatter cannot push out the hosts we talk to. */
#include <arch/arch.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <net/arp.h>
#include <net/eth.h>
#include <string.h>

#define ARP_LEN 28
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
/* Offsets in the ARP packet. */
#define ARP_OP 6
#define ARP_SHA 8
#define ARP_SPA 14
#define ARP_THA 18
#define ARP_TPA 24

const uint8_t *arp_lookup(struct net_stack *ns, uint32_t ip)
{
	for (unsigned int i = 0; i < NET_ARP_SLOTS; i++) {
		if (ns->arp[i].ip == ip && ip) {
			ns->arp[i].used_ns = arch_time_ns();
			return ns->arp[i].mac;
		}
	}
	return NULL;
}

static void arp_learn(struct net_stack *ns, uint32_t ip, const uint8_t *mac, bool may_add)
{
	struct arp_entry *slot = &ns->arp[0];

	for (unsigned int i = 0; i < NET_ARP_SLOTS; i++) {
		struct arp_entry *e = &ns->arp[i];

		if (e->ip == ip) {
			slot = e;
			may_add = true;
			break;
		}
		if (e->used_ns < slot->used_ns) {
			slot = e;
		}
	}
	if (may_add) {
		slot->ip = ip;
		memcpy(slot->mac, mac, NET_MAC_LEN);
		slot->used_ns = arch_time_ns();
	}
}

/* A plausible IPv4-over-Ethernet packet from a unicast host. */
static bool arp_is_valid(const uint8_t *p, size_t len)
{
	static const uint8_t hdr[6] = {0, 1, 8, 0, NET_MAC_LEN, 4};

	if (len < ARP_LEN || memcmp(p, hdr, sizeof(hdr))) {
		return false;
	}
	if (load_be16(p + ARP_OP) != ARP_OP_REQUEST && load_be16(p + ARP_OP) != ARP_OP_REPLY) {
		return false;
	}
	return !(p[ARP_SHA] & 1);
}

bool arp_input(struct net_stack *ns, uint8_t *f, const uint8_t *p, size_t len)
{
	uint32_t spa, tpa;
	uint8_t *a = f + NET_ETH_HLEN;

	if (!arp_is_valid(p, len)) {
		ns->stats.rx_bad_arp++;
		return false;
	}
	spa = load_be32(p + ARP_SPA);
	tpa = load_be32(p + ARP_TPA);
	bool is_for_us = ns->ip && tpa == ns->ip;

	/* 0.0.0.0 is a probe (RFC 5227), broadcast never a host. */
	if (spa && spa != NET_IP_BROADCAST) {
		arp_learn(ns, spa, p + ARP_SHA, is_for_us);
	}
	if (!is_for_us) {
		ns->stats.rx_bad_arp++;
		return false;
	}
	if (load_be16(p + ARP_OP) == ARP_OP_REPLY) {
		return true;
	}
	/* Answer in place: the asker becomes the target. */
	memcpy(a + ARP_THA, a + ARP_SHA, NET_MAC_LEN + 4);
	memcpy(a + ARP_SHA, ns->mac, NET_MAC_LEN);
	store_be32(a + ARP_SPA, ns->ip);
	store_be16(a + ARP_OP, ARP_OP_REPLY);
	if (eth_send(ns, f, a + ARP_THA, ETH_TYPE_ARP, NET_ETH_HLEN + ARP_LEN) == 0) {
		ns->stats.arp_replies++;
	}
	return true;
}

static int arp_request(struct net_stack *ns, uint32_t ip)
{
	/* Built in arp_rx: tx may hold the frame that waits for this reply. */
	uint8_t *f = ns->arp_rx, *a = f + NET_ETH_HLEN;
	static const uint8_t hdr[8] = {0, 1, 8, 0, NET_MAC_LEN, 4, 0, ARP_OP_REQUEST};

	memcpy(a, hdr, sizeof(hdr));
	memcpy(a + ARP_SHA, ns->mac, NET_MAC_LEN);
	store_be32(a + ARP_SPA, ns->ip);
	memset(a + ARP_THA, 0, NET_MAC_LEN);
	store_be32(a + ARP_TPA, ip);
	ns->stats.arp_requests++;
	return eth_send(ns, f, eth_broadcast, ETH_TYPE_ARP, NET_ETH_HLEN + ARP_LEN);
}

/* Wait in arp_rx until @ip is cached or @deadline_ns. net_poll_buf()
 * returns 0 for any frame it handled, even past the deadline: a flood of
 * requests for our address must not keep us here. */
static int arp_wait(struct net_stack *ns, uint32_t ip, uint64_t deadline_ns)
{
	while (!arp_lookup(ns, ip)) {
		int rc = arch_time_ns() >= deadline_ns ? -ETIMEDOUT
						       : net_poll_buf(ns, ns->arp_rx, deadline_ns);

		if (rc) {
			return rc;
		}
	}
	return 0;
}

int arp_resolve(struct net_stack *ns, uint32_t ip, uint8_t mac[NET_MAC_LEN])
{
	bool was_resolving = ns->is_resolving;
	int rc = -ETIMEDOUT;

	ns->is_resolving = true;
	for (unsigned int i = 0; i < ARP_TRIES && !arp_lookup(ns, ip); i++) {
		rc = arp_request(ns, ip);
		if (rc == 0) {
			rc = arp_wait(ns, ip, net_deadline_ms(ARP_TRY_MS));
		}
		if (rc && rc != -ETIMEDOUT) {
			break;
		}
	}
	ns->is_resolving = was_resolving;
	const uint8_t *m = arp_lookup(ns, ip);

	if (!m) {
		ns->stats.arp_timeouts += rc == -ETIMEDOUT;
		return rc ? rc : -ETIMEDOUT;
	}
	memcpy(mac, m, NET_MAC_LEN);
	return 0;
}
