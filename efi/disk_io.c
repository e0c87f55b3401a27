/* EFI_DISK_IO_PROTOCOL: bytes at any offset of a disk or partition. The
 * block layer reads and merges the partial blocks of an unaligned head or
 * tail (through its cache line), so this only checks and forwards. */
#include <efi/disk.h>
#include <lib/errno.h>
#include <stddef.h>

static struct efi_disk *disk_of(struct efi_disk_io *self)
{
	return efi_disk_of(self, offsetof(struct efi_disk, disk_io));
}

static efi_status_t check_rw(struct efi_disk *d, uint32_t media_id, uint64_t offset, uint64_t size,
			     const void *buf)
{
	efi_status_t s = d ? efi_disk_check(d, media_id) : EFI_INVALID_PARAMETER;
	uint64_t end;

	if (s != EFI_SUCCESS) {
		return s;
	}
	end = blk_part_size(&d->window);
	if ((!buf && size) || offset > end || size > end - offset || size > SIZE_MAX) {
		return EFI_INVALID_PARAMETER;
	}
	return EFI_SUCCESS;
}

static efi_status_t EFIAPI read_disk(struct efi_disk_io *self, uint32_t media_id, uint64_t offset,
				     uint64_t size, void *buf)
{
	struct efi_disk *d = disk_of(self);
	efi_status_t s = check_rw(d, media_id, offset, size, buf);

	if (s != EFI_SUCCESS || size == 0) {
		return s;
	}
	return efi_disk_io_status(blk_part_read(&d->window, offset, (size_t)size, buf));
}

static efi_status_t EFIAPI write_disk(struct efi_disk_io *self, uint32_t media_id, uint64_t offset,
				      uint64_t size, const void *buf)
{
	struct efi_disk *d = disk_of(self);
	efi_status_t s = check_rw(d, media_id, offset, size, buf);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (d->media.read_only) {
		return EFI_WRITE_PROTECTED;
	}
	if (size == 0) {
		return EFI_SUCCESS;
	}
	return efi_disk_io_status(blk_part_write(&d->window, offset, (size_t)size, buf));
}

void efi_disk_io_init(struct efi_disk *d)
{
	d->disk_io = (struct efi_disk_io){
	    .revision = EFI_DISK_IO_REVISION,
	    .read_disk = read_disk,
	    .write_disk = write_disk,
	};
}
