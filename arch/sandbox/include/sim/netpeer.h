/* The far end of a simulated Ethernet: one or more hosts, each with its own
 * MAC and IPv4 address, answering ARP and ICMP echo, plus services that
 * other files plug in (sim/netpeer_dhcp.c, _tftp.c, _dns.c, _tcp.c) through
 * struct sim_netsvc. Frames reach it from the guest through sim_netwire (the
 * stack's tests) or sim/netback.c (netfront's), and go back through a queue.
 *
 * Fault knobs, seeded and deterministic, apply per direction: loss,
 * duplicates, reordering (a frame is held back behind the next one) and
 * corruption (one byte flipped). Every frame the guest sends is checked
 * (lengths, IPv4 header, ICMP/UDP/TCP checksums) and a bad one is counted in
 * from_guest_bad, so a test can demand that the guest sent only good frames.
 *
 * Hosts reply to the source MAC of what they received; "remote" hosts sit
 * behind the host marked is_router: the guest reaches them through the
 * router's MAC, and their replies come from it. Freed by sim_reset(). */
#ifndef SIM_NETPEER_H
#define SIM_NETPEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_NET_FRAME_MAX 1514
#define SIM_NET_QUEUE 256 /* frames waiting for the guest; more are dropped */
#define SIM_NET_HOSTS 8
#define SIM_NET_SERVICES 8 /* per host */

struct sim_netpeer;
struct sim_nethost;

struct sim_netfaults {
	unsigned int loss_pct;
	unsigned int dup_pct;
	unsigned int reorder_pct;
	unsigned int corrupt_pct;
};

struct sim_netpeer_config {
	uint64_t seed; /* 0: a fixed default */
	struct sim_netfaults to_guest;
	struct sim_netfaults from_guest;
};

struct sim_nethost_config {
	uint8_t mac[6];
	uint32_t ip; /* host order */
	bool is_router; /* forwards to the remote hosts */
	bool is_remote; /* behind the router: no ARP, reached through it */
	bool is_arp_silent; /* never answers ARP */
	bool is_echo_silent; /* never answers ICMP echo */
};

/* A packet a host received from the guest, checked by the peer. */
struct sim_netpkt {
	const uint8_t *frame;
	size_t frame_len;
	const uint8_t *src_mac;
	uint32_t src, dst; /* host order */
	uint8_t proto;
	const uint8_t *l4; /* the transport header; checksum verified */
	size_t l4_len;
	uint16_t sport, dport; /* UDP and TCP */
	const uint8_t *data; /* UDP payload */
	size_t data_len;
};

/* A service on one host: UDP or TCP on a port (0: every port). */
struct sim_netsvc {
	const char *name;
	uint8_t proto; /* 17 UDP, 6 TCP */
	uint16_t port;
	/* A packet for this host and port. Returns 1 if consumed, else 0. */
	int (*rx)(struct sim_nethost *host, void *ctx, const struct sim_netpkt *pkt);
	/* Timers; runs on every sim step. Returns how much it did. May be NULL. */
	int (*step)(struct sim_nethost *host, void *ctx);
	/* Frees @ctx at sim_reset(). May be NULL. */
	void (*release)(void *ctx);
};

struct sim_netpeer_stats {
	unsigned int from_guest; /* frames the guest sent */
	unsigned int from_guest_bad; /* malformed (not counting ones we corrupted) */
	unsigned int from_guest_fragments; /* IPv4 fragments or DF clear */
	unsigned int to_guest; /* frames queued for the guest */
	unsigned int taken; /* frames the guest took */
	unsigned int lost, duplicated, reordered, corrupted; /* both directions */
	unsigned int overflow; /* queue full */
	unsigned int arp_requests, arp_replies; /* received from / sent to the guest */
	unsigned int echo_requests, echo_replies;
	unsigned int unclaimed; /* to no host or service */
};

/** sim_netpeer_new() - an empty wire, plugged into the sim until sim_reset(). */
struct sim_netpeer *sim_netpeer_new(const struct sim_netpeer_config *cfg);
/** sim_netpeer_add_host() - a host on the wire; NULL when full. */
struct sim_nethost *sim_netpeer_add_host(struct sim_netpeer *p,
					 const struct sim_nethost_config *cfg);
/** sim_nethost_add_service() - plug @svc (with @ctx) into @h. 0 or -1 when full. */
int sim_nethost_add_service(struct sim_nethost *h, const struct sim_netsvc *svc, void *ctx);
void sim_netpeer_set_faults(struct sim_netpeer *p, const struct sim_netfaults *to_guest,
			    const struct sim_netfaults *from_guest);
const struct sim_netpeer_stats *sim_netpeer_stats(const struct sim_netpeer *p);
/** sim_netpeer_capture() - @fn sees every frame the guest sends, before the knobs. */
void sim_netpeer_capture(struct sim_netpeer *p,
			 void (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx);

/* ---- the guest's end of the wire (sim_netwire, sim/netback.c) ---- */
/** sim_netpeer_from_guest() - the guest sent @frame. */
void sim_netpeer_from_guest(struct sim_netpeer *p, const void *frame, size_t len);
/** sim_netpeer_to_guest() - the next frame for the guest into @buf. 0, or -1 when none. */
int sim_netpeer_to_guest(struct sim_netpeer *p, void *buf, size_t size, size_t *len);
/** sim_netpeer_pending() - frames waiting for the guest. */
unsigned int sim_netpeer_pending(const struct sim_netpeer *p);
/**
 * sim_netpeer_set_sink() - hand frames for the guest to @fn instead of the
 * queue (after the knobs): sim/netback.c's inject, so the real netfront
 * talks to the peer (sim_netback_set_tx_hook() feeds sim_netpeer_from_guest).
 * @fn returns 0, or non-zero if it had no room (counted in overflow).
 */
void sim_netpeer_set_sink(struct sim_netpeer *p,
			  int (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx);
/** sim_netpeer_inject() - queue @frame for the guest as is (no knobs): hostile tests. */
int sim_netpeer_inject(struct sim_netpeer *p, const void *frame, size_t len);

/* ---- what services use ---- */
struct sim_netpeer *sim_nethost_peer(struct sim_nethost *h);
uint32_t sim_nethost_ip(const struct sim_nethost *h);
const uint8_t *sim_nethost_mac(const struct sim_nethost *h);
/** sim_nethost_send_ip() - @len bytes of @proto (checksummed by the caller) to @dst at @dst_mac. */
int sim_nethost_send_ip(struct sim_nethost *h, const uint8_t *dst_mac, uint32_t dst, uint8_t proto,
			const void *l4, size_t len);
/** sim_nethost_send_udp() - a datagram with its checksum. */
int sim_nethost_send_udp(struct sim_nethost *h, const uint8_t *dst_mac, uint32_t dst,
			 uint16_t sport, uint16_t dport, const void *data, size_t len);
/** sim_net_csum() - the Internet checksum (independent of net/ip.c). */
uint16_t sim_net_csum(const void *p, size_t len, uint32_t sum);
/** sim_net_pseudo() - the pseudo-header sum for UDP/TCP checksums. */
uint32_t sim_net_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len);
/** sim_nethost_arp_probe() - @h asks the wire who has @ip (a broadcast ARP request). */
int sim_nethost_arp_probe(struct sim_nethost *h, uint32_t ip);
/** sim_nethost_arp_lookup() - what @h learnt about @ip from ARP replies; false if nothing. */
bool sim_nethost_arp_lookup(const struct sim_nethost *h, uint32_t ip, uint8_t mac[6]);

/* ---- sim_netwire: a struct netdev straight onto the peer ---- */
#include <drivers/netdev.h>

struct sim_netwire {
	struct netdev dev;
	struct sim_netpeer *peer;
	bool is_tx_full; /* fault knob: send returns -EAGAIN */
};

struct sim_netback;

/**
 * sim_netpeer_attach_netback() - wire @p to sim/netback.c's vif @nb: what
 * the guest sends through netfront reaches the peer, and the peer's frames
 * for the guest are injected into the vif (the real driver path).
 */
void sim_netpeer_attach_netback(struct sim_netpeer *p, struct sim_netback *nb);

/** sim_netwire_init() - @w becomes device @name with @mac on @peer (not registered). */
void sim_netwire_init(struct sim_netwire *w, struct sim_netpeer *peer, const char *name,
		      const uint8_t mac[6]);

#endif
