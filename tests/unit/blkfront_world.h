/* The world both blkfront test programs run in: one simulated Xen with
 * xenstored, disk images with a pattern in every sector, and a backend per
 * test. Included once per program (cmocka first). */
#ifndef TESTS_UNIT_BLKFRONT_WORLD_H
#define TESTS_UNIT_BLKFRONT_WORLD_H

#include <arch/arch.h>
#include <cmd/cmd.h>
#include <disk/blk.h>
#include <drivers/blkfront.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/blkback.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>
#include <zlib.h>

#include "../../drivers/block/blkfront_internal.h"

#define DISK_SIZE (4u << 20)
#define XVDA 51712u
#define XVDB 51728u
/* Above the DT (0x48000000): below it is xenboot's heap, where the driver's
 * shared pages come from (sim/heap.c). */
#define BUF_GPA 0x49000000ULL

static struct dtinfo dt;
static uint8_t *image, *image2;

/* A pattern where every 512-byte sector differs: xorshift of the offset. */
static inline void fill_pattern(uint8_t *p, size_t size, uint32_t seed)
{
	uint32_t x = seed | 1;

	for (size_t i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 7);
	}
}

static inline uint8_t *guest_buf(uint64_t offset)
{
	return arch_phys_to_virt(BUF_GPA + offset);
}

static inline struct sim_blkback_config full_cfg(uint32_t vdev, uint8_t *img)
{
	return (struct sim_blkback_config){
	    .vdev = vdev,
	    .image = img,
	    .image_size = DISK_SIZE,
	    .max_ring_order = 4,
	    .max_indirect_segs = 256,
	    .has_persistent = true,
	    .has_flush = true,
	};
}

static inline int world_up(void)
{
	uint64_t size;
	const void *fdt;

	if (sim_init(NULL)) {
		return -1;
	}
	fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt)) {
		return -1;
	}
	evtchn_init();
	if (gnttab_init(&dt) || sim_xs_start() || xs_init()) {
		return -1;
	}
	image = malloc(DISK_SIZE);
	image2 = malloc(DISK_SIZE);
	fill_pattern(image, DISK_SIZE, 1);
	fill_pattern(image2, DISK_SIZE, 2);
	return 0;
}

static inline int teardown(void **state)
{
	(void)blkfront_shutdown_all();
	bf_forget_all();
	blkfront_set_max_segments(0);
	blkfront_set_persistent(true);
	xs_detach();
	(void)gnttab_unmap_all();
	(void)shinfo_unmap();
	sim_reset();
	free(image);
	free(image2);
	return 0;
}

/* Bring up a world with one backend built by @cfg and probe it. */
static inline struct sim_blkback *one_disk(struct sim_blkback_config cfg)
{
	struct sim_blkback *bb;

	assert_int_equal(world_up(), 0);
	if (!cfg.image) {
		cfg.image = image;
	}
	bb = sim_blkback_add(&cfg);
	assert_non_null(bb);
	assert_int_equal(blkfront_probe_all(), 1);
	return bb;
}

#endif
