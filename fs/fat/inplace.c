/* FAT in-place overwrite: new bytes into the clusters an existing file
 * already owns. Neither the directory entry, nor the FAT, nor FSInfo is
 * written, so a power cut can only leave the file's own bytes half old and
 * half new; the volume's structure is never at risk. The saved environment
 * relies on this (boot/env_store.c): its two copies keep their clusters for
 * ever, and a torn copy fails its CRC while the other one still holds. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

/* The cluster holding byte @offset of the chain at @first. */
static int seek_cluster(struct fat_fs *fs, uint32_t first, uint64_t offset, uint32_t *out)
{
	uint64_t skip = offset / fs->cluster_size;
	uint32_t c = first;

	if (skip > fs->cluster_count) {
		return -EIO;
	}
	for (uint64_t i = 0; i < skip; i++) {
		int ret = fat_next(fs, c, &c);

		if (ret) {
			return ret;
		}
		if (c == 0) {
			fat_corrupt(fs, "chain shorter than its file, at cluster", first);
			return -EIO;
		}
	}
	*out = c;
	return 0;
}

/* Write @len bytes from @buf at @offset of the chain at @first: one blk
 * write per run of physically consecutive clusters. */
static int write_chain(struct fat_fs *fs, uint32_t first, uint64_t offset, const uint8_t *buf,
		       size_t len)
{
	uint64_t run_off = 0;
	size_t run_len = 0;
	uint32_t c;
	int ret = seek_cluster(fs, first, offset, &c);

	offset %= fs->cluster_size;
	for (uint32_t n = 0; ret == 0 && len > 0 && n <= fs->cluster_count; n++) {
		size_t chunk = MIN(len, (size_t)(fs->cluster_size - offset));
		uint64_t off = fat_cluster_offset(fs, c) + offset;

		if (run_len && run_off + run_len != off) {
			ret = blk_part_write(&fs->part, run_off, run_len, buf - run_len);
			run_len = 0;
		}
		if (run_len == 0) {
			run_off = off;
		}
		run_len += chunk;
		buf += chunk;
		len -= chunk;
		offset = 0;
		if (ret == 0 && len > 0) {
			ret = fat_next(fs, c, &c);
			if (ret == 0 && c == 0) {
				fat_corrupt(fs, "chain shorter than its file, at cluster", first);
				ret = -EIO;
			}
		}
	}
	if (ret == 0 && len > 0) {
		ret = -EIO; /* a loop in the chain */
	}
	if (ret == 0 && run_len) {
		ret = blk_part_write(&fs->part, run_off, run_len, buf - run_len);
	}
	return ret;
}

int fat_overwrite(struct fat_fs *fs, const char *path, uint64_t offset, const void *buf, size_t len)
{
	static struct fat_item item;
	int ret;

	if (fs->part.dev->is_read_only) {
		return -EROFS;
	}
	ret = fat_lookup(fs, path, &item);
	if (ret) {
		return ret;
	}
	if (item.attr & FAT_ATTR_DIRECTORY) {
		return -EISDIR;
	}
	if (offset > item.size || len > item.size - offset) {
		return -EFBIG;
	}
	if (len == 0) {
		return 0;
	}
	if (item.cluster < 2 || item.cluster > fs->cluster_count + 1) {
		fat_corrupt(fs, "first cluster", item.cluster);
		return -EIO;
	}
	return write_chain(fs, item.cluster, offset, buf, len);
}
