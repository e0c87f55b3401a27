/* The boot disk's first FAT partition (the ESP when the disk has one), as
 * the saved environment (boot/env_store.c) and the UEFI variables
 * (efi/varfile.c) keep their files there, and how they write a copy of a
 * redundant pair so a power cut leaves the other intact. */
#ifndef BOOT_ESP_H
#define BOOT_ESP_H

#include <fs/fs.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>

/**
 * esp_mount() - find the boot disk (`$devtype $devnum` when the distro
 * scan set them, "pvblock" or "blk"; else the first PV disk), mount its
 * first FAT partition (the whole disk when it has no partition table) and
 * point *@fs at it (one static mount, replaced by the next call).
 * -ENODEV without a boot disk, -ENOENT without a FAT partition.
 */
int __must_check esp_mount(struct fs **fs);

/** esp_boot_disk() - the boot disk esp_mount() uses; NULL when there is none. */
struct blk_dev *esp_boot_disk(void);

/** esp_mount_disk() - esp_mount() on the disk @d. */
int __must_check esp_mount_disk(struct blk_dev *d, struct fs **fs);

/**
 * esp_read_copy() - read the file @name of @fs whole into @buf, which holds
 * @max bytes: *@size is the file's size, *@got the bytes read. Returns 0,
 * -ENOENT (no such file), -E2BIG (larger than @max: *@size set, nothing
 * read) or an I/O error.
 */
int __must_check esp_read_copy(struct fs *fs, const char *name, void *buf, size_t max,
			       uint64_t *size, size_t *got);

/**
 * esp_write_copy() - write @buf (@size bytes) as the file @name on @fs:
 * in place (fs_overwrite(): no directory or FAT change, so a power cut
 * tears at most this file's bytes) when @is_in_place, else created or
 * replaced whole by the FAT writer. Then flushes a PV disk's write cache,
 * so the copy is on the medium before the caller touches the other one.
 */
int __must_check esp_write_copy(struct fs *fs, const char *name, bool is_in_place, const void *buf,
				size_t size);

#endif
