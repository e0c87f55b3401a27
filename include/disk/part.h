/* Partition tables (MBR with extended partitions, GPT) and how the shell and
 * boot code name a partition: "dev:part" like U-Boot, by GPT name
 * ("PARTLABEL=name") or by PARTUUID ("PARTUUID=...", as Linux's root=). */
#ifndef DISK_PART_H
#define DISK_PART_H

#include <disk/blk.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* Partitions kept per disk; further ones are reported and ignored. */
#define PART_MAX 128
/* 36 UTF-16 code units become at most 108 bytes of UTF-8. */
#define PART_NAME_MAX 109
#define PART_UUID_STR 37 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */

enum part_scheme {
	PART_SCHEME_NONE,
	PART_SCHEME_MBR,
	PART_SCHEME_GPT,
};

struct part_entry {
	unsigned int number; /* 1-based; MBR logical partitions start at 5 */
	uint64_t first_lba;
	uint64_t block_count;
	uint8_t mbr_type; /* MBR only */
	bool is_bootable; /* MBR active flag, GPT legacy-BIOS-bootable attribute */
	uint8_t type_guid[16]; /* GPT only, on-disk byte order */
	char name[PART_NAME_MAX]; /* GPT name as UTF-8, "" for MBR */
	char partuuid[PART_UUID_STR]; /* GPT unique GUID, or MBR "SSSSSSSS-NN" */
};

struct part_table {
	enum part_scheme scheme;
	unsigned int count;
	char disk_id[PART_UUID_STR]; /* GPT disk GUID or MBR signature */
	struct part_entry entries[PART_MAX];
};

/**
 * mbr_parse() - read the MBR of @dev (untrusted) into @out, following the
 * extended-partition chain (bounded). Returns 0, -ENOENT when sector 0 is not
 * an MBR, -EAGAIN when it is a protective MBR (the caller should read the
 * GPT), -EINVAL when the table is corrupt, or an I/O error.
 */
int __must_check mbr_parse(struct blk_dev *dev, struct part_table *out);

/**
 * gpt_parse() - read the GPT of @dev (untrusted): the primary header and
 * array, else the backup at the end of the disk. Checks CRC32s, the header's
 * own LBA, usable ranges, and that no two partitions overlap.
 * Returns 0, -ENOENT when neither header is present, -EINVAL when corrupt.
 */
int __must_check gpt_parse(struct blk_dev *dev, struct part_table *out);

/**
 * gpt_header_validate() - check one GPT header held in @buf (@len bytes, one
 * logical block) that was read from @lba of a disk of @block_count blocks of
 * @block_size bytes. On success fills the entry-array location and CRC.
 */
struct gpt_array {
	uint64_t lba;
	uint32_t entry_count;
	uint32_t entry_size;
	uint32_t crc;
	uint64_t first_usable;
	uint64_t last_usable;
	uint64_t alternate_lba;
	uint8_t disk_guid[16];
};
int __must_check gpt_header_validate(const uint8_t *buf, size_t len, uint64_t lba,
				     uint64_t block_count, uint32_t block_size,
				     struct gpt_array *out);

/**
 * part_scan() - the partition table of @dev: GPT when sector 0 is a
 * protective MBR (or a hybrid one) and the GPT is valid, else the MBR, else
 * PART_SCHEME_NONE with count 0. Errors as mbr_parse()/gpt_parse().
 */
int __must_check part_scan(struct blk_dev *dev, struct part_table *out);

/**
 * part_select() - the entry of @table named by @spec (shell input,
 * untrusted): a decimal partition number, "PARTLABEL=<name>" or
 * "PARTUUID=<uuid>" (case-insensitive). Returns -ENOENT or -EINVAL.
 */
int __must_check part_select(const struct part_table *table, const char *spec,
			     const struct part_entry **out);

/**
 * part_open() - resolve a location (shell input): "<dev>[:<part>]" where
 * <dev> is a device index or name and <part> as in part_select(), or
 * 0 / absent for the whole disk when it has no table or the first partition
 * otherwise (U-Boot's convention); or a bare "PARTUUID=..." / "PARTLABEL=..."
 * searched on every device. Fills @out with the partition's window.
 */
int __must_check part_open(const char *spec, struct blk_part *out);

/** part_guid_format() - GUID bytes (mixed-endian, UEFI) to lowercase text. */
void part_guid_format(const uint8_t guid[16], char out[PART_UUID_STR]);

#endif
