/* The network test world: the simulated Xen, a peer with one host
 * (10.0.0.1, a router), the guest's stack on a sim_netwire as 10.0.0.2/24.
 * Shared by the stack's tests; include after <cmocka.h>. */
#ifndef TESTS_UNIT_NET_WORLD_H
#define TESTS_UNIT_NET_WORLD_H

#include <arch/arch.h>
#include <drivers/pvcons.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <lib/units.h>
#include <net/net.h>
#include <sim/console.h>
#include <sim/netpeer.h>
#include <sim/sim.h>
#include <string.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define HOST_IP IP4(10, 0, 0, 1)
#define GUEST_IP IP4(10, 0, 0, 2)

static const uint8_t guest_mac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};
static const uint8_t host_mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01};

static struct world {
	struct sim_netpeer *peer;
	struct sim_nethost *host;
	struct sim_netwire wire;
	struct net_stack ns;
} w;

/* A fresh world whose wire has the knobs of @pc (NULL: none). */
static inline int world_up_with(const struct sim_netpeer_config *pc)
{
	struct sim_nethost_config hc = {.ip = HOST_IP, .is_router = true};

	if (sim_is_up()) {
		sim_reset();
	}
	if (sim_init(NULL) || pvcons_init_from_hvm()) {
		return -1;
	}
	memcpy(hc.mac, host_mac, 6);
	w.peer = sim_netpeer_new(pc);
	w.host = sim_netpeer_add_host(w.peer, &hc);
	sim_netwire_init(&w.wire, w.peer, "eth0", guest_mac);
	if (net_start(&w.ns, &w.wire.dev)) {
		return -1;
	}
	w.ns.ip = GUEST_IP;
	w.ns.netmask = IP4(255, 255, 255, 0);
	return 0;
}

static inline int world_up(void **state)
{
	return world_up_with(NULL);
}

static inline int world_down(void **state)
{
	sim_reset();
	return 0;
}

static inline const struct sim_netpeer_stats *peer_stats(void)
{
	return sim_netpeer_stats(w.peer);
}

#endif
