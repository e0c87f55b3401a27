/* Private to sim/netpeer*.c: the wire and its hosts. */
#ifndef SIM_NETPEER_INTERNAL_H
#define SIM_NETPEER_INTERNAL_H

#include "internal.h"

#include <sim/netpeer.h>
#include <string.h>

#define ETH_HLEN 14
#define IP_HLEN 20
#define ARP_LEN 28
#define HOST_ARP_SLOTS 4

struct frame {
	size_t len;
	uint8_t data[SIM_NET_FRAME_MAX];
};

struct sim_nethost {
	struct sim_netpeer *peer;
	struct sim_nethost_config cfg;
	struct {
		const struct sim_netsvc *svc;
		void *ctx;
	} svcs[SIM_NET_SERVICES];
	unsigned int svc_count;
	struct {
		uint32_t ip;
		uint8_t mac[6];
	} arp[HOST_ARP_SLOTS];
	uint16_t ip_id;
};

struct sim_netpeer {
	struct sim_netpeer_config cfg;
	uint64_t rng;
	struct sim_nethost hosts[SIM_NET_HOSTS];
	unsigned int host_count;
	struct frame *queue; /* ring of SIM_NET_QUEUE */
	unsigned int head, count;
	struct frame held;
	bool has_held;
	uint64_t held_until;
	int (*sink)(void *ctx, const uint8_t *frame, size_t len);
	void *sink_ctx;
	void (*capture)(void *ctx, const uint8_t *frame, size_t len);
	void *capture_ctx;
	struct sim_netpeer_stats stats;
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline void eth_fill(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
}

/** netpeer_to_guest() - queue a frame for the guest through the to_guest knobs. */
void netpeer_to_guest(struct sim_netpeer *p, const uint8_t *frame, size_t len);
/** netpeer_deliver() - a frame from the guest to the hosts (@is_hurt: we corrupted it). */
void netpeer_deliver(struct sim_netpeer *p, const uint8_t *f, size_t len, bool is_hurt);

#endif
