/* Directories and path resolution. Directories are scanned linearly, which
 * also covers dir_index (htree) directories: their interior blocks look like
 * one empty entry spanning the block, and the checksum tail of a leaf is an
 * entry with inode 0; both are skipped. Inline directories keep the parent's
 * inode number and entries in i_block and the "system.data" xattr. */
#define LOG_PREFIX "ext4: "
#include "layout.h"
#include <fs/ext4.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

/* A bound on directory size: hostile extent trees could otherwise describe
 * billions of blocks (the same physical block mapped again and again). */
#define DIR_MAX_BYTES (128ull << 20)
#define SYMLINK_MAX_HOPS 8

static int region_read(struct ext4_fs *fs, const uint8_t *mem, uint64_t disk, uint32_t at,
		       void *out, size_t len)
{
	if (mem) {
		memcpy(out, mem + at, len);
		return 0;
	}
	return blk_part_read(&fs->part, disk + at, len, out);
}

/* Walk the entries in @len bytes (in memory at @mem, else on disk at @disk). */
static int scan_region(struct ext4_fs *fs, const uint8_t *mem, uint64_t disk, uint32_t len,
		       int (*fn)(void *arg, const struct ext4_dir_item *item), void *arg)
{
	char name[EXT4_NAME_MAX];
	struct ext4_dirent d;
	uint32_t at = 0;
	int ret;

	while (len - at >= sizeof(d)) {
		struct ext4_dir_item item;
		uint32_t rec;

		ret = region_read(fs, mem, disk, at, &d, sizeof(d));
		if (ret) {
			return ret;
		}
		rec = get_le16(&d.rec_len);
		if (fs->block_size == 65536 && (rec == 0 || rec == 65535)) {
			rec = 65536; /* the encoding of a 64 KiB rec_len */
		}
		if (rec < sizeof(d) || rec % 4 || rec > len - at || d.name_len + sizeof(d) > rec) {
			ext4_corrupt(fs, "directory entry at", disk + at);
			return -EIO;
		}
		if (get_le32(&d.inode) != 0 && d.name_len != 0) {
			ret = region_read(fs, mem, disk, at + sizeof(d), name, d.name_len);
			if (ret) {
				return ret;
			}
			item.name = name;
			item.name_len = d.name_len;
			item.ino = get_le32(&d.inode);
			item.file_type =
			    (fs->feature_incompat & EXT4_INCOMPAT_FILETYPE) ? d.file_type : 0;
			ret = fn(arg, &item);
			if (ret) {
				return ret;
			}
		}
		at += rec;
	}
	return 0;
}

static int emit(int (*fn)(void *arg, const struct ext4_dir_item *item), void *arg, const char *name,
		uint32_t ino)
{
	struct ext4_dir_item item = {
	    .name = name, .name_len = (unsigned int)strlen(name), .ino = ino, .file_type = 2};

	return fn(arg, &item);
}

static int iterate_inline(struct ext4_fs *fs, const struct ext4_inode_info *dir,
			  int (*fn)(void *arg, const struct ext4_dir_item *item), void *arg)
{
	uint64_t xoff = 0;
	uint32_t xlen;
	le32 parent;
	int ret;

	memcpy(&parent, dir->block, 4);
	ret = emit(fn, arg, ".", dir->ino);
	if (!ret) {
		ret = emit(fn, arg, "..", get_le32(&parent));
	}
	if (!ret) {
		ret = scan_region(fs, dir->block + 4, 0, sizeof(dir->block) - 4, fn, arg);
	}
	if (ret) {
		return ret;
	}
	/* Entries beyond i_block continue in the system.data value. */
	ret = ext4_inline_locate(fs, dir, &xoff, &xlen);
	if (ret || xlen == 0) {
		return ret;
	}
	return scan_region(fs, NULL, xoff, xlen, fn, arg);
}

int ext4_dir_iterate(struct ext4_fs *fs, const struct ext4_inode_info *dir,
		     int (*fn)(void *arg, const struct ext4_dir_item *item), void *arg)
{
	uint64_t blocks, b = 0;
	struct ext4_run run;
	int ret;

	if ((dir->mode & EXT4_S_IFMT) != EXT4_S_IFDIR) {
		return -ENOTDIR;
	}
	if (dir->flags & EXT4_INLINE_DATA_FL) {
		return iterate_inline(fs, dir, fn, arg);
	}
	if (dir->size > DIR_MAX_BYTES) {
		log_notice("directory inode %u too large\n", dir->ino);
		return -EFBIG;
	}
	blocks = (dir->size + fs->block_size - 1) / fs->block_size;
	while (b < blocks) {
		ret = ext4_map(fs, dir, b, &run);
		if (ret) {
			return ret;
		}
		for (uint64_t i = 0; i < run.count && b < blocks; i++, b++) {
			if (run.pblk == 0) {
				continue; /* holes hold no entries */
			}
			ret = scan_region(fs, NULL, (run.pblk + i) * fs->block_size, fs->block_size,
					  fn, arg);
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

struct lookup_ctx {
	const char *name;
	unsigned int len;
	uint32_t ino;
};

static int lookup_fn(void *arg, const struct ext4_dir_item *item)
{
	struct lookup_ctx *ctx = arg;

	if (item->name_len == ctx->len && memcmp(item->name, ctx->name, ctx->len) == 0) {
		ctx->ino = item->ino;
		return 1;
	}
	return 0;
}

static int dir_lookup(struct ext4_fs *fs, const struct ext4_inode_info *dir, const char *name,
		      unsigned int len, uint32_t *ino)
{
	struct lookup_ctx ctx = {.name = name, .len = len};
	int ret = ext4_dir_iterate(fs, dir, lookup_fn, &ctx);

	if (ret < 0) {
		return ret;
	}
	if (ret == 0) {
		return -ENOENT;
	}
	*ino = ctx.ino;
	return 0;
}

/* The target of symlink @link into fs->link, NUL-terminated. Fast symlinks
 * (no data blocks besides an xattr block) keep the target in i_block. */
static int read_link(struct ext4_fs *fs, const struct ext4_inode_info *link, size_t *len)
{
	uint32_t ea_sectors = link->file_acl ? fs->block_size / 512 : 0;
	size_t n;
	int ret;

	if (link->size == 0 || link->size >= EXT4_PATH_MAX) {
		ext4_corrupt(fs, "symlink length of inode", link->ino);
		return -EIO;
	}
	n = (size_t)link->size;
	if (!(link->flags & EXT4_INLINE_DATA_FL) && link->blocks_lo == ea_sectors) {
		if (n >= sizeof(link->block)) {
			ext4_corrupt(fs, "fast symlink length of inode", link->ino);
			return -EIO;
		}
		memcpy(fs->link, link->block, n);
	} else {
		size_t got;

		ret = ext4_read(fs, link, 0, fs->link, n, &got);
		if (ret) {
			return ret;
		}
	}
	fs->link[n] = '\0';
	*len = strnlen(fs->link, n);
	return *len ? 0 : -ENOENT;
}

/* Replace fs->path with "<fs->link>/<rest>", @rest pointing into fs->path. */
static int splice_link(struct ext4_fs *fs, size_t link_len, const char *rest)
{
	size_t rest_len = strlen(rest);

	if (link_len + 1 + rest_len >= EXT4_PATH_MAX) {
		return -ENAMETOOLONG;
	}
	fs->link[link_len] = '/';
	memcpy(fs->link + link_len + 1, rest, rest_len + 1);
	memcpy(fs->path, fs->link, link_len + 1 + rest_len + 1);
	return 0;
}

int ext4_lookup(struct ext4_fs *fs, const char *path, struct ext4_inode_info *out)
{
	struct ext4_inode_info cur, child;
	unsigned int hops = 0;
	size_t len = strlen(path);
	char *p = fs->path;
	int ret;

	if (len >= EXT4_PATH_MAX) {
		return -ENAMETOOLONG;
	}
	memcpy(fs->path, path, len + 1);
	ret = ext4_inode_load(fs, EXT4_ROOT_INO, &cur);
	while (ret == 0) {
		char *end;
		uint32_t ino;

		while (*p == '/') {
			p++;
		}
		if (*p == '\0') {
			*out = cur;
			return 0;
		}
		for (end = p; *end && *end != '/'; end++) {
		}
		if (end - p > EXT4_NAME_MAX) {
			return -ENAMETOOLONG;
		}
		ret = dir_lookup(fs, &cur, p, (unsigned int)(end - p), &ino);
		if (ret == 0) {
			ret = ext4_inode_load(fs, ino, &child);
		}
		if (ret) {
			return ret;
		}
		p = end;
		if ((child.mode & EXT4_S_IFMT) != EXT4_S_IFLNK) {
			cur = child;
			continue;
		}
		if (++hops > SYMLINK_MAX_HOPS) {
			return -ELOOP;
		}
		ret = read_link(fs, &child, &len);
		if (ret == 0) {
			ret = splice_link(fs, len, p);
		}
		p = fs->path;
		/* Absolute targets restart at the root, relative ones stay in
		 * the directory that holds the link. */
		if (ret == 0 && fs->path[0] == '/') {
			ret = ext4_inode_load(fs, EXT4_ROOT_INO, &cur);
		}
	}
	return ret;
}
