/* The boot services with no state: CRC32, CopyMem, SetMem. */
#include <efi/services.h>
#include <lib/crc32.h>
#include <string.h>

efi_status_t efi_bs_calculate_crc32(const void *data, uint64_t size, uint32_t *crc)
{
	if (!data || !crc || size == 0) {
		return EFI_INVALID_PARAMETER;
	}
	*crc = crc32_update(0, data, size);
	return EFI_SUCCESS;
}

void efi_bs_copy_mem(void *dst, const void *src, uint64_t len)
{
	/* The specification allows overlapping buffers. */
	memmove(dst, src, len);
}

void efi_bs_set_mem(void *buf, uint64_t size, uint8_t value)
{
	memset(buf, value, size);
}
