/* The saved environment: two copies in U-Boot's redundant format
 * (<boot/env_format.h>), the files uboot.env and uboot-redund.env in the
 * root of the first FAT partition of the boot disk, as U-Boot's env/fat.c
 * keeps them, so Debian's fw_printenv / fw_setenv read and change them.
 *
 * A save writes only the copy that does not hold the newest environment,
 * with the next flags value, and writes it in place (fs_overwrite(): no
 * directory or FAT update), so a power cut at any block leaves the other
 * copy intact and loading gives the old or the new environment. A copy that
 * is missing (first save) or has the wrong size is created or replaced
 * whole by the FAT writer, whose update order keeps the old file or the new
 * one. The boot disk is `$devtype $devnum` when the distro scan set them
 * ("pvblock" or "blk", hex number), else the first PV disk. */
#ifndef BOOT_ENV_STORE_H
#define BOOT_ENV_STORE_H

#include <fs/fs.h>
#include <lib/compiler.h>

#define ENV_STORE_FILE "uboot.env"
#define ENV_STORE_FILE_REDUND "uboot-redund.env"

/**
 * env_store_load_fs() - replace the environment by the newest valid copy
 * on the mounted @fs. Returns 0; -ENOENT when neither file exists (silent);
 * -EILSEQ (or another env_format_validate() error) when no copy is valid,
 * after one warning, with the environment unchanged; or an I/O error. If
 * applying fails half-way (-ENOMEM), the environment is reset to the
 * defaults: it is never a mix. fdtcontroladdr is then set from the DT Xen
 * passed, as U-Boot does after loading its environment.
 */
int __must_check env_store_load_fs(struct fs *fs);

/**
 * env_store_save_fs() - write the current environment to @fs (see the top
 * of this file), then create the other copy too if it is missing, so a
 * two-line fw_env.config works at once. -ENOSPC when the environment does
 * not fit ENV_STORE_SIZE, -EROFS, or an I/O error.
 */
int __must_check env_store_save_fs(struct fs *fs);

/**
 * env_store_load() - at start-up: find the boot disk, mount its first FAT
 * partition and env_store_load_fs(). A missing disk, FAT partition or file
 * is silent (-ENODEV / -ENOENT); a corrupt environment one warning.
 */
int env_store_load(void);

/**
 * env_store_save() - `saveenv`: as env_store_load() but saving, with
 * U-Boot's "Saving Environment to FAT... OK" and a one-line reason on
 * failure.
 */
int __must_check env_store_save(void);

#endif
