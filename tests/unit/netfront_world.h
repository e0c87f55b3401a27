/* The world both netfront test programs run in: a simulated Xen with
 * xenstored and the PV console, vifs backed by sim/netback.c whose TX hook
 * records every frame, and helpers to send and receive with bounded waits.
 * Included once per program (cmocka first). */
#ifndef TESTS_UNIT_NETFRONT_WORLD_H
#define TESTS_UNIT_NETFRONT_WORLD_H

#include <arch/arch.h>
#include <boot/handoff.h>
#include <cmd/cmd.h>
#include <drivers/netdev.h>
#include <drivers/netfront.h>
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/netback.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/abi/netif.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#include "../../drivers/net/netfront_internal.h"
#include "console_out.h"

#define MS 1000000ULL
#define S (1000 * MS)
/* What a connection keeps granted: two rings and every RX page. */
#define BASE_GRANTS (2 + NET_RX_RING_SIZE)

static struct dtinfo dt;
static size_t heap_before;

/* Frames the backend handed to its TX hook, in order. */
static struct {
	unsigned int count;
	size_t len[2048];
	uint32_t sum[2048];
} sent;

static const uint8_t MAC0[6] = {0x00, 0x16, 0x3e, 0x01, 0x02, 0x03};
static const uint8_t MAC1[6] __attribute__((unused)) = {0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c};

static inline uint32_t fnv(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h = (h ^ p[i]) * 16777619u;
	}
	return h;
}

static inline void on_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	if (sent.count < 2048) {
		sent.len[sent.count] = len;
		sent.sum[sent.count] = fnv(frame, len);
	}
	sent.count++;
}

/* Frame @n: a size from 14 to 1514 and bytes that depend on @n. */
static inline size_t make_frame(uint8_t *f, unsigned int n)
{
	size_t len = 14 + (n * 97u) % 1501u;

	for (size_t i = 0; i < len; i++) {
		f[i] = (uint8_t)(n * 31u + i * 7u + (i >> 8));
	}
	return len;
}

static inline int world_setup(void **state)
{
	uint64_t size;

	(void)state;
	memset(&sent, 0, sizeof(sent));
	assert_int_equal(sim_init(NULL), 0);
	const void *fdt = sim_fdt(&size);
	assert_int_equal(dtinfo_parse(fdt, size, &dt), 0);
	dtinfo_set(&dt);
	memmap_reset();
	assert_int_equal(pvcons_init_from_hvm(), 0);
	assert_int_equal(shinfo_map(&dt), 0);
	evtchn_init();
	assert_int_equal(gnttab_init(&dt), 0);
	assert_int_equal(sim_xs_start(), 0);
	assert_int_equal(xs_init(), 0);
	heap_before = sim_heap_used();
	return 0;
}

static inline int world_teardown(void **state)
{
	unsigned int reset, failed;

	(void)state;
	int rc = netfront_shutdown_report(&reset, &failed);
	(void)rc; /* a test that failed half way may leave anything */
	memmap_reset();
	console_set(NULL);
	xs_detach();
	(void)gnttab_unmap_all();
	(void)shinfo_unmap();
	sim_reset();
	return 0;
}

static inline struct sim_netback *add_vif(unsigned int handle, const uint8_t mac[6])
{
	struct sim_netback_config cfg = {.handle = handle};

	memcpy(cfg.mac, mac, 6);
	struct sim_netback *nb = sim_netback_add(&cfg);
	assert_non_null(nb);
	sim_netback_set_tx_hook(nb, on_tx, NULL);
	return nb;
}

static inline struct netdev *one_vif(struct sim_netback **nb)
{
	*nb = add_vif(0, MAC0);
	assert_int_equal(netfront_probe_all(), 1);
	struct netdev *dev = netdev_find("eth0");
	assert_non_null(dev);
	return dev;
}

static inline void front_key(unsigned int handle, const char *key, char *value, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/%s", SIM_GUEST_DOMID, handle,
		 key);
	if (sim_xs_read(path, value, size)) {
		value[0] = '\0';
	}
}

static inline void back_state(unsigned int handle, char *value, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/%u/state", SIM_GUEST_DOMID,
		 handle);
	assert_int_equal(sim_xs_read(path, value, size), 0);
}

/* Reclaim sent frames (and take a received one, if any). */
static inline void drain(struct netdev *dev)
{
	uint8_t rx[NETDEV_FRAME_MAX];
	size_t got;
	int rc = netdev_poll(dev, rx, sizeof(rx), &got);

	assert_true(rc == 0 || rc == -EAGAIN);
}

/* Send @frame, polling (to reclaim) and waiting while the TX buffers are full. */
static inline int send_frame(struct netdev *dev, const uint8_t *frame, size_t len)
{
	for (unsigned int tries = 0; tries < 1000; tries++) {
		int rc = netdev_send(dev, frame, len);
		if (rc != -EAGAIN) {
			return rc;
		}
		drain(dev);
		netdev_wait(dev, arch_time_ns() + MS);
	}
	return -ETIMEDOUT;
}

/* Receive one frame within @timeout_ns: 0, -ETIMEDOUT, or the poll's error. */
static inline int recv_frame(struct netdev *dev, uint8_t *buf, size_t *len, uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;

	for (;;) {
		int rc = netdev_poll(dev, buf, NETDEV_FRAME_MAX, len);
		if (rc != -EAGAIN) {
			return rc;
		}
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		netdev_wait(dev, deadline);
	}
}

#endif
