/* Guest RAM that a load must not overwrite: xenboot itself (image, stack,
 * heap with its rings and grant pool), the device tree Xen gave us, and pages
 * lost to a backend (granted and never given back). One check for every
 * command that writes guest memory (load, pvblock read, booti, ...), and the
 * list the boot code keeps away from the booted OS. */
#ifndef LIB_MEMMAP_H
#define LIB_MEMMAP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX 32

enum memmap_kind {
	MEMMAP_XENBOOT, /* our image, stack and heap */
	MEMMAP_FDT, /* the device tree Xen passed */
	MEMMAP_LOST, /* still granted to a backend: never reuse, never give to the OS */
};

struct memmap_region {
	uint64_t base, size;
	enum memmap_kind kind;
};

/**
 * memmap_add() - mark [base, base+size) as not free. Regions may overlap;
 * a MEMMAP_LOST range touching a LOST region grows it (pages are lost one by one).
 * Returns 0, -EINVAL (empty or wrapping), -ENOSPC (table full: the caller
 * must then treat the memory as unusable some other way).
 */
int __must_check memmap_add(uint64_t base, uint64_t size, enum memmap_kind kind);

/**
 * memmap_check() - may [addr, addr+len) be written? Returns 0 (inside one RAM
 * bank and over no region; an empty range always is), -EFAULT (not inside
 * one RAM bank) or -EBUSY (overlaps a region; *@hit, if not NULL, receives
 * the first one).
 */
int __must_check memmap_check(uint64_t addr, uint64_t len, struct memmap_region *hit);

/** memmap_count(), memmap_at() - iterate over the regions, in the order added. */
unsigned int memmap_count(void);
const struct memmap_region *memmap_at(unsigned int i);

/** memmap_kind_name() - "xenboot", "device tree", "lost to a backend". */
const char *memmap_kind_name(enum memmap_kind kind);

/** memmap_reset() - forget everything (tests). */
void memmap_reset(void);

#endif
