/* The blkfront request engine. One call (read, write or flush) turns the
 * caller's range into as many requests as fit - up to BF_MAX_IN_FLIGHT, each
 * with up to bf_segs_per_request() pages through an indirect page - pushes
 * them with one notification when the ring rules ask for it, and refills the
 * ring as responses come back, so the backend always has work queued.
 *
 * Data pages: with persistent grants every page goes through the device's
 * pool (granted once, reused; copy in for writes, out for reads), which
 * saves the backend a map and unmap per page. Without them, whole
 * page-aligned pages of the caller's buffer are granted directly (no copy);
 * partial or misaligned pages go through the pool, so a grant never exposes
 * bytes outside the buffer (STYLE U4). */
#define LOG_PREFIX "blkfront: "
#include "blkfront_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/ring.h>

/* A backend that answers nothing for this long is stalled (STYLE E5). */
#define BF_TIMEOUT_NS (30000 * NS_PER_MS)
/* Longest single sleep, in case a notification is lost. */
#define BF_POLL_NS (10 * NS_PER_MS)

struct blkfront_stats bf_stats;
static unsigned int bf_segs_cap = BF_DEFAULT_SEGS;

/* The part of a call not yet put on the ring. */
struct bf_xfer {
	uint8_t op;
	uint64_t sector; /* 512-byte units */
	uint8_t *buf;
	uint64_t left; /* bytes */
};

void blkfront_set_max_segments(unsigned int segs)
{
	bf_segs_cap = segs == 0 ? BF_DEFAULT_SEGS : MIN(segs, (unsigned int)BF_MAX_SEGS);
}

void blkfront_stats_get(struct blkfront_stats *out)
{
	*out = bf_stats;
}

void bf_mark_broken(struct blkfront_dev *dev, const char *why)
{
	if (dev->is_broken) {
		return;
	}
	dev->is_broken = true;
	dev->info.is_broken = true;
	/* One NOTICE per device (STYLE G2): the backend, not us, is at fault. */
	log_notice("%s: backend misbehaved (%s); device disabled, I/O returns EIO\n",
		   dev->info.name, why);
}

unsigned int bf_segs_per_request(const struct blkfront_dev *dev)
{
	unsigned int n = dev->info.max_indirect_segs;

	if (n <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		return BLKIF_MAX_SEGMENTS_PER_REQUEST;
	}
	n = MIN(n, bf_segs_cap);
	return MAX(n, (unsigned int)BLKIF_MAX_SEGMENTS_PER_REQUEST);
}

void bf_ring_init(struct blkfront_dev *dev, void *pages, uint32_t ring_pages)
{
	/* Zeroed before it is shared (STYLE U4); the event fields at 1 ask
	 * for a notification at the first entry (xen-abi.md §5). */
	memset(pages, 0, (size_t)ring_pages * PAGE_SIZE);
	dev->sring = pages;
	dev->ring = (union blkif_sring_entry *)((uint8_t *)pages + XEN_SRING_HDR_SIZE);
	dev->ring_size = xen_ring_entries((size_t)ring_pages * PAGE_SIZE, BLKIF_RING_ENTRY_SIZE);
	dev->sring->req_event = 1;
	dev->sring->rsp_event = 1;
	dev->req_prod_pvt = 0;
	dev->req_pushed = 0;
	dev->rsp_cons = 0;
	dev->in_flight = 0;
	dev->free_id_count = BF_MAX_IN_FLIGHT;
	for (unsigned int i = 0; i < BF_MAX_IN_FLIGHT; i++) {
		dev->free_ids[i] = (uint8_t)(BF_MAX_IN_FLIGHT - 1 - i);
		dev->shadow[i].is_in_flight = false;
		dev->shadow[i].seg_count = 0;
	}
}

/* Grant the caller's page directly if that is safe and worth it. */
static bool bf_try_direct(struct blkfront_dev *dev, const struct bf_xfer *x, size_t len,
			  struct bf_seg *seg)
{
	uint64_t pa;

	if (dev->info.has_persistent || len != PAGE_SIZE ||
	    !IS_ALIGNED((uintptr_t)x->buf, PAGE_SIZE)) {
		return false;
	}
	pa = arch_virt_to_phys(x->buf);
	if (pa == UINT64_MAX || !IS_ALIGNED(pa, PAGE_SIZE)) {
		return false;
	}
	/* The backend only reads a page we write from. */
	if (gnttab_grant(dev->xb.otherend_id, pa >> PAGE_SHIFT, x->op == BLKIF_OP_WRITE,
			 &seg->gref)) {
		return false; /* table full: the pool still works */
	}
	seg->pool_idx = BF_NO_POOL;
	bf_stats.direct_pages++;
	return true;
}

/* The next page of @x as segment @seg. -ENOSPC: no pool page free now. */
static int bf_seg_fill(struct blkfront_dev *dev, struct bf_xfer *x, struct bf_seg *seg)
{
	size_t len = (size_t)MIN(x->left, (uint64_t)PAGE_SIZE);

	if (!bf_try_direct(dev, x, len, seg)) {
		int rc = bf_pool_get(dev, &seg->pool_idx);
		if (rc) {
			return rc;
		}
		seg->gref = dev->pool_refs[seg->pool_idx];
		if (x->op == BLKIF_OP_WRITE) {
			memcpy(bf_pool_page(dev, seg->pool_idx), x->buf, len);
			bf_stats.copied_bytes += len;
		}
	}
	seg->len = (uint16_t)len;
	seg->buf = x->buf;
	x->buf += len;
	x->left -= len;
	x->sector += len / BLKIF_SECTOR_SIZE;
	return 0;
}

/* Put shadow slot @id's request in the next ring slot. */
static void bf_ring_write(struct blkfront_dev *dev, unsigned int id, uint64_t sector)
{
	struct bf_shadow *sh = &dev->shadow[id];
	union blkif_sring_entry *slot = &dev->ring[dev->req_prod_pvt & (dev->ring_size - 1)];
	struct blkif_request_segment *desc;
	struct blkif_request r = {
	    .operation = sh->op,
	    .nr_segments = (uint8_t)sh->seg_count,
	    .handle = (uint16_t)dev->info.vdev,
	    .id = id,
	    .sector_number = sector,
	};
	struct blkif_request_indirect ri = {
	    .operation = BLKIF_OP_INDIRECT,
	    .indirect_op = sh->op,
	    .nr_segments = sh->seg_count,
	    .id = id,
	    .sector_number = sector,
	    .handle = (uint16_t)dev->info.vdev,
	};
	bool is_indirect = sh->seg_count > BLKIF_MAX_SEGMENTS_PER_REQUEST;

	desc = is_indirect ? dev->ind[id] : r.seg;
	for (unsigned int i = 0; i < sh->seg_count; i++) {
		desc[i] = (struct blkif_request_segment){
		    .gref = sh->segs[i].gref,
		    .first_sect = 0,
		    .last_sect = (uint8_t)(sh->segs[i].len / BLKIF_SECTOR_SIZE - 1),
		};
	}
	/* Build locally, then one copy into the shared slot. */
	if (is_indirect) {
		ri.indirect_grefs[0] = dev->ind_refs[id];
		memcpy(slot, &ri, sizeof(ri));
	} else {
		memcpy(slot, &r, sizeof(r));
	}
	dev->req_prod_pvt++;
	dev->in_flight++;
	bf_stats.requests++;
	bf_stats.segments += sh->seg_count;
	bf_stats.max_in_flight_seen = MAX(bf_stats.max_in_flight_seen, dev->in_flight);
}

/* Queue one request of @x. Returns 1 if queued, 0 if out of room, or -errno. */
static int bf_queue_rw(struct blkfront_dev *dev, struct bf_xfer *x)
{
	unsigned int max = bf_segs_per_request(dev);
	uint64_t sector = x->sector;
	unsigned int id;
	struct bf_shadow *sh;
	int rc = 0;

	if (!dev->free_id_count || dev->req_prod_pvt - dev->rsp_cons >= dev->ring_size) {
		return 0;
	}
	id = dev->free_ids[dev->free_id_count - 1];
	sh = &dev->shadow[id];
	sh->op = x->op;
	sh->seg_count = 0;
	while (sh->seg_count < max && x->left) {
		rc = bf_seg_fill(dev, x, &sh->segs[sh->seg_count]);
		if (rc) {
			break;
		}
		sh->seg_count++;
	}
	if (sh->seg_count == 0) {
		/* Out of pool pages: fine while others are in flight. */
		return (rc == -ENOSPC && dev->in_flight) ? 0 : (rc ? rc : -ENOSPC);
	}
	dev->free_id_count--;
	sh->is_in_flight = true;
	bf_ring_write(dev, id, sector);
	return rc == -ENOSPC ? 0 : 1;
}

/* Queue a flush (or barrier) with no data. */
static int bf_queue_flush(struct blkfront_dev *dev, uint8_t op)
{
	unsigned int id = dev->free_ids[--dev->free_id_count];

	dev->shadow[id].op = op;
	dev->shadow[id].seg_count = 0;
	dev->shadow[id].is_in_flight = true;
	bf_ring_write(dev, id, 0);
	return 0;
}

/* Make queued requests visible and notify if the backend asked for it. */
static void bf_push(struct blkfront_dev *dev)
{
	uint32_t old = dev->req_pushed;

	dev->req_pushed = dev->req_prod_pvt;
	if (xen_ring_push_requests(dev->sring, old, dev->req_prod_pvt)) {
		evtchn_send(dev->port);
		bf_stats.notifies++;
	}
}

/*
 * Wait for responses with the CPU given back to Xen (never a spin), bounded
 * by BF_TIMEOUT_NS without progress. Returns >0 completions, or -EIO (broken)
 * or -ETIMEDOUT (stalled; then broken too: its pages stay granted).
 */
static int bf_wait_some(struct blkfront_dev *dev, uint64_t *deadline)
{
	for (;;) {
		int n = bf_rsp_parse(dev);
		if (n) {
			if (n > 0) {
				*deadline = arch_time_ns() + BF_TIMEOUT_NS;
			}
			return n;
		}
		uint64_t now = arch_time_ns();
		if (now >= *deadline) {
			bf_mark_broken(dev, "no response for 30 s");
			return -ETIMEDOUT;
		}
		bf_stats.waits++;
		/* The event only says "look again"; the ring is the truth. */
		(void)evtchn_wait(dev->port, MIN(*deadline, now + BF_POLL_NS));
	}
}

/*
 * The call failed with requests still in flight (stalled or broken backend):
 * it must not return while the backend may still write the caller's pages.
 * End their grants now; a page the backend still maps is lost for good.
 * Pool pages are ours and stay granted until the device is released.
 */
static void bf_abandon(struct blkfront_dev *dev)
{
	if (bf_end_direct(dev)) {
		dev->is_lost = true;
	}
}

/* The call's result: a lost page of the caller outranks every other error. */
static int bf_result(struct blkfront_dev *dev, int rc)
{
	if (dev->is_lost) {
		log_notice("%s: pages of the caller's buffer stay granted; memory lost\n",
			   dev->info.name);
		return -EFAULT;
	}
	return rc;
}

/* Keep the ring full until @x is all requested and everything has completed. */
static int bf_run(struct blkfront_dev *dev, struct bf_xfer *x)
{
	uint64_t deadline = arch_time_ns() + BF_TIMEOUT_NS;
	int rc;

	dev->is_lost = false;
	while (x->left || dev->in_flight) {
		while (x->left) {
			rc = bf_queue_rw(dev, x);
			if (rc < 0) {
				/* Stop queuing; drain what is in flight. */
				dev->io_error = dev->io_error ? dev->io_error : rc;
				x->left = 0;
			}
			if (rc <= 0) {
				break;
			}
		}
		bf_push(dev);
		if (!dev->in_flight) {
			break;
		}
		rc = bf_wait_some(dev, &deadline);
		if (rc < 0) {
			bf_abandon(dev);
			return bf_result(dev, rc);
		}
	}
	return bf_result(dev, dev->io_error);
}

int bf_wait_idle(struct blkfront_dev *dev)
{
	struct bf_xfer none = {0};

	return bf_run(dev, &none);
}

static int bf_check(const struct blkfront_dev *dev, uint64_t sector, uint64_t count,
		    uint64_t *bytes)
{
	uint64_t per_block = dev->info.sector_size / BLKIF_SECTOR_SIZE;

	if (!dev->is_connected) {
		return -ENODEV;
	}
	if (dev->is_broken) {
		return -EIO;
	}
	/* Whole logical blocks only: a 4 KiB-sector backend rejects the rest. */
	if (sector % per_block || count % per_block || sector > dev->info.sectors ||
	    count > dev->info.sectors - sector ||
	    __builtin_mul_overflow(count, (uint64_t)BLKIF_SECTOR_SIZE, bytes) ||
	    *bytes > SIZE_MAX) {
		return -EINVAL;
	}
	return 0;
}

static int bf_rw(struct blkfront_dev *dev, uint8_t op, uint64_t sector, uint64_t count, void *buf)
{
	struct bf_xfer x = {.op = op, .sector = sector, .buf = buf};
	int rc = bf_check(dev, sector, count, &x.left);

	if (rc || count == 0) {
		return rc;
	}
	if (op == BLKIF_OP_WRITE && dev->info.is_read_only) {
		return -EROFS;
	}
	dev->io_error = 0;
	if (op == BLKIF_OP_WRITE) {
		dev->is_dirty = true;
	}
	return bf_run(dev, &x);
}

int blkfront_read(struct blkfront_dev *dev, uint64_t sector, uint64_t count, void *buf)
{
	return bf_rw(dev, BLKIF_OP_READ, sector, count, buf);
}

int blkfront_write(struct blkfront_dev *dev, uint64_t sector, uint64_t count, const void *buf)
{
	/* Writes only ever read from @buf (copy in, or a read-only grant). */
	return bf_rw(dev, BLKIF_OP_WRITE, sector, count, (void *)buf);
}

int blkfront_flush(struct blkfront_dev *dev)
{
	struct bf_xfer none = {0};
	uint8_t op;
	int rc;

	if (!dev->is_connected) {
		return -ENODEV;
	}
	if (dev->is_broken) {
		return -EIO;
	}
	if (dev->info.is_read_only || (!dev->info.has_flush && !dev->info.has_barrier)) {
		dev->is_dirty = false;
		return 0;
	}
	op = dev->info.has_flush ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
	dev->io_error = 0;
	(void)bf_queue_flush(dev, op);
	rc = bf_run(dev, &none);
	if (rc == -EOPNOTSUPP) {
		/* Advertised but refused: stop asking, as Linux does. */
		log_notice("%s: backend refused %s; not asking again\n", dev->info.name,
			   dev->info.has_flush ? "flush" : "barrier");
		dev->info.has_flush = false;
		dev->info.has_barrier = false;
		rc = 0;
	}
	if (!rc) {
		dev->is_dirty = false;
	}
	return rc;
}

/* The block layer's view: logical blocks of sector-size bytes. */
static int bf_blk_read(struct blk_dev *blk, uint64_t lba, uint64_t count, void *buf)
{
	uint64_t per = blk->block_size / BLKIF_SECTOR_SIZE;

	return blkfront_read(blk->priv, lba * per, count * per, buf);
}

static int bf_blk_write(struct blk_dev *blk, uint64_t lba, uint64_t count, const void *buf)
{
	uint64_t per = blk->block_size / BLKIF_SECTOR_SIZE;

	return blkfront_write(blk->priv, lba * per, count * per, buf);
}

static const struct blk_ops bf_blk_ops = {
    .read = bf_blk_read,
    .write = bf_blk_write,
};

/* Make the disk visible to partitions and filesystems. */
void bf_register(struct blkfront_dev *dev)
{
	struct blk_dev *b = &dev->blk;

	memset(b, 0, sizeof(*b));
	xb_snprintf(b->name, sizeof(b->name), "%s", dev->info.name);
	b->block_size = dev->info.sector_size;
	b->block_count = dev->info.sectors / (dev->info.sector_size / BLKIF_SECTOR_SIZE);
	b->is_read_only = dev->info.is_read_only;
	b->ops = &bf_blk_ops;
	b->priv = dev;
	int rc = blk_register(b);
	if (rc) {
		log_warn("%s: not registered with the block layer: %s\n", dev->info.name,
			 errno_name(rc));
		return;
	}
	dev->is_registered = true;
}
