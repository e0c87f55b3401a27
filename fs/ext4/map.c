/* Logical-to-physical block mapping: extent trees (ext4) and the
 * direct/indirect/double/triple block map (ext2/3). ext4_map() returns the
 * whole run of contiguous blocks (or the whole hole) starting at a logical
 * block, so callers can issue one read per run instead of one per block.
 *
 * Everything read here is untrusted. Extent-tree depth must decrease by one
 * per level and never exceed 5, entries must be sorted, counts must fit their
 * node, and every physical block must be inside the filesystem. */
#define LOG_PREFIX "ext4: "
#include "layout.h"
#include <fs/ext4.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

#define LBLK_LIMIT ((uint64_t)1 << 32) /* logical block numbers are 32-bit */
#define IND_RUN_CHUNK 64

/* An extent-tree node: the root lives in i_block, the others in a block. */
struct ext_node {
	const uint8_t *mem; /* root: bytes in the inode */
	uint64_t disk_off; /* other levels: byte offset in the partition */
	unsigned int count;
};

static int node_read(struct ext4_fs *fs, const struct ext_node *n, unsigned int i, void *out,
		     size_t size)
{
	size_t at = sizeof(struct ext4_extent_header) + (size_t)i * 12;

	if (n->mem) {
		memcpy(out, n->mem + at, size);
		return 0;
	}
	return blk_part_read(&fs->part, n->disk_off + at, size, out);
}

static int node_header(struct ext4_fs *fs, struct ext_node *n, unsigned int depth_want,
		       unsigned int capacity, unsigned int *depth)
{
	struct ext4_extent_header h;
	int ret;

	if (n->mem) {
		memcpy(&h, n->mem, sizeof(h));
	} else {
		ret = blk_part_read(&fs->part, n->disk_off, sizeof(h), &h);
		if (ret) {
			return ret;
		}
	}
	*depth = get_le16(&h.depth);
	n->count = get_le16(&h.entries);
	if (get_le16(&h.magic) != EXT4_EXT_MAGIC || get_le16(&h.max) > capacity ||
	    n->count > get_le16(&h.max) || *depth > EXT4_EXT_MAX_DEPTH ||
	    (depth_want != ~0u && *depth != depth_want)) {
		ext4_corrupt(fs, "extent header at", n->disk_off);
		return -EIO;
	}
	return 0;
}

static bool is_run_valid(const struct ext4_fs *fs, uint64_t pblk, uint64_t count)
{
	return pblk != 0 && pblk < fs->block_count && count <= fs->block_count - pblk;
}

/* In a leaf: the extent holding @lblk, or the hole up to the next extent. */
static int leaf_find(struct ext4_fs *fs, const struct ext_node *n, uint64_t lblk, uint64_t limit,
		     struct ext4_run *out)
{
	uint64_t prev_end = 0;
	struct ext4_extent e;
	int ret;

	for (unsigned int i = 0; i < n->count; i++) {
		uint64_t first, len;

		ret = node_read(fs, n, i, &e, sizeof(e));
		if (ret) {
			return ret;
		}
		first = get_le32(&e.first_block);
		len = get_le16(&e.len);
		if (len > EXT4_EXT_INIT_MAX_LEN) {
			len -= EXT4_EXT_INIT_MAX_LEN; /* unwritten: reads as zeros */
		}
		if (len == 0 || first < prev_end || first + len > LBLK_LIMIT) {
			ext4_corrupt(fs, "extent order or length at logical block", first);
			return -EIO;
		}
		prev_end = first + len;
		if (lblk < first) {
			out->pblk = 0;
			out->count = MIN(first, limit) - lblk;
			return 0;
		}
		if (lblk < first + len) {
			uint64_t pblk = get_le32(&e.start_lo) | (uint64_t)get_le16(&e.start_hi)
								    << 32;

			if (!is_run_valid(fs, pblk, len)) {
				ext4_corrupt(fs, "extent outside the filesystem at", pblk);
				return -EIO;
			}
			out->pblk =
			    get_le16(&e.len) > EXT4_EXT_INIT_MAX_LEN ? 0 : pblk + lblk - first;
			out->count = first + len - lblk;
			return 0;
		}
	}
	out->pblk = 0;
	out->count = limit - lblk;
	return 0;
}

/* In an index node: the child covering @lblk; narrows *@limit to the next
 * index's first block. Returns 1 with @out filled when @lblk is in a hole
 * before the first index. */
static int index_find(struct ext4_fs *fs, struct ext_node *n, uint64_t lblk, uint64_t *limit,
		      struct ext4_run *out)
{
	struct ext4_extent_idx idx = {0}, next;
	uint64_t child;
	unsigned int i;
	int ret;

	for (i = 0; i < n->count; i++) {
		ret = node_read(fs, n, i, &next, sizeof(next));
		if (ret) {
			return ret;
		}
		if (i > 0 && get_le32(&next.first_block) <= get_le32(&idx.first_block)) {
			ext4_corrupt(fs, "extent index order at", get_le32(&next.first_block));
			return -EIO;
		}
		if (get_le32(&next.first_block) > lblk) {
			*limit = MIN(*limit, (uint64_t)get_le32(&next.first_block));
			break;
		}
		idx = next;
	}
	if (i == 0) {
		/* Empty node, or @lblk before the first index: a hole. */
		out->pblk = 0;
		out->count = *limit - lblk;
		return 1;
	}
	child = get_le32(&idx.leaf_lo) | (uint64_t)get_le16(&idx.leaf_hi) << 32;
	if (!is_run_valid(fs, child, 1)) {
		ext4_corrupt(fs, "extent index outside the filesystem at", child);
		return -EIO;
	}
	n->mem = NULL;
	n->disk_off = child * fs->block_size;
	return 0;
}

static int ext_map(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t lblk,
		   struct ext4_run *out)
{
	struct ext_node n = {.mem = inode->block};
	unsigned int capacity = (sizeof(inode->block) - 12) / 12, depth, want = ~0u;
	uint64_t limit = LBLK_LIMIT;
	int ret;

	/* Each level's depth is one less than its parent's, so this ends
	 * after at most EXT4_EXT_MAX_DEPTH + 1 iterations. */
	for (;;) {
		ret = node_header(fs, &n, want, capacity, &depth);
		if (ret) {
			return ret;
		}
		if (depth == 0) {
			return leaf_find(fs, &n, lblk, limit, out);
		}
		ret = index_find(fs, &n, lblk, &limit, out);
		if (ret) {
			return ret > 0 ? 0 : ret;
		}
		want = depth - 1;
		capacity = (fs->block_size - 12) / 12;
	}
}

/* The run starting at entry @idx of a block-pointer array of @count entries
 * (in memory when @mem, else on disk at @off). */
static int ind_run(struct ext4_fs *fs, const uint8_t *mem, uint64_t off, uint64_t idx,
		   uint64_t count, struct ext4_run *out)
{
	le32 p[IND_RUN_CHUNK];
	unsigned int n = (unsigned int)MIN(count - idx, (uint64_t)IND_RUN_CHUNK), k;
	uint32_t first;
	int ret;

	if (mem) {
		memcpy(p, mem + idx * 4, n * 4);
	} else {
		ret = blk_part_read(&fs->part, off + idx * 4, n * 4, p);
		if (ret) {
			return ret;
		}
	}
	first = get_le32(&p[0]);
	for (k = 1; k < n; k++) {
		uint32_t v = get_le32(&p[k]);

		if (first == 0 ? v != 0 : v != first + k) {
			break;
		}
	}
	if (first != 0 && !is_run_valid(fs, first, k)) {
		ext4_corrupt(fs, "block pointer outside the filesystem", first);
		return -EIO;
	}
	out->pblk = first;
	out->count = k;
	return 0;
}

static int ind_map(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t lblk,
		   struct ext4_run *out)
{
	uint64_t per = fs->block_size / 4, rel = lblk, cover = 1;
	unsigned int level;
	le32 ptr;
	uint32_t blk;
	int ret;

	if (rel < 12) {
		return ind_run(fs, inode->block, 0, rel, 12, out);
	}
	rel -= 12;
	for (level = 1; level <= 3; level++) {
		cover *= per;
		if (rel < cover) {
			break;
		}
		rel -= cover;
	}
	if (level > 3) {
		return -EFBIG;
	}
	memcpy(&ptr, inode->block + (11 + level) * 4, 4);
	blk = get_le32(&ptr);
	/* Descend: @blk points at a block covering @cover logical blocks. */
	for (; level > 0; level--) {
		if (blk == 0) {
			out->pblk = 0;
			out->count = cover - rel;
			return 0;
		}
		if (!is_run_valid(fs, blk, 1)) {
			ext4_corrupt(fs, "indirect block outside the filesystem", blk);
			return -EIO;
		}
		cover /= per;
		if (level == 1) {
			return ind_run(fs, NULL, (uint64_t)blk * fs->block_size, rel, per, out);
		}
		ret = blk_part_read(&fs->part, (uint64_t)blk * fs->block_size + rel / cover * 4, 4,
				    &ptr);
		if (ret) {
			return ret;
		}
		blk = get_le32(&ptr);
		rel %= cover;
	}
	return -EIO;
}

int ext4_map(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t lblk,
	     struct ext4_run *out)
{
	if (lblk >= LBLK_LIMIT) {
		return -EFBIG;
	}
	if (inode->flags & EXT4_EXTENTS_FL) {
		return ext_map(fs, inode, lblk, out);
	}
	return ind_map(fs, inode, lblk, out);
}
