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
#include <lib/dtinfo.h>
#include <lib/memmap.h>
#include <sim/sim.h>
#include <stdlib.h>

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
