/* The arch interface: everything generic code needs from the CPU or host.
 * Implemented by arch/arm64 (the real guest) and arch/sandbox (the host
 * build on sim/). Generic code has no other way to reach either. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <stddef.h>
#include <stdint.h>

/** arch_hypercall() - raw Xen hypercall @op with up to five arguments. */
long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4);

/** arch_time_ns() - monotonic nanoseconds since an arbitrary origin. */
uint64_t arch_time_ns(void);

/**
 * arch_wait() - give the CPU back to Xen until an event-channel upcall may be
 * pending or @deadline_ns (arch_time_ns() scale) has passed. May return early
 * for any reason; callers re-check their condition and loop. Never spins.
 */
void arch_wait(uint64_t deadline_ns);

/** arch_phys_to_virt() - our pointer to guest-physical @pa (identity on arm64). */
void *arch_phys_to_virt(uint64_t pa);
/** arch_virt_to_phys() - guest-physical address of our pointer @va. */
uint64_t arch_virt_to_phys(const void *va);

/**
 * arch_pages_alloc() - @count page-aligned, physically contiguous pages of
 * guest RAM that may be granted to another domain; *@pages receives them.
 * Their contents are undefined: zero them before granting (STYLE U4).
 * Returns 0, -EINVAL (@count 0 or too big), -ENOMEM.
 */
int __must_check arch_pages_alloc(size_t count, void **pages);
/**
 * arch_pages_free() - give back @count pages from arch_pages_alloc(). The
 * caller must have ended every grant on them first: the memory is reused.
 */
void arch_pages_free(void *pages, size_t count);

/**
 * arch_map_shared() - map [pa, pa+size) Normal WB inner-shareable, as Xen
 * requires for pages shared with it. Returns 0, -ENOMEM (no table space),
 * -EEXIST (already mapped with other attributes).
 */
int __must_check arch_map_shared(uint64_t pa, uint64_t size);

/**
 * arch_platform_init() - map everything the DT describes (every RAM bank,
 * the grant-table region and extended regions as Normal memory, device
 * windows as Device memory) and set up what arch_wait() needs (GIC, timer).
 */
int __must_check arch_platform_init(const struct dtinfo *dt);

struct arch_image_info {
	uint64_t load_addr; /* where Xen placed our Image */
	uint64_t link_addr; /* the address we were linked for */
	uint64_t image_size; /* bytes in the file */
	uint64_t end; /* end of BSS and stack */
	uint64_t heap_start, heap_end;
	uint64_t reloc_count; /* relocations applied at start-up */
};

/** arch_image_info() - where we run; for meminfo. */
void arch_image_info(struct arch_image_info *info);

/**
 * arch_irq_quiesce() - for handoff: stop using interrupts to wake from
 * waits (arch_wait() still sleeps in WFI: Xen wakes it for disabled ones) and leave
 * nothing of ours enabled, pending or active in the interrupt controller.
 */
void arch_irq_quiesce(void);

/** arch_dcache_flush() - clean and invalidate [va, va+size) to the point of coherency. */
void arch_dcache_flush(const void *va, uint64_t size);

/**
 * arch_undefined_insn() - execute an instruction the CPU does not define, so
 * the crash path (exception report, console flush, crash shutdown) runs on
 * purpose (`exception undefined`). Does not return on arm64.
 */
void arch_undefined_insn(void);

/* What the sandbox's arch_boot_linux() returns: the jump was recorded, not made. */
#define ARCH_JUMP_RECORDED 0x4a4d50 /* "JMP" */

/**
 * arch_boot_linux() - enter a Linux arm64 kernel at @entry with x0 = @dtb and
 * x1..x3 = 0: DAIF masked, MMU and D-cache off, I-cache invalidated
 * (booting.rst). The caller must have cleaned kernel, initrd and DTB to the
 * point of coherency (arch_dcache_flush). Never returns on arm64; the
 * sandbox records the jump (sandbox/jump.h) and returns ARCH_JUMP_RECORDED,
 * a value the arm64 port never produces.
 */
int arch_boot_linux(uint64_t entry, uint64_t dtb);

#endif
