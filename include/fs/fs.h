/* The tiny file API the shell and boot code use: mount whatever filesystem
 * a partition holds, then list, size, read and (FAT only) write by path.
 * Paths are '/'-separated and taken from the root; on ext4 symlinks are
 * followed. Reads of contiguous data reach the disk driver as one request. */
#ifndef FS_FS_H
#define FS_FS_H

#include <disk/blk.h>
#include <fs/ext4.h>
#include <fs/fat.h>
#include <lib/compiler.h>
#include <stdint.h>

enum fs_kind {
	FS_KIND_NONE,
	FS_KIND_EXT4,
	FS_KIND_FAT,
};

enum fs_node {
	FS_NODE_FILE,
	FS_NODE_DIR,
	FS_NODE_SYMLINK,
	FS_NODE_OTHER,
};

struct fs_dirent {
	const char *name; /* NUL-terminated, valid during the callback only */
	enum fs_node type;
	uint64_t size;
};

struct fs {
	struct blk_part part;
	enum fs_kind kind;
	union {
		struct ext4_fs ext4;
		struct fat_fs fat;
	} u;
};

/**
 * fs_mount() - detect and mount the filesystem on @part (ext2/3/4 or FAT).
 * @fs is caller-owned (about 9 KiB; keep it off small stacks).
 * Returns -ENODEV when no supported filesystem is found, or the error of a
 * filesystem that was recognised but is unusable.
 */
int __must_check fs_mount(struct fs *fs, const struct blk_part *part);
/** fs_type() - "ext2", "ext4", "fat12", "fat16", "fat32". */
const char *fs_type(const struct fs *fs);
/**
 * fs_ls() - call @fn for each entry of the directory @path until it returns
 * non-zero. -ENOTDIR, -ENOENT, -EIO.
 */
int __must_check fs_ls(struct fs *fs, const char *path,
		       int (*fn)(void *arg, const struct fs_dirent *ent), void *arg);
/** fs_size() - the size in bytes of the file @path. -EISDIR for directories. */
int __must_check fs_size(struct fs *fs, const char *path, uint64_t *size);
/**
 * fs_read() - up to @len bytes of @path from @offset into @buf; *@actual
 * receives the count (less at end of file).
 */
int __must_check fs_read(struct fs *fs, const char *path, void *buf, uint64_t offset, size_t len,
			 size_t *actual);
/** fs_write() - create or replace @path with @buf. -EROFS except on FAT. */
int __must_check fs_write(struct fs *fs, const char *path, const void *buf, size_t len);
/**
 * fs_overwrite() - write @len bytes at @offset inside the existing file
 * @path without changing its size or allocation (FAT only, else -EROFS):
 * a power cut can tear the file's bytes but never the filesystem.
 * -EFBIG when the range passes the end of the file.
 */
int __must_check fs_overwrite(struct fs *fs, const char *path, uint64_t offset, const void *buf,
			      size_t len);
/** fs_unlink() - delete the file @path. -EROFS except on FAT. */
int __must_check fs_unlink(struct fs *fs, const char *path);

#endif
