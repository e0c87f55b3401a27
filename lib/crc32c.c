/* CRC-32C, bytewise with a 1 KiB table. The table is built on first use
 * rather than stored: it costs BSS instead of image bytes, and the checksums
 * xenboot computes (ext4 superblock, group descriptors, inodes) are small. */
#include <lib/crc32c.h>

/* The reflected form of the Castagnoli polynomial 0x1edc6f41. */
#define CRC32C_POLY_REFLECTED 0x82f63b78u

uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;

	/* table[1] is never 0 once built, so it doubles as the "built" flag. */
	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++) {
				c = (c & 1) ? (c >> 1) ^ CRC32C_POLY_REFLECTED : c >> 1;
			}
			table[i] = c;
		}
	}
	while (len--) {
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	}
	return crc;
}
