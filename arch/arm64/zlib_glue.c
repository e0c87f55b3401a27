/*
 * zlib's checksums for the image, from our own code. inflate() refers to
 * crc32() and adler32() by name; defining them here keeps libz.a's crc32.o
 * (12 KiB of tables) and adler32.o out of the link, and lib/crc32.c already
 * builds its tables at run time. Only the arm64 image does this: the host
 * build links the real zlib, which the tests compare against.
 * Prototypes as in zlib.h (ZEXPORT is empty on Linux).
 */
#include <lib/crc32.h>
#include <zlib.h>

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	/* zlib asks for the initial value with buf == NULL. */
	return buf ? crc32_update((uint32_t)crc, buf, len) : 0;
}

/* RFC 1950 Adler-32. Not reached by gzip streams, but inflate() links it. */
uLong adler32(uLong adler, const Bytef *buf, uInt len)
{
	enum { ADLER_MOD = 65521, ADLER_BLOCK = 5552 };
	uint32_t a = adler & 0xffff, b = (adler >> 16) & 0xffff;

	if (!buf) {
		return 1;
	}
	while (len) {
		uInt n = len < ADLER_BLOCK ? len : ADLER_BLOCK;

		len -= n;
		while (n--) {
			a += *buf++;
			b += a;
		}
		a %= ADLER_MOD;
		b %= ADLER_MOD;
	}
	return (uLong)b << 16 | a;
}
