/* arm64 execution context (include/arch/context.h): x18 (the platform
 * register, which Linux checks around firmware calls), the callee-saved
 * x19-x29, the return address x30, sp, and d8-d15 (AAPCS64). */
#ifndef ASM_CONTEXT_H
#define ASM_CONTEXT_H

#include <lib/compiler.h>
#include <stdint.h>

#define ARCH_CONTEXT_WORDS 22

struct arch_context {
	uint64_t regs[ARCH_CONTEXT_WORDS]; /* layout: arch/arm64/context.S */
};

int arch_context_save(struct arch_context *ctx) __attribute__((returns_twice));
__noreturn void arch_context_resume(struct arch_context *ctx, int value);

#endif
