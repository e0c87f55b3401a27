/* PV block frontend (public/io/blkif.h; xen-abi.md §6): finds the vbd
 * devices in XenStore, connects them with as many requests in flight as the
 * ring and the backend allow (indirect descriptors, persistent grants,
 * multi-page rings), and registers each with the block layer.
 *
 * Units: the sector arguments below are 512-byte units, like the ring's
 * sector_number; a request must still be aligned to and sized in the
 * device's sector-size. */
#ifndef DRIVERS_BLKFRONT_H
#define DRIVERS_BLKFRONT_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLKFRONT_MAX_DEVICES 4
#define BLKFRONT_NAME_MAX 16

struct blkfront_dev;

/* What `pvblock list` shows: geometry, mode and what was negotiated. */
struct blkfront_info {
	char name[BLKFRONT_NAME_MAX]; /* "xvda" */
	char nodename[32]; /* "device/vbd/51712" */
	uint32_t vdev; /* virtual-device(-ext) */
	uint64_t sectors; /* 512-byte units, as the backend publishes */
	uint32_t sector_size; /* logical block size: 512..4096 */
	uint32_t vdisk_info; /* VDISK_* bits */
	bool is_read_only; /* mode "r" or VDISK_READONLY */
	bool is_broken; /* the backend misbehaved; I/O fails with -EIO */
	unsigned int ring_pages; /* 1 << ring-page-order */
	unsigned int backend_ring_order; /* its max-ring-page-order */
	unsigned int ring_entries;
	unsigned int max_indirect_segs; /* backend's limit; 0: no indirect */
	unsigned int segs_per_request; /* what we use */
	unsigned int max_in_flight; /* requests */
	bool has_persistent; /* both ends agreed on persistent grants */
	bool has_flush; /* feature-flush-cache */
	bool has_barrier; /* feature-barrier */
};

/* Counters for tests and the bench (totals since boot). */
struct blkfront_stats {
	uint64_t requests; /* pushed on a ring (I/O and flush) */
	uint64_t segments;
	uint64_t notifies; /* EVTCHNOP_send */
	uint64_t waits; /* evtchn_wait() calls while requests were in flight */
	uint64_t copied_bytes; /* through granted pool pages */
	uint64_t direct_pages; /* caller pages granted directly */
	uint64_t lost_pages; /* still granted to a backend for good (MEMMAP_LOST) */
	uint64_t read_bytes; /* data of read requests the backend answered OKAY */
	uint64_t written_bytes; /* data of write requests the backend answered OKAY */
	unsigned int max_in_flight_seen;
};

/**
 * blkfront_probe_all() - enumerate device/vbd/<id> and connect each device not
 * connected yet. Devices that fail are reported and skipped. Returns the
 * number of connected devices, or -errno when XenStore is unusable.
 */
int __must_check blkfront_probe_all(void);

/** blkfront_count() - connected devices; blkfront_get() - by index, or NULL. */
unsigned int blkfront_count(void);
struct blkfront_dev *blkfront_get(unsigned int index);
/** blkfront_find() - the connected device called @name ("xvda"), or NULL. */
struct blkfront_dev *blkfront_find(const char *name);
void blkfront_get_info(const struct blkfront_dev *dev, struct blkfront_info *info);

/**
 * blkfront_read() / blkfront_write() - @count 512-byte sectors at @sector.
 * Both must be multiples of sector-size/512. @buf may have any alignment.
 * Returns 0, -EINVAL (range/alignment), -EROFS (write to a read-only disk),
 * -EIO (backend error or broken device), -ETIMEDOUT (backend stalled; the
 * device is then broken), or -EFAULT: the backend kept a page of @buf
 * mapped; it is recorded as MEMMAP_LOST and must never be used again (the
 * device is broken). Whatever the result, no page of @buf is still granted
 * when this returns, except the ones -EFAULT reports.
 */
int __must_check blkfront_read(struct blkfront_dev *dev, uint64_t sector, uint64_t count,
			       void *buf);
int __must_check blkfront_write(struct blkfront_dev *dev, uint64_t sector, uint64_t count,
				const void *buf);
/** blkfront_flush() - flush the backend's write cache (flush, else barrier, else no-op). */
int __must_check blkfront_flush(struct blkfront_dev *dev);

/**
 * blkfront_shutdown_all() - for handoff (xen-abi.md §6, §12 rule 4): for
 * every device, I/O done and flushed; Closing -> Closed with the backend
 * Closed; only then grants ended, event channel closed and our keys
 * (ring-ref*, event-channel, ...) removed; then Initialising with the
 * backend back at InitWait, so the OS's frontend can connect again. A
 * backend that never reaches Closed (bounded wait) keeps every page it was
 * granted: they are recorded MEMMAP_LOST and the frontend is left Closed.
 * Returns 0 or the first error.
 */
int blkfront_shutdown_all(void);
/** blkfront_shutdown_report() - the same, counting devices @reset and @failed. */
int __must_check blkfront_shutdown_report(unsigned int *reset, unsigned int *failed);

/**
 * blkfront_set_max_segments() - cap on segments per request (tuning for the
 * bench; 0 = default). Takes effect at the next request.
 */
void blkfront_set_max_segments(unsigned int segs);

/**
 * blkfront_set_persistent() - offer persistent grants at the next connect
 * (default yes). Without them, whole aligned pages of the caller's buffer
 * are granted directly instead of copied (tuning, and a lab case for that path).
 */
void blkfront_set_persistent(bool is_offered);

void blkfront_stats_get(struct blkfront_stats *out);

#endif
