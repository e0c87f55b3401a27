/*
 * The heap behind picolibc's malloc, which grows it with sbrk(). Defining
 * sbrk here keeps picolibc's own (which wants __heap_start/__heap_end from
 * its linker script) out of the link.
 *
 * The heap starts right after our footprint (.bss, stacks, page tables),
 * or after the DTB if entry.S had to move the DTB there. Its end is set in
 * two steps:
 *  - from arch_start(): the rest of the early-mapped 2 MiB block(s), so
 *    malloc works before the DT is parsed, without touching unmapped memory;
 *  - from arch_platform_init(): HEAP_SIZE, clipped to the RAM bank that
 *    holds the heap and to any DTB or initrd Xen placed above it.
 */
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <lib/errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t heap_start, heap_end, heap_brk;

void heap_init(uint64_t start, uint64_t end)
{
	heap_start = ALIGN_UP(start, 16);
	heap_brk = heap_start;
	heap_end = MAX(end, heap_start);
}

void heap_set_limit(uint64_t end)
{
	/* Never below what malloc already owns. */
	heap_end = MAX(end, heap_brk);
}

void heap_get(uint64_t *start, uint64_t *end)
{
	*start = heap_start;
	*end = heap_end;
}

/* Returns the old break, or (void *)-1 if the request leaves the window. */
void *sbrk(ptrdiff_t incr)
{
	uint64_t old = heap_brk;

	if (incr >= 0 ? (uint64_t)incr > heap_end - heap_brk
		      : 0 - (uint64_t)incr > heap_brk - heap_start) {
		return (void *)-1;
	}
	heap_brk += (uint64_t)incr;
	return (void *)(uintptr_t)old;
}

/* Pages to share with Xen come from malloc's heap: it is RAM, mapped Normal
 * WB inner-shareable by arch_platform_init() like the rest of the bank, and
 * identity-mapped, so the pages of one allocation are contiguous in guest
 * physical memory too. */
int arch_pages_alloc(size_t count, void **pages)
{
	size_t size;
	void *p;

	if (!count || __builtin_mul_overflow(count, (size_t)PAGE_SIZE, &size)) {
		return -EINVAL;
	}
	p = aligned_alloc(PAGE_SIZE, size);
	if (!p) {
		return -ENOMEM;
	}
	*pages = p;
	return 0;
}

void arch_pages_free(void *pages, size_t count)
{
	(void)count;
	free(pages);
}
