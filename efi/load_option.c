/* EFI_LOAD_OPTION (UEFI 2.10 §3.1.3), from an untrusted variable. */
#include <efi/bootmgr.h>
#include <lib/errno.h>

#define DEVPATH_END_TYPE 0x7f
#define DEVPATH_END_ENTIRE 0xff

/* Bytes of the first device path instance in @p (@max bytes), end node
 * included, or 0 when it does not end inside @max. */
static size_t first_path_size(const uint8_t *p, size_t max)
{
	size_t off = 0;

	while (max - off >= 4) {
		size_t len = (size_t)p[off + 2] | (size_t)p[off + 3] << 8;
		if (len < 4 || len > max - off) {
			return 0;
		}
		off += len;
		if (p[off - len] == DEVPATH_END_TYPE && p[off - len + 1] == DEVPATH_END_ENTIRE) {
			return off;
		}
	}
	return 0;
}

int efi_load_option_parse(const void *buf, size_t len, struct efi_load_option *out)
{
	const uint8_t *b = buf;

	if (len < 6) {
		return -EINVAL;
	}
	uint32_t attributes =
	    (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	size_t path_len = (size_t)b[4] | (size_t)b[5] << 8;
	size_t off = 6, units = 0;
	/* The description: UCS-2 up to its NUL, inside the buffer. */
	while (off + 2 <= len && (b[off] | b[off + 1])) {
		off += 2;
		units++;
	}
	if (off + 2 > len) {
		return -EINVAL;
	}
	off += 2;
	if (path_len > len - off || first_path_size(b + off, path_len) == 0) {
		return -EINVAL;
	}
	*out = (struct efi_load_option){
	    .attributes = attributes,
	    .description = b + 6,
	    .desc_units = units,
	    .file_path = (const struct efi_device_path *)(b + off),
	    .file_path_size = path_len,
	    .optional_data = b + off + path_len,
	    .optional_size = len - off - path_len,
	};
	return 0;
}
