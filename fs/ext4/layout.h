/* ext2/3/4 on-disk structures, from the kernel's "ext4 Data Structures and
 * Algorithms" document (Documentation/filesystems/ext4). Only the fields
 * xenboot reads are named; the rest is padding, and the asserts pin every
 * named field to the offset the document gives. Private to fs/ext4. */
#ifndef FS_EXT4_LAYOUT_H
#define FS_EXT4_LAYOUT_H

#include <lib/le.h>
#include <lib/compiler.h>
#include <stdint.h>

#define EXT4_SUPER_OFFSET 1024
#define EXT4_SUPER_MAGIC 0xef53
#define EXT4_ROOT_INO 2
#define EXT4_GOOD_OLD_INODE_SIZE 128
#define EXT4_NAME_MAX 255
#define EXT4_N_BLOCKS 15 /* i_block: 12 direct, indirect, double, triple */

/* Feature bits we look at or know to be harmless for a reader. */
#define EXT4_COMPAT_SPARSE_SUPER2 0x200
#define EXT4_INCOMPAT_COMPRESSION 0x1
#define EXT4_INCOMPAT_FILETYPE 0x2
#define EXT4_INCOMPAT_RECOVER 0x4
#define EXT4_INCOMPAT_JOURNAL_DEV 0x8
#define EXT4_INCOMPAT_META_BG 0x10
#define EXT4_INCOMPAT_EXTENTS 0x40
#define EXT4_INCOMPAT_64BIT 0x80
#define EXT4_INCOMPAT_MMP 0x100
#define EXT4_INCOMPAT_FLEX_BG 0x200
#define EXT4_INCOMPAT_EA_INODE 0x400
#define EXT4_INCOMPAT_DIRDATA 0x1000
#define EXT4_INCOMPAT_CSUM_SEED 0x2000
#define EXT4_INCOMPAT_LARGEDIR 0x4000
#define EXT4_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_INCOMPAT_ENCRYPT 0x10000
#define EXT4_INCOMPAT_CASEFOLD 0x20000
#define EXT4_RO_COMPAT_SPARSE_SUPER 0x1
#define EXT4_RO_COMPAT_GDT_CSUM 0x10
#define EXT4_RO_COMPAT_METADATA_CSUM 0x400

/* Inode flags. */
#define EXT4_ENCRYPT_FL 0x800
#define EXT4_EXTENTS_FL 0x80000
#define EXT4_INLINE_DATA_FL 0x10000000

/* i_mode file types. */
#define EXT4_S_IFMT 0xf000
#define EXT4_S_IFDIR 0x4000
#define EXT4_S_IFREG 0x8000
#define EXT4_S_IFLNK 0xa000

struct ext4_super {
	le32 inodes_count;
	le32 blocks_count_lo;
	uint8_t pad08[12];
	le32 first_data_block;
	le32 log_block_size;
	le32 log_cluster_size;
	le32 blocks_per_group;
	le32 clusters_per_group;
	le32 inodes_per_group;
	uint8_t pad2c[12];
	le16 magic;
	uint8_t pad3a[18];
	le32 rev_level;
	uint8_t pad50[4];
	le32 first_ino;
	le16 inode_size;
	le16 block_group_nr;
	le32 feature_compat;
	le32 feature_incompat;
	le32 feature_ro_compat;
	uint8_t uuid[16];
	char volume_name[16];
	uint8_t pad88[118];
	le16 desc_size;
	uint8_t pad100[4];
	le32 first_meta_bg;
	uint8_t pad108[72];
	le32 blocks_count_hi;
	uint8_t pad154[33];
	uint8_t checksum_type;
	uint8_t pad176[250];
	le32 checksum_seed;
	uint8_t pad274[392];
	le32 checksum;
};
static_assert(sizeof(struct ext4_super) == 1024, "ext4 superblock");
static_assert(offsetof(struct ext4_super, first_data_block) == 0x14, "s_first_data_block");
static_assert(offsetof(struct ext4_super, inodes_per_group) == 0x28, "s_inodes_per_group");
static_assert(offsetof(struct ext4_super, magic) == 0x38, "s_magic");
static_assert(offsetof(struct ext4_super, rev_level) == 0x4c, "s_rev_level");
static_assert(offsetof(struct ext4_super, inode_size) == 0x58, "s_inode_size");
static_assert(offsetof(struct ext4_super, feature_compat) == 0x5c, "s_feature_compat");
static_assert(offsetof(struct ext4_super, uuid) == 0x68, "s_uuid");
static_assert(offsetof(struct ext4_super, desc_size) == 0xfe, "s_desc_size");
static_assert(offsetof(struct ext4_super, first_meta_bg) == 0x104, "s_first_meta_bg");
static_assert(offsetof(struct ext4_super, blocks_count_hi) == 0x150, "s_blocks_count_hi");
static_assert(offsetof(struct ext4_super, checksum_type) == 0x175, "s_checksum_type");
static_assert(offsetof(struct ext4_super, checksum_seed) == 0x270, "s_checksum_seed");
static_assert(offsetof(struct ext4_super, checksum) == 0x3fc, "s_checksum");

/* Block group descriptor: 32 bytes, or s_desc_size (>= 64) with 64bit. */
struct ext4_group_desc {
	le32 block_bitmap_lo;
	le32 inode_bitmap_lo;
	le32 inode_table_lo;
	uint8_t pad0c[6];
	le16 flags;
	uint8_t pad14[10];
	le16 checksum;
	uint8_t pad20[8];
	le32 inode_table_hi;
	uint8_t pad2c[20];
};
static_assert(sizeof(struct ext4_group_desc) == 64, "ext4 group descriptor");
static_assert(offsetof(struct ext4_group_desc, inode_table_lo) == 0x8, "bg_inode_table_lo");
static_assert(offsetof(struct ext4_group_desc, checksum) == 0x1e, "bg_checksum");
static_assert(offsetof(struct ext4_group_desc, inode_table_hi) == 0x28, "bg_inode_table_hi");

struct ext4_inode {
	le16 mode;
	uint8_t pad02[2];
	le32 size_lo;
	uint8_t pad08[20];
	le32 blocks_lo;
	le32 flags;
	uint8_t pad24[4];
	uint8_t block[EXT4_N_BLOCKS * 4]; /* block map, extent root or inline data */
	le32 generation;
	le32 file_acl_lo;
	le32 size_high;
	uint8_t pad70[6];
	le16 file_acl_high;
	uint8_t pad78[4];
	le16 checksum_lo;
	uint8_t pad7e[2];
	/* Only when s_inode_size > 128: */
	le16 extra_isize;
	le16 checksum_hi;
};
static_assert(offsetof(struct ext4_inode, size_lo) == 0x4, "i_size_lo");
static_assert(offsetof(struct ext4_inode, blocks_lo) == 0x1c, "i_blocks_lo");
static_assert(offsetof(struct ext4_inode, flags) == 0x20, "i_flags");
static_assert(offsetof(struct ext4_inode, block) == 0x28, "i_block");
static_assert(offsetof(struct ext4_inode, generation) == 0x64, "i_generation");
static_assert(offsetof(struct ext4_inode, size_high) == 0x6c, "i_size_high");
static_assert(offsetof(struct ext4_inode, file_acl_high) == 0x76, "l_i_file_acl_high");
static_assert(offsetof(struct ext4_inode, checksum_lo) == 0x7c, "l_i_checksum_lo");
static_assert(offsetof(struct ext4_inode, extra_isize) == 0x80, "i_extra_isize");
static_assert(offsetof(struct ext4_inode, checksum_hi) == 0x82, "i_checksum_hi");

#define EXT4_EXT_MAGIC 0xf30a
#define EXT4_EXT_MAX_DEPTH 5
/* An ee_len above this marks an unwritten (preallocated) extent. */
#define EXT4_EXT_INIT_MAX_LEN 32768

struct ext4_extent_header {
	le16 magic;
	le16 entries;
	le16 max;
	le16 depth;
	le32 generation;
};
static_assert(sizeof(struct ext4_extent_header) == 12, "ext4_extent_header");

/* A leaf entry (ext4_extent) or an index entry (ext4_extent_idx): both 12 bytes. */
struct ext4_extent {
	le32 first_block;
	le16 len;
	le16 start_hi;
	le32 start_lo;
};
struct ext4_extent_idx {
	le32 first_block;
	le32 leaf_lo;
	le16 leaf_hi;
	le16 unused;
};
static_assert(sizeof(struct ext4_extent) == 12, "ext4_extent");
static_assert(sizeof(struct ext4_extent_idx) == 12, "ext4_extent_idx");

struct ext4_dirent {
	le32 inode;
	le16 rec_len;
	uint8_t name_len;
	uint8_t file_type;
};
static_assert(sizeof(struct ext4_dirent) == 8, "ext4_dir_entry_2 header");

/* In-inode extended attributes (the inline_data "system.data" value). */
#define EXT4_XATTR_MAGIC 0xea020000
#define EXT4_XATTR_INDEX_SYSTEM 7
struct ext4_xattr_entry {
	uint8_t name_len;
	uint8_t name_index;
	le16 value_offs; /* from the first entry */
	le32 value_inum;
	le32 value_size;
	le32 hash;
};
static_assert(sizeof(struct ext4_xattr_entry) == 16, "ext4_xattr_entry");

#endif
