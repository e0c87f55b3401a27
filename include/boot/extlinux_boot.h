/* Booting one extlinux label as U-Boot's sysboot and pxe boot do: plan
 * where each file goes ($kernel_addr_r, $ramdisk_addr_r, $fdt_addr_r,
 * $fdtoverlay_addr_r, the DTB from `fdt`, or `fdtdir` + $fdtfile, else
 * Xen's own), load them from where the config came from (a filesystem for
 * sysboot, TFTP for pxe: struct extlinux_files), apply `fdtoverlays` with
 * libfdt, set $bootargs from `append`, and build the booti command line.
 * The commands run booti through the command table (cmd/extlinux_menu.c). */
#ifndef BOOT_EXTLINUX_BOOT_H
#define BOOT_EXTLINUX_BOOT_H

#include <boot/extlinux.h>
#include <fs/fs.h>
#include <lib/compiler.h>
#include <stdint.h>

/* Room for a DTB with overlays applied at $fdt_addr_r (booting.rst's limit). */
#define EXTLINUX_FDT_ROOM (2u << 20)

struct extlinux_plan {
	const struct extlinux_label *label;
	uint64_t kernel_addr;
	uint64_t initrd_addr; /* when label->initrd[0] */
	uint64_t fdt_addr; /* when a DTB is loaded, or overlays need Xen's copied */
	uint64_t overlay_addr; /* 0: $fdtoverlay_addr_r unset, overlays skipped */
	char fdt[EXTLINUX_PATH_MAX]; /* the DTB file, "" for Xen's DT */
	bool is_fdt_optional; /* from fdtdir: a missing file means Xen's DT, as U-Boot */
	bool has_overlays;
};

/**
 * extlinux_plan() - what booting @l would load where, from the environment.
 * Prints one line "<who>: ..." and returns -EINVAL when the label cannot
 * boot (marked bad by the parser, no kernel, an address variable unset or
 * not a number); -ENOENT for `localboot` (the caller runs $localcmd).
 */
int __must_check extlinux_plan(const char *who, const struct extlinux_label *l,
			       struct extlinux_plan *out);

/**
 * struct extlinux_files - where a label's files come from. @load reads
 * @path into guest RAM at @addr, *@size receiving its length; it checks the
 * destination first (memmap) and, when @who is set, prints U-Boot's result
 * line or a one-line error prefixed "<who>: " (NULL: quiet). 0 or -errno.
 */
struct extlinux_files {
	int (*load)(void *ctx, const char *who, const char *path, uint64_t addr, uint64_t *size);
	void *ctx;
};

/** extlinux_fs_files() - files from @fs through fsload_file() (sysboot's source). */
struct extlinux_files extlinux_fs_files(struct fs *fs);

struct extlinux_loaded {
	uint64_t kernel_size, initrd_size, fdt_size;
	bool has_fdt; /* a DTB sits at plan->fdt_addr: pass it to booti */
	char args[3][40];
	char *argv[5]; /* "booti" <kernel> <initrd:size | -> [<fdt>], NULL-ended */
	int argc;
};

/**
 * extlinux_load() - load what @p says from @src ("Retrieving file: <path>"
 * and U-Boot's "N bytes read" line each), apply the overlays, set
 * $bootargs from `append` (variables expanded, as U-Boot does) and fill
 * @out with the booti command. Returns 0 or the first fatal error, reported
 * in one line (a missing fdtdir DTB or a missing overlay is only noted).
 */
int __must_check extlinux_load(const char *who, const struct extlinux_files *src,
			       const struct extlinux_plan *p, struct extlinux_loaded *out);

/** extlinux_booti_argv() - fill @ld's argv from @p and the loaded sizes. */
void extlinux_booti_argv(const struct extlinux_plan *p, struct extlinux_loaded *ld);

#endif
