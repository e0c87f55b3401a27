/* Read-only ext2/3/4. Use through <fs/fs.h>; these are the pieces fs.c and
 * the tests need. All on-disk data is untrusted: a corrupt or hostile image
 * gives one NOTICE and -EIO/-EINVAL/-EFBIG/-ELOOP, never a hang or a read
 * outside the partition. */
#ifndef FS_EXT4_H
#define FS_EXT4_H

#include <disk/blk.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define EXT4_PATH_MAX 4096
/* The biggest inode we verify and parse (s_inode_size is a power of two). */
#define EXT4_INODE_MAX 1024

struct ext4_fs {
	struct blk_part part;
	uint32_t block_size;
	uint64_t block_count;
	uint32_t first_data_block;
	uint32_t blocks_per_group;
	uint32_t inodes_per_group;
	uint32_t inode_count;
	uint32_t group_count;
	uint32_t inode_size;
	uint32_t desc_size;
	uint32_t first_meta_bg;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint32_t csum_seed; /* metadata_csum: crc32c seed for the fs */
	uint8_t uuid[16];
	bool is_ext2; /* neither extents nor a journal: reported as "ext2" */
	bool has_warned;
	/* Path walking scratch, kept here to stay off the stack. */
	char path[EXT4_PATH_MAX];
	char link[EXT4_PATH_MAX];
};

/* What xenboot keeps of an inode after ext4_inode_load() checked it. */
struct ext4_inode_info {
	uint32_t ino;
	uint16_t mode;
	uint32_t flags;
	uint64_t size;
	uint64_t disk_offset; /* byte offset of the raw inode in the partition */
	uint32_t extra_end; /* 128 + i_extra_isize: start of in-inode xattrs */
	uint32_t blocks_lo;
	uint64_t file_acl;
	uint8_t block[60]; /* i_block */
};

/**
 * ext4_super_validate() - check a 1024-byte superblock (@buf, untrusted) for
 * a partition of @part_size bytes and fill @fs's geometry. Returns -ENOENT
 * when the magic is missing, -EOPNOTSUPP for incompatible features (logged by
 * name), -EINVAL when inconsistent, -EBADMSG on a checksum mismatch.
 */
int __must_check ext4_super_validate(struct ext4_fs *fs, const uint8_t *buf, uint64_t part_size);

/** ext4_mount() - read and validate the superblock of @part into @fs. */
int __must_check ext4_mount(struct ext4_fs *fs, const struct blk_part *part);

/** ext4_inode_load() - read inode @ino and verify it (and its checksum). */
int __must_check ext4_inode_load(struct ext4_fs *fs, uint32_t ino, struct ext4_inode_info *out);

/** ext4_lookup() - resolve @path (symlinks followed, <= 8 hops) from the root. */
int __must_check ext4_lookup(struct ext4_fs *fs, const char *path, struct ext4_inode_info *out);

/**
 * ext4_read() - up to @len bytes of @inode from @offset into @buf; *@actual
 * receives the count (short at end of file). Contiguous runs of blocks are
 * read with one blk call; holes and unwritten extents read as zeros.
 */
int __must_check ext4_read(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t offset,
			   void *buf, size_t len, size_t *actual);

/* One directory entry, as handed to a listing callback. */
struct ext4_dir_item {
	const char *name; /* not NUL-terminated */
	unsigned int name_len;
	uint32_t ino;
	uint8_t file_type; /* the dirent's type byte (0 if the fs has no filetype) */
};

/**
 * ext4_dir_iterate() - call @fn for each entry of directory @dir until it
 * returns non-zero (which is passed back) or the entries end (0).
 */
int __must_check ext4_dir_iterate(struct ext4_fs *fs, const struct ext4_inode_info *dir,
				  int (*fn)(void *arg, const struct ext4_dir_item *item),
				  void *arg);

/* Internal helpers shared by the fs/ext4 files. */
struct ext4_run {
	uint64_t pblk; /* first physical block; 0 for a hole */
	uint64_t count; /* blocks in the run, >= 1 */
};
int __must_check ext4_map(struct ext4_fs *fs, const struct ext4_inode_info *inode, uint64_t lblk,
			  struct ext4_run *out);
int __must_check ext4_inline_locate(struct ext4_fs *fs, const struct ext4_inode_info *inode,
				    uint64_t *off, uint32_t *len);
void ext4_corrupt(struct ext4_fs *fs, const char *what, uint64_t value);

#endif
