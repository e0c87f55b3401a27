/* CRC-32, four bytes at a time ("slicing by 4"). The 4 KiB of tables are
 * built on first use in BSS: zlib's version carries 12 KiB of tables in the
 * image, a third of our size budget's headroom. */
#include <lib/crc32.h>
#include <string.h>

#define CRC32_POLY_REFLECTED 0xedb88320u

static uint32_t table[4][256];

static void crc32_build_tables(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++) {
			c = (c & 1) ? (c >> 1) ^ CRC32_POLY_REFLECTED : c >> 1;
		}
		table[0][i] = c;
	}
	for (int t = 1; t < 4; t++) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = table[t - 1][i];

			table[t][i] = (c >> 8) ^ table[0][c & 0xff];
		}
	}
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	/* table[0][1] is never 0 once built, so it doubles as the flag. */
	if (!table[0][1]) {
		crc32_build_tables();
	}
	crc = ~crc;
	while (len && ((uintptr_t)p & 3)) {
		crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	for (; len >= 4; len -= 4, p += 4) {
		uint32_t w;

		/* Both builds are little-endian: the first byte is the low one. */
		memcpy(&w, p, 4);
		crc ^= w;
		crc = table[3][crc & 0xff] ^ table[2][(crc >> 8) & 0xff] ^
		      table[1][(crc >> 16) & 0xff] ^ table[0][crc >> 24];
	}
	while (len--) {
		crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	}
	return ~crc;
}
