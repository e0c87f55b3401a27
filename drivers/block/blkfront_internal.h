/* Private to drivers/block/: the device state shared by the connection code
 * (blkfront.c), the shared pages taken from the heap (blkfront_mem.c), the
 * request engine (blkfront_io.c) and the response consumer (blkfront_rsp.c,
 * also the fuzz target's entry point). */
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
/* Granted bounce/persistent pages per device: 2 MiB of data in flight,
 * taken from the heap in 256 KiB chunks as the load asks for them. */
#define BF_POOL_PAGES 512
#define BF_POOL_CHUNK_PAGES 64
#define BF_POOL_CHUNKS (BF_POOL_PAGES / BF_POOL_CHUNK_PAGES)
#define BF_NO_POOL 0xffff
/* A caller's page whose grant already ended (or was given up as lost) while
 * its request was still in flight: neither a pool page nor a live grant. */
#define BF_SEG_ENDED 0xfffe

/* One page of a request's data. */
struct bf_seg {
	grant_ref_t gref;
	/* BF_NO_POOL: the caller's page, granted for this request; BF_SEG_ENDED */
	uint16_t pool_idx;
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

	/* The ring: our private producer and consumer indices (U1). */
	uint8_t *ring_mem; /* heap pages, ring_ref_count of them granted */
	unsigned int ring_page_count; /* allocated */
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

	/* Shadow slots: a response's id must name one that is in flight.
	 * BF_MAX_IN_FLIGHT of them, on the heap (private, never granted). */
	struct bf_shadow *shadow;
	uint8_t free_ids[BF_MAX_IN_FLIGHT];
	unsigned int free_id_count;
	unsigned int in_flight;
	/* Indirect pages: one per shadow slot, heap pages. */
	struct blkif_request_segment (*ind)[BLKIF_SEGS_PER_INDIRECT_FRAME];
	grant_ref_t ind_refs[BF_MAX_IN_FLIGHT];
	unsigned int ind_ref_count;

	/* Pool pages, granted read-write when first needed and kept granted. */
	uint8_t *pool_chunks[BF_POOL_CHUNKS]; /* BF_POOL_CHUNK_PAGES heap pages each */
	unsigned int pool_chunk_count;
	grant_ref_t pool_refs[BF_POOL_PAGES];
	unsigned int pool_granted;
	uint16_t pool_free[BF_POOL_PAGES];
	unsigned int pool_free_count;

	int io_error; /* first error of the current call */
	bool is_lost; /* the current call lost a page of its caller: -EFAULT */
};

/* Pool page @idx (< pool_chunk_count * BF_POOL_CHUNK_PAGES). */
static inline uint8_t *bf_pool_page(const struct blkfront_dev *dev, unsigned int idx)
{
	return dev->pool_chunks[idx / BF_POOL_CHUNK_PAGES] +
	       (size_t)(idx % BF_POOL_CHUNK_PAGES) * PAGE_SIZE;
}

extern struct blkfront_stats bf_stats;

/* blkfront.c */
/** bf_forget_all() - drop every slot without talking to anyone (the sim's reset). */
void bf_forget_all(void);

/* blkfront_mem.c: the pages shared with the backend, from the heap. */
/** bf_mem_ring() - allocate the shadow table and @ring_pages ring pages, grant them. */
int bf_mem_ring(struct blkfront_dev *dev, unsigned int ring_pages);
/** bf_mem_indirect() - allocate and grant one indirect page per shadow slot. */
int bf_mem_indirect(struct blkfront_dev *dev);
int bf_pool_get(struct blkfront_dev *dev, uint16_t *idx);
void bf_pool_put(struct blkfront_dev *dev, uint16_t idx);
/**
 * bf_lose() - @size bytes at @va stay granted to a backend for good: record
 * them as MEMMAP_LOST (never reused, kept from the OS) and count them.
 */
void bf_lose(struct blkfront_dev *dev, const void *va, size_t size);
/**
 * bf_end_caller_page() - end the grant of direct segment @seg (the caller's
 * page). If the backend still maps it, the page is lost (bf_lose()). Either
 * way the segment becomes BF_SEG_ENDED. Returns true if the page was lost.
 */
bool bf_end_caller_page(struct blkfront_dev *dev, struct bf_seg *seg);
/**
 * bf_end_direct() - requests still in flight (a stalled or broken backend)
 * may hold grants of the caller's own pages: end them. Returns how many the
 * backend still maps (those pages are recorded lost).
 */
unsigned int bf_end_direct(struct blkfront_dev *dev);
/**
 * bf_mem_release() - end every grant and free what the connection holds.
 * Memory under a grant that does not end stays allocated for good, with a
 * notice, and the result is -EBUSY.
 */
int bf_mem_release(struct blkfront_dev *dev);
/**
 * bf_mem_abandon() - the backend never closed: end no grant (it may still
 * use any), record every page the connection shared as MEMMAP_LOST and
 * forget them.
 */
void bf_mem_abandon(struct blkfront_dev *dev);
/** bf_mem_forget() - free the private state only; the pages go with the world (sim reset). */
void bf_mem_forget(struct blkfront_dev *dev);

/* blkfront_io.c */
void bf_ring_init(struct blkfront_dev *dev, void *pages, uint32_t ring_pages);
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
