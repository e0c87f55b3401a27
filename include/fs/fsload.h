/* Files into guest memory, for every path that loads something (the `load`
 * commands, sysboot, the distro-boot scan, booti, later network or EFI):
 * mount the filesystem at "<iface> <dev>[:<part>]" (include/disk/disk.h),
 * check that a destination range is free RAM (include/lib/memmap.h), and
 * read a file there with progress and U-Boot's result line. A non-NULL @who
 * makes a function print its own one-line error prefixed "<who>: "; NULL
 * keeps it quiet. */
#ifndef FS_FSLOAD_H
#define FS_FSLOAD_H

#include <fs/fs.h>
#include <lib/compiler.h>
#include <stdint.h>

/**
 * fsload_mount() - disk_part(), then mount the filesystem found there into
 * the one struct fs every loader shares (it is too big for the stack);
 * *@out points at it until the next call. -ENODEV: no ext2/3/4 or FAT.
 */
int __must_check fsload_mount(const char *who, const char *iface, const char *spec,
			      struct fs **out);

/**
 * fsload_check() - may @len bytes be written at guest-physical @addr? Only
 * inside one RAM bank and over no region of <lib/memmap.h> (xenboot, its
 * heap, the DT Xen gave us, pages lost to a backend). -EFAULT otherwise. An empty range is always allowed.
 */
int __must_check fsload_check(const char *who, uint64_t addr, uint64_t len);
/** fsload_check_ram() - may @len bytes at @addr be read? (inside one RAM bank) */
int __must_check fsload_check_ram(const char *who, uint64_t addr, uint64_t len);

/**
 * fsload_file() - read @path of @fs from byte @pos into guest RAM at @addr:
 * @max bytes, or to the end of the file when @max is 0 or more than is left.
 * Checks the destination first (fsload_check()), shows progress once a
 * second on long loads and, when @who is set, prints "N bytes read in M ms
 * (X MiB/s)". *@loaded receives the bytes read (also on a read error).
 * Returns 0, -ENOENT/-EISDIR/... (no such file), -EINVAL (@pos beyond the
 * end), -EFAULT (destination refused) or the read error.
 */
int __must_check fsload_file(const char *who, struct fs *fs, const char *path, uint64_t addr,
			     uint64_t max, uint64_t pos, uint64_t *loaded);

/** fsload_error() - report that @path could not be used: "<who>: <path>: <why>"; returns @rc. */
int fsload_error(const char *who, const char *path, int rc);

/** fsload_print_rate() - " in M ms (X.Y MiB/s)" and a newline, as U-Boot prints it. */
void fsload_print_rate(uint64_t bytes, uint64_t ns);

#endif
