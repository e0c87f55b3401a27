/* A simulated blkback over a host buffer holding the disk image. It plays
 * Linux blkback's part of the handshake in XenStore, maps every grant only
 * through sim_gnttab_map() (so the guest's grant entries really decide what
 * it may touch), and answers requests on the guest's ring. Fault knobs make
 * it misbehave the ways a frontend must survive. Freed by sim_reset(). */
#ifndef SIM_BLKBACK_H
#define SIM_BLKBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xenbus.h>

struct sim_blkback_config {
	uint32_t vdev; /* virtual-device, e.g. 51712 (xvda) */
	bool is_vdev_ext; /* publish virtual-device-ext instead */
	uint8_t *image; /* the disk; the caller keeps it alive */
	uint64_t image_size;
	uint32_t sector_size; /* 0: 512 */
	bool is_read_only; /* mode "r" */
	bool is_info_ro; /* mode "w" but info has VDISK_READONLY */
	unsigned int max_ring_order; /* max-ring-page-order; 0: single page, key absent */
	unsigned int max_indirect_segs; /* 0: no indirect descriptors */
	bool has_persistent;
	bool has_flush;
	bool has_barrier;
	bool is_dataless; /* every read answered OKAY without data (SIM_BB_NO_DATA for good) */
};

enum sim_blkback_fault {
	SIM_BB_OK = 0,
	SIM_BB_WRONG_ID, /* the response names an id the guest never used */
	SIM_BB_DUP_ID, /* the response is published twice */
	SIM_BB_BAD_STATUS, /* status is not OKAY/ERROR/EOPNOTSUPP */
	SIM_BB_BAD_OP, /* operation differs from the request's */
	SIM_BB_PROD_JUMP, /* rsp_prod moves past the responses written */
	SIM_BB_STALL, /* requests are taken and never answered */
	SIM_BB_IO_ERROR, /* an honest BLKIF_RSP_ERROR */
	SIM_BB_NO_NOTIFY, /* responses come without an event */
	SIM_BB_KEEP_MAPS, /* persistent grants stay mapped after Closing (for good) */
	SIM_BB_KEEP_DATA, /* answers, but keeps the request's data pages mapped (for good) */
	SIM_BB_STALL_MAPPED, /* does the I/O, keeps the pages mapped, never answers (for good) */
	SIM_BB_NO_CLOSE, /* ignores the frontend's Closing: stays Connected, ring mapped */
	SIM_BB_NO_DATA, /* answers reads OKAY without writing their pages (moves nothing) */
};

struct sim_blkback_stats {
	unsigned int requests; /* taken from the ring */
	unsigned int indirect_requests;
	unsigned int segments;
	unsigned int flushes;
	unsigned int max_pending; /* most unanswered requests seen on the ring at once */
	unsigned int maps; /* sim_gnttab_map() calls */
	unsigned int persistent_grants; /* mapped for good */
	unsigned int bad_requests; /* answered with ERROR */
	unsigned int notifies; /* events sent to the guest */
	unsigned int connects;
};

struct sim_blkback;

/**
 * sim_blkback_add() - create the device (front and back directories, back
 * at InitWait) and plug the backend into the sim. Call after sim_xs_start().
 */
struct sim_blkback *sim_blkback_add(const struct sim_blkback_config *cfg);

/**
 * sim_blkback_fault() - misbehave from the @after-th request taken from now
 * on (0: the next), for @count requests (STALL: for good).
 */
void sim_blkback_fault(struct sim_blkback *bb, enum sim_blkback_fault fault, unsigned int after,
		       unsigned int count);
const struct sim_blkback_stats *sim_blkback_stats(const struct sim_blkback *bb);
enum xenbus_state sim_blkback_state(const struct sim_blkback *bb);
/** sim_blkback_path() - the backend directory (absolute). */
const char *sim_blkback_path(const struct sim_blkback *bb);
/** sim_blkback_is_mapped() - true while the ring is mapped (connected). */
bool sim_blkback_is_mapped(const struct sim_blkback *bb);

#endif
