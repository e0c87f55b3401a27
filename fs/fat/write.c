/* FAT writes: create, overwrite and delete a file in an existing directory.
 *
 * Order matters for a volume that may lose power mid-write: the new chain is
 * allocated and filled first, then the directory entry is pointed at it, and
 * only then is the old chain freed. A crash leaks clusters at worst; it never
 * leaves an entry pointing at free or half-written clusters. Names that do
 * not fit 8.3 get long-name entries plus a generated "BASIS~N.EXT".
 *
 * Each blk write is a synchronous round trip to the backend (milliseconds
 * under emulation), so every step is as few writes as the layout allows: the
 * data one per contiguous run, the FAT one per touched sector range and copy
 * (the window in bpb.c), a name's entries together, FSInfo once per call. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

#define TAIL_MAX_TRIES 999
#define FAT_DATE_1980_01_01 0x0021 /* no RTC: the FAT epoch */

static bool is_short_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
	       (c && strchr("$%'-_@~`!(){}^#&", c));
}

/* UTF-8 name to UTF-16 units; rejects what no FAT name may contain. */
static int name_to_utf16(const char *name, uint16_t *out, unsigned int *count)
{
	const uint8_t *p = (const uint8_t *)name;
	unsigned int n = 0;

	while (*p) {
		uint32_t c = *p++;
		unsigned int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (c >= 0x80 && (c < 0xc0 || c >= 0xf8)) {
			return -EINVAL;
		}
		c &= extra ? (0x3fu >> extra) : 0x7f;
		for (unsigned int i = 0; i < extra; i++, p++) {
			if ((*p & 0xc0) != 0x80) {
				return -EINVAL;
			}
			c = c << 6 | (*p & 0x3f);
		}
		if (c < 0x20 || (c < 0x80 && strchr("\"*/:<>?\\|", (int)c)) || c > 0x10ffff ||
		    (c >= 0xd800 && c < 0xe000)) {
			return -EINVAL;
		}
		if (n + (c >= 0x10000 ? 2 : 1) > 255) {
			return -ENAMETOOLONG;
		}
		if (c >= 0x10000) {
			out[n++] = (uint16_t)(0xd800 + ((c - 0x10000) >> 10));
			out[n++] = (uint16_t)(0xdc00 + ((c - 0x10000) & 0x3ff));
		} else {
			out[n++] = (uint16_t)c;
		}
	}
	if (n == 0 || (n <= 2 && strspn(name, ".") == n) || name[strlen(name) - 1] == ' ' ||
	    name[strlen(name) - 1] == '.') {
		return -EINVAL;
	}
	*count = n;
	return 0;
}

/*
 * The 8.3 basis of @name (spec section 7, simplified): upper case, invalid
 * characters as '_', base and extension cut to 8 and 3. *@is_lossy says a
 * "~N" tail is needed; *@needs_lfn says the exact name needs long entries.
 */
static void short_basis(const char *name, uint8_t sn[11], bool *is_lossy, bool *needs_lfn)
{
	const char *dot = strrchr(name, '.');
	unsigned int b = 0, e = 0;

	memset(sn, ' ', 11);
	*is_lossy = false;
	*needs_lfn = false;
	if (dot == name) {
		dot = NULL; /* ".profile": all base, no extension */
	}
	for (const char *p = name; *p; p++) {
		uint8_t c = (uint8_t)*p;
		bool is_ext = dot && p > dot;

		if (p == dot || c == ' ' || (c == '.' && !is_ext)) {
			if (p != dot) {
				*is_lossy = true;
			}
			continue;
		}
		if (c >= 'a' && c <= 'z') {
			c = (uint8_t)(c - 'a' + 'A');
			*needs_lfn = true;
		} else if (c >= 0x80 || !is_short_char(c)) {
			c = '_';
			*is_lossy = true;
		}
		if (is_ext ? e >= 3 : b >= 8) {
			*is_lossy = true;
			continue;
		}
		sn[is_ext ? 8 + e++ : b++] = c;
	}
	if (b == 0) {
		sn[b++] = '_';
		*is_lossy = true;
	}
	*needs_lfn = *needs_lfn || *is_lossy;
}

static int short_match_fn(void *arg, const struct fat_item *item)
{
	return memcmp(arg, item->short_name, 11) == 0;
}

/* Make @sn unique in @dir, adding "~N" when @force_tail or on a clash. */
static int short_unique(struct fat_fs *fs, uint32_t dir, uint8_t sn[11], bool force_tail)
{
	uint8_t base[8];
	int ret;

	if (!force_tail) {
		ret = fat_dir_iterate(fs, dir, short_match_fn, sn);
		if (ret <= 0) {
			return ret;
		}
	}
	memcpy(base, sn, 8);
	for (unsigned int n = 1; n <= TAIL_MAX_TRIES; n++) {
		char tail[8];
		unsigned int tlen = 0, keep;

		for (unsigned int v = n; v; v /= 10) {
			tail[tlen++] = (char)('0' + v % 10);
		}
		keep = MIN(6u, 7 - tlen);
		while (keep > 1 && base[keep - 1] == ' ') {
			keep--;
		}
		memcpy(sn, base, keep);
		sn[keep] = '~';
		for (unsigned int i = 0; i < tlen; i++) {
			sn[keep + 1 + i] = (uint8_t)tail[tlen - 1 - i];
		}
		memset(sn + keep + 1 + tlen, ' ', 8 - (keep + 1 + tlen));
		ret = fat_dir_iterate(fs, dir, short_match_fn, sn);
		if (ret <= 0) {
			return ret;
		}
	}
	return -EEXIST;
}

static int write_zeros(struct fat_fs *fs, uint64_t off, uint32_t len)
{
	static uint8_t zero[4096]; /* never written; not const so it lives in .bss, not the image */
	int ret = 0;

	for (uint32_t done = 0; ret == 0 && done < len; done += sizeof(zero)) {
		ret = blk_part_write(&fs->part, off + done, MIN((uint32_t)sizeof(zero), len - done),
				     zero);
	}
	return ret;
}

/* Grow a cluster-chained directory by one zeroed cluster. */
static int extend_dir(struct fat_fs *fs, uint32_t dir)
{
	uint32_t last = dir, next, added;
	int ret;

	for (uint32_t n = 0; n <= fs->cluster_count; n++) {
		ret = fat_next(fs, last, &next);
		if (ret || next == 0) {
			break;
		}
		last = next;
	}
	if (ret) {
		return ret;
	}
	ret = fat_alloc_chain(fs, 1, &added);
	if (ret) {
		return ret;
	}
	/* Zeros first, then one flush for the mark and the link. */
	ret = write_zeros(fs, fat_cluster_offset(fs, added), fs->cluster_size);
	if (ret == 0) {
		ret = fat_entry_set(fs, last, added);
		if (ret == 0) {
			/* A failed flush may still have put the link on disk:
			 * leak the cluster rather than free what it points at. */
			return fat_flush(fs);
		}
	}
	if (fat_free_chain(fs, added) != 0) {
		log_notice("cluster %u leaked\n", added);
	}
	return ret;
}

/*
 * Write @count 32-byte entries from @raw at @index of @dir: one blk write per
 * run of entries adjacent on disk (a run breaks only at a cluster end). Runs
 * go in order, so long-name entries never land after their short entry.
 */
static int write_entries_raw(struct fat_fs *fs, uint32_t dir, uint32_t index, uint32_t count,
			     const uint8_t *raw)
{
	uint64_t run_off = 0, off = 0;
	uint32_t run = 0;
	int ret = 0;

	for (uint32_t i = 0; ret == 0 && i <= count; i++) {
		if (i < count) {
			ret = fat_dir_entry_offset(fs, dir, index + i, &off);
			if (ret) {
				break;
			}
		}
		if (run && (i == count || off != run_off + (uint64_t)run * 32)) {
			ret = blk_part_write(&fs->part, run_off, run * 32, raw + (i - run) * 32);
			run = 0;
		}
		if (i < count && run++ == 0) {
			run_off = off;
		}
	}
	return ret;
}

/* Long-name entries for @units, stored last part first, then @d: built in
 * memory and written together. */
static int write_entries(struct fat_fs *fs, uint32_t dir, uint32_t index, const uint16_t *units,
			 unsigned int count, unsigned int lfn_count, const struct fat_dirent *d)
{
	static struct fat_lfn raw[FAT_LFN_MAX_ENTRIES + 1];
	uint8_t sum = fat_short_checksum(d->name);

	for (unsigned int i = 0; i < lfn_count; i++) {
		unsigned int ord = lfn_count - i, at = (ord - 1) * FAT_LFN_CHARS;
		struct fat_lfn *l = &raw[i];
		uint16_t u[FAT_LFN_CHARS];

		for (unsigned int k = 0; k < FAT_LFN_CHARS; k++, at++) {
			u[k] = at < count ? units[at] : at == count ? 0 : 0xffff;
		}
		memset(l, 0, sizeof(*l));
		l->ord = (uint8_t)(ord | (i == 0 ? FAT_LFN_LAST : 0));
		l->attr = FAT_ATTR_LFN;
		l->checksum = sum;
		for (unsigned int k = 0; k < 5; k++) {
			put_le16(&l->name1[k], u[k]);
		}
		for (unsigned int k = 0; k < 6; k++) {
			put_le16(&l->name2[k], u[5 + k]);
		}
		for (unsigned int k = 0; k < 2; k++) {
			put_le16(&l->name3[k], u[11 + k]);
		}
	}
	static_assert(sizeof(raw[0]) == sizeof(*d), "entries are 32 bytes");
	memcpy(&raw[lfn_count], d, sizeof(*d));
	return write_entries_raw(fs, dir, index, lfn_count + 1, (const uint8_t *)raw);
}

static void set_cluster(const struct fat_fs *fs, struct fat_dirent *d, uint32_t cluster)
{
	put_le16(&d->cluster_lo, (uint16_t)cluster);
	put_le16(&d->cluster_hi, fs->type == 32 ? (uint16_t)(cluster >> 16) : 0);
}

static int create_entry(struct fat_fs *fs, uint32_t dir, const char *name, uint32_t first,
			uint32_t size)
{
	uint16_t units[256];
	unsigned int count, lfn_count;
	bool is_lossy, needs_lfn;
	struct fat_dirent d;
	uint32_t index;
	int ret;

	ret = name_to_utf16(name, units, &count);
	if (ret) {
		return ret;
	}
	memset(&d, 0, sizeof(d));
	short_basis(name, d.name, &is_lossy, &needs_lfn);
	ret = short_unique(fs, dir, d.name, is_lossy);
	if (ret) {
		return ret;
	}
	lfn_count = needs_lfn ? (count + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS : 0;
	ret = fat_dir_find_free(fs, dir, lfn_count + 1, &index);
	if (ret == -ENOSPC && dir != 0) {
		ret = extend_dir(fs, dir);
		if (ret == 0) {
			ret = fat_dir_find_free(fs, dir, lfn_count + 1, &index);
		}
	}
	if (ret) {
		return ret;
	}
	d.attr = FAT_ATTR_ARCHIVE;
	put_le16(&d.cdate, FAT_DATE_1980_01_01);
	put_le16(&d.mdate, FAT_DATE_1980_01_01);
	put_le16(&d.adate, FAT_DATE_1980_01_01);
	set_cluster(fs, &d, first);
	put_le32(&d.size, size);
	return write_entries(fs, dir, index, units, count, lfn_count, &d);
}

/*
 * @len bytes from @buf at @off, the clusters of one run. Only a file's last
 * cluster is partial: its tail goes out as a whole sector from a zero-padded
 * copy, since a partial block would cost the block layer a read round trip
 * first (the cluster's slack past the end of file holds nothing).
 */
static int write_run(struct fat_fs *fs, uint64_t off, size_t len, const uint8_t *buf)
{
	static uint8_t tail[4096]; /* fat_bpb_validate() caps sectors at 4 KiB */
	size_t whole = ALIGN_DOWN(len, (size_t)fs->sector_size);
	int ret = 0;

	if (whole) {
		ret = blk_part_write(&fs->part, off, whole, buf);
	}
	if (ret == 0 && whole < len) {
		memset(tail, 0, fs->sector_size);
		memcpy(tail, buf + whole, len - whole);
		ret = blk_part_write(&fs->part, off + whole, fs->sector_size, tail);
	}
	return ret;
}

/* @len bytes into the chain at @first: one write per contiguous run. */
static int write_data(struct fat_fs *fs, uint32_t first, const uint8_t *buf, size_t len)
{
	uint32_t c = first;
	uint64_t run_off = 0;
	size_t run_len = 0;
	int ret = 0;

	while (ret == 0 && len > 0) {
		size_t n = MIN(len, (size_t)fs->cluster_size);
		uint64_t off = fat_cluster_offset(fs, c);

		if (run_len && run_off + run_len != off) {
			ret = write_run(fs, run_off, run_len, buf - run_len);
			run_len = 0;
		}
		if (!run_len) {
			run_off = off;
		}
		run_len += n;
		buf += n;
		len -= n;
		if (ret == 0 && len > 0) {
			ret = fat_next(fs, c, &c);
			if (ret == 0 && c == 0) {
				ret = -EIO; /* we allocated enough clusters: our bug or a race */
			}
		}
	}
	if (ret == 0 && run_len) {
		ret = write_run(fs, run_off, run_len, buf - run_len);
	}
	return ret;
}

/* Split @path into its directory (copied to @dir) and last component. */
static int split_path(const char *path, char *dir, size_t dir_size, const char **name)
{
	size_t len = strlen(path);
	char *slash;

	while (len > 0 && path[len - 1] == '/') {
		len--; /* "a/b/" names b */
	}
	if (len == 0 || len >= dir_size) {
		return len ? -ENAMETOOLONG : -EINVAL;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0'; /* "/x" leaves "": the root */
		*name = slash + 1;
	} else {
		*name = dir; /* the caller sees @name == @dir: parent is the root */
	}
	return 0;
}

/* Resolve the parent directory of @path and the entry for its last part
 * (*@exists says whether it was found). */
static int resolve(struct fat_fs *fs, const char *path, char *buf, const char **name, uint32_t *dir,
		   struct fat_item *item, bool *exists)
{
	const char *parent = buf;
	int ret;

	ret = split_path(path, buf, FAT_PATH_MAX, name);
	if (ret) {
		return ret;
	}
	if (*name == buf) {
		parent = "/";
	}
	ret = fat_lookup(fs, parent, item);
	if (ret) {
		return ret;
	}
	if (!(item->attr & FAT_ATTR_DIRECTORY)) {
		return -ENOTDIR;
	}
	*dir = fat_item_dir_cluster(fs, item);
	ret = fat_find(fs, *dir, *name, strlen(*name), item);
	*exists = ret == 0;
	return ret == -ENOENT ? 0 : ret;
}

static int update_entry(struct fat_fs *fs, uint32_t dir, const struct fat_item *item,
			uint32_t first, uint32_t size)
{
	struct fat_dirent d;
	uint64_t off;
	int ret;

	ret = fat_dir_entry_offset(fs, dir, item->index, &off);
	if (ret == 0) {
		ret = blk_part_read(&fs->part, off, sizeof(d), &d);
	}
	if (ret) {
		return ret;
	}
	set_cluster(fs, &d, first);
	put_le32(&d.size, size);
	d.attr |= FAT_ATTR_ARCHIVE;
	return blk_part_write(&fs->part, off, sizeof(d), &d);
}

/* Create or replace: new chain and data, then the entry, then the old chain
 * (see the top of the file). */
static int write_file(struct fat_fs *fs, const char *path, const void *buf, size_t len)
{
	static char pathbuf[FAT_PATH_MAX];
	static struct fat_item item;
	uint32_t dir, first = 0, count;
	const char *name;
	bool exists;
	int ret;

	ret = resolve(fs, path, pathbuf, &name, &dir, &item, &exists);
	if (ret) {
		return ret;
	}
	if (exists && (item.attr & FAT_ATTR_DIRECTORY)) {
		return -EISDIR;
	}
	count = (uint32_t)(((uint64_t)len + fs->cluster_size - 1) / fs->cluster_size);
	if (count) {
		ret = fat_alloc_chain(fs, count, &first);
		if (ret) {
			return ret;
		}
		/* Data and chain may reach the disk in either order, as long
		 * as both precede the entry. */
		ret = write_data(fs, first, buf, len);
		if (ret == 0) {
			ret = fat_flush(fs);
		}
		if (ret) {
			goto err_free_new;
		}
	}
	ret = exists ? update_entry(fs, dir, &item, first, (uint32_t)len)
		     : create_entry(fs, dir, name, first, (uint32_t)len);
	if (ret) {
		goto err_free_new;
	}
	/* The entry now points at the new chain: the old one can go. */
	if (exists && item.cluster >= 2) {
		ret = fat_free_chain(fs, item.cluster);
	}
	return ret;

err_free_new:
	if (first && fat_free_chain(fs, first) != 0) {
		log_notice("clusters from %u leaked\n", first);
	}
	return ret;
}

int fat_write(struct fat_fs *fs, const char *path, const void *buf, size_t len)
{
	int ret, ret2;

	if (fs->part.dev->is_read_only) {
		return -EROFS;
	}
	if ((uint64_t)len > UINT32_MAX) {
		return -EFBIG; /* DIR_FileSize is 32-bit */
	}
	ret = write_file(fs, path, buf, len);
	/* FSInfo is a hint (a crash before this only makes it stale): one
	 * update for the net change of the whole operation, even a failed
	 * one. */
	ret2 = fat_fsinfo_sync(fs);
	return ret ? ret : ret2;
}

/* Mark the entries @first .. @last of @dir deleted, in as few writes as
 * their layout allows. */
static int mark_deleted(struct fat_fs *fs, uint32_t dir, uint32_t first, uint32_t last)
{
	static struct fat_dirent raw[FAT_LFN_MAX_ENTRIES + 1];
	uint32_t count = last - first + 1;
	uint64_t off;
	int ret;

	/* The long-name parser accepts at most this many entries before a
	 * short one, so a longer span is our bug or a changed directory. */
	if (last < first || count > ARRAY_SIZE(raw)) {
		return -EIO;
	}
	for (uint32_t i = 0; i < count; i++) {
		ret = fat_dir_entry_offset(fs, dir, first + i, &off);
		if (ret == 0) {
			ret = blk_part_read(&fs->part, off, sizeof(raw[i]), &raw[i]);
		}
		if (ret) {
			return ret;
		}
		raw[i].name[0] = FAT_DIRENT_FREE;
	}
	return write_entries_raw(fs, dir, first, count, (const uint8_t *)raw);
}

int fat_unlink(struct fat_fs *fs, const char *path)
{
	static char pathbuf[FAT_PATH_MAX];
	static struct fat_item item;
	const char *name;
	uint32_t dir;
	bool exists;
	int ret, ret2 = 0;

	if (fs->part.dev->is_read_only) {
		return -EROFS;
	}
	ret = resolve(fs, path, pathbuf, &name, &dir, &item, &exists);
	if (ret) {
		return ret;
	}
	if (!exists) {
		return -ENOENT;
	}
	if (item.attr & FAT_ATTR_DIRECTORY) {
		return -EISDIR;
	}
	/* Entry first, chain second: a crash leaks clusters, nothing worse. */
	ret = mark_deleted(fs, dir, item.first_index, item.index);
	if (ret == 0 && item.cluster >= 2) {
		ret = fat_free_chain(fs, item.cluster);
		ret2 = fat_fsinfo_sync(fs);
	}
	return ret ? ret : ret2;
}
