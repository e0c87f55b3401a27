/* What xenboot needs from the device tree Xen hands over in x0. */
#ifndef LIB_DTINFO_H
#define LIB_DTINFO_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define DTINFO_MAX_BANKS 8
#define DTINFO_MAX_EXT_REGIONS 16
#define DTINFO_MAX_DEVICES 16

struct mem_range {
	uint64_t base;
	uint64_t size;
};

struct dtinfo {
	const void *fdt; /* the blob; checked by dtinfo_parse() */
	uint32_t fdt_size;

	struct mem_range banks[DTINFO_MAX_BANKS]; /* every /memory reg, in DT order */
	unsigned int bank_count;

	bool has_hypervisor; /* a "xen,xen" node exists */
	char xen_compatible[32]; /* e.g. "xen,xen-4.17" */
	struct mem_range gnttab; /* /hypervisor reg[0]: grant-table region */
	struct mem_range ext_regions[DTINFO_MAX_EXT_REGIONS]; /* reg[1..] */
	unsigned int ext_region_count;
	uint32_t evtchn_intid; /* GIC INTID of the event-channel PPI (31) */

	unsigned int gic_version; /* 2, 3, or 0 when no GIC node was found */
	struct mem_range gicd; /* distributor */
	struct mem_range gicc; /* GICv2 CPU interface or GICv3 redistributor */
	uint32_t vtimer_intid; /* virtual timer PPI as INTID (27) */

	struct mem_range devices[DTINFO_MAX_DEVICES]; /* other MMIO windows (Device memory) */
	unsigned int device_count;

	const char *bootargs; /* /chosen bootargs or NULL (points into the blob) */
	bool has_initrd;
	uint64_t initrd_start, initrd_end;
};

/**
 * dtinfo_parse() - validate a flattened device tree and extract what we use.
 * @fdt: the blob (untrusted); @max_size: bytes readable at @fdt.
 * Returns 0, or -EINVAL (not a DT / corrupt), -ENOENT (no memory node),
 * -E2BIG (more banks or regions than we keep; the extra ones are dropped
 * only after a warning, so this is reported but @out is still filled).
 */
int __must_check dtinfo_parse(const void *fdt, uint64_t max_size, struct dtinfo *out);

/**
 * dtinfo_validate() - the structural checks of dtinfo_parse() alone, silent:
 * header, version >= 17, totalsize <= @max_size, property names inside the
 * strings block, libfdt's full check. Returns 0, -EINVAL (no DT header),
 * -EOPNOTSUPP (version < 17), -EILSEQ (corrupt or larger than @max_size).
 */
int __must_check dtinfo_validate(const void *fdt, uint64_t max_size);

/** dtinfo_set() - remember the parsed DT for later users (commands, boot). */
void dtinfo_set(const struct dtinfo *dt);
/** dtinfo_get() - the remembered DT info, or NULL if there was no usable DT. */
const struct dtinfo *dtinfo_get(void);

/** mem_range_room() - bytes from @pa to the end of the range of @ranges
 * holding it (the largest, if ranges overlap); 0 when none holds @pa. The
 * one bank check of the tree. */
uint64_t mem_range_room(const struct mem_range *ranges, unsigned int count, uint64_t pa);

/** dtinfo_is_ram() - true if [base, base+size) lies inside one RAM bank
 * (and @base itself is RAM, even when @size is 0). */
bool dtinfo_is_ram(const struct dtinfo *dt, uint64_t base, uint64_t size);

#endif
