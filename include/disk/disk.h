/* Naming a disk and a partition the U-Boot way, "<iface> <dev>[:<part>]",
 * for every user of files (the file commands, sysboot, the distro-boot
 * scan, booti, later a network or EFI path), and the one place the PV disks
 * are probed. A non-NULL @who makes a function print its own one-line error
 * prefixed "<who>: "; NULL keeps it quiet (a scan that tries every
 * partition must not report each miss). */
#ifndef DISK_DISK_H
#define DISK_DISK_H

#include <disk/blk.h>
#include <disk/part.h>
#include <lib/compiler.h>

/**
 * disk_probe() - connect the PV disks the first time it is called (as
 * U-Boot's pvblock does on first use); later calls do nothing. Returns the
 * number of connected PV disks. A XenStore failure is reported once.
 */
unsigned int disk_probe(void);

/**
 * disk_rescan() - probe again: disks that appeared since get connected.
 * Returns the number of PV disks, or -errno when XenStore is unusable.
 */
int __must_check disk_rescan(void);

/**
 * disk_set_probe_hook() - call @fn after every probe that found disks (the
 * default environment derives boot_targets from them). NULL removes it.
 */
void disk_set_probe_hook(void (*fn)(void));

/**
 * disk_dev() - the disk named by @iface ("pvblock": the PV disks in
 * `pvblock list` order; "blk": every block device, RAM disks included) and
 * @dev (untrusted): a hex index as in U-Boot, or a device name such as
 * "xvda". Probes the PV disks on first use. NULL if none.
 */
struct blk_dev *disk_dev(const char *who, const char *iface, const char *dev);

/**
 * disk_part() - the window named by @iface and @spec, "<dev>[:<part>]".
 * <part> is a hex partition number (as U-Boot reads it), 0 for the whole
 * disk, "PARTLABEL=<name>" or "PARTUUID=<uuid>"; absent means the first
 * partition, or the whole disk when it has no table. A bare
 * "PARTUUID=..."/"PARTLABEL=..." is searched on every disk. Returns 0,
 * -ENODEV (no such disk or interface), -EINVAL (bad spelling), -ENOENT (no
 * such partition) or the partition-table error.
 */
int __must_check disk_part(const char *who, const char *iface, const char *spec,
			   struct blk_part *out);

#endif
