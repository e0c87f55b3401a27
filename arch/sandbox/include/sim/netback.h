/* A simulated netback in copy mode (the dom0 side of public/io/netif.h).
 * It plays Linux netback's part of the handshake in XenStore, reaches
 * every page only through sim_gnttab_map() (so the guest's grant entries
 * decide what it may touch), hands each frame the guest sends to a TX
 * hook, and copies frames injected by a test (or a simulated peer) into
 * the RX pages the guest posted. Fault knobs make it misbehave the ways a
 * frontend must survive. Freed by sim_reset(). */
#ifndef SIM_NETBACK_H
#define SIM_NETBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xenbus.h>

/* Largest frame sim_netback_inject() takes (room for oversized tests). */
#define SIM_NB_FRAME_MAX 8192

struct sim_netback_config {
	unsigned int handle; /* device/vif/<handle> */
	uint8_t mac[6];
	const char *mac_text; /* publish this "mac" instead (hostile tests) */
	bool no_rx_copy; /* feature-rx-copy = 0: a flip-only backend */
	bool has_sg; /* feature-sg = 1 */
};

enum sim_netback_fault {
	SIM_NB_OK = 0,
	/* RX: per frame delivered to the guest. */
	SIM_NB_RX_BAD_ID, /* the response names an id the guest never posted */
	SIM_NB_RX_DUP_ID, /* the response is published twice */
	SIM_NB_RX_BAD_OFFSET, /* offset + size runs past the end of the page */
	SIM_NB_RX_ERROR, /* an honest NETIF_RSP_ERROR: the frame is lost */
	SIM_NB_RX_BAD_STATUS, /* a negative status netif does not define */
	SIM_NB_RX_EXTRA, /* NETRXF_extra_info though nothing asked for it */
	SIM_NB_RX_PROD_JUMP, /* rsp_prod moves a ring ahead of the responses written */
	SIM_NB_RX_STALL, /* injected frames are never delivered (for good) */
	/* TX: per slot taken from the guest. */
	SIM_NB_TX_BAD_ID,
	SIM_NB_TX_DUP_ID,
	SIM_NB_TX_BAD_STATUS, /* NETIF_RSP_NULL for a data slot */
	SIM_NB_TX_ERROR, /* an honest NETIF_RSP_ERROR: the frame is not sent */
	SIM_NB_TX_PROD_JUMP, /* rsp_prod moves a ring ahead of the responses written */
	SIM_NB_TX_STALL, /* sent frames are never taken (for good) */
	SIM_NB_TX_KEEP_MAP, /* answers, but keeps the frame's page mapped (for good) */
	SIM_NB_NO_CLOSE, /* ignores the frontend's Closing: stays Connected (for good) */
	SIM_NB_NO_CONNECT, /* stays at InitWait when the frontend connects (for good) */
};

struct sim_netback_stats {
	unsigned int connects;
	unsigned int tx_slots; /* requests taken from the TX ring */
	unsigned int tx_frames; /* frames handed to the TX hook */
	unsigned int rx_frames; /* frames copied into guest pages */
	unsigned int rx_slots; /* RX responses written */
	unsigned int rx_posted_max; /* most RX requests seen waiting at once */
	unsigned int notifies; /* events sent to the guest */
	unsigned int kicks; /* events the guest sent */
	unsigned int rx_queued; /* injected frames not delivered yet */
};

struct sim_netback;

/** The TX hook: @frame (@len bytes) as the guest sent it, valid during the call. */
typedef void sim_netback_tx_fn(void *ctx, const uint8_t *frame, size_t len);

/**
 * sim_netback_add() - create the vif (front and back directories, back at
 * InitWait, "mac" in both as the toolstack writes it) and plug the backend
 * into the sim. Call after sim_xs_start(). NULL on failure.
 */
struct sim_netback *sim_netback_add(const struct sim_netback_config *cfg);

/**
 * sim_netback_set_tx_hook() - where frames the guest sends go (the attach
 * point of a simulated peer: its input). NULL: they are counted and dropped.
 */
void sim_netback_set_tx_hook(struct sim_netback *nb, sim_netback_tx_fn *fn, void *ctx);

/**
 * sim_netback_inject() - queue a frame for the guest (the peer's output);
 * it is copied into the next RX page(s) the guest posted. Returns 0,
 * -XEN_EINVAL (0 or more than SIM_NB_FRAME_MAX bytes) or -XEN_ENOSPC.
 */
int sim_netback_inject(struct sim_netback *nb, const void *frame, size_t len);

/**
 * sim_netback_sink() - sim_netback_inject() shaped as a frame sink
 * (@ctx is the struct sim_netback): 0, or non-zero when it took nothing.
 */
int sim_netback_sink(void *ctx, const uint8_t *frame, size_t len);

/**
 * sim_netback_rx_layout() - how frames land in the guest's pages: at
 * @offset, in slots of at most @slot_bytes (0: the rest of the page;
 * smaller values make multi-slot NETRXF_more_data frames), with @flags
 * (NETRXF_csum_blank / data_validated) on the first slot.
 */
void sim_netback_rx_layout(struct sim_netback *nb, unsigned int offset, unsigned int slot_bytes,
			   unsigned int flags);

/**
 * sim_netback_fault() - misbehave from the @after-th frame (RX faults) or
 * slot (TX faults) from now on (0: the next), for @count of them;
 * STALL, KEEP_MAP, NO_CLOSE and NO_CONNECT last for good. SIM_NB_OK clears.
 */
void sim_netback_fault(struct sim_netback *nb, enum sim_netback_fault fault, unsigned int after,
		       unsigned int count);

const struct sim_netback_stats *sim_netback_stats(const struct sim_netback *nb);
enum xenbus_state sim_netback_state(const struct sim_netback *nb);
/** sim_netback_is_mapped() - true while the rings are mapped (connected). */
bool sim_netback_is_mapped(const struct sim_netback *nb);
/** sim_netback_rx_posted() - RX requests the guest posted and we did not take. */
unsigned int sim_netback_rx_posted(const struct sim_netback *nb);

#endif
