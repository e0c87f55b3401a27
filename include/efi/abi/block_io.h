/* Block I/O (UEFI 2.10, §13.9), Disk I/O (§13.7) and Load File 2 (§13.2)
 * protocols, 64-bit layout. */
#ifndef EFI_ABI_BLOCK_IO_H
#define EFI_ABI_BLOCK_IO_H

#include <efi/abi/types.h>
#include <stddef.h>

#define EFI_BLOCK_IO_REVISION3 0x0002001fULL
#define EFI_DISK_IO_REVISION 0x00010000ULL

struct efi_block_io_media {
	uint32_t media_id;
	bool removable_media;
	bool media_present;
	bool logical_partition;
	bool read_only;
	bool write_caching;
	uint32_t block_size;
	uint32_t io_align;
	uint64_t last_block;
	/* Revision 2 */
	uint64_t lowest_aligned_lba;
	uint32_t logical_blocks_per_physical_block;
	/* Revision 3 */
	uint32_t optimal_transfer_length_granularity;
};
static_assert(sizeof(struct efi_block_io_media) == 48, "EFI_BLOCK_IO_MEDIA");
static_assert(offsetof(struct efi_block_io_media, block_size) == 12, "BlockSize");
static_assert(offsetof(struct efi_block_io_media, last_block) == 24, "LastBlock");
static_assert(offsetof(struct efi_block_io_media, optimal_transfer_length_granularity) == 44,
	      "OptimalTransferLengthGranularity");

struct efi_block_io {
	uint64_t revision;
	struct efi_block_io_media *media;
	efi_status_t(EFIAPI *reset)(struct efi_block_io *self, bool extended_verification);
	efi_status_t(EFIAPI *read_blocks)(struct efi_block_io *self, uint32_t media_id,
					  uint64_t lba, uint64_t size, void *buf);
	efi_status_t(EFIAPI *write_blocks)(struct efi_block_io *self, uint32_t media_id,
					   uint64_t lba, uint64_t size, const void *buf);
	efi_status_t(EFIAPI *flush_blocks)(struct efi_block_io *self);
};
static_assert(sizeof(struct efi_block_io) == 48, "EFI_BLOCK_IO_PROTOCOL");

struct efi_disk_io {
	uint64_t revision;
	efi_status_t(EFIAPI *read_disk)(struct efi_disk_io *self, uint32_t media_id,
					uint64_t offset, uint64_t size, void *buf);
	efi_status_t(EFIAPI *write_disk)(struct efi_disk_io *self, uint32_t media_id,
					 uint64_t offset, uint64_t size, const void *buf);
};
static_assert(sizeof(struct efi_disk_io) == 24, "EFI_DISK_IO_PROTOCOL");

struct efi_load_file2 {
	efi_status_t(EFIAPI *load_file)(struct efi_load_file2 *self,
					struct efi_device_path *file_path, bool boot_policy,
					uint64_t *size, void *buf);
};
static_assert(sizeof(struct efi_load_file2) == 8, "EFI_LOAD_FILE2_PROTOCOL");

#endif
