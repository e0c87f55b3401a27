/* Private to drivers/block/: the device state shared by the connection code
 * (blkfront.c), the request engine (blkfront_io.c) and the response
 * consumer (blkfront_rsp.c, also the fuzz target's entry point). */
#ifndef DRIVERS_BLOCK_BLKFRONT_INTERNAL_H
#define DRIVERS_BLOCK_BLKFRONT_INTERNAL_H

#include <disk/blk.h>
#include <drivers/blkfront.h>
#include <xen/abi/blkif.h>
#include <xen/abi/event_channel.h>
#include <xen/xenbus.h>

/* Ring of up to 4 pages: 128 slots, more than we ever keep in flight. */
#define BF_MAX_RING_ORDER 2
#define BF_MAX_RING_PAGES (1u << BF_MAX_RING_ORDER)
/* Requests in flight; each owns one shadow slot and one indirect page. */
#define BF_MAX_IN_FLIGHT 32
/* Segments per request: 512 KiB, one indirect page (512 descriptors fit).
 * The default is the cap: in the lab, 128 read 256 MiB ~20 % faster than 64. */
#define BF_MAX_SEGS 128
#define BF_DEFAULT_SEGS 128
/* Granted bounce/persistent pages per device: 2 MiB of data in flight. */
#define BF_POOL_PAGES 512
#define BF_NO_POOL 0xffff

/* One page of a request's data. */
struct bf_seg {
	grant_ref_t gref;
	uint16_t pool_idx; /* BF_NO_POOL: the caller's page, granted for this request */
	uint16_t len; /* bytes of the caller's buffer */
	uint8_t *buf; /* where those bytes are in the caller's buffer */
};

/* Our record of a request in flight; the ring slot itself is the backend's. */
struct bf_shadow {
	bool is_in_flight;
	uint8_t op; /* BLKIF_OP_READ/WRITE/FLUSH_DISKCACHE/WRITE_BARRIER */
	uint16_t seg_count;
	struct bf_seg segs[BF_MAX_SEGS];
};

struct blkfront_dev {
	bool is_used; /* the slot holds a device (connected or broken) */
	bool is_connected; /* handshake done, until teardown */
	bool is_broken; /* one NOTICE logged; all later I/O is -EIO */
	bool is_dirty; /* written since the last flush */
	bool is_published; /* our keys are in XenStore: undo with a full disconnect */
	struct xenbus_device xb;
	struct blkfront_info info;
	struct blk_dev blk;
	bool is_registered;
	struct bf_pages *pages; /* this slot's page-aligned memory */

	/* The ring: our private producer and consumer indices (U1). */
	struct xen_sring_hdr *sring;
	union blkif_sring_entry *ring;
	uint32_t ring_size;
	uint32_t req_prod_pvt; /* next request slot we fill */
	uint32_t req_pushed; /* what the backend can see */
	uint32_t rsp_cons; /* next response we consume */
	grant_ref_t ring_refs[BF_MAX_RING_PAGES];
	unsigned int ring_ref_count;
	evtchn_port_t port;
	bool has_port;

	/* Shadow slots: a response's id must name one that is in flight. */
	struct bf_shadow shadow[BF_MAX_IN_FLIGHT];
	uint8_t free_ids[BF_MAX_IN_FLIGHT];
	unsigned int free_id_count;
	unsigned int in_flight;
	grant_ref_t ind_refs[BF_MAX_IN_FLIGHT]; /* indirect pages */
	unsigned int ind_ref_count;

	/* Pool pages, granted read-write when first needed and kept granted. */
	grant_ref_t pool_refs[BF_POOL_PAGES];
	unsigned int pool_granted;
	uint16_t pool_free[BF_POOL_PAGES];
	unsigned int pool_free_count;

	int io_error; /* first error of the current call */
};

/* Page-aligned memory each slot owns (static: arm64 has no page allocator). */
struct bf_pages {
	uint8_t ring[BF_MAX_RING_PAGES][PAGE_SIZE];
	struct blkif_request_segment ind[BF_MAX_IN_FLIGHT][BLKIF_SEGS_PER_INDIRECT_FRAME];
	uint8_t pool[BF_POOL_PAGES][PAGE_SIZE];
};

extern struct blkfront_stats bf_stats;

/* blkfront.c */
/** bf_forget_all() - drop every slot without talking to anyone (the sim's reset). */
void bf_forget_all(void);

/* blkfront_io.c */
struct bf_pages *bf_pages_slot(unsigned int slot);
void bf_ring_init(struct blkfront_dev *dev, void *pages, uint32_t ring_pages);
int bf_pool_get(struct blkfront_dev *dev, uint16_t *idx);
void bf_pool_put(struct blkfront_dev *dev, uint16_t idx);
int bf_wait_idle(struct blkfront_dev *dev);
void bf_mark_broken(struct blkfront_dev *dev, const char *why);
unsigned int bf_segs_per_request(const struct blkfront_dev *dev);
/** bf_register() - make a connected disk visible to partitions and filesystems. */
void bf_register(struct blkfront_dev *dev);

/* blkfront_rsp.c */
/**
 * bf_rsp_parse() - consume every response the backend published (STYLE U1):
 * read rsp_prod once, reject a jump past what we pushed, copy each entry out
 * and validate id, operation and status before completing its request.
 * Returns how many requests completed, or -EIO once the device is broken.
 */
int bf_rsp_parse(struct blkfront_dev *dev);
/** bf_complete() - finish shadow slot @id: copy reads out, release pages and grants. */
void bf_complete(struct blkfront_dev *dev, unsigned int id, int status);

#endif
