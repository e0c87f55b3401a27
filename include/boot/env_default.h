/* The default environment, as U-Boot users know it: load addresses computed
 * from the real RAM layout, the distro-boot scan, autoboot. */
#ifndef BOOT_ENV_DEFAULT_H
#define BOOT_ENV_DEFAULT_H

#include <lib/compiler.h>

/**
 * env_set_defaults() - set every default variable (kernel_addr_r,
 * ramdisk_addr_r, fdt_addr_r, scriptaddr, pxefile_addr_r, loadaddr,
 * fdtcontroladdr, bootdelay, bootcmd, bootargs, boot_targets,
 * boot_prefixes, boot_scripts, ...) over whatever is set. Used at start-up
 * before a saved environment is imported, and by `env default -a`.
 * Returns 0 or the first env_set() error.
 */
int __must_check env_set_defaults(void);

#endif
