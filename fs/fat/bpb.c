/* FAT volume geometry (the BIOS parameter block), the file allocation
 * table itself and FSInfo. The FAT type follows from the cluster count
 * alone, as the Microsoft specification requires; every cluster number read
 * from the table is checked against that count before it is followed. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

void fat_corrupt(struct fat_fs *fs, const char *what, uint64_t value)
{
	if (!fs->has_warned) {
		log_notice("%s: corrupt FAT volume: %s (%llu)\n", fs->part.dev->name, what,
			   (unsigned long long)value);
		fs->has_warned = true;
	}
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Region sizes from the BPB; fills the byte offsets in @fs. */
static int layout_regions(struct fat_fs *fs, const struct fat_boot *b, uint64_t part_size)
{
	uint64_t total = get_le16(&b->total_sectors16) ? get_le16(&b->total_sectors16)
						       : get_le32(&b->total_sectors32);
	uint64_t fat_size =
	    get_le16(&b->fat_size16) ? get_le16(&b->fat_size16) : get_le32(&b->fat_size32);
	uint64_t reserved = get_le16(&b->reserved_sectors), bps = fs->sector_size;
	uint64_t root_sectors = (get_le16(&b->root_entries) * 32ull + bps - 1) / bps;
	uint64_t meta = reserved + fs->fat_count * fat_size + root_sectors, clusters;

	if (reserved == 0 || fat_size == 0 || total > part_size / bps || meta >= total) {
		return -EINVAL;
	}
	clusters = (total - meta) / (fs->cluster_size / bps);
	if (clusters == 0 || clusters > 0x0ffffff5) {
		return -EINVAL;
	}
	fs->cluster_count = (uint32_t)clusters;
	fs->type = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
	fs->fat_offset = reserved * bps;
	fs->fat_bytes = fat_size * bps;
	fs->root_offset = (reserved + fs->fat_count * fat_size) * bps;
	fs->root_entries = get_le16(&b->root_entries);
	fs->data_offset = meta * bps;
	/* The table must have an entry for every cluster. */
	if (fs->fat_bytes < (clusters + 2) * fs->type / 8 + 1) {
		return -EINVAL;
	}
	return 0;
}

static int check_fat32(struct fat_fs *fs, const struct fat_boot *b)
{
	uint16_t flags = get_le16(&b->ext_flags), fsinfo = get_le16(&b->fsinfo_sector);

	if (fs->type != 32) {
		return fs->root_entries ? 0 : -EINVAL;
	}
	if (fs->root_entries != 0 || get_le16(&b->fat_size16) != 0) {
		return -EINVAL;
	}
	fs->root_cluster = get_le32(&b->root_cluster);
	if (fs->root_cluster < 2 || fs->root_cluster > fs->cluster_count + 1) {
		return -EINVAL;
	}
	if (flags & 0x80) {
		fs->is_mirrored = false;
		fs->active_fat = flags & 0xf;
		if (fs->active_fat >= fs->fat_count) {
			return -EINVAL;
		}
	}
	if (fsinfo >= 1 && fsinfo < get_le16(&b->reserved_sectors)) {
		fs->fsinfo_offset = (uint64_t)fsinfo * fs->sector_size;
	}
	return 0;
}

int fat_bpb_validate(struct fat_fs *fs, const uint8_t *buf, uint64_t part_size)
{
	struct fat_boot b;
	uint32_t bps, spc;
	int ret;

	memcpy(&b, buf, sizeof(b));
	if ((b.jump[0] != 0xeb && b.jump[0] != 0xe9) || b.signature[0] != 0x55 ||
	    b.signature[1] != 0xaa) {
		return -ENOENT;
	}
	bps = get_le16(&b.bytes_per_sector);
	spc = b.sectors_per_cluster;
	if (bps < 512 || bps > 4096 || !is_pow2(bps) || !is_pow2(spc) || spc > 128 ||
	    b.fat_count == 0 || b.fat_count > 4) {
		return -ENOENT; /* not a BPB at all: maybe another filesystem */
	}
	fs->sector_size = bps;
	fs->cluster_size = bps * spc;
	fs->fat_count = b.fat_count;
	fs->is_mirrored = true;
	fs->active_fat = 0;
	ret = layout_regions(fs, &b, part_size);
	if (ret) {
		return ret;
	}
	return check_fat32(fs, &b);
}

int fat_mount(struct fat_fs *fs, const struct blk_part *part)
{
	uint8_t buf[512];
	struct fat_fsinfo fi;
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->part = *part;
	ret = blk_part_read(part, 0, sizeof(buf), buf);
	if (ret) {
		return ret == -EINVAL ? -ENOENT : ret;
	}
	ret = fat_bpb_validate(fs, buf, blk_part_size(part));
	if (ret) {
		if (ret != -ENOENT) {
			log_notice("%s: inconsistent FAT boot sector\n", part->dev->name);
		}
		return ret;
	}
	fs->next_free = 2;
	if (fs->fsinfo_offset && blk_part_read(part, fs->fsinfo_offset, sizeof(fi), &fi) == 0 &&
	    get_le32(&fi.lead_sig) == FAT_FSINFO_LEAD &&
	    get_le32(&fi.struc_sig) == FAT_FSINFO_STRUC) {
		uint32_t hint = get_le32(&fi.next_free);

		if (hint >= 2 && hint <= fs->cluster_count + 1) {
			fs->next_free = hint;
		}
	} else {
		fs->fsinfo_offset = 0;
	}
	return 0;
}

const char *fat_type_name(const struct fat_fs *fs)
{
	return fs->type == 12 ? "fat12" : fs->type == 16 ? "fat16" : "fat32";
}

uint64_t fat_cluster_offset(const struct fat_fs *fs, uint32_t cluster)
{
	return fs->data_offset + (uint64_t)(cluster - 2) * fs->cluster_size;
}

bool fat_is_eoc(const struct fat_fs *fs, uint32_t v)
{
	return fs->type == 12 ? v >= 0xff8 : fs->type == 16 ? v >= 0xfff8 : v >= 0x0ffffff8;
}

/* Byte offset of @cluster's entry inside one FAT copy. */
static uint64_t entry_at(const struct fat_fs *fs, uint32_t cluster)
{
	return fs->type == 12 ? cluster + cluster / 2 : (uint64_t)cluster * (fs->type / 8);
}

static uint32_t entry_width(const struct fat_fs *fs)
{
	return fs->type == 32 ? 4 : 2;
}

static bool is_in_window(const struct fat_fs *fs, uint64_t at)
{
	return fs->win_len && at >= fs->win_start &&
	       at + entry_width(fs) <= fs->win_start + fs->win_len;
}

int fat_flush(struct fat_fs *fs)
{
	uint32_t lo = fs->dirty_lo, hi = fs->dirty_hi;
	int ret = 0;

	/* One write per copy for the whole dirty range: clean sectors inside
	 * it hold what the active copy holds, which every mirror must too. */
	for (uint32_t copy = 0; lo < hi && ret == 0 && copy < fs->fat_count; copy++) {
		if (!fs->is_mirrored && copy != fs->active_fat) {
			continue;
		}
		ret = blk_part_write(&fs->part,
				     fs->fat_offset + copy * fs->fat_bytes + fs->win_start + lo,
				     hi - lo, fs->win + lo);
	}
	/* Emptied even on failure: after a failed write the disk is unknown,
	 * and later reads must not trust a copy of it. */
	fs->win_len = 0;
	fs->dirty_lo = 0;
	fs->dirty_hi = 0;
	return ret;
}

/* Flush the window and load the part of the active copy holding @at. */
static int window_load(struct fat_fs *fs, uint64_t at)
{
	/* Half-window alignment keeps an entry that starts in the first half
	 * (even a FAT12 one crossing a sector) wholly inside; the start is a
	 * multiple of the sector size, so flushes are whole blocks. */
	uint64_t start = ALIGN_DOWN(at, (uint64_t)FAT_WIN_BYTES / 2);
	uint32_t len = (uint32_t)MIN((uint64_t)FAT_WIN_BYTES, fs->fat_bytes - start);
	int ret = fat_flush(fs);

	if (ret == 0) {
		ret = blk_part_read(&fs->part,
				    fs->fat_offset + fs->active_fat * fs->fat_bytes + start, len,
				    fs->win);
	}
	if (ret) {
		return ret;
	}
	fs->win_start = start;
	fs->win_len = len;
	return 0;
}

int fat_entry_get(struct fat_fs *fs, uint32_t cluster, uint32_t *value)
{
	uint64_t at = entry_at(fs, cluster);
	uint8_t b[4] = {0};
	int ret;

	if (cluster > fs->cluster_count + 1) {
		return -EINVAL;
	}
	/* Unflushed updates are newer than the disk. */
	if (is_in_window(fs, at)) {
		memcpy(b, fs->win + (at - fs->win_start), entry_width(fs));
	} else {
		ret = blk_part_read(&fs->part, fs->fat_offset + fs->active_fat * fs->fat_bytes + at,
				    entry_width(fs), b);
		if (ret) {
			return ret;
		}
	}
	if (fs->type == 12) {
		uint32_t v = b[0] | b[1] << 8;

		*value = cluster & 1 ? v >> 4 : v & 0xfff;
	} else if (fs->type == 16) {
		*value = b[0] | b[1] << 8;
	} else {
		*value = (b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24) & 0x0fffffff;
	}
	return 0;
}

int fat_entry_set(struct fat_fs *fs, uint32_t cluster, uint32_t value)
{
	uint64_t at = entry_at(fs, cluster);
	uint32_t width = entry_width(fs), v = value, old, rel, lo, hi;
	uint8_t *b;
	int ret;

	if (cluster < 2 || cluster > fs->cluster_count + 1) {
		return -EINVAL;
	}
	if (!is_in_window(fs, at)) {
		ret = window_load(fs, at);
		if (ret) {
			return ret;
		}
		if (!is_in_window(fs, at)) {
			return -EINVAL; /* mount checked the table covers every cluster */
		}
	}
	rel = (uint32_t)(at - fs->win_start);
	b = fs->win + rel;
	old = b[0] | b[1] << 8 | (width == 4 ? b[2] << 16 | (uint32_t)b[3] << 24 : 0);
	/* FAT12 entries share a byte with their neighbour and FAT32 keeps
	 * the top four bits. */
	if (fs->type == 12) {
		v = cluster & 1 ? (old & 0x000f) | (value << 4) : (old & 0xf000) | value;
	} else if (fs->type == 32) {
		v = (value & 0x0fffffff) | (old & 0xf0000000);
	}
	for (uint32_t i = 0; i < width; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	lo = ALIGN_DOWN(rel, fs->sector_size);
	hi = ALIGN_UP(rel + width, fs->sector_size);
	if (fs->dirty_lo < fs->dirty_hi) {
		lo = MIN(lo, fs->dirty_lo);
		hi = hi > fs->dirty_hi ? hi : fs->dirty_hi;
	}
	fs->dirty_lo = lo;
	fs->dirty_hi = hi;
	return 0;
}

int fat_next(struct fat_fs *fs, uint32_t cluster, uint32_t *next)
{
	uint32_t v;
	int ret = fat_entry_get(fs, cluster, &v);

	if (ret) {
		return ret;
	}
	if (fat_is_eoc(fs, v)) {
		*next = 0;
		return 0;
	}
	if (v < 2 || v > fs->cluster_count + 1) {
		fat_corrupt(fs, "cluster chain link", v);
		return -EIO;
	}
	*next = v;
	return 0;
}
