/* UCS-2 strings for EFI (include/efi/efi.h): the BMP only, as UEFI's CHAR16. */
#include <efi/efi.h>
#include <lib/errno.h>

size_t efi_strnlen16(const efi_char16_t *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n]) {
		n++;
	}
	return n;
}

/* One code point from UTF-8 at *@p, advancing it; '?' for what UCS-2 cannot hold. */
static efi_char16_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned int len = s[0] < 0x80		   ? 1
			   : (s[0] & 0xe0) == 0xc0 ? 2
			   : (s[0] & 0xf0) == 0xe0 ? 3
			   : (s[0] & 0xf8) == 0xf0 ? 4
						   : 0;
	uint32_t cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1fu : s[0] & 0x0fu;

	for (unsigned int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + i;
			return '?';
		}
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	*p = s + (len ? len : 1);
	/* Overlong forms and surrogates are not characters; UCS-2 has no
	 * room for the planes above the BMP (4-byte forms). */
	if (!len || len == 4 || (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (cp >= 0xd800 && cp < 0xe000)) {
		return '?';
	}
	return (efi_char16_t)cp;
}

int efi_utf8_to_ucs2(efi_char16_t *dst, size_t max, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t n = 0;

	if (!max) {
		return -ENOSPC;
	}
	while (*p) {
		if (n + 1 == max) {
			dst[n] = 0;
			return -ENOSPC;
		}
		dst[n++] = utf8_next(&p);
	}
	dst[n] = 0;
	return (int)n;
}

int efi_ucs2_to_utf8(char *dst, size_t size, const efi_char16_t *src, size_t max)
{
	size_t n = 0;

	if (!size) {
		return -ENOSPC;
	}
	for (size_t i = 0; i < max && src[i]; i++) {
		uint32_t c = src[i];
		unsigned int len = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		if (c >= 0xd800 && c < 0xe000) {
			c = '?'; /* a lone surrogate half */
			len = 1;
		}
		if (n + len >= size) {
			dst[n] = 0;
			return -ENOSPC;
		}
		if (len == 1) {
			dst[n++] = (char)c;
		} else if (len == 2) {
			dst[n++] = (char)(0xc0 | c >> 6);
			dst[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			dst[n++] = (char)(0xe0 | c >> 12);
			dst[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			dst[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	dst[n] = 0;
	return (int)n;
}
