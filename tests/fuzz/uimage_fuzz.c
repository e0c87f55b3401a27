/* The legacy image header (boot.scr, mkimage-wrapped initrds) on arbitrary
 * bytes (STYLE U6): parse, then the script table, checking that every
 * pointer handed back stays inside the input. */
#include <boot/uimage.h>
#include <fuzz.h>
#include <stdlib.h>
#include <string.h>

static void uimage_fuzz(const uint8_t *data, size_t size)
{
	/* A copy of exactly @size bytes, so ASan sees any overread. */
	uint8_t *buf = malloc(size ? size : 1);
	struct uimage im;
	const char *text;
	size_t len;

	if (!buf) {
		return;
	}
	memcpy(buf, data, size);
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
	free(buf);
}

FUZZ_TARGET(uimage_fuzz)
