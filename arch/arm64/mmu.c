/*
 * Incremental identity mapper over the live stage-1 tables that entry.S
 * built (4 KiB granule, 48-bit VA, root at arm64_pt_pool[0]).
 *
 * It only ever turns invalid entries into valid ones: an existing block or
 * page is kept if its attributes match and refused (-EEXIST) otherwise, and
 * a table is descended into. No live entry is ever changed, so no
 * break-before-make sequence and no TLB invalidation is needed: TLBs never
 * hold entries that gave a translation fault (Arm ARM, "Translation
 * Lookaside Buffers"), and a DSB + ISB makes the new entries visible to the
 * walker and to the following instructions.
 */
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <arm64/mmu.h>
#include <lib/errno.h>

#define LEVEL_COUNT 4
/* Attribute bits of a block/page descriptor: everything but address and type. */
#define PTE_ATTR_MASK (~(PTE_ADDR_MASK | PTE_TYPE_MASK))

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level;
}

/* A zeroed page from the pool (.bss is zeroed before the MMU is on). */
static uint64_t *table_alloc(void)
{
	if (arm64_pt_used >= PT_POOL_PAGES) {
		return NULL;
	}
	return arm64_pt_pool[arm64_pt_used++];
}

/*
 * map_step() - map the largest chunk at @va that fits in [@va, @end),
 * descending from the root. Returns 0 with *@step = bytes now covered from
 * @va (a whole existing block may cover more than asked), or -ENOMEM /
 * -EEXIST.
 */
static int map_step(uint64_t va, uint64_t end, uint64_t attrs, uint64_t *step)
{
	uint64_t *table = arm64_pt_pool[0];

	for (unsigned int level = 0; level < LEVEL_COUNT; level++) {
		uint64_t size = 1ULL << level_shift(level);
		uint64_t *entry = &table[(va >> level_shift(level)) % PT_ENTRIES];
		uint64_t e = *entry;

		if (!(e & PTE_VALID)) {
			/* Level 0 has no blocks with a 4 KiB granule. */
			if (level > 0 && IS_ALIGNED(va, size) && end - va >= size) {
				*entry =
				    va | attrs |
				    (level == LEVEL_COUNT - 1 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
				*step = size;
				return 0;
			}
			uint64_t *next = table_alloc();
			if (!next) {
				return -ENOMEM;
			}
			e = (uint64_t)next | PTE_TYPE_TABLE;
			*entry = e;
		} else if (level == LEVEL_COUNT - 1 || (e & PTE_TYPE_MASK) == PTE_TYPE_BLOCK) {
			if ((e & PTE_ATTR_MASK) != attrs) {
				return -EEXIST;
			}
			*step = ALIGN_DOWN(va, size) + size - va;
			return 0;
		}
		table = (uint64_t *)(e & PTE_ADDR_MASK);
	}
	return -EINVAL; /* not reached: level 3 always returns */
}

static int map_range(uint64_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t end;
	int rc = 0;

	if (!size) {
		return 0;
	}
	if (__builtin_add_overflow(pa, size, &end) || end > (1ULL << VA_BITS)) {
		return -EINVAL;
	}
	pa = ALIGN_DOWN(pa, SZ_4K);
	end = ALIGN_UP(end, SZ_4K);
	while (pa < end) {
		uint64_t step;

		rc = map_step(pa, end, attrs, &step);
		if (rc) {
			break;
		}
		pa += step;
	}
	/* Make the new entries visible to the walker (inner shareable, as the
	 * walks are), then resynchronise the instruction stream. */
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
	return rc;
}

int mmu_map_normal(uint64_t pa, uint64_t size)
{
	return map_range(pa, size, PTE_NORMAL);
}

int mmu_map_device(uint64_t pa, uint64_t size)
{
	return map_range(pa, size, PTE_DEVICE);
}

int arch_map_shared(uint64_t pa, uint64_t size)
{
	return mmu_map_normal(pa, size);
}

void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

void arch_dcache_flush(const void *va, uint64_t size)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	/* CTR_EL0.DminLine: log2 of the smallest D-cache line, in words. */
	uint64_t line = 4ULL << ((ctr >> 16) & 0xf);
	uint64_t end = (uint64_t)(uintptr_t)va + size;

	for (uint64_t p = ALIGN_DOWN((uint64_t)(uintptr_t)va, line); p < end; p += line) {
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	}
	__asm__ volatile("dsb sy" ::: "memory");
}
