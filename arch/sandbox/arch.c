/* The arch interface on the host: the "CPU" is the simulated Xen in sim/.
 * Hypercalls are function calls, guest-physical addresses go through the
 * sim's p2m, and waiting lets simulated time pass. */
#include <arch/arch.h>
#include <lib/errno.h>
#include <sandbox/jump.h>
#include <sim/sim.h>

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	return sim_hypercall(op, a0, a1, a2, a3, a4);
}

uint64_t arch_time_ns(void)
{
	return sim_time_ns();
}

void arch_wait(uint64_t deadline_ns)
{
	sim_wait(deadline_ns);
}

void *arch_phys_to_virt(uint64_t pa)
{
	return sim_phys_to_virt(pa);
}

uint64_t arch_virt_to_phys(const void *va)
{
	return sim_virt_to_phys(va);
}

/* Guest RAM from the sim's heap window, not host malloc: only guest RAM
 * can be granted, and a backend must reach it through the p2m. */
int arch_pages_alloc(size_t count, void **pages)
{
	/* Our errno values are Xen's (include/errno.h), so the result passes through. */
	return sim_heap_alloc(count, pages);
}

void arch_pages_free(void *pages, size_t count)
{
	sim_heap_free(pages, count);
}

/* There are no page tables on the host; what can still be checked is what
 * the arm64 port would refuse: an empty or unaligned range. */
int arch_map_shared(uint64_t pa, uint64_t size)
{
	uint64_t end;

	if (!size || !IS_ALIGNED(pa, PAGE_SIZE) || __builtin_add_overflow(pa, size, &end)) {
		return -EINVAL;
	}
	return 0;
}

/* Every RAM bank the DT describes must be RAM in the sim: a mismatch means
 * dtinfo_parse() misread the tree, which the arm64 port would only notice
 * as a fault much later. */
int arch_platform_init(const struct dtinfo *dt)
{
	for (unsigned int i = 0; i < dt->bank_count; i++) {
		const struct mem_range *b = &dt->banks[i];
		if (!b->size || !sim_gfn_is_ram(b->base >> PAGE_SHIFT) ||
		    !sim_gfn_is_ram((b->base + b->size - 1) >> PAGE_SHIFT)) {
			return -EINVAL;
		}
	}
	return 0;
}

void arch_image_info(struct arch_image_info *info)
{
	info->load_addr = SIM_IMAGE_BASE;
	info->link_addr = SIM_IMAGE_BASE;
	info->image_size = SIM_IMAGE_SIZE;
	info->end = SIM_IMAGE_BASE + SIM_IMAGE_SIZE;
	/* The sim's page heap: from the Image's slot up to where xl put the DT. */
	sim_heap_range(&info->heap_start, &info->heap_end);
	info->reloc_count = 0;
}

void arch_irq_quiesce(void)
{
	/* The sim's waits take no interrupts: nothing to quiesce. */
}

void arch_dcache_flush(const void *va, uint64_t size)
{
	/* The host is coherent: nothing to clean. */
	(void)va;
	(void)size;
}

static struct sandbox_jump last_jump;

/* The registers the arm64 port loads before `br entry` (arch/arm64/boot.S). */
int arch_boot_linux(uint64_t entry, uint64_t dtb)
{
	last_jump.count++;
	last_jump.entry = entry;
	last_jump.x[0] = dtb;
	last_jump.x[1] = last_jump.x[2] = last_jump.x[3] = 0;
	return ARCH_JUMP_RECORDED;
}

const struct sandbox_jump *sandbox_jump_last(void)
{
	return &last_jump;
}

void sandbox_jump_reset(void)
{
	last_jump = (struct sandbox_jump){0};
}

/* The host's trap instruction: the process dies with SIGILL, as the guest
 * would crash. */
void arch_undefined_insn(void)
{
	__builtin_trap();
}
