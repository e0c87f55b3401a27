/* FAT path lookup and file reads. Reads follow the cluster chain and merge
 * physically consecutive clusters into one blk read; a chain that ends
 * before the file size, or that is longer than the volume has clusters,
 * is corruption (-EIO), never a hang. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

uint32_t fat_item_dir_cluster(const struct fat_fs *fs, const struct fat_item *item)
{
	/* ".." of a first-level directory points at cluster 0: the root. */
	if (item->cluster == 0 && fs->type == 32) {
		return fs->root_cluster;
	}
	return item->cluster;
}

static bool is_same_nocase(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char ca = a[i], cb = b[i];

		if (ca >= 'a' && ca <= 'z') {
			ca = (char)(ca - 'a' + 'A');
		}
		if (cb >= 'a' && cb <= 'z') {
			cb = (char)(cb - 'a' + 'A');
		}
		if (ca != cb) {
			return false;
		}
	}
	return i == alen && b[i] == '\0';
}

struct find_ctx {
	const char *name;
	size_t len;
	struct fat_item *out;
};

static int find_fn(void *arg, const struct fat_item *item)
{
	struct find_ctx *ctx = arg;
	char short_text[13];

	fat_short_text(item->short_name, 0, short_text);
	if (is_same_nocase(ctx->name, ctx->len, item->name) ||
	    is_same_nocase(ctx->name, ctx->len, short_text)) {
		*ctx->out = *item;
		return 1;
	}
	return 0;
}

/* Find @name (@len bytes) in directory @dir; -ENOENT when absent. */
int fat_find(struct fat_fs *fs, uint32_t dir, const char *name, size_t len, struct fat_item *out)
{
	struct find_ctx ctx = {.name = name, .len = len, .out = out};
	int ret = fat_dir_iterate(fs, dir, find_fn, &ctx);

	if (ret < 0) {
		return ret;
	}
	return ret ? 0 : -ENOENT;
}

int fat_lookup(struct fat_fs *fs, const char *path, struct fat_item *out)
{
	const char *p = path;
	int ret;

	memset(out, 0, sizeof(*out));
	out->attr = FAT_ATTR_DIRECTORY;
	out->cluster = fs->type == 32 ? fs->root_cluster : 0;
	strcpy(out->name, "/");
	for (;;) {
		const char *end;

		while (*p == '/') {
			p++;
		}
		if (*p == '\0') {
			return 0;
		}
		for (end = p; *end && *end != '/'; end++) {
		}
		if ((size_t)(end - p) >= FAT_NAME_MAX) {
			return -ENAMETOOLONG;
		}
		if (!(out->attr & FAT_ATTR_DIRECTORY)) {
			return -ENOTDIR;
		}
		ret = fat_find(fs, fat_item_dir_cluster(fs, out), p, (size_t)(end - p), out);
		if (ret) {
			return ret;
		}
		p = end;
	}
}

/* The cluster holding byte @offset of a chain starting at @first. */
static int seek_cluster(struct fat_fs *fs, uint32_t first, uint64_t offset, uint32_t *out)
{
	uint64_t skip = offset / fs->cluster_size;
	uint32_t c = first;
	int ret;

	if (c < 2 || c > fs->cluster_count + 1 || skip >= fs->cluster_count) {
		fat_corrupt(fs, "file start cluster", c);
		return -EIO;
	}
	for (uint64_t i = 0; i < skip; i++) {
		ret = fat_next(fs, c, &c);
		if (ret) {
			return ret;
		}
		if (c == 0) {
			fat_corrupt(fs, "cluster chain shorter than the file, at", first);
			return -EIO;
		}
	}
	*out = c;
	return 0;
}

int fat_read(struct fat_fs *fs, const struct fat_item *item, uint64_t offset, void *buf, size_t len,
	     size_t *actual)
{
	uint32_t in = (uint32_t)(offset % fs->cluster_size), c, hops = 0;
	struct blk_run pending = {0};
	uint8_t *dst = buf;
	size_t left;
	int ret;

	*actual = 0;
	if (item->attr & FAT_ATTR_DIRECTORY) {
		return -EISDIR;
	}
	if (offset >= item->size) {
		return 0;
	}
	left = (size_t)MIN((uint64_t)len, item->size - offset);
	len = left;
	ret = seek_cluster(fs, item->cluster, offset, &c);
	while (ret == 0 && left > 0) {
		size_t n = MIN(left, (size_t)(fs->cluster_size - in));
		uint64_t disk = fat_cluster_offset(fs, c) + in;

		/* Clusters that follow each other on disk become one read. */
		ret = blk_run_add(&fs->part, &pending, disk, n, dst);
		dst += n;
		left -= n;
		in = 0;
		if (ret == 0 && left > 0) {
			ret = fat_next(fs, c, &c);
			if (ret == 0 && (c == 0 || ++hops > fs->cluster_count)) {
				fat_corrupt(fs, "cluster chain shorter than the file, at",
					    item->cluster);
				ret = -EIO;
			}
		}
	}
	if (ret == 0) {
		ret = blk_run_flush(&fs->part, &pending);
	}
	/* At end of file the chain must end too: a loop has no end marker, so
	 * this is where a cyclic chain is caught. */
	if (ret == 0 && offset + len == item->size) {
		ret = fat_next(fs, c, &c);
		if (ret == 0 && c != 0) {
			fat_corrupt(fs, "cluster chain longer than the file, at", item->cluster);
			ret = -EIO;
		}
	}
	if (ret == 0) {
		*actual = len;
	}
	return ret;
}
