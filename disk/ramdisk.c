/* RAM disk: a block device over caller-owned bytes. Used by tests and
 * fuzzers (which read an image into memory themselves: generic code does no
 * host file I/O) and usable for a disk image loaded into guest RAM. */
#include <disk/blk.h>
#include <lib/errno.h>
#include <string.h>

static int ram_read(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf)
{
	struct blk_ram *ram = dev->priv;

	ram->read_calls++;
	memcpy(buf, ram->data + lba * dev->block_size, count * dev->block_size);
	return 0;
}

static int ram_write(struct blk_dev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	struct blk_ram *ram = dev->priv;
	uint64_t n = count;

	ram->write_calls++;
	if (ram->has_write_budget && n > ram->write_budget) {
		n = ram->write_budget; /* the power goes mid-request */
	}
	memcpy(ram->data + lba * dev->block_size, buf, n * dev->block_size);
	ram->blocks_written += n;
	if (ram->has_write_budget) {
		ram->write_budget -= n;
	}
	return n == count ? 0 : -EIO;
}

static const struct blk_ops ram_ops = {
    .read = ram_read,
    .write = ram_write,
};

int blk_ram_init(struct blk_ram *ram, const char *name, void *data, size_t size,
		 uint32_t block_size, bool is_read_only)
{
	if (block_size < 512 || block_size > BLK_CACHE_LINE || (block_size & (block_size - 1)) ||
	    size < block_size) {
		return -EINVAL;
	}
	memset(ram, 0, sizeof(*ram));
	/* A previous user of this struct may have left lines in the cache. */
	blk_cache_drop(&ram->dev);
	strncpy(ram->dev.name, name, BLK_NAME_MAX - 1);
	ram->dev.block_size = block_size;
	ram->dev.block_count = size / block_size;
	ram->dev.is_read_only = is_read_only;
	ram->dev.ops = &ram_ops;
	ram->dev.priv = ram;
	ram->data = data;
	return 0;
}
