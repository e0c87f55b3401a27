/*
 * Guest RAM: every bank of the DT, what covers it, and the page allocator
 * over what is left. Regions mark what a load must not overwrite: xenboot
 * itself (image, stacks, page tables; its malloc heap), the device tree Xen
 * gave us, pages lost to a backend (granted and never given back) and
 * tagged page allocations (EFI AllocatePages, the booted OS's pieces).
 * One check for every command that writes guest memory (load, pvblock
 * read, booti, ...), the list the boot code keeps away from the booted OS,
 * and the memory map EFI's GetMemoryMap reports.
 */
#ifndef LIB_MEMMAP_H
#define LIB_MEMMAP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX 512

/* In rising precedence: where regions overlap, the map shows the highest. */
enum memmap_kind {
	MEMMAP_FREE, /* only in descriptors: RAM nobody holds */
	MEMMAP_ALLOC, /* memmap_alloc*(): page-aligned, tagged, never overlapping each other */
	MEMMAP_HEAP, /* xenboot's malloc heap (rings, grant pool) */
	MEMMAP_XENBOOT, /* our image, bss, stacks, page tables (EFI runtime code lives there) */
	MEMMAP_FDT, /* the device tree Xen passed */
	MEMMAP_LOST, /* still granted to a backend: never reuse, never give to the OS */
};

struct memmap_region {
	uint64_t base, size;
	enum memmap_kind kind;
	uint32_t tag; /* MEMMAP_ALLOC: the EFI memory type or booti purpose; else 0 */
};

/* One entry of the memory map: page-aligned, size > 0. */
struct memmap_desc {
	uint64_t base, size;
	enum memmap_kind kind;
	uint32_t tag;
};

/**
 * memmap_add() - mark [base, base+size) as not free (any kind but FREE and
 * ALLOC). Regions may overlap; a MEMMAP_LOST range touching a LOST region
 * grows it (pages are lost one by one).
 * Returns 0, -EINVAL (empty, wrapping, bad kind), -ENOSPC (table full: the
 * caller must then treat the memory as unusable some other way).
 */
int __must_check memmap_add(uint64_t base, uint64_t size, enum memmap_kind kind);

/**
 * memmap_check() - may [addr, addr+len) be written? Returns 0 (inside one RAM
 * bank and over no region; an empty range always is), -EFAULT (not inside
 * one RAM bank) or -EBUSY (overlaps a region; *@hit, if not NULL, receives
 * the first one).
 */
int __must_check memmap_check(uint64_t addr, uint64_t len, struct memmap_region *hit);

/**
 * memmap_alloc() - @size bytes (rounded up to whole pages) of free RAM in
 * [@lo, @hi), inside one bank and over no page of any region, at a multiple
 * of @align (a power of two; below a page means a page). The highest such
 * place when @top_down (EFI AllocateAnyPages/AllocateMaxAddress), else the
 * lowest. Recorded as MEMMAP_ALLOC with @tag.
 * Returns 0 and *@addr, -EINVAL (size 0 or too big, bad align), -ENOMEM (no
 * room), -ENOSPC (region table full).
 */
int __must_check memmap_alloc(uint64_t *addr, uint64_t size, uint64_t align, uint64_t lo,
			      uint64_t hi, bool top_down, uint32_t tag);

/**
 * memmap_alloc_at() - allocate exactly [@addr, @addr+@size) (size rounded up
 * to pages; EFI AllocateAddress). Returns 0, -EINVAL (@addr not page-aligned,
 * size 0, wrapping), -EFAULT (not inside one RAM bank), -EBUSY (a page of a
 * region is in the way), -ENOSPC (table full).
 */
int __must_check memmap_alloc_at(uint64_t addr, uint64_t size, uint32_t tag);

/**
 * memmap_free() - give back the pages of [@addr, @addr+@size) (size rounded
 * up to pages), which must all lie in MEMMAP_ALLOC regions; a region keeps
 * what is left of it on either side. Returns 0, -EINVAL (@addr not
 * page-aligned, size 0, wrapping), -ENOENT (a page was not allocated:
 * nothing is freed), -ENOSPC (a split needs a table entry there is none of).
 */
int __must_check memmap_free(uint64_t addr, uint64_t size);

/**
 * memmap_describe() - the memory map: sorted, non-overlapping, page-aligned
 * descriptors covering every RAM bank (its whole pages) exactly, each free or
 * of the kind and tag of the highest-precedence region covering it (a page
 * holding any byte of a region belongs to it); neighbours that are equal
 * and adjacent are merged. Returns 0 and *@count; -ENOSPC when @max is too
 * small, *@count then being the number needed (@out holds the first @max).
 */
int __must_check memmap_describe(struct memmap_desc *out, unsigned int max, unsigned int *count);

/** memmap_key() - changes with every change of the map (EFI's map key). */
uint64_t memmap_key(void);

/** memmap_count(), memmap_at() - iterate over the regions, in the order added. */
unsigned int memmap_count(void);
const struct memmap_region *memmap_at(unsigned int i);

/** memmap_kind_name() - "xenboot", "device tree", "lost to a backend", ... */
const char *memmap_kind_name(enum memmap_kind kind);

/** memmap_reset() - forget every region (tests). */
void memmap_reset(void);

#endif
