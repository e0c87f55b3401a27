/* The sandbox side of include/arch/context.h: contexts are the host's
 * setjmp/longjmp (asm/context.h), caches are coherent, and images run as
 * host functions: efi_image_set_entry() ones directly, and any other
 * through the hook a test registers (sandbox/image.h); AArch64 code in
 * guest RAM is never jumped to. */
#include <arch/context.h>
#include <lib/dtinfo.h>
#include <sandbox/image.h>
#include <sim/sim.h>

/* The sandbox's one hook, like its jump record (arch.c): test state. */
static sandbox_image_hook image_hook;

void sandbox_image_hook_set(sandbox_image_hook hook)
{
	image_hook = hook;
}

/* Is @p in one of the RAM banks the DT describes (each one host block)? */
static bool is_guest_ram(const void *p)
{
	const struct dtinfo *dt = dtinfo_get();
	uintptr_t a = (uintptr_t)p;

	for (unsigned int i = 0; dt && i < dt->bank_count; i++) {
		uintptr_t h = (uintptr_t)sim_phys_to_virt(dt->banks[i].base);
		if (h && a >= h && a - h < dt->banks[i].size) {
			return true;
		}
	}
	return false;
}

uint64_t arch_call_image(uint64_t (*fn)(void *, void *), void *a0, void *a1, void *stack_top)
{
	(void)stack_top; /* ASan tracks the host stack: no switching here */
	if (image_hook) {
		return image_hook((void *)fn, a0, a1);
	}
	if (is_guest_ram((const void *)fn)) {
		return SANDBOX_IMAGE_NOT_RUN;
	}
	return fn(a0, a1);
}

void arch_icache_sync(const void *va, uint64_t size)
{
	(void)va;
	(void)size;
}
