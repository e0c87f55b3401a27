/* PV network frontend (public/io/netif.h): finds the vif devices in
 * XenStore, connects each to its netback in copy mode (one TX and one RX
 * ring, one event channel) and registers it as a struct netdev ("eth0",
 * ...). The IP stack only sees the netdev; this header is for the shell
 * (`net list`), the handoff and tests. */
#ifndef DRIVERS_NETFRONT_H
#define DRIVERS_NETFRONT_H

#include <drivers/netdev.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define NETFRONT_MAX_DEVICES 4

/* What `net list` shows: the device, its backend and what was negotiated. */
struct netfront_info {
	char name[NETDEV_NAME_MAX]; /* "eth0" */
	char nodename[32]; /* "device/vif/0" */
	char backend[64]; /* the backend's directory (validated text), cut to fit */
	uint16_t backend_id;
	uint8_t mac[NETDEV_MAC_LEN];
	bool is_broken;
	unsigned int rx_posted; /* RX pages the backend holds now */
	unsigned int tx_in_flight; /* TX buffers not yet answered */
	unsigned int tx_buffers;
	unsigned int rx_buffers;
	bool has_sg; /* backend's feature-sg (we send one slot per frame anyway) */
};

/* Driver counters (the frame counters are in struct netdev's stats). */
struct netfront_stats {
	uint64_t notifies; /* EVTCHNOP_send */
	uint64_t rx_errors; /* NETIF_RSP_ERROR/DROPPED answers on RX */
	uint64_t rx_oversize; /* multi-slot frames larger than NETDEV_FRAME_MAX */
	uint64_t rx_multi_slot; /* frames that came in more than one slot */
	uint64_t rx_csum_blank; /* frames whose L4 checksum we filled in */
	uint64_t tx_errors; /* NETIF_RSP_ERROR/DROPPED answers on TX */
	uint64_t lost_pages; /* still granted to a backend for good (MEMMAP_LOST) */
};

/**
 * netfront_probe_all() - enumerate device/vif/<id> and connect each vif not
 * connected yet; each becomes a registered netdev. Devices that fail are
 * reported once and skipped. Returns the number of connected vifs, or
 * -errno when XenStore is unusable.
 */
int __must_check netfront_probe_all(void);

/**
 * netfront_probe() - netfront_probe_all() the first time it is called
 * (for the network commands: probing costs a handshake per vif), the
 * count of connected vifs afterwards.
 */
unsigned int netfront_probe(void);

/** netfront_count() - connected vifs. */
unsigned int netfront_count(void);

/** netfront_get_info() - @dev's details; -ENODEV if @dev is not a vif of ours. */
int __must_check netfront_get_info(const struct netdev *dev, struct netfront_info *info);

void netfront_stats_get(struct netfront_stats *out);

/**
 * netfront_shutdown_report() - for handoff (the same order as
 * blkfront_shutdown_report(); xen-abi.md §6, §12): for every vif,
 * unregister the netdev; Closing -> Closed with the backend Closed; only
 * then grants ended, pages freed, event channel closed and our keys
 * removed; then Initialising with the backend back at InitWait, so the
 * OS's netfront can connect again. A backend that never reaches Closed
 * (bounded wait) keeps every page it was granted: they are recorded
 * MEMMAP_LOST and the frontend is left Closed. Counts devices @reset and
 * @failed; returns 0 or the first error.
 */
int __must_check netfront_shutdown_report(unsigned int *reset, unsigned int *failed);

#endif
