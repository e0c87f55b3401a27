/* gpt_parse() and part_scan() on hostile disks: every partition returned
 * must lie inside the disk and none may overlap. */
#include "disk_fuzz.h"
#include "fuzz.h"
#include <disk/part.h>

static struct part_table table;

static void fuzz_gpt(const uint8_t *data, size_t size)
{
	struct fuzz_disk d;

	if (!fuzz_disk_init(&d, data, size, 0, 512)) {
		return;
	}
	if (gpt_parse(&d.dev, &table) == 0) {
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

FUZZ_TARGET(fuzz_gpt)
