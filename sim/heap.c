/* The guest's page heap: what arch_pages_alloc() returns in the sandbox.
 *
 * On arm64 the pages xenboot shares with backends come from its malloc heap,
 * in RAM bank 0 right after the Image. Host malloc'd memory is not guest
 * RAM, so here the same window of bank 0 (from the end of the Image's 4 MiB
 * slot, 2 MiB-aligned, up to the DT; what arch_image_info() reports) is
 * carved into pages by a first-fit allocator. Its pages are ordinary RAM in
 * the p2m: grantable, mapped by backends, reachable by GPA, no aliasing.
 *
 * Two things keep the sanitizers and the tests honest:
 *  - a fresh allocation is filled with SIM_HEAP_FILL, not zeros, so a
 *    driver that grants a page without zeroing it shows the pattern to the
 *    backend (STYLE U4);
 *  - freed pages are poisoned for ASan until they are allocated again, so
 *    the guest or a backend touching a page after arch_pages_free() stops
 *    the test, as a use-after-free of malloc'd memory would. Pages never
 *    allocated stay unpoisoned: the shell may read any RAM. */
#include "internal.h"

#include <sanitizer/asan_interface.h>
#include <string.h>

#define SIM_HEAP_FILL 0xa5
#define SIM_HEAP_ALIGN 0x200000ULL

/* Per page: free, first page of an allocation, or one of its later pages. */
enum { PAGE_FREE = 0, PAGE_HEAD, PAGE_TAIL };

static uint64_t heap_base, heap_end;
static unsigned char *heap_host;
static uint8_t *page_state;
static size_t heap_page_count, used_count, limit_count;

int sim_heap_init(uint64_t fdt_gpa)
{
	const struct sim_bank *b0 = &sim_cfg.banks[0];
	uint64_t start =
	    (SIM_IMAGE_BASE + SIM_IMAGE_SIZE + SIM_HEAP_ALIGN - 1) & ~(SIM_HEAP_ALIGN - 1);
	uint64_t end = fdt_gpa & ~(SIM_PAGE_SIZE - 1);

	if (end > b0->base + b0->size) {
		end = b0->base + b0->size;
	}
	heap_base = start;
	heap_end = end > start ? end : start;
	heap_page_count = (size_t)((heap_end - heap_base) / SIM_PAGE_SIZE);
	limit_count = heap_page_count;
	used_count = 0;
	heap_host = heap_page_count ? sim_phys_to_virt(heap_base) : NULL;
	page_state = calloc(heap_page_count + 1, 1);
	return page_state && (heap_host || !heap_page_count) ? 0 : -XEN_ENOMEM;
}

void sim_heap_reset(void)
{
	/* The bank is unmapped next; leave no poisoned shadow behind for
	 * whatever the host maps at that address later. */
	if (heap_host) {
		ASAN_UNPOISON_MEMORY_REGION(heap_host, heap_page_count * SIM_PAGE_SIZE);
	}
	free(page_state);
	page_state = NULL;
	heap_host = NULL;
	heap_page_count = 0;
	used_count = 0;
	limit_count = 0;
}

/* Is [first, first+count) free and still plain RAM in the p2m? */
static bool run_is_free(size_t first, size_t count)
{
	for (size_t i = first; i < first + count; i++) {
		if (page_state[i] != PAGE_FREE ||
		    !sim_gfn_is_ram((heap_base >> 12) + (uint64_t)i)) {
			return false;
		}
	}
	return true;
}

int sim_heap_alloc(size_t count, void **pages)
{
	if (!count || count > heap_page_count) {
		return count ? -XEN_ENOMEM : -XEN_EINVAL;
	}
	if (used_count + count > limit_count || !page_state) {
		return -XEN_ENOMEM;
	}
	for (size_t first = 0; first + count <= heap_page_count; first++) {
		if (!run_is_free(first, count)) {
			continue;
		}
		unsigned char *p = heap_host + first * SIM_PAGE_SIZE;
		page_state[first] = PAGE_HEAD;
		memset(page_state + first + 1, PAGE_TAIL, count - 1);
		used_count += count;
		ASAN_UNPOISON_MEMORY_REGION(p, count * SIM_PAGE_SIZE);
		memset(p, SIM_HEAP_FILL, count * SIM_PAGE_SIZE);
		*pages = p;
		return 0;
	}
	return -XEN_ENOMEM;
}

void sim_heap_free(void *pages, size_t count)
{
	uintptr_t off = (uintptr_t)pages - (uintptr_t)heap_host;
	size_t first = off / SIM_PAGE_SIZE;

	/* Exactly one whole allocation, or the guest's bookkeeping is wrong. */
	if (!heap_host || (uintptr_t)pages < (uintptr_t)heap_host || off % SIM_PAGE_SIZE ||
	    !count || first + count > heap_page_count || page_state[first] != PAGE_HEAD ||
	    page_state[first + count] == PAGE_TAIL) {
		sim_fatal("heap: free of %p (%zu pages) that is not one allocation\n", pages,
			  count);
	}
	for (size_t i = first + 1; i < first + count; i++) {
		if (page_state[i] != PAGE_TAIL) {
			sim_fatal("heap: free of %p with the wrong size (%zu pages)\n", pages,
				  count);
		}
	}
	memset(page_state + first, PAGE_FREE, count);
	used_count -= count;
	ASAN_POISON_MEMORY_REGION(pages, count * SIM_PAGE_SIZE);
}

void sim_heap_range(uint64_t *start, uint64_t *end)
{
	*start = heap_base;
	*end = heap_end;
}

size_t sim_heap_used(void)
{
	return used_count;
}

void sim_heap_set_limit(size_t pages)
{
	limit_count = pages && pages < heap_page_count ? pages : heap_page_count;
}
