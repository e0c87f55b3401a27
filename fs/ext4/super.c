/* ext4 superblock, group descriptors and inodes: where the geometry comes
 * from, and the checksums (crc32c for metadata_csum, crc16 for gdt_csum)
 * that catch most corruption before it reaches the block mapper. */
#define LOG_PREFIX "ext4: "
#include "layout.h"
#include <fs/ext4.h>
#include <lib/crc32c.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

#define EXT4_INCOMPAT_KNOWN                                                                        \
	(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER | EXT4_INCOMPAT_META_BG |                  \
	 EXT4_INCOMPAT_EXTENTS | EXT4_INCOMPAT_64BIT | EXT4_INCOMPAT_MMP | EXT4_INCOMPAT_FLEX_BG | \
	 EXT4_INCOMPAT_EA_INODE | EXT4_INCOMPAT_CSUM_SEED | EXT4_INCOMPAT_LARGEDIR |               \
	 EXT4_INCOMPAT_INLINE_DATA | EXT4_INCOMPAT_ENCRYPT | EXT4_INCOMPAT_CASEFOLD)

static const char *const incompat_names[32] = {
    "compression",
    "filetype",
    "needs_recovery",
    "journal_dev",
    "meta_bg",
    NULL,
    "extent",
    "64bit",
    "mmp",
    "flex_bg",
    "ea_inode",
    NULL,
    "dirdata",
    "metadata_csum_seed",
    "large_dir",
    "inline_data",
    "encrypt",
    "casefold",
};

void ext4_corrupt(struct ext4_fs *fs, const char *what, uint64_t value)
{
	/* One NOTICE per mount (STYLE G2); later errors stay quiet. */
	if (!fs->has_warned) {
		log_notice("%s: corrupt filesystem: %s (%llu)\n", fs->part.dev->name, what,
			   (unsigned long long)value);
		fs->has_warned = true;
	}
}

/* CRC-16 (reflected polynomial 0xa001), used by the older gdt_csum feature. */
static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++) {
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xa001) : (uint16_t)(crc >> 1);
		}
	}
	return crc;
}

static int check_features(const struct ext4_super *sb)
{
	uint32_t bad = get_le32(&sb->feature_incompat) & ~(uint32_t)EXT4_INCOMPAT_KNOWN;

	if (!bad) {
		return 0;
	}
	for (unsigned int i = 0; i < 32; i++) {
		if (bad & (1u << i)) {
			if (incompat_names[i]) {
				log_notice("unsupported feature %s\n", incompat_names[i]);
			} else {
				log_notice("unknown incompatible feature 0x%x\n", 1u << i);
			}
		}
	}
	return -EOPNOTSUPP;
}

/* Sizes and counts: each must be in range before any is multiplied. */
static int check_geometry(struct ext4_fs *fs, const struct ext4_super *sb, uint64_t part_size)
{
	uint32_t log = get_le32(&sb->log_block_size);
	uint64_t groups;

	if (log > 6) {
		return -EINVAL;
	}
	fs->block_size = 1024u << log;
	fs->first_data_block = get_le32(&sb->first_data_block);
	fs->blocks_per_group = get_le32(&sb->blocks_per_group);
	fs->inodes_per_group = get_le32(&sb->inodes_per_group);
	fs->inode_count = get_le32(&sb->inodes_count);
	fs->block_count = get_le32(&sb->blocks_count_lo);
	if (fs->feature_incompat & EXT4_INCOMPAT_64BIT) {
		fs->block_count |= (uint64_t)get_le32(&sb->blocks_count_hi) << 32;
	}
	if (fs->blocks_per_group == 0 || fs->inodes_per_group == 0 ||
	    fs->inodes_per_group > 8 * fs->block_size || fs->first_data_block >= fs->block_count ||
	    fs->block_count > part_size / fs->block_size) {
		return -EINVAL;
	}
	groups = (fs->block_count - fs->first_data_block + fs->blocks_per_group - 1) /
		 fs->blocks_per_group;
	if (groups > UINT32_MAX || (uint64_t)fs->inode_count > groups * fs->inodes_per_group) {
		return -EINVAL;
	}
	fs->group_count = (uint32_t)groups;
	return 0;
}

static int check_sizes(struct ext4_fs *fs, const struct ext4_super *sb)
{
	uint32_t isz =
	    get_le32(&sb->rev_level) == 0 ? EXT4_GOOD_OLD_INODE_SIZE : get_le16(&sb->inode_size);

	if (isz < EXT4_GOOD_OLD_INODE_SIZE || (isz & (isz - 1)) || isz > fs->block_size) {
		return -EINVAL;
	}
	if (isz > EXT4_INODE_MAX) {
		log_notice("inode size %u not supported\n", isz);
		return -EOPNOTSUPP;
	}
	fs->inode_size = isz;
	fs->desc_size = 32;
	if (fs->feature_incompat & EXT4_INCOMPAT_64BIT) {
		fs->desc_size = get_le16(&sb->desc_size);
		if (fs->desc_size < 64 || fs->desc_size > 1024 ||
		    (fs->desc_size & (fs->desc_size - 1)) || fs->desc_size > fs->block_size) {
			return -EINVAL;
		}
	}
	fs->first_meta_bg = get_le32(&sb->first_meta_bg);
	return 0;
}

int ext4_super_validate(struct ext4_fs *fs, const uint8_t *buf, uint64_t part_size)
{
	struct ext4_super sb;
	int ret;

	memcpy(&sb, buf, sizeof(sb));
	if (get_le16(&sb.magic) != EXT4_SUPER_MAGIC) {
		return -ENOENT;
	}
	fs->feature_compat = get_le32(&sb.feature_compat);
	fs->feature_incompat = get_le32(&sb.feature_incompat);
	fs->feature_ro_compat = get_le32(&sb.feature_ro_compat);
	if (fs->feature_ro_compat & EXT4_RO_COMPAT_METADATA_CSUM) {
		if (sb.checksum_type != 1 ||
		    crc32c_update(~0u, buf, offsetof(struct ext4_super, checksum)) !=
			get_le32(&sb.checksum)) {
			return -EBADMSG;
		}
		fs->csum_seed = (fs->feature_incompat & EXT4_INCOMPAT_CSUM_SEED)
				    ? get_le32(&sb.checksum_seed)
				    : crc32c_update(~0u, sb.uuid, sizeof(sb.uuid));
	}
	ret = check_features(&sb);
	if (ret) {
		return ret;
	}
	ret = check_geometry(fs, &sb, part_size);
	if (ret) {
		return ret;
	}
	ret = check_sizes(fs, &sb);
	if (ret) {
		return ret;
	}
	memcpy(fs->uuid, sb.uuid, sizeof(fs->uuid));
	fs->is_ext2 = !(fs->feature_incompat & EXT4_INCOMPAT_EXTENTS) &&
		      !(fs->feature_compat & 0x4 /* has_journal */);
	return 0;
}

int ext4_mount(struct ext4_fs *fs, const struct blk_part *part)
{
	uint8_t buf[sizeof(struct ext4_super)];
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->part = *part;
	if (blk_part_size(part) < EXT4_SUPER_OFFSET + sizeof(buf)) {
		return -ENOENT;
	}
	ret = blk_part_read(part, EXT4_SUPER_OFFSET, sizeof(buf), buf);
	if (ret) {
		return ret;
	}
	ret = ext4_super_validate(fs, buf, blk_part_size(part));
	if (ret && ret != -ENOENT) {
		log_notice("%s: unusable ext4 superblock (%s)\n", part->dev->name, errno_name(ret));
	}
	if (!ret && (fs->feature_incompat & EXT4_INCOMPAT_RECOVER)) {
		/* We cannot replay the journal: recent writes may be missing. */
		log_notice("%s: journal needs recovery; reading without it\n", part->dev->name);
	}
	return ret;
}

static bool has_super(const struct ext4_fs *fs, uint32_t group)
{
	if (group <= 1 || !(fs->feature_ro_compat & EXT4_RO_COMPAT_SPARSE_SUPER)) {
		return true;
	}
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;

		while (p < group) {
			p *= base;
		}
		if (p == group) {
			return true;
		}
	}
	return false;
}

/* Byte offset of group @g's descriptor (the meta_bg layout puts each
 * block of descriptors in the first group it describes). */
static uint64_t desc_offset(const struct ext4_fs *fs, uint32_t g)
{
	uint32_t per_block = fs->block_size / fs->desc_size;
	uint32_t desc_block = g / per_block;
	uint64_t blk;

	if (!(fs->feature_incompat & EXT4_INCOMPAT_META_BG) || desc_block < fs->first_meta_bg) {
		blk = fs->first_data_block + 1 + (uint64_t)desc_block;
	} else {
		uint64_t first_group = (uint64_t)desc_block * per_block;

		blk = fs->first_data_block + first_group * fs->blocks_per_group +
		      (has_super(fs, (uint32_t)first_group) ? 1 : 0);
	}
	return blk * fs->block_size + (uint64_t)(g % per_block) * fs->desc_size;
}

static int check_desc_csum(struct ext4_fs *fs, uint32_t g, const uint8_t *raw)
{
	size_t at = offsetof(struct ext4_group_desc, checksum);
	uint8_t copy[1024];
	uint16_t want, got;
	le16 stored;
	le32 gle;

	memcpy(&stored, raw + at, sizeof(stored));
	want = get_le16(&stored);
	put_le32(&gle, g);
	if (fs->feature_ro_compat & EXT4_RO_COMPAT_METADATA_CSUM) {
		memcpy(copy, raw, fs->desc_size);
		memset(copy + at, 0, 2);
		got = (uint16_t)crc32c_update(crc32c_update(fs->csum_seed, &gle, 4), copy,
					      fs->desc_size);
	} else if (fs->feature_ro_compat & EXT4_RO_COMPAT_GDT_CSUM) {
		got = crc16(0xffff, fs->uuid, sizeof(fs->uuid));
		got = crc16(got, gle.b, 4);
		got = crc16(got, raw, at);
		if (fs->desc_size > at + 2) {
			got = crc16(got, raw + at + 2, fs->desc_size - at - 2);
		}
	} else {
		return 0;
	}
	return got == want ? 0 : -EBADMSG;
}

/* Byte offset of group @g's inode table. */
static int inode_table(struct ext4_fs *fs, uint32_t g, uint64_t *out)
{
	uint8_t raw[1024];
	struct ext4_group_desc gd = {0};
	uint64_t blk;
	int ret;

	ret = blk_part_read(&fs->part, desc_offset(fs, g), fs->desc_size, raw);
	if (ret) {
		return ret == -EINVAL ? -EIO : ret;
	}
	if (check_desc_csum(fs, g, raw)) {
		ext4_corrupt(fs, "group descriptor checksum, group", g);
		return -EIO;
	}
	memcpy(&gd, raw, MIN(sizeof(gd), (size_t)fs->desc_size));
	blk = get_le32(&gd.inode_table_lo);
	if (fs->desc_size >= 64) {
		blk |= (uint64_t)get_le32(&gd.inode_table_hi) << 32;
	}
	/* The whole table must be inside the filesystem. */
	if (blk < fs->first_data_block || blk >= fs->block_count ||
	    (fs->block_count - blk) * fs->block_size <
		(uint64_t)fs->inodes_per_group * fs->inode_size) {
		ext4_corrupt(fs, "inode table outside the filesystem, group", g);
		return -EIO;
	}
	*out = blk * fs->block_size;
	return 0;
}

/* metadata_csum inode checksum: crc32c over the inode number, generation
 * and the raw inode with both checksum fields taken as zero. */
static bool is_inode_csum_ok(const struct ext4_fs *fs, uint32_t ino, uint8_t *raw)
{
	size_t lo = offsetof(struct ext4_inode, checksum_lo);
	size_t hi = offsetof(struct ext4_inode, checksum_hi);
	bool has_hi = false;
	uint32_t want, crc;
	le16 v;
	le32 x;

	memcpy(&v, raw + lo, 2);
	want = get_le16(&v);
	memset(raw + lo, 0, 2);
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		memcpy(&v, raw + offsetof(struct ext4_inode, extra_isize), 2);
		if (EXT4_GOOD_OLD_INODE_SIZE + (uint32_t)get_le16(&v) >= hi + 2) {
			has_hi = true;
			memcpy(&v, raw + hi, 2);
			want |= (uint32_t)get_le16(&v) << 16;
			memset(raw + hi, 0, 2);
		}
	}
	put_le32(&x, ino);
	crc = crc32c_update(fs->csum_seed, &x, 4);
	memcpy(&x, raw + offsetof(struct ext4_inode, generation), 4);
	crc = crc32c_update(crc, &x, 4);
	crc = crc32c_update(crc, raw, fs->inode_size);
	return has_hi ? crc == want : (crc & 0xffff) == want;
}

static int inode_decode(struct ext4_fs *fs, const uint8_t *raw, struct ext4_inode_info *out)
{
	struct ext4_inode in;
	uint32_t extra = 0;

	memset(&in, 0, sizeof(in));
	memcpy(&in, raw, MIN(sizeof(in), (size_t)fs->inode_size));
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		extra = get_le16(&in.extra_isize);
		if (extra > fs->inode_size - EXT4_GOOD_OLD_INODE_SIZE || extra % 4 != 0) {
			ext4_corrupt(fs, "i_extra_isize of inode", out->ino);
			return -EIO;
		}
	}
	out->mode = get_le16(&in.mode);
	out->flags = get_le32(&in.flags);
	out->size = get_le32(&in.size_lo) | (uint64_t)get_le32(&in.size_high) << 32;
	out->extra_end = EXT4_GOOD_OLD_INODE_SIZE + extra;
	out->blocks_lo = get_le32(&in.blocks_lo);
	out->file_acl = get_le32(&in.file_acl_lo) | (uint64_t)get_le16(&in.file_acl_high) << 32;
	memcpy(out->block, in.block, sizeof(out->block));
	/* Logical block numbers are 32-bit, which bounds every file. */
	if (out->size > ((uint64_t)1 << 32) * fs->block_size) {
		ext4_corrupt(fs, "size of inode", out->ino);
		return -EIO;
	}
	return 0;
}

int ext4_inode_load(struct ext4_fs *fs, uint32_t ino, struct ext4_inode_info *out)
{
	uint8_t raw[EXT4_INODE_MAX];
	uint64_t table;
	uint32_t g, idx;
	int ret;

	if (ino == 0 || ino > fs->inode_count) {
		ext4_corrupt(fs, "inode number out of range", ino);
		return -EIO;
	}
	g = (ino - 1) / fs->inodes_per_group;
	idx = (ino - 1) % fs->inodes_per_group;
	ret = inode_table(fs, g, &table);
	if (ret) {
		return ret;
	}
	memset(out, 0, sizeof(*out));
	out->ino = ino;
	out->disk_offset = table + (uint64_t)idx * fs->inode_size;
	ret = blk_part_read(&fs->part, out->disk_offset, fs->inode_size, raw);
	if (ret) {
		return ret == -EINVAL ? -EIO : ret;
	}
	if ((fs->feature_ro_compat & EXT4_RO_COMPAT_METADATA_CSUM) &&
	    !is_inode_csum_ok(fs, ino, raw)) {
		ext4_corrupt(fs, "checksum of inode", ino);
		return -EIO;
	}
	return inode_decode(fs, raw, out);
}
