/* What the file commands (ls, load, size, fstype, save, part) share: naming
 * a disk or partition the U-Boot way, "<interface> <dev>[:<part>]", and
 * checking that a memory range given by the user may be read or written.
 * Every function prints its own one-line error prefixed with the command
 * name, so a command only has to return the errno. Thin names for the
 * layers below (include/disk/disk.h, include/fs/fsload.h), which sysboot,
 * the distro-boot scan and booti use directly. */
#ifndef CMD_FSARG_H
#define CMD_FSARG_H

#include <disk/blk.h>
#include <disk/part.h>
#include <fs/fs.h>
#include <lib/compiler.h>
#include <stdint.h>

/**
 * fsarg_dev() - the disk named by @iface ("pvblock": the PV disks in
 * `pvblock list` order; "blk": every block device, RAM disks included) and
 * @dev (shell input, untrusted): a hex index as in U-Boot, or a device name
 * such as "xvda". Probes the PV disks on first use. NULL (reported) if none.
 */
struct blk_dev *fsarg_dev(const char *who, const char *iface, const char *dev);

/**
 * fsarg_part() - the window named by @iface and @spec, "<dev>[:<part>]".
 * <part> is a hex partition number (as U-Boot reads it), 0 for the whole
 * disk, "PARTLABEL=<name>" or "PARTUUID=<uuid>"; absent means the first
 * partition, or the whole disk when it has no table. A bare
 * "PARTUUID=..."/"PARTLABEL=..." is searched on every disk.
 */
int __must_check fsarg_part(const char *who, const char *iface, const char *spec,
			    struct blk_part *out);

/**
 * fsarg_mount() - fsarg_part(), then mount the filesystem found there into
 * the one struct fs the commands share (it is too big for the stack);
 * *@out points at it until the next call.
 */
int __must_check fsarg_mount(const char *who, const char *iface, const char *spec, struct fs **out);

/**
 * fsarg_check_load() - may @len bytes be written at guest-physical @addr?
 * Only inside one RAM bank and over no region of <lib/memmap.h> (xenboot,
 * its heap, the DT Xen gave us, pages lost to a backend). -EFAULT
 * (reported) otherwise. An empty range is always allowed.
 */
int __must_check fsarg_check_load(const char *who, uint64_t addr, uint64_t len);
/** fsarg_check_ram() - may @len bytes at @addr be read? (inside one RAM bank) */
int __must_check fsarg_check_ram(const char *who, uint64_t addr, uint64_t len);

/** fsarg_fs_error() - report that @path could not be used: "<who>: <path>: <why>". */
int fsarg_fs_error(const char *who, const char *path, int rc);

/** fsarg_print_rate() - " in M ms (X.Y MiB/s)" and a newline, as U-Boot prints it. */
void fsarg_print_rate(uint64_t bytes, uint64_t ns);

#endif
