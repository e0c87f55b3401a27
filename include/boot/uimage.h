/* The legacy U-Boot image ("uImage") header, as `mkimage -T script|ramdisk|multi`
 * writes it: 64 bytes, big-endian, then the payload (docs/xen-abi.md §13).
 * Shared by `source` (boot.scr) and booti's mkimage-wrapped initrd. */
#ifndef BOOT_UIMAGE_H
#define BOOT_UIMAGE_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>

#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER_SIZE 64
#define UIMAGE_NAME_LEN 32

#define UIMAGE_TYPE_RAMDISK 3
#define UIMAGE_TYPE_MULTI 4
#define UIMAGE_TYPE_SCRIPT 6

#define UIMAGE_COMP_NONE 0
#define UIMAGE_COMP_GZIP 1

/* A parsed header. @data points into the caller's buffer (not copied). */
struct uimage {
	uint8_t type, comp, os, arch;
	uint32_t load, ep;
	const uint8_t *data; /* the payload, @size bytes */
	uint32_t size;
	char name[UIMAGE_NAME_LEN + 1]; /* NUL-terminated; untrusted bytes */
};

/**
 * uimage_parse() - validate the legacy image at @buf (@len bytes, untrusted)
 * and fill @out. Checks, in order: magic, header length, header CRC (CRC-32 of
 * the 64 bytes with hcrc as 0), payload within @len, payload CRC.
 * Returns 0; -EINVAL not a legacy image (bad magic); -EMSGSIZE truncated
 * (header or payload beyond @len); -EILSEQ header or data CRC mismatch.
 */
int __must_check uimage_parse(const void *buf, size_t len, struct uimage *out);

/**
 * uimage_script() - the first part of a script or multi image @im: its
 * payload starts with a table of big-endian u32 part sizes ended by 0, then
 * the parts (each padded to 4 bytes). *@text points into @im->data, *@len is
 * the part's size. Returns 0; -ENOEXEC not a script/multi image;
 * -EMSGSIZE table or part beyond the payload; -ENODATA empty script.
 */
int __must_check uimage_script(const struct uimage *im, const char **text, size_t *len);

#endif
