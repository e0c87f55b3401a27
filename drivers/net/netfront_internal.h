/* Private to drivers/net/netfront*.c: the device state shared by the
 * connection code (netfront.c), the data path (netfront_io.c) and the
 * response consumers (netfront_rsp.c, also the fuzz target's entry). */
#ifndef DRIVERS_NET_NETFRONT_INTERNAL_H
#define DRIVERS_NET_NETFRONT_INTERNAL_H

#include <drivers/netdev.h>
#include <drivers/netfront.h>
#include <lib/units.h>
#include <xen/abi/event_channel.h>
#include <xen/abi/netif.h>
#include <xen/xenbus.h>

/* A full RX ring: one granted page per slot, as Linux netfront keeps. */
#define NF_RX_BUFS NET_RX_RING_SIZE
/* TX buffers: half a page each (a frame is at most 1514 bytes, so always
 * one slot), 64 of them: 128 KiB of frames in flight. */
#define NF_TX_BUF_SIZE 2048u
#define NF_TX_BUFS 64u
#define NF_TX_PAGES (NF_TX_BUFS * NF_TX_BUF_SIZE / PAGE_SIZE)
/* Free RX pages that make a refill worth it while frames keep coming. */
#define NF_RX_REFILL_BATCH 32u
/* Slots of one received frame: what a backend may use without asking. */
#define NF_RX_MAX_PARTS XEN_NETIF_NR_SLOTS_MIN
/* A backend that answers no sent frame for this long is stalled. */
#define NF_TX_TIMEOUT_NS (10 * NS_PER_SEC)

struct netfront {
	bool is_used; /* the slot holds a device */
	bool is_connected; /* handshake done, until teardown */
	bool is_published; /* our keys are in XenStore: undo with a full disconnect */
	bool is_registered; /* the netdev is on the list */
	struct xenbus_device xb;
	struct netdev nd;
	char nodename[32]; /* "device/vif/0" */
	bool has_sg;

	/* The two rings, one page each: our private indices (STYLE U1). */
	uint8_t *ring_mem; /* 2 heap pages: TX ring, RX ring */
	struct xen_sring_hdr *tx_sring, *rx_sring;
	union netif_tx_sring_entry *tx_ring;
	union netif_rx_sring_entry *rx_ring;
	grant_ref_t ring_refs[2];
	unsigned int ring_ref_count;
	uint32_t tx_prod_pvt, tx_pushed, tx_cons;
	uint32_t rx_prod_pvt, rx_pushed, rx_cons;
	uint32_t rx_seen_prod; /* RX rsp_prod nf_wait() last returned early for */
	evtchn_port_t port;
	bool has_port;

	/* RX pages: granted read-write for the whole connection; id = index.
	 * Posted: the backend may fill it; otherwise ours (free or in a
	 * frame being assembled). */
	uint8_t *rx_pages;
	grant_ref_t rx_refs[NF_RX_BUFS];
	unsigned int rx_ref_count;
	bool rx_is_posted[NF_RX_BUFS];
	/* The id we put in each ring slot: netback answers RX requests in
	 * order, one response per request slot (Linux netfront even finds the
	 * page by slot), so a response must name its own slot's page. */
	uint16_t rx_slot_id[NET_RX_RING_SIZE];
	uint16_t rx_free[NF_RX_BUFS];
	unsigned int rx_free_count;
	/* The slots of the frame being received, copied out of the ring. */
	struct netif_rx_response rx_parts[NF_RX_MAX_PARTS];
	unsigned int rx_part_count;

	/* TX buffers: granted read-only per frame, the grant ended when the
	 * backend answers; id = index. */
	uint8_t *tx_pages;
	grant_ref_t tx_refs[NF_TX_BUFS];
	bool tx_is_in_flight[NF_TX_BUFS];
	uint16_t tx_free[NF_TX_BUFS];
	unsigned int tx_free_count;
	uint64_t tx_stall_since; /* 0, or when a send first found no buffer */
	bool has_lost; /* a page of ours stays granted: the memory is never freed */
};

extern struct netfront_stats nf_stats;

static inline uint8_t *nf_rx_page(const struct netfront *nf, unsigned int id)
{
	return nf->rx_pages + (size_t)id * PAGE_SIZE;
}

static inline uint8_t *nf_tx_buf(const struct netfront *nf, unsigned int id)
{
	return nf->tx_pages + (size_t)id * NF_TX_BUF_SIZE;
}

/* netfront_io.c */
/** nf_rings_init() - zero and lay out the two ring pages at @pages; reset indices and buffers. */
void nf_rings_init(struct netfront *nf, void *pages);
/** nf_rx_refill() - post every free RX page; notify only if @may_notify and asked. */
void nf_rx_refill(struct netfront *nf, bool may_notify);
/** nf_mark_broken() - one NOTICE naming @why; every later call fails with -EIO. */
void nf_mark_broken(struct netfront *nf, const char *why);
/** nf_lose() - @size bytes at @va stay granted for good: MEMMAP_LOST, counted. */
void nf_lose(struct netfront *nf, const void *va, size_t size);
extern const struct netdev_ops nf_netdev_ops;

/* netfront_rsp.c */
/**
 * nf_tx_reclaim() - consume every TX response (STYLE U1, U2): rsp_prod read
 * once and checked, each entry copied out, id and status validated, the
 * frame's grant ended and its buffer freed. Returns how many completed, or
 * -EIO once the device is broken.
 */
int nf_tx_reclaim(struct netfront *nf);
/**
 * nf_rx_parse() - consume RX responses until one whole frame was copied to
 * @buf (@size >= NETDEV_FRAME_MAX): returns 1 and *@len, 0 when none is
 * complete, -EIO once broken. Each response is copied, then its id (a
 * posted page), status and offset + size (inside the page) are checked;
 * frames in error, oversized or runt are dropped and counted.
 */
int nf_rx_parse(struct netfront *nf, uint8_t *buf, size_t size, size_t *len);
/** nf_csum_fill() - complete the blank TCP/UDP checksum of an IPv4 frame (NETRXF_csum_blank). */
int nf_csum_fill(uint8_t *frame, size_t len);

#endif
