/* The default environment, as U-Boot users know it: load addresses computed
 * from the real RAM layout, the distro-boot scan, autoboot. The layout is
 * described in boot/env_default.c. */
#ifndef BOOT_ENV_DEFAULT_H
#define BOOT_ENV_DEFAULT_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <stdint.h>

/**
 * env_set_defaults() - set every default variable (kernel_addr_r,
 * ramdisk_addr_r, fdt_addr_r, fdtoverlay_addr_r, scriptaddr,
 * pxefile_addr_r, loadaddr, fdtcontroladdr, bootdelay, bootcmd,
 * distro_bootcmd, bootargs, boot_targets, boot_prefixes, boot_scripts,
 * boot_syslinux_conf) over whatever is set, and have boot_targets follow
 * the PV disks when they are probed. Used at start-up before a saved
 * environment is imported, and by `env default -a`. Returns 0 or the first
 * env_set() error.
 */
int __must_check env_set_defaults(void);

/* Where the default load addresses go (0: none). */
struct env_layout {
	uint64_t fdt, script, pxefile, overlay;
	uint64_t kernel, kernel_size; /* kernel_addr_r and the room up to ramdisk_addr_r */
	uint64_t ramdisk, ramdisk_size; /* ramdisk_addr_r and the room up to the range's end */
};

/**
 * env_default_range() - the largest free range of RAM bank 0 (the lowest
 * bank of dtinfo_get()) outside every <lib/memmap.h> region, from a 2 MiB
 * boundary to a page boundary. -ENOENT (no RAM) or -ENOMEM (none free).
 */
int __must_check env_default_range(struct mem_range *out);

/** env_default_layout() - the layout in that range; -ENOMEM when under 16 MiB. */
int __must_check env_default_layout(struct env_layout *out);

#endif
