/* The boot disk's first FAT partition (include/boot/esp.h). */
#include <boot/esp.h>
#include <disk/disk.h>
#include <disk/part.h>
#include <drivers/blkfront.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <string.h>

/* Static: a struct fs is ~9 KiB, a partition table ~30 KiB. */
static struct fs esp_fs;
static struct part_table esp_table;

/* `$devtype $devnum` from the distro scan, named as the shell names them. */
struct blk_dev *esp_boot_disk(void)
{
	const char *type = env_get("devtype"), *num = env_get("devnum");

	if (type && num && (strcmp(type, "pvblock") == 0 || strcmp(type, "blk") == 0)) {
		return disk_dev(NULL, type, num);
	}
	return disk_dev(NULL, "pvblock", "0");
}

static int mount_first_fat(struct blk_dev *d)
{
	struct blk_part part;
	int rc = part_scan(d, &esp_table);

	if (rc) {
		return rc;
	}
	if (esp_table.count == 0) {
		blk_part_whole(&part, d);
		rc = fs_mount(&esp_fs, &part);
		return rc == 0 && esp_fs.kind == FS_KIND_FAT ? 0 : -ENOENT;
	}
	for (unsigned int i = 0; i < esp_table.count; i++) {
		const struct part_entry *e = &esp_table.entries[i];

		if (blk_part_init(&part, d, e->first_lba, e->block_count) == 0 &&
		    fs_mount(&esp_fs, &part) == 0 && esp_fs.kind == FS_KIND_FAT) {
			return 0;
		}
	}
	return -ENOENT;
}

int esp_mount_disk(struct blk_dev *d, struct fs **fs)
{
	int rc = mount_first_fat(d);

	if (rc == 0) {
		*fs = &esp_fs;
	}
	return rc;
}

int esp_mount(struct fs **fs)
{
	struct blk_dev *d = esp_boot_disk();

	return d ? esp_mount_disk(d, fs) : -ENODEV;
}

int esp_read_copy(struct fs *fs, const char *name, void *buf, size_t max, uint64_t *size,
		  size_t *got)
{
	int rc = fs_size(fs, name, size);

	*got = 0;
	if (rc) {
		return rc;
	}
	if (*size > max) {
		return -E2BIG;
	}
	return fs_read(fs, name, buf, 0, (size_t)*size, got);
}

int esp_write_copy(struct fs *fs, const char *name, bool is_in_place, const void *buf, size_t size)
{
	struct blkfront_dev *pv = blkfront_find(fs->part.dev->name);
	int rc;

	if (is_in_place) {
		rc = fs_overwrite(fs, name, 0, buf, size);
	} else {
		rc = fs_write(fs, name, buf, size);
	}
	if (rc == 0 && pv) {
		rc = blkfront_flush(pv);
	}
	return rc;
}
