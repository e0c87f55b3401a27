/* A guest on the simulated Xen as xenboot's start-up leaves it, for the
 * tests that run commands: the console, Xen's DT parsed and current, and
 * xenboot's own memory reserved, so loads are checked as on arm64.
 * Included once per program, after cmocka. */
#ifndef TESTS_UNIT_GUEST_WORLD_H
#define TESTS_UNIT_GUEST_WORLD_H

#include "images/image.h"
#include <disk/blk.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/memmap.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <stdlib.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

/* sim_init(@cfg) (NULL: one 256 MiB bank), then start-up's first steps.
 * Returns 0 or -1 (a cmocka setup result). */
static inline int guest_world_start(const struct sim_config *cfg, struct dtinfo *dt)
{
	uint64_t size;
	const void *fdt;

	if (sim_init(cfg) || pvcons_init_from_hvm()) {
		return -1;
	}
	fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, dt)) {
		return -1;
	}
	dtinfo_set(dt);
	memmap_reset();
	xenboot_reserve_own_memory(dt);
	return 0;
}

/* The Xen services start-up brings up after the DT: shared_info, event
 * channels, grant table and XenStore (the simulated xenstored first). */
static inline int guest_world_xen(const struct dtinfo *dt)
{
	if (shinfo_map(dt)) {
		return -1;
	}
	evtchn_init();
	return gnttab_init(dt) || sim_xs_start() || xs_init() ? -1 : 0;
}

/* Undo it all and reset the sim, whatever state a failed test left. */
static inline void guest_world_stop(void)
{
	memmap_reset();
	console_set(NULL);
	xs_detach();
	(void)gnttab_unmap_all();
	(void)shinfo_unmap();
	sim_reset();
}

/* The test image @kind (tests/unit/images) as the registered RAM disk
 * "ram0" with 512-byte blocks; *@data is the caller's to free. */
static inline int guest_world_ramdisk(struct blk_ram *ram, const char *kind, uint8_t **data,
				      size_t *size)
{
	*data = img_load(kind, size, NULL, 0);
	if (!*data || blk_ram_init(ram, "ram0", *data, *size, 512, false) ||
	    blk_register(&ram->dev)) {
		return -1;
	}
	return 0;
}

#endif
