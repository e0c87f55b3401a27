/* Block devices: the one API every partition parser and filesystem reads
 * through. A driver (PV blkfront, a RAM disk) fills a struct blk_dev and
 * registers it; everything above addresses bytes or whole blocks, and the
 * layer checks bounds, keeps a small cache of recently read 4 KiB lines for
 * metadata, and passes large reads to the driver in one call. */
#ifndef DISK_BLK_H
#define DISK_BLK_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLK_NAME_MAX 16
/* Bytes a cached line holds; also the read-ahead unit for small reads. */
#define BLK_CACHE_LINE 4096u
/* Reads at least this long bypass the cache and go to the driver as one call. */
#define BLK_DIRECT_MIN (4 * BLK_CACHE_LINE)

struct blk_dev;

struct blk_ops {
	/* Read/write @count whole blocks at @lba. The layer guarantees the
	 * range is inside the device and @count > 0; @buf has no particular
	 * alignment. Return 0 or a negative errno. @write may be NULL. */
	int (*read)(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf);
	int (*write)(struct blk_dev *dev, uint64_t lba, uint64_t count, const void *buf);
};

struct blk_dev {
	char name[BLK_NAME_MAX]; /* e.g. "xvda"; NUL-terminated */
	uint32_t block_size; /* logical block size: 512, 1024, 2048 or 4096 */
	uint64_t block_count;
	bool is_read_only;
	bool is_broken; /* set once by blk_mark_broken(); every later I/O fails */
	const struct blk_ops *ops;
	void *priv; /* the driver's */

	/* Owned by blk.c. */
	unsigned int index; /* 0-based, in registration order */
	struct blk_dev *next;
};

/**
 * blk_register() - add @dev to the device list. The driver owns @dev and must
 * keep it alive until blk_unregister(). Returns -EINVAL when the geometry is
 * unusable (block size not a power of two in 512..4096, size overflowing
 * 64-bit bytes, no read op), -EEXIST when already registered.
 */
int __must_check blk_register(struct blk_dev *dev);
/** blk_unregister() - remove @dev from the list and drop its cached lines. */
void blk_unregister(struct blk_dev *dev);
/** blk_get() - the device with index @index, or NULL. */
struct blk_dev *blk_get(unsigned int index);
/** blk_find() - the device called @name, or NULL. */
struct blk_dev *blk_find(const char *name);
/** blk_count() - how many devices are registered. */
unsigned int blk_count(void);

/**
 * blk_mark_broken() - a driver or the layer saw the backend misbehave: log one
 * NOTICE naming @why (STYLE G2), then fail every later request with -EIO.
 */
void blk_mark_broken(struct blk_dev *dev, const char *why);

/** blk_size() - device size in bytes (blk_register() checked it fits). */
static inline uint64_t blk_size(const struct blk_dev *dev)
{
	return dev->block_count * dev->block_size;
}

/**
 * blk_read_blocks() / blk_write_blocks() - @count whole blocks at @lba. Reads
 * bypass the cache; writes update it. -EINVAL out of range, -EROFS on a
 * read-only device, -EIO when broken, or the driver's error.
 */
int __must_check blk_read_blocks(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf);
int __must_check blk_write_blocks(struct blk_dev *dev, uint64_t lba, uint64_t count,
				  const void *buf);

/**
 * blk_read() - @len bytes at byte @offset. Unaligned heads and tails and short
 * reads go through the cache (one 4 KiB line at a time); an aligned middle of
 * BLK_DIRECT_MIN or more is one driver call straight into @buf.
 * Errors as blk_read_blocks(); @offset + @len beyond the device is -EINVAL.
 */
int __must_check blk_read(struct blk_dev *dev, uint64_t offset, size_t len, void *buf);
/**
 * blk_write() - @len bytes at byte @offset; partial blocks are read, merged
 * and written back (write-through: the cache never holds unwritten data).
 */
int __must_check blk_write(struct blk_dev *dev, uint64_t offset, size_t len, const void *buf);

/** blk_cache_drop() - forget every cached line of @dev (e.g. media changed). */
void blk_cache_drop(const struct blk_dev *dev);

/* Cache statistics, for tests and the bench. */
struct blk_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t direct_reads; /* driver calls that bypassed the cache */
};
void blk_stats_get(struct blk_stats *out);

/*
 * A partition (or the whole disk): a window of a device. Filesystems hold
 * one of these and can never address bytes outside it.
 */
struct blk_part {
	struct blk_dev *dev;
	uint64_t first_lba;
	uint64_t block_count;
};

/**
 * blk_part_init() - the window of @count blocks at @first_lba of @dev.
 * Returns -EINVAL when the window does not fit inside the device.
 */
int __must_check blk_part_init(struct blk_part *part, struct blk_dev *dev, uint64_t first_lba,
			       uint64_t count);
/** blk_part_whole() - the window covering all of @dev. */
void blk_part_whole(struct blk_part *part, struct blk_dev *dev);

static inline uint64_t blk_part_size(const struct blk_part *part)
{
	return part->block_count * part->dev->block_size;
}

/** blk_part_read() / blk_part_write() - blk_read()/blk_write() relative to the window. */
int __must_check blk_part_read(const struct blk_part *part, uint64_t offset, size_t len, void *buf);

/*
 * A pending read that grows while the next piece a filesystem wants is
 * contiguous with it on disk and in memory, so a file stored in one extent
 * (or one run of clusters) costs one large read, not one per block.
 */
struct blk_run {
	uint64_t offset; /* in the partition */
	size_t len;
	uint8_t *dst;
};

/**
 * blk_run_add() - read @len bytes at partition offset @offset into @dst,
 * merged with @run when contiguous, else after issuing @run. A range the
 * partition refuses is reported as -EIO: the filesystem computed it from
 * on-disk data, so the disk is corrupt.
 */
int __must_check blk_run_add(const struct blk_part *part, struct blk_run *run, uint64_t offset,
			     size_t len, uint8_t *dst);
/** blk_run_flush() - issue the pending read of @run (if any) and empty it. */
int __must_check blk_run_flush(const struct blk_part *part, struct blk_run *run);
int __must_check blk_part_write(const struct blk_part *part, uint64_t offset, size_t len,
				const void *buf);

/*
 * RAM disk: a device over bytes the caller owns (tests, fuzzers, an initrd
 * holding a disk image). Counts driver calls so tests can check that file
 * loads turn contiguous runs into one read.
 */
struct blk_ram {
	struct blk_dev dev;
	uint8_t *data;
	uint64_t read_calls;
	uint64_t write_calls;
	uint64_t blocks_written;
	/* Power-cut knob for tests: when set, only @write_budget more blocks
	 * reach @data; the write that crosses it stores its first blocks up to
	 * the budget and fails with -EIO, and so does every later one. */
	bool has_write_budget;
	uint64_t write_budget;
};

/**
 * blk_ram_init() - set up @ram over @size bytes at @data with @block_size
 * blocks (the tail after the last whole block is ignored). Does not register
 * the device. Returns -EINVAL on a bad block size or an empty disk.
 */
int __must_check blk_ram_init(struct blk_ram *ram, const char *name, void *data, size_t size,
			      uint32_t block_size, bool is_read_only);

#endif
