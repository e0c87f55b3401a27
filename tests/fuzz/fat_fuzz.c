/* FAT on hostile volumes: mount, list, read, then write, overwrite and
 * delete. The input is the start of a 64 MiB disk (the rest reads as
 * zeros), so small seeds can describe FAT32 volumes. */
#include "disk_fuzz.h"
#include "fuzz.h"
#include <fs/fat.h>
#include <string.h>

#define MAX_VISITS 32
#define VIRTUAL_SIZE (64u << 20)

static struct fat_fs fs;
static struct fat_item item;
static uint8_t buf[256 << 10];
static char names[MAX_VISITS][FAT_NAME_MAX + 1];
static unsigned int name_count;

static int collect(void *arg, const struct fat_item *it)
{
	if (name_count >= MAX_VISITS) {
		return 1;
	}
	names[name_count][0] = '/';
	strncpy(names[name_count] + 1, it->name, FAT_NAME_MAX - 1);
	names[name_count][FAT_NAME_MAX] = '\0';
	name_count++;
	return 0;
}

static void visit(const char *path)
{
	size_t got;

	if (fat_lookup(&fs, path, &item) != 0) {
		return;
	}
	if (item.attr & FAT_ATTR_DIRECTORY) {
		(void)fat_dir_iterate(&fs, fat_item_dir_cluster(&fs, &item), collect, NULL);
		return;
	}
	if (fat_read(&fs, &item, 0, buf, sizeof(buf), &got) == 0) {
		fuzz_check(got <= sizeof(buf) && got <= item.size);
	}
}

static void fuzz_fat(const uint8_t *data, size_t size)
{
	struct blk_part part;
	struct fuzz_disk d;

	if (!fuzz_disk_init(&d, data, size, VIRTUAL_SIZE, 512)) {
		return;
	}
	blk_part_whole(&part, &d.dev);
	if (fat_mount(&fs, &part) == 0) {
		name_count = 0;
		visit("/");
		for (unsigned int i = 0; i < name_count && i < MAX_VISITS; i++) {
			visit(names[i]);
		}
		memset(buf, 0x5a, 5000);
		(void)fat_write(&fs, "/A new file with a long name.bin", buf, 5000);
		(void)fat_write(&fs, "/HELLO.TXT", buf, 100);
		(void)fat_write(&fs, "/d/NEW", buf, 0);
		(void)fat_unlink(&fs, "/d/y");
		visit("/A new file with a long name.bin");
	}
	fuzz_disk_free(&d);
}

FUZZ_TARGET(fuzz_fat)
