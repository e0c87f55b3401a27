/* Block layer: device list, bounds checks and a small write-through cache.
 *
 * Metadata readers (partition tables, superblocks, directories, FATs) make
 * many small reads close to each other; they are served from a cache of
 * BLK_CACHE_LINES aligned 4 KiB lines, which also acts as read-ahead on
 * 512-byte disks. File data is read in large runs that bypass the cache and
 * reach the driver as one call, which lets blkfront fill its ring. */
#define LOG_PREFIX "blk: "
#include <disk/blk.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

#define BLK_CACHE_LINES 32

struct cache_line {
	const struct blk_dev *dev; /* NULL: free */
	uint64_t line; /* byte offset / BLK_CACHE_LINE */
	uint64_t stamp; /* last use, for LRU */
	uint32_t len; /* valid bytes: less than a line at the device's end */
	uint8_t data[BLK_CACHE_LINE] __aligned(64);
};

static struct cache_line cache[BLK_CACHE_LINES];
static uint64_t cache_clock;
static struct blk_stats stats;
static struct blk_dev *dev_list;

static bool is_valid_block_size(uint32_t bs)
{
	return bs >= 512 && bs <= BLK_CACHE_LINE && (bs & (bs - 1)) == 0;
}

int blk_register(struct blk_dev *dev)
{
	struct blk_dev **pp;
	uint64_t bytes;
	unsigned int index = 0;

	if (!dev->ops || !dev->ops->read || !is_valid_block_size(dev->block_size) ||
	    __builtin_mul_overflow(dev->block_count, (uint64_t)dev->block_size, &bytes)) {
		return -EINVAL;
	}
	for (pp = &dev_list; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			return -EEXIST;
		}
		index = (*pp)->index + 1;
	}
	dev->name[BLK_NAME_MAX - 1] = '\0';
	dev->index = index;
	dev->next = NULL;
	*pp = dev;
	blk_cache_drop(dev);
	return 0;
}

void blk_unregister(struct blk_dev *dev)
{
	struct blk_dev **pp;

	for (pp = &dev_list; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	blk_cache_drop(dev);
}

struct blk_dev *blk_get(unsigned int index)
{
	for (struct blk_dev *d = dev_list; d; d = d->next) {
		if (d->index == index) {
			return d;
		}
	}
	return NULL;
}

struct blk_dev *blk_find(const char *name)
{
	for (struct blk_dev *d = dev_list; d; d = d->next) {
		if (strcmp(d->name, name) == 0) {
			return d;
		}
	}
	return NULL;
}

unsigned int blk_count(void)
{
	unsigned int n = 0;

	for (struct blk_dev *d = dev_list; d; d = d->next) {
		n++;
	}
	return n;
}

void blk_mark_broken(struct blk_dev *dev, const char *why)
{
	if (!dev->is_broken) {
		log_notice("%s: %s; device disabled\n", dev->name, why);
		dev->is_broken = true;
		blk_cache_drop(dev);
	}
}

void blk_cache_drop(const struct blk_dev *dev)
{
	for (unsigned int i = 0; i < BLK_CACHE_LINES; i++) {
		if (cache[i].dev == dev) {
			cache[i].dev = NULL;
		}
	}
}

void blk_stats_get(struct blk_stats *out)
{
	*out = stats;
}

/* Range check shared by every entry point: @count units of @unit at @first
 * must end inside @limit units. */
static int check_range(uint64_t first, uint64_t count, uint64_t limit)
{
	uint64_t end;

	if (__builtin_add_overflow(first, count, &end) || end > limit) {
		return -EINVAL;
	}
	return 0;
}

int blk_read_blocks(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf)
{
	int ret;

	if (dev->is_broken) {
		return -EIO;
	}
	ret = check_range(lba, count, dev->block_count);
	if (ret || count == 0) {
		return ret;
	}
	return dev->ops->read(dev, lba, count, buf);
}

/* Drop cached lines overlapping blocks [lba, lba + count). */
static void cache_invalidate(const struct blk_dev *dev, uint64_t lba, uint64_t count)
{
	uint64_t first = lba * dev->block_size / BLK_CACHE_LINE;
	uint64_t last = ((lba + count) * dev->block_size - 1) / BLK_CACHE_LINE;

	for (unsigned int i = 0; i < BLK_CACHE_LINES; i++) {
		if (cache[i].dev == dev && cache[i].line >= first && cache[i].line <= last) {
			cache[i].dev = NULL;
		}
	}
}

int blk_write_blocks(struct blk_dev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	int ret;

	if (dev->is_broken) {
		return -EIO;
	}
	if (dev->is_read_only || !dev->ops->write) {
		return -EROFS;
	}
	ret = check_range(lba, count, dev->block_count);
	if (ret || count == 0) {
		return ret;
	}
	/* Invalidate first: if the write fails, the disk content is unknown. */
	cache_invalidate(dev, lba, count);
	return dev->ops->write(dev, lba, count, buf);
}

/* The cached line @line of @dev, reading it on a miss. */
static int cache_get(struct blk_dev *dev, uint64_t line, struct cache_line **out)
{
	struct cache_line *victim = &cache[0];
	uint64_t bytes = blk_size(dev), off = line * BLK_CACHE_LINE;
	uint32_t len;
	int ret;

	for (unsigned int i = 0; i < BLK_CACHE_LINES; i++) {
		if (cache[i].dev == dev && cache[i].line == line) {
			cache[i].stamp = ++cache_clock;
			stats.hits++;
			*out = &cache[i];
			return 0;
		}
		if (!cache[i].dev || (victim->dev && cache[i].stamp < victim->stamp)) {
			victim = &cache[i];
		}
	}
	stats.misses++;
	len = (uint32_t)MIN((uint64_t)BLK_CACHE_LINE, bytes - off);
	victim->dev = NULL;
	ret = blk_read_blocks(dev, off / dev->block_size, len / dev->block_size, victim->data);
	if (ret) {
		return ret;
	}
	victim->dev = dev;
	victim->line = line;
	victim->len = len;
	victim->stamp = ++cache_clock;
	*out = victim;
	return 0;
}

/* Copy up to the end of the line holding @offset; returns bytes copied or errno. */
static int64_t read_cached(struct blk_dev *dev, uint64_t offset, size_t len, uint8_t *buf)
{
	struct cache_line *cl;
	uint32_t in_line = offset % BLK_CACHE_LINE;
	size_t n;
	int ret;

	ret = cache_get(dev, offset / BLK_CACHE_LINE, &cl);
	if (ret) {
		return ret;
	}
	n = MIN(len, (size_t)(cl->len - in_line));
	memcpy(buf, cl->data + in_line, n);
	return (int64_t)n;
}

int blk_read(struct blk_dev *dev, uint64_t offset, size_t len, void *buf)
{
	uint8_t *p = buf;
	int64_t n;
	int ret;

	if (dev->is_broken) {
		return -EIO;
	}
	ret = check_range(offset, len, blk_size(dev));
	if (ret) {
		return ret;
	}
	while (len > 0) {
		if (offset % BLK_CACHE_LINE == 0 && len >= BLK_DIRECT_MIN) {
			/* Whole lines: one driver call for all of them. */
			uint64_t count =
			    (len / BLK_CACHE_LINE) * (BLK_CACHE_LINE / dev->block_size);

			stats.direct_reads++;
			ret = blk_read_blocks(dev, offset / dev->block_size, count, p);
			if (ret) {
				return ret;
			}
			n = (int64_t)(count * dev->block_size);
		} else {
			n = read_cached(dev, offset, len, p);
			if (n < 0) {
				return (int)n;
			}
		}
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* Merge @len bytes at @offset (inside one line) into the cache and write the
 * blocks they touch. */
static int64_t write_partial(struct blk_dev *dev, uint64_t offset, size_t len, const uint8_t *buf)
{
	struct cache_line *cl;
	uint32_t in_line = offset % BLK_CACHE_LINE, bs = dev->block_size;
	uint32_t first, end;
	int ret;

	ret = cache_get(dev, offset / BLK_CACHE_LINE, &cl);
	if (ret) {
		return ret;
	}
	len = MIN(len, (size_t)(cl->len - in_line));
	memcpy(cl->data + in_line, buf, len);
	first = ALIGN_DOWN(in_line, bs);
	end = ALIGN_UP(in_line + (uint32_t)len, bs);
	ret = dev->ops->write(dev, (cl->line * BLK_CACHE_LINE + first) / bs, (end - first) / bs,
			      cl->data + first);
	if (ret) {
		cl->dev = NULL;
		return ret;
	}
	return (int64_t)len;
}

int blk_write(struct blk_dev *dev, uint64_t offset, size_t len, const void *buf)
{
	const uint8_t *p = buf;
	int64_t n;
	int ret;

	if (dev->is_broken) {
		return -EIO;
	}
	if (dev->is_read_only || !dev->ops->write) {
		return -EROFS;
	}
	ret = check_range(offset, len, blk_size(dev));
	if (ret) {
		return ret;
	}
	while (len > 0) {
		if (offset % dev->block_size == 0 && len >= dev->block_size) {
			uint64_t count = len / dev->block_size;

			ret = blk_write_blocks(dev, offset / dev->block_size, count, p);
			if (ret) {
				return ret;
			}
			n = (int64_t)(count * dev->block_size);
		} else {
			n = write_partial(dev, offset, len, p);
			if (n < 0) {
				return (int)n;
			}
		}
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int blk_part_init(struct blk_part *part, struct blk_dev *dev, uint64_t first_lba, uint64_t count)
{
	int ret = check_range(first_lba, count, dev->block_count);

	if (ret) {
		return ret;
	}
	part->dev = dev;
	part->first_lba = first_lba;
	part->block_count = count;
	return 0;
}

void blk_part_whole(struct blk_part *part, struct blk_dev *dev)
{
	part->dev = dev;
	part->first_lba = 0;
	part->block_count = dev->block_count;
}

int blk_part_read(const struct blk_part *part, uint64_t offset, size_t len, void *buf)
{
	int ret = check_range(offset, len, blk_part_size(part));

	if (ret) {
		return ret;
	}
	return blk_read(part->dev, part->first_lba * part->dev->block_size + offset, len, buf);
}

int blk_part_write(const struct blk_part *part, uint64_t offset, size_t len, const void *buf)
{
	int ret = check_range(offset, len, blk_part_size(part));

	if (ret) {
		return ret;
	}
	return blk_write(part->dev, part->first_lba * part->dev->block_size + offset, len, buf);
}

int blk_run_flush(const struct blk_part *part, struct blk_run *run)
{
	int ret = 0;

	if (run->len) {
		ret = blk_part_read(part, run->offset, run->len, run->dst);
	}
	run->len = 0;
	return ret == -EINVAL ? -EIO : ret;
}

int blk_run_add(const struct blk_part *part, struct blk_run *run, uint64_t offset, size_t len,
		uint8_t *dst)
{
	if (run->len && run->offset + run->len == offset && run->dst + run->len == dst) {
		run->len += len;
		return 0;
	}
	int ret = blk_run_flush(part, run);
	*run = (struct blk_run){.offset = offset, .len = len, .dst = dst};
	return ret;
}
