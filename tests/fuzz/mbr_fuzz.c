/* mbr_parse() on hostile disks (both sector sizes), then part_select(). */
#include "disk_fuzz.h"
#include "fuzz.h"
#include <disk/part.h>

static struct part_table table;

static void fuzz_mbr(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[2] = {512, 4096};
	const struct part_entry *e;
	struct fuzz_disk d;

	for (unsigned int i = 0; i < 2; i++) {
		if (!fuzz_disk_init(&d, data, size, 0, sizes[i])) {
			continue;
		}
		if (mbr_parse(&d.dev, &table) == 0) {
			fuzz_check(table.count <= PART_MAX);
			for (unsigned int k = 0; k < table.count; k++) {
				const struct part_entry *p = &table.entries[k];

				fuzz_check(p->first_lba + p->block_count <= d.dev.block_count);
			}
			(void)part_select(&table, "5", &e);
		}
		fuzz_disk_free(&d);
	}
}

FUZZ_TARGET(fuzz_mbr)
