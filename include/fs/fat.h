/* FAT12/16/32: read, plus creating, overwriting and deleting files in an
 * existing directory, with long file names. Use through <fs/fs.h>. Every
 * byte read from the volume is untrusted: chains are bounded by the cluster
 * count, cluster numbers are range-checked, and a corrupt volume gives one
 * NOTICE and -EIO. */
#ifndef FS_FAT_H
#define FS_FAT_H

#include <disk/blk.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define FAT_NAME_MAX 768 /* 255 UTF-16 units as UTF-8, plus NUL */
#define FAT_PATH_MAX 1024
/* Bytes of FAT held by the write-back window: two 4 KiB sectors, so a FAT12
 * entry that straddles a sector boundary always fits. */
#define FAT_WIN_BYTES 8192u

struct fat_fs {
	struct blk_part part;
	unsigned int type; /* 12, 16 or 32 */
	uint32_t sector_size;
	uint32_t cluster_size;
	uint32_t fat_count; /* copies written */
	uint32_t active_fat; /* the copy read from */
	bool is_mirrored; /* writes go to every copy */
	uint64_t fat_offset; /* byte offset of FAT 0 */
	uint64_t fat_bytes; /* size of one copy */
	uint64_t root_offset; /* FAT12/16 fixed root directory */
	uint32_t root_entries;
	uint32_t root_cluster; /* FAT32 */
	uint64_t data_offset; /* cluster 2 */
	uint32_t cluster_count; /* valid clusters are 2 .. cluster_count + 1 */
	uint64_t fsinfo_offset; /* 0: none */
	uint32_t next_free; /* allocation hint */
	bool has_warned;
	/*
	 * Write-back window over the active FAT copy. Each blk write is a
	 * synchronous backend round trip, so entry updates collect here and
	 * fat_flush() writes the dirty sectors once per copy. Bytes
	 * [dirty_lo, dirty_hi) of win[] (sector-aligned) differ from the disk.
	 */
	uint64_t win_start; /* byte offset inside one copy; win_len 0: empty */
	uint32_t win_len;
	uint32_t dirty_lo, dirty_hi;
	/* Free-cluster change not yet in FSInfo; fat_fsinfo_sync() writes it. */
	int64_t free_delta;
	bool is_fsinfo_stale;
	uint8_t win[FAT_WIN_BYTES];
};

/* A directory entry found by fat_dir_iterate(). */
struct fat_item {
	char name[FAT_NAME_MAX]; /* long name if valid, else the 8.3 name */
	uint8_t short_name[11];
	uint8_t attr;
	uint32_t cluster;
	uint32_t size;
	uint32_t index; /* of the short entry in its directory */
	uint32_t first_index; /* of the first long-name entry (== index if none) */
};

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0f

/**
 * fat_bpb_validate() - check a boot sector (@buf, 512 bytes, untrusted) for a
 * partition of @part_size bytes and fill @fs's geometry. -ENOENT when it is
 * not a FAT boot sector, -EINVAL when inconsistent.
 */
int __must_check fat_bpb_validate(struct fat_fs *fs, const uint8_t *buf, uint64_t part_size);
/** fat_mount() - read and validate the boot sector (and FSInfo) of @part. */
int __must_check fat_mount(struct fat_fs *fs, const struct blk_part *part);
/** fat_type_name() - "fat12", "fat16" or "fat32". */
const char *fat_type_name(const struct fat_fs *fs);

/**
 * fat_lookup() - the entry for @path; the root directory is reported as a
 * directory with cluster 0 (FAT12/16) or the root cluster (FAT32).
 */
int __must_check fat_lookup(struct fat_fs *fs, const char *path, struct fat_item *out);
/**
 * fat_dir_iterate() - call @fn for each entry of the directory starting at
 * @cluster (0: the FAT12/16 root) until it returns non-zero (passed back).
 */
int __must_check fat_dir_iterate(struct fat_fs *fs, uint32_t cluster,
				 int (*fn)(void *arg, const struct fat_item *item), void *arg);
/** fat_read() - like ext4_read(), for the file described by @item. */
int __must_check fat_read(struct fat_fs *fs, const struct fat_item *item, uint64_t offset,
			  void *buf, size_t len, size_t *actual);
/**
 * fat_write() - create or replace the file @path (its directory must exist)
 * with @len bytes from @buf. Every FAT copy and FSInfo are kept in step.
 * -EISDIR, -ENOENT (no directory), -ENOSPC, -EINVAL (bad name), -EROFS.
 */
int __must_check fat_write(struct fat_fs *fs, const char *path, const void *buf, size_t len);
/**
 * fat_overwrite() - write @len bytes from @buf at @offset into the existing
 * file @path, in place: its size, clusters and directory entry stay as they
 * are (see fs/fat/inplace.c). -EFBIG when the range passes the end of file,
 * -ENOENT, -EISDIR, -EROFS, -EIO (corrupt chain).
 */
int __must_check fat_overwrite(struct fat_fs *fs, const char *path, uint64_t offset,
			       const void *buf, size_t len);
/** fat_unlink() - delete the file @path (not a directory: -EISDIR). */
int __must_check fat_unlink(struct fat_fs *fs, const char *path);

/* Internal helpers shared by the fs/fat files. */
void fat_corrupt(struct fat_fs *fs, const char *what, uint64_t value);
int __must_check fat_entry_get(struct fat_fs *fs, uint32_t cluster, uint32_t *next);
/* Buffered in the window: call fat_flush() before anything on disk may
 * refer to the new value. */
int __must_check fat_entry_set(struct fat_fs *fs, uint32_t cluster, uint32_t value);
int __must_check fat_flush(struct fat_fs *fs);
bool fat_is_eoc(const struct fat_fs *fs, uint32_t value);
int __must_check fat_next(struct fat_fs *fs, uint32_t cluster, uint32_t *next);
uint64_t fat_cluster_offset(const struct fat_fs *fs, uint32_t cluster);
int __must_check fat_dir_entry_offset(struct fat_fs *fs, uint32_t dir_cluster, uint32_t index,
				      uint64_t *out);
int __must_check fat_alloc_chain(struct fat_fs *fs, uint32_t count, uint32_t *first);
int __must_check fat_free_chain(struct fat_fs *fs, uint32_t first);
/* A new chain stays in the window until the caller's fat_flush(); a freed
 * one is flushed. FSInfo is left to fat_fsinfo_sync(). */
int __must_check fat_fsinfo_sync(struct fat_fs *fs);
uint8_t fat_short_checksum(const uint8_t name[11]);
void fat_short_text(const uint8_t name[11], uint8_t nt_case, char out[13]);
int __must_check fat_find(struct fat_fs *fs, uint32_t dir, const char *name, size_t len,
			  struct fat_item *out);
int __must_check fat_dir_find_free(struct fat_fs *fs, uint32_t dir, uint32_t count,
				   uint32_t *index);
uint32_t fat_item_dir_cluster(const struct fat_fs *fs, const struct fat_item *item);

#endif
