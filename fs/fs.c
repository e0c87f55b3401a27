/* Filesystem detection and the path API on top of ext4 and FAT. */
#define LOG_PREFIX "fs: "
#include "ext4/layout.h"
#include <fs/fs.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

int fs_mount(struct fs *fs, const struct blk_part *part)
{
	int ret;

	fs->part = *part;
	fs->kind = FS_KIND_NONE;
	/* ext4 first: its superblock sits at 1024 and cannot look like a BPB,
	 * while a FAT boot sector leaves bytes 1024.. to the reserved area. */
	ret = ext4_mount(&fs->u.ext4, part);
	if (ret == 0) {
		fs->kind = FS_KIND_EXT4;
		return 0;
	}
	if (ret != -ENOENT) {
		return ret;
	}
	ret = fat_mount(&fs->u.fat, part);
	if (ret == 0) {
		fs->kind = FS_KIND_FAT;
		return 0;
	}
	return ret == -ENOENT ? -ENODEV : ret;
}

const char *fs_type(const struct fs *fs)
{
	switch (fs->kind) {
	case FS_KIND_EXT4:
		return fs->u.ext4.is_ext2 ? "ext2" : "ext4";
	case FS_KIND_FAT:
		return fat_type_name(&fs->u.fat);
	default:
		return "none";
	}
}

static enum fs_node ext4_node(uint16_t mode)
{
	switch (mode & EXT4_S_IFMT) {
	case EXT4_S_IFREG:
		return FS_NODE_FILE;
	case EXT4_S_IFDIR:
		return FS_NODE_DIR;
	case EXT4_S_IFLNK:
		return FS_NODE_SYMLINK;
	default:
		return FS_NODE_OTHER;
	}
}

struct ls_ctx {
	struct fs *fs;
	int (*fn)(void *arg, const struct fs_dirent *ent);
	void *arg;
	char name[FAT_NAME_MAX];
};

static int ext4_ls_fn(void *arg, const struct ext4_dir_item *item)
{
	struct ls_ctx *ctx = arg;
	struct ext4_inode_info ino;
	struct fs_dirent ent = {.name = ctx->name, .type = FS_NODE_OTHER};

	memcpy(ctx->name, item->name, item->name_len);
	ctx->name[item->name_len] = '\0';
	/* Type and size come from the inode; a broken one is listed, not fatal. */
	if (ext4_inode_load(&ctx->fs->u.ext4, item->ino, &ino) == 0) {
		ent.type = ext4_node(ino.mode);
		ent.size = ino.size;
	}
	return ctx->fn(ctx->arg, &ent);
}

static int fat_ls_fn(void *arg, const struct fat_item *item)
{
	struct ls_ctx *ctx = arg;
	struct fs_dirent ent = {
	    .name = item->name,
	    .type = (item->attr & FAT_ATTR_DIRECTORY) ? FS_NODE_DIR : FS_NODE_FILE,
	    .size = item->size,
	};

	return ctx->fn(ctx->arg, &ent);
}

int fs_ls(struct fs *fs, const char *path, int (*fn)(void *arg, const struct fs_dirent *ent),
	  void *arg)
{
	static struct ls_ctx ctx;
	int ret;

	ctx.fs = fs;
	ctx.fn = fn;
	ctx.arg = arg;
	if (fs->kind == FS_KIND_EXT4) {
		struct ext4_inode_info dir;

		ret = ext4_lookup(&fs->u.ext4, path, &dir);
		if (ret == 0) {
			ret = ext4_dir_iterate(&fs->u.ext4, &dir, ext4_ls_fn, &ctx);
		}
	} else if (fs->kind == FS_KIND_FAT) {
		static struct fat_item dir;

		ret = fat_lookup(&fs->u.fat, path, &dir);
		if (ret == 0 && !(dir.attr & FAT_ATTR_DIRECTORY)) {
			ret = -ENOTDIR;
		}
		if (ret == 0) {
			ret = fat_dir_iterate(&fs->u.fat, fat_item_dir_cluster(&fs->u.fat, &dir),
					      fat_ls_fn, &ctx);
		}
	} else {
		ret = -ENODEV;
	}
	return ret < 0 ? ret : 0;
}

/* The file @path, opened: only regular files can be sized, read or
 * loaded (a directory is -EISDIR, a device node -EINVAL). */
static struct ext4_inode_info open_ext4;
static struct fat_item open_fat;

static int open_file(struct fs *fs, const char *path, uint64_t *size)
{
	int ret;

	if (fs->kind == FS_KIND_EXT4) {
		ret = ext4_lookup(&fs->u.ext4, path, &open_ext4);
		if (ret == 0 && ext4_node(open_ext4.mode) != FS_NODE_FILE) {
			ret = ext4_node(open_ext4.mode) == FS_NODE_DIR ? -EISDIR : -EINVAL;
		}
		*size = open_ext4.size;
		return ret;
	}
	if (fs->kind == FS_KIND_FAT) {
		ret = fat_lookup(&fs->u.fat, path, &open_fat);
		if (ret == 0 && (open_fat.attr & FAT_ATTR_DIRECTORY)) {
			ret = -EISDIR;
		}
		*size = open_fat.size;
		return ret;
	}
	return -ENODEV;
}

int fs_size(struct fs *fs, const char *path, uint64_t *size)
{
	return open_file(fs, path, size);
}

int fs_read(struct fs *fs, const char *path, void *buf, uint64_t offset, size_t len, size_t *actual)
{
	uint64_t size;
	int ret;

	*actual = 0;
	ret = open_file(fs, path, &size);
	if (ret) {
		return ret;
	}
	if (fs->kind == FS_KIND_EXT4) {
		return ext4_read(&fs->u.ext4, &open_ext4, offset, buf, len, actual);
	}
	return fat_read(&fs->u.fat, &open_fat, offset, buf, len, actual);
}

int fs_write(struct fs *fs, const char *path, const void *buf, size_t len)
{
	return fs->kind == FS_KIND_FAT ? fat_write(&fs->u.fat, path, buf, len) : -EROFS;
}

int fs_overwrite(struct fs *fs, const char *path, uint64_t offset, const void *buf, size_t len)
{
	return fs->kind == FS_KIND_FAT ? fat_overwrite(&fs->u.fat, path, offset, buf, len) : -EROFS;
}

int fs_unlink(struct fs *fs, const char *path)
{
	return fs->kind == FS_KIND_FAT ? fat_unlink(&fs->u.fat, path) : -EROFS;
}
