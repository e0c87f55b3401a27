/* Device path nodes (UEFI 2.10, §10.3): the nodes xenboot builds and reads.
 * Nodes are byte-aligned in a path, so these structs are packed (the format
 * itself is misaligned, STYLE A3); every node starts with the 4-byte
 * struct efi_device_path header of <efi/abi/types.h>. */
#ifndef EFI_ABI_DEVPATH_H
#define EFI_ABI_DEVPATH_H

#include <efi/abi/types.h>
#include <stddef.h>

#define EFI_DP_TYPE_HARDWARE 0x01
#define EFI_DP_HW_MEMMAP 0x03
#define EFI_DP_HW_VENDOR 0x04
#define EFI_DP_TYPE_MEDIA 0x04
#define EFI_DP_MEDIA_HARD_DRIVE 0x01
#define EFI_DP_MEDIA_VENDOR 0x03
#define EFI_DP_MEDIA_FILE_PATH 0x04
#define EFI_DP_TYPE_END 0x7f
#define EFI_DP_END_INSTANCE 0x01
#define EFI_DP_END_ENTIRE 0xff

/* Vendor-defined node (hardware 1/4, media 4/3): a GUID, then its data. */
struct efi_dp_vendor {
	struct efi_device_path hdr;
	efi_guid_t guid;
} __packed;
static_assert(sizeof(struct efi_dp_vendor) == 20, "vendor device path");

/* Memory-mapped node (hardware 1/3): an image loaded from memory. */
struct efi_dp_memmap {
	struct efi_device_path hdr;
	uint32_t memory_type;
	uint64_t start;
	uint64_t end; /* last byte, inclusive */
} __packed;
static_assert(sizeof(struct efi_dp_memmap) == 24, "memory-mapped device path");

/* Hard drive media node (4/1): a partition. */
#define EFI_DP_HD_MBR_TYPE_PCAT 0x01
#define EFI_DP_HD_MBR_TYPE_GPT 0x02
#define EFI_DP_HD_SIG_NONE 0x00
#define EFI_DP_HD_SIG_MBR 0x01 /* 32-bit disk signature in signature[0..3] */
#define EFI_DP_HD_SIG_GUID 0x02 /* the GPT partition's unique GUID */
struct efi_dp_hard_drive {
	struct efi_device_path hdr;
	uint32_t partition_number;
	uint64_t partition_start; /* LBA */
	uint64_t partition_size; /* blocks */
	uint8_t signature[16];
	uint8_t mbr_type;
	uint8_t signature_type;
} __packed;
static_assert(sizeof(struct efi_dp_hard_drive) == 42, "hard drive device path");
static_assert(offsetof(struct efi_dp_hard_drive, signature) == 24, "HD signature");

/* File path media node (4/4): a NUL-terminated UCS-2 path follows. */
struct efi_dp_file_path {
	struct efi_device_path hdr;
	efi_char16_t path[];
} __packed;
static_assert(sizeof(struct efi_dp_file_path) == 4, "file path device path");

#endif
