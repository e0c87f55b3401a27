/* Internal interfaces between the files of arch/arm64 (not for generic code). */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <stdint.h>

/* Recorded by entry.S once relocation is done (see there). */
extern uint64_t arm64_load_addr; /* runtime address of the image header */
extern uint64_t arm64_reloc_count; /* R_AARCH64_RELATIVE entries applied */
extern uint64_t arm64_pt_used; /* pool pages the early map took */
extern uint64_t arm64_pt_pool[][512]; /* page-table pool; [0] is the root */

/* Linker-script symbols (link.lds). Addresses only: never read them. */
extern char _head[], __file_end[], __bss_start[], _end[];

/** mmu_map_normal() - identity-map Normal WB inner-shareable; see arch_map_shared(). */
int __must_check mmu_map_normal(uint64_t pa, uint64_t size);
/** mmu_map_device() - identity-map Device-nGnRnE, never executable. Same errors. */
int __must_check mmu_map_device(uint64_t pa, uint64_t size);

/**
 * gic_init() - enable the vtimer and event-channel PPIs (windows already
 * mapped). On failure it logs; arch_wait() works without it (timer.c).
 */
void gic_init(const struct dtinfo *dt);
/** gic_is_ready() - true once gic_init() succeeded (arch_wait may use WFI). */
int gic_is_ready(void);
/** gic_ack_all() - acknowledge and EOI every pending interrupt (bounded). */
void gic_ack_all(void);
/** gic_quiesce() - before leaving for an OS: our PPIs off, nothing pending or active. */
void gic_quiesce(void);

/**
 * heap_set_limit() - let sbrk() grow up to @end (never below what it has
 * already handed out). Called once the RAM layout is known.
 */
void heap_set_limit(uint64_t end);
/** heap_get() - current heap window [start, end). */
void heap_get(uint64_t *start, uint64_t *end);
/** heap_init() - initial window: heap start up to @end (already mapped). */
void heap_init(uint64_t start, uint64_t end);

/** arm64_crash() - flush the console and shut the domain down as crashed. */
__noreturn void arm64_crash(void);

#endif
