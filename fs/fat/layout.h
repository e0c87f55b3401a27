/* FAT on-disk structures, from Microsoft's "FAT: General Overview of
 * On-Disk Format" (v1.03). Private to fs/fat. The BPB has misaligned
 * multi-byte fields; with byte-array le types no __packed is needed. */
#ifndef FS_FAT_LAYOUT_H
#define FS_FAT_LAYOUT_H

#include <lib/le.h>
#include <lib/compiler.h>
#include <stdint.h>

struct fat_boot {
	uint8_t jump[3];
	char oem[8];
	le16 bytes_per_sector;
	uint8_t sectors_per_cluster;
	le16 reserved_sectors;
	uint8_t fat_count;
	le16 root_entries;
	le16 total_sectors16;
	uint8_t media;
	le16 fat_size16;
	le16 sectors_per_track;
	le16 heads;
	le32 hidden_sectors;
	le32 total_sectors32;
	/* FAT32 extended BPB (FAT12/16 have their own, unused here). */
	le32 fat_size32;
	le16 ext_flags; /* bit 7: mirroring off; bits 0-3: active FAT */
	le16 fs_version;
	le32 root_cluster;
	le16 fsinfo_sector;
	le16 backup_boot_sector;
	uint8_t reserved[12];
	uint8_t pad[446];
	uint8_t signature[2]; /* 0x55 0xaa at 510 */
};
static_assert(sizeof(struct fat_boot) == 512, "FAT boot sector");
static_assert(offsetof(struct fat_boot, bytes_per_sector) == 11, "BPB_BytsPerSec");
static_assert(offsetof(struct fat_boot, root_entries) == 17, "BPB_RootEntCnt");
static_assert(offsetof(struct fat_boot, fat_size16) == 22, "BPB_FATSz16");
static_assert(offsetof(struct fat_boot, total_sectors32) == 32, "BPB_TotSec32");
static_assert(offsetof(struct fat_boot, fat_size32) == 36, "BPB_FATSz32");
static_assert(offsetof(struct fat_boot, root_cluster) == 44, "BPB_RootClus");
static_assert(offsetof(struct fat_boot, fsinfo_sector) == 48, "BPB_FSInfo");
static_assert(offsetof(struct fat_boot, signature) == 510, "boot signature");

#define FAT_FSINFO_LEAD 0x41615252
#define FAT_FSINFO_STRUC 0x61417272
#define FAT_FSINFO_TRAIL 0xaa550000
#define FAT_FSINFO_UNKNOWN 0xffffffff
struct fat_fsinfo {
	le32 lead_sig;
	uint8_t reserved1[480];
	le32 struc_sig;
	le32 free_count;
	le32 next_free;
	uint8_t reserved2[12];
	le32 trail_sig;
};
static_assert(sizeof(struct fat_fsinfo) == 512, "FSInfo sector");
static_assert(offsetof(struct fat_fsinfo, free_count) == 488, "FSI_Free_Count");

struct fat_dirent {
	uint8_t name[11];
	uint8_t attr;
	uint8_t nt_case; /* 0x08: base in lower case, 0x10: extension in lower case */
	uint8_t ctime_tenth;
	le16 ctime;
	le16 cdate;
	le16 adate;
	le16 cluster_hi;
	le16 mtime;
	le16 mdate;
	le16 cluster_lo;
	le32 size;
};
static_assert(sizeof(struct fat_dirent) == 32, "FAT directory entry");
static_assert(offsetof(struct fat_dirent, cluster_hi) == 20, "DIR_FstClusHI");
static_assert(offsetof(struct fat_dirent, cluster_lo) == 26, "DIR_FstClusLO");

struct fat_lfn {
	uint8_t ord; /* 1-based; 0x40 marks the last (first stored) entry */
	le16 name1[5];
	uint8_t attr; /* 0x0f */
	uint8_t type;
	uint8_t checksum;
	le16 name2[6];
	le16 cluster; /* 0 */
	le16 name3[2];
};
static_assert(sizeof(struct fat_lfn) == 32, "FAT long-name entry");
static_assert(offsetof(struct fat_lfn, name2) == 14, "LDIR_Name2");
static_assert(offsetof(struct fat_lfn, name3) == 28, "LDIR_Name3");

#define FAT_DIRENT_FREE 0xe5
#define FAT_DIRENT_END 0x00
#define FAT_LFN_LAST 0x40
#define FAT_LFN_CHARS 13
#define FAT_LFN_MAX_ENTRIES 20
/* Directories hold at most 65536 entries (the spec's limit). */
#define FAT_DIR_MAX_ENTRIES 65536

#endif
