/* The device tree handed to Linux: a checked copy of Xen's (or the user's)
 * with /chosen set for this boot and the pages Linux must not use reserved
 * (xen-abi.md §12.6: everything else, /hypervisor first, passes unchanged). */
#ifndef BOOT_FDT_H
#define BOOT_FDT_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define BOOTFDT_MAX_SIZE 0x200000U /* booting.rst: at most 2 MiB */

struct bootfdt_params {
	const char *bootargs; /* NULL: keep the tree's /chosen/bootargs */
	bool has_initrd; /* false: linux,initrd-* removed */
	uint64_t initrd_start, initrd_end;
};

/**
 * bootfdt_check() - validate the DT at @fdt (untrusted) of which @max bytes
 * are readable; *@size receives its totalsize. Returns 0, -EINVAL (not a DT),
 * -EILSEQ (corrupt, or longer than @max), -EOPNOTSUPP (version < 17),
 * -EFBIG (over 2 MiB).
 */
int __must_check bootfdt_check(const void *fdt, uint64_t max, uint32_t *size);

/**
 * bootfdt_copy_size() - bytes to give the copy of a @size-byte tree: room
 * for @bootargs, the initrd properties and a memreserve entry per memmap
 * region, page-rounded. 0 when that exceeds 2 MiB.
 */
uint32_t bootfdt_copy_size(uint32_t size, const char *bootargs);

/**
 * bootfdt_prepare() - copy the checked tree @src into @dst (@dst_size bytes,
 * from bootfdt_copy_size(); must not overlap @src) and set /chosen from @p.
 * /memreserve/ entries and every other node are kept. Returns 0 or -ENOSPC
 * (no room), -EINVAL (libfdt refused the tree).
 */
int __must_check bootfdt_prepare(const void *src, void *dst, uint32_t dst_size,
				 const struct bootfdt_params *p);

/** bootfdt_has_hypervisor() - the tree has a "xen,xen" node (Linux finds Xen by it). */
bool bootfdt_has_hypervisor(const void *fdt);

/**
 * bootfdt_reserve_lost() - add a /memreserve/ entry (page-rounded) for
 * every MEMMAP_LOST region: pages a backend may still write. Run after the
 * handoff, which records them. Returns 0 or -ENOSPC.
 */
int __must_check bootfdt_reserve_lost(void *fdt);

#endif
