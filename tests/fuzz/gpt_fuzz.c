/* gpt_parse() and part_scan() on hostile disks: every partition returned
 * must lie inside the disk and none may overlap.
 *
 * The input is the disk (512-byte sectors). Each input is parsed twice: as
 * it is, then with the CRCs of both headers and arrays recomputed, so that
 * mutations of entries and header fields reach the checks behind the CRCs
 * instead of stopping at them. Seeds: tests/fuzz/seeds/mk-gpt.py. */
#include "disk_fuzz.h"
#include "fuzz.h"
#include <disk/part.h>
#include <lib/crc32.h>
#include <string.h>

#define SECTOR 512u
/* Beyond the caps of disk/part/gpt.c, a header is refused before its CRC. */
#define SEAL_MAX_COUNT 4096u
#define SEAL_MAX_ENTRY 1024u

static struct part_table table;
static const uint8_t zeros[SECTOR];

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* Recompute the CRCs of the header at sector @lba of @img (and of the array
 * it names) as the disk would return them: bytes past the input are zeros. */
static void seal(uint8_t *img, size_t size, uint64_t lba)
{
	uint8_t *h = img + lba * SECTOR;
	uint32_t hsize = get32(h + 12), count = get32(h + 80), esize = get32(h + 84);
	uint64_t arr = get64(h + 72), bytes = (uint64_t)count * esize, at, n;
	uint32_t crc = 0;

	if (memcmp(h, "EFI PART", 8) != 0 || hsize < 92 || hsize > SECTOR ||
	    count > SEAL_MAX_COUNT || esize > SEAL_MAX_ENTRY || arr > size / SECTOR) {
		return;
	}
	at = arr * SECTOR;
	n = at + bytes <= size ? bytes : size - at;
	crc = crc32_update(crc, img + at, n);
	for (uint64_t left = bytes - n; left; left -= MIN(left, (uint64_t)SECTOR)) {
		crc = crc32_update(crc, zeros, MIN(left, (uint64_t)SECTOR));
	}
	put32(h + 88, crc);
	put32(h + 16, 0);
	put32(h + 16, crc32_update(0, h, hsize));
}

static void parse(const uint8_t *data, size_t size)
{
	struct fuzz_disk d;

	if (!fuzz_disk_init(&d, data, size, 0, SECTOR)) {
		return;
	}
	if (gpt_parse(&d.dev, &table) == 0) {
		fuzz_check(table.count <= PART_MAX);
		for (unsigned int i = 0; i < table.count; i++) {
			const struct part_entry *a = &table.entries[i];

			fuzz_check(a->block_count > 0);
			fuzz_check(a->first_lba + a->block_count <= d.dev.block_count);
			for (unsigned int k = 0; k < i; k++) {
				const struct part_entry *b = &table.entries[k];

				fuzz_check(a->first_lba >= b->first_lba + b->block_count ||
					   b->first_lba >= a->first_lba + a->block_count);
			}
		}
	}
	(void)part_scan(&d.dev, &table);
	fuzz_disk_free(&d);
}

static void fuzz_gpt(const uint8_t *data, size_t size)
{
	uint8_t *img;

	parse(data, size);
	if (size < 3 * SECTOR) {
		return;
	}
	img = malloc(size);
	memcpy(img, data, size);
	seal(img, size, 1);
	seal(img, size, size / SECTOR - 1);
	if (memcmp(img, data, size) != 0) {
		parse(img, size);
	}
	free(img);
}

FUZZ_TARGET(fuzz_gpt)
