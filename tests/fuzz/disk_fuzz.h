/* A RAM-disk adapter for the disk and filesystem fuzz targets: the input is
 * the first bytes of a disk of @virtual_size bytes, the rest reads as zeros.
 * That lets a 64 KiB seed stand for a 33 MiB FAT32 volume. Writes land in a
 * private copy of the input (and are dropped beyond it), so targets can
 * exercise write paths on hostile volumes too. */
#ifndef FUZZ_DISK_FUZZ_H
#define FUZZ_DISK_FUZZ_H

#include <disk/blk.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_disk {
	struct blk_dev dev;
	uint8_t *data; /* copy of the input */
	size_t size;
};

static int fuzz_disk_read(struct blk_dev *dev, uint64_t lba, uint64_t count, void *buf)
{
	struct fuzz_disk *d = dev->priv;
	uint64_t off = lba * dev->block_size, len = count * dev->block_size;
	uint64_t have = off < d->size ? d->size - off : 0;

	have = have < len ? have : len;
	memcpy(buf, d->data + off, have);
	memset((uint8_t *)buf + have, 0, len - have);
	return 0;
}

static int fuzz_disk_write(struct blk_dev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	struct fuzz_disk *d = dev->priv;
	uint64_t off = lba * dev->block_size, len = count * dev->block_size;

	if (off < d->size) {
		memcpy(d->data + off, buf, len < d->size - off ? len : d->size - off);
	}
	return 0;
}

static const struct blk_ops fuzz_disk_ops = {
    .read = fuzz_disk_read,
    .write = fuzz_disk_write,
};

/* Returns false when the input is too small to be a disk. */
static inline bool fuzz_disk_init(struct fuzz_disk *d, const uint8_t *data, size_t size,
				  uint64_t virtual_size, uint32_t block_size)
{
	memset(d, 0, sizeof(*d));
	if (virtual_size < size) {
		virtual_size = size;
	}
	if (virtual_size < block_size) {
		return false;
	}
	d->data = malloc(size ? size : 1);
	memcpy(d->data, data, size);
	d->size = size;
	strcpy(d->dev.name, "fuzz");
	d->dev.block_size = block_size;
	d->dev.block_count = virtual_size / block_size;
	d->dev.ops = &fuzz_disk_ops;
	d->dev.priv = d;
	blk_cache_drop(&d->dev);
	return true;
}

static inline void fuzz_disk_free(struct fuzz_disk *d)
{
	blk_cache_drop(&d->dev);
	free(d->data);
}

#endif
