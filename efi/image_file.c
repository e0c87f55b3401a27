/* LoadImage from a device path: the file read through the Simple File
 * System protocol of the handle the path leads to. */
#include <efi/image.h>

efi_status_t efi_image_read_file(const struct efi_device_path *path, void **buf, uint64_t *size)
{
	return EFI_NOT_FOUND; /* until Simple File System lands (efidisk) */
}
