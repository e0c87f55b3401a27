/* The sandbox side of include/arch/context.h: images are host functions
 * (tests register them), they run on the host stack, and the host's caches
 * are coherent. Contexts are setjmp/longjmp (asm/context.h). */
#include <arch/context.h>

uint64_t arch_call_image(uint64_t (*fn)(void *, void *), void *a0, void *a1, void *stack_top)
{
	(void)stack_top; /* ASan tracks the host stack: no switching here */
	return fn(a0, a1);
}

void arch_icache_sync(const void *va, uint64_t size)
{
	(void)va;
	(void)size;
}
