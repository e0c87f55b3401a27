/* Builds legacy U-Boot images in memory, as `mkimage -T script` does, so
 * tests need no mkimage at run time. Test-only (host). */
#ifndef TESTS_UIMAGE_BUILD_H
#define TESTS_UIMAGE_BUILD_H

#include <lib/crc32.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void ub_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Header + @payload (@size bytes) into @out; returns the image length. */
static inline size_t ub_image(uint8_t *out, uint8_t type, uint8_t comp, const char *name,
			      const void *payload, uint32_t size)
{
	memset(out, 0, 64);
	ub_put_be32(out, 0x27051956u);
	ub_put_be32(out + 8, 0x6b0c7cbe);
	ub_put_be32(out + 12, size);
	ub_put_be32(out + 16, 0);
	ub_put_be32(out + 20, 0);
	memcpy(out + 64, payload, size);
	ub_put_be32(out + 24, crc32_update(0, out + 64, size));
	out[28] = 5; /* Linux */
	out[29] = 22; /* arm64 */
	out[30] = type;
	out[31] = comp;
	for (size_t i = 0; i < 32 && name[i]; i++) {
		out[32 + i] = (uint8_t)name[i];
	}
	ub_put_be32(out + 4, crc32_update(0, out, 64));
	return 64 + size;
}

/* A script image: table [len][0], then @text (@len bytes). */
static inline size_t ub_script(uint8_t *out, uint8_t comp, const void *text, uint32_t len)
{
	uint8_t payload[8 + 65536];

	if (len > 65536) {
		return 0;
	}
	ub_put_be32(payload, len);
	ub_put_be32(payload + 4, 0);
	memcpy(payload + 8, text, len);
	return ub_image(out, 6, comp, "script", payload, 8 + len);
}

/* Recomputes the header CRC after a test changed a header field. */
static inline void ub_fix_hcrc(uint8_t *img)
{
	ub_put_be32(img + 4, 0);
	ub_put_be32(img + 4, crc32_update(0, img, 64));
}

#endif
