/* The regions of guest RAM that loads must avoid (include/lib/memmap.h). */
#include <lib/dtinfo.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <stddef.h>

struct memmap {
	struct memmap_region regions[MEMMAP_MAX];
	unsigned int count;
};

static struct memmap the_map;

int memmap_add(uint64_t base, uint64_t size, enum memmap_kind kind)
{
	if (size == 0 || base + size < base) {
		return -EINVAL;
	}
	/* Lost pages come one by one: grow a touching region instead of
	 * filling the table with neighbours. */
	for (unsigned int i = 0; kind == MEMMAP_LOST && i < the_map.count; i++) {
		struct memmap_region *r = &the_map.regions[i];
		if (r->kind == kind && base <= r->base + r->size && r->base <= base + size) {
			uint64_t end = MAX(r->base + r->size, base + size);
			r->base = MIN(r->base, base);
			r->size = end - r->base;
			return 0;
		}
	}
	if (the_map.count == MEMMAP_MAX) {
		return -ENOSPC;
	}
	the_map.regions[the_map.count++] = (struct memmap_region){base, size, kind};
	return 0;
}

int memmap_check(uint64_t addr, uint64_t len, struct memmap_region *hit)
{
	if (len == 0) {
		return 0;
	}
	/* dtinfo_is_ram() also rules out addr + len wrapping. */
	if (!dtinfo_is_ram(dtinfo_get(), addr, len)) {
		return -EFAULT;
	}
	for (unsigned int i = 0; i < the_map.count; i++) {
		const struct memmap_region *r = &the_map.regions[i];

		if (addr < r->base + r->size && r->base < addr + len) {
			if (hit) {
				*hit = *r;
			}
			return -EBUSY;
		}
	}
	return 0;
}

unsigned int memmap_count(void)
{
	return the_map.count;
}

const struct memmap_region *memmap_at(unsigned int i)
{
	return i < the_map.count ? &the_map.regions[i] : NULL;
}

const char *memmap_kind_name(enum memmap_kind kind)
{
	switch (kind) {
	case MEMMAP_XENBOOT:
		return "xenboot";
	case MEMMAP_FDT:
		return "device tree";
	case MEMMAP_LOST:
		return "lost to a backend";
	}
	return "?";
}

void memmap_reset(void)
{
	the_map.count = 0;
}
