/* Legacy U-Boot image header parser (include/boot/uimage.h). The header is
 * untrusted disk data: it is read byte by byte from the caller's buffer
 * (never cast to a struct, STYLE A4), and every size is checked against
 * the bytes really present before it is used. */
#include <boot/uimage.h>
#include <lib/be.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <string.h>

/* Field offsets in the 64-byte header (U-Boot's image_header layout). */
#define OFF_MAGIC 0
#define OFF_HCRC 4
#define OFF_TIME 8
#define OFF_SIZE 12
#define OFF_LOAD 16
#define OFF_EP 20
#define OFF_DCRC 24
#define OFF_OS 28
#define OFF_ARCH 29
#define OFF_TYPE 30
#define OFF_COMP 31
#define OFF_NAME 32

/* CRC-32 of the header as it was when hcrc was computed: hcrc field zero. */
static uint32_t header_crc(const uint8_t *hdr)
{
	static const uint8_t zero[4];
	uint32_t crc = crc32_update(0, hdr, OFF_HCRC);

	crc = crc32_update(crc, zero, sizeof(zero));
	return crc32_update(crc, hdr + OFF_HCRC + 4, UIMAGE_HEADER_SIZE - OFF_HCRC - 4);
}

int uimage_parse(const void *buf, size_t len, struct uimage *out)
{
	const uint8_t *hdr = buf;

	if (len < 4 || load_be32(hdr + OFF_MAGIC) != UIMAGE_MAGIC) {
		return -EINVAL;
	}
	if (len < UIMAGE_HEADER_SIZE) {
		return -EMSGSIZE;
	}
	if (header_crc(hdr) != load_be32(hdr + OFF_HCRC)) {
		return -EILSEQ;
	}
	uint32_t size = load_be32(hdr + OFF_SIZE);
	if (size > len - UIMAGE_HEADER_SIZE) {
		return -EMSGSIZE;
	}
	const uint8_t *data = hdr + UIMAGE_HEADER_SIZE;
	if (crc32_update(0, data, size) != load_be32(hdr + OFF_DCRC)) {
		return -EILSEQ;
	}
	memset(out, 0, sizeof(*out));
	out->type = hdr[OFF_TYPE];
	out->comp = hdr[OFF_COMP];
	out->os = hdr[OFF_OS];
	out->arch = hdr[OFF_ARCH];
	out->load = load_be32(hdr + OFF_LOAD);
	out->ep = load_be32(hdr + OFF_EP);
	out->data = data;
	out->size = size;
	/* name[] need not be NUL-terminated on disk; out->name always is. */
	memcpy(out->name, hdr + OFF_NAME, UIMAGE_NAME_LEN);
	out->name[UIMAGE_NAME_LEN] = '\0';
	return 0;
}

int uimage_script(const struct uimage *im, const char **text, size_t *len)
{
	uint32_t entries = im->size / 4, n = 0;

	if (im->type != UIMAGE_TYPE_SCRIPT && im->type != UIMAGE_TYPE_MULTI) {
		return -ENOEXEC;
	}
	/* Find the table's terminating 0, within the payload only. */
	while (n < entries && load_be32(im->data + 4 * n) != 0) {
		n++;
	}
	if (n == entries) {
		return -EMSGSIZE;
	}
	if (n == 0) {
		return -ENODATA;
	}
	uint32_t first = load_be32(im->data);
	uint32_t start = 4 * (n + 1);
	if (first > im->size - start) {
		return -EMSGSIZE;
	}
	*text = (const char *)im->data + start;
	*len = first;
	return 0;
}
