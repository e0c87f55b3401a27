/* EFI_BLOCK_IO_PROTOCOL over the block layer (include/efi/disk.h). The
 * application's buffer goes to the block layer as it is: blkfront copies
 * it through its own granted pages, or grants whole pages of it only for
 * the request (issue 8's rule: none stays granted). */
#include <drivers/blkfront.h>
#include <efi/disk.h>
#include <lib/errno.h>
#include <stddef.h>
#include <string.h>

static struct efi_disk *disk_of(struct efi_block_io *self)
{
	return efi_disk_of(self, offsetof(struct efi_disk, block_io));
}

bool efi_disk_is_usable(const struct efi_disk *d)
{
	const struct blk_dev *dev = d->window.dev;

	return !efi_get()->is_handed_off && blk_find(d->dev_name) == dev &&
	       dev->block_count == d->dev_blocks && !dev->is_broken;
}

efi_status_t efi_disk_check(const struct efi_disk *d, uint32_t media_id)
{
	if (!efi_disk_is_usable(d)) {
		return EFI_DEVICE_ERROR;
	}
	return media_id == d->media.media_id ? EFI_SUCCESS : EFI_MEDIA_CHANGED;
}

efi_status_t efi_disk_io_status(int rc)
{
	switch (rc) {
	case 0:
		return EFI_SUCCESS;
	case -EROFS:
		return EFI_WRITE_PROTECTED;
	case -ENOMEM:
		return EFI_OUT_OF_RESOURCES;
	default:
		return EFI_DEVICE_ERROR;
	}
}

/* The spec's checks for ReadBlocks/WriteBlocks, in its order. */
static efi_status_t check_rw(struct efi_disk *d, uint32_t media_id, uint64_t lba, uint64_t size,
			     const void *buf)
{
	const struct efi_block_io_media *m = &d->media;
	efi_status_t s = efi_disk_check(d, media_id);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (!buf) {
		return EFI_INVALID_PARAMETER;
	}
	if (size % m->block_size) {
		return EFI_BAD_BUFFER_SIZE;
	}
	if (lba > m->last_block || size / m->block_size > m->last_block - lba + 1) {
		return EFI_INVALID_PARAMETER;
	}
	if (m->io_align > 1 && (uintptr_t)buf % m->io_align) {
		return EFI_INVALID_PARAMETER;
	}
	return EFI_SUCCESS;
}

static efi_status_t EFIAPI read_blocks(struct efi_block_io *self, uint32_t media_id, uint64_t lba,
				       uint64_t size, void *buf)
{
	struct efi_disk *d = disk_of(self);
	efi_status_t s = d ? check_rw(d, media_id, lba, size, buf) : EFI_INVALID_PARAMETER;

	if (s != EFI_SUCCESS || size == 0) {
		return s;
	}
	return efi_disk_io_status(blk_read_blocks(d->window.dev, d->window.first_lba + lba,
						  size / d->media.block_size, buf));
}

static efi_status_t EFIAPI write_blocks(struct efi_block_io *self, uint32_t media_id, uint64_t lba,
					uint64_t size, const void *buf)
{
	struct efi_disk *d = disk_of(self);
	efi_status_t s = d ? check_rw(d, media_id, lba, size, buf) : EFI_INVALID_PARAMETER;

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (d->media.read_only) {
		return EFI_WRITE_PROTECTED;
	}
	if (size == 0) {
		return EFI_SUCCESS;
	}
	return efi_disk_io_status(blk_write_blocks(d->window.dev, d->window.first_lba + lba,
						   size / d->media.block_size, buf));
}

static efi_status_t EFIAPI flush_blocks(struct efi_block_io *self)
{
	struct efi_disk *d = disk_of(self);

	if (!d) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(d)) {
		return EFI_DEVICE_ERROR;
	}
	/* Writes are write-through to the backend; its cache is flushed here. */
	return d->pv ? efi_disk_io_status(blkfront_flush(d->pv)) : EFI_SUCCESS;
}

static efi_status_t EFIAPI reset(struct efi_block_io *self, bool extended_verification)
{
	return disk_of(self) ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
}

void efi_block_io_init(struct efi_disk *d)
{
	const struct blk_dev *dev = d->window.dev;

	d->media = (struct efi_block_io_media){
	    .media_id = EFI_DISK_MEDIA_ID,
	    .media_present = true,
	    .logical_partition =
		d->window.first_lba != 0 || d->window.block_count != dev->block_count,
	    .read_only = dev->is_read_only,
	    .block_size = dev->block_size,
	    .io_align = 0, /* blkfront takes any alignment */
	    .last_block = d->window.block_count - 1,
	    .logical_blocks_per_physical_block = 1,
	    .optimal_transfer_length_granularity = 0,
	};
	d->block_io = (struct efi_block_io){
	    .revision = EFI_BLOCK_IO_REVISION3,
	    .media = &d->media,
	    .reset = reset,
	    .read_blocks = read_blocks,
	    .write_blocks = write_blocks,
	    .flush_blocks = flush_blocks,
	};
}
