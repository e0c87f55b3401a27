/* Reading file contents: block-mapped data (one blk read per physically
 * contiguous run, merged across extents), holes and unwritten extents as
 * zeros, and inline_data files whose bytes live in the inode itself (i_block
 * plus the "system.data" extended attribute). */
#define LOG_PREFIX "ext4: "
#include "layout.h"
#include <fs/ext4.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

/* In-inode xattr entries we scan before calling the area corrupt. */
#define XATTR_MAX_ENTRIES 64

/* Where the part of an inline_data file beyond the 60
 * bytes of i_block lives: the value of the in-inode xattr "system.data".
 * *@len is 0 when there is none.
 */
int ext4_inline_locate(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t *off,
		       uint32_t *len)
{
	uint64_t area = inode->disk_offset + inode->extra_end;
	uint32_t area_len = fs->inode_size - inode->extra_end, at = 4;
	struct ext4_xattr_entry e;
	char name[4];
	le32 magic;
	int ret;

	*len = 0;
	if (area_len < 4 + sizeof(e)) {
		return 0;
	}
	ret = blk_part_read(&fs->part, area, 4, &magic);
	if (ret || get_le32(&magic) != EXT4_XATTR_MAGIC) {
		return ret;
	}
	for (unsigned int i = 0; i < XATTR_MAX_ENTRIES && at + sizeof(e) <= area_len; i++) {
		ret = blk_part_read(&fs->part, area + at, sizeof(e), &e);
		if (ret) {
			return ret;
		}
		if (e.name_len == 0 && e.name_index == 0 && get_le16(&e.value_offs) == 0) {
			return 0; /* end of the list */
		}
		if (at + sizeof(e) + e.name_len > area_len) {
			break;
		}
		if (e.name_index == EXT4_XATTR_INDEX_SYSTEM && e.name_len == 4) {
			ret = blk_part_read(&fs->part, area + at + sizeof(e), 4, name);
			if (ret) {
				return ret;
			}
			if (memcmp(name, "data", 4) == 0) {
				uint64_t voff = 4 + (uint64_t)get_le16(&e.value_offs);
				uint64_t vlen = get_le32(&e.value_size);

				if (get_le32(&e.value_inum) != 0 || voff + vlen > area_len) {
					break;
				}
				*off = area + voff;
				*len = (uint32_t)vlen;
				return 0;
			}
		}
		at += (uint32_t)ALIGN_UP(sizeof(e) + e.name_len, 4);
	}
	ext4_corrupt(fs, "in-inode xattrs of inode", inode->ino);
	return -EIO;
}

/* Bytes [@offset, @offset + @len) of an inline_data inode (already clipped
 * to i_size by the caller). */
static int read_inline(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t offset,
		       uint8_t *buf, size_t len)
{
	uint64_t xoff = 0;
	uint32_t xlen;
	int ret;

	ret = ext4_inline_locate(fs, inode, &xoff, &xlen);
	if (ret) {
		return ret;
	}
	if (inode->size > sizeof(inode->block) + (uint64_t)xlen) {
		ext4_corrupt(fs, "inline data size of inode", inode->ino);
		return -EIO;
	}
	if (offset < sizeof(inode->block)) {
		size_t n = MIN(len, sizeof(inode->block) - (size_t)offset);

		memcpy(buf, inode->block + offset, n);
		buf += n;
		offset += n;
		len -= n;
	}
	if (len == 0) {
		return 0;
	}
	return blk_part_read(&fs->part, xoff + (offset - sizeof(inode->block)), len, buf);
}

static int read_mapped(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t offset,
		       uint8_t *buf, size_t len)
{
	struct blk_run pending = {0};
	struct ext4_run run;
	int ret;

	while (len > 0) {
		uint64_t lblk = offset / fs->block_size, in_blk = offset % fs->block_size;
		uint64_t avail;
		size_t n;

		ret = ext4_map(fs, inode, lblk, &run);
		if (ret) {
			return ret;
		}
		avail = run.count * fs->block_size - in_blk;
		n = (size_t)MIN((uint64_t)len, avail);
		if (run.pblk == 0) {
			ret = blk_run_flush(&fs->part, &pending);
			memset(buf, 0, n);
		} else {
			ret = blk_run_add(&fs->part, &pending, run.pblk * fs->block_size + in_blk,
					  n, buf);
		}
		if (ret) {
			return ret;
		}
		buf += n;
		offset += n;
		len -= n;
	}
	return blk_run_flush(&fs->part, &pending);
}

int ext4_read(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t offset, void *buf,
	      size_t len, size_t *actual)
{
	int ret;

	*actual = 0;
	if (offset >= inode->size) {
		return 0;
	}
	len = (size_t)MIN((uint64_t)len, inode->size - offset);
	if (inode->flags & EXT4_ENCRYPT_FL) {
		log_notice("inode %u is encrypted\n", inode->ino);
		return -EACCES;
	}
	if (inode->flags & EXT4_INLINE_DATA_FL) {
		ret = read_inline(fs, inode, offset, buf, len);
	} else {
		ret = read_mapped(fs, inode, offset, buf, len);
	}
	if (ret == 0) {
		*actual = len;
	}
	return ret;
}
