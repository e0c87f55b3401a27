/* The legacy image header (boot.scr, mkimage-wrapped initrds) on arbitrary
 * bytes (STYLE U6): parse, then the script table, checking that every
 * pointer handed back stays inside the input.
 *
 * Each input is parsed as it is, then with both CRCs recomputed (header and
 * data), so that mutations reach the size checks and the script's table of
 * part sizes instead of stopping at a CRC. */
#include <boot/uimage.h>
#include <fuzz.h>
#include <lib/crc32.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (24 - 8 * i));
	}
}

/* Header CRC at 4 (over the header with it zero), data CRC at 24 (over the
 * size at 12, or what the input holds of it). */
static void seal(uint8_t *buf, size_t size)
{
	size_t avail = size - UIMAGE_HEADER_SIZE, want = get_be32(buf + 12);

	put_be32(buf + 24, crc32_update(0, buf + UIMAGE_HEADER_SIZE, want < avail ? want : avail));
	put_be32(buf + 4, 0);
	put_be32(buf + 4, crc32_update(0, buf, UIMAGE_HEADER_SIZE));
}

static void parse(const uint8_t *buf, size_t size)
{
	struct uimage im;
	const char *text;
	size_t len;

	if (uimage_parse(buf, size, &im) == 0) {
		fuzz_check(im.data == buf + UIMAGE_HEADER_SIZE);
		fuzz_check(im.size <= size - UIMAGE_HEADER_SIZE);
		fuzz_check(strlen(im.name) <= UIMAGE_NAME_LEN);
		if (uimage_script(&im, &text, &len) == 0) {
			fuzz_check((const uint8_t *)text >= im.data);
			fuzz_check((const uint8_t *)text + len <= im.data + im.size);
			fuzz_check(len > 0);
		}
	}
}

static void uimage_fuzz(const uint8_t *data, size_t size)
{
	/* A copy of exactly @size bytes, so ASan sees any overread. */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf) {
		return;
	}
	memcpy(buf, data, size);
	parse(buf, size);
	if (size >= UIMAGE_HEADER_SIZE && get_be32(buf) == UIMAGE_MAGIC) {
		memcpy(buf, data, size);
		seal(buf, size);
		if (memcmp(buf, data, size) != 0) {
			parse(buf, size);
		}
	}
	free(buf);
}

FUZZ_TARGET(uimage_fuzz)
