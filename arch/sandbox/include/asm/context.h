/* Sandbox execution context (include/arch/context.h): the host C library's
 * setjmp/longjmp. A macro, since setjmp must be called by the function
 * that is returned to. */
#ifndef ASM_CONTEXT_H
#define ASM_CONTEXT_H

#include <lib/compiler.h>
#include <setjmp.h>
#include <stdint.h>

struct arch_context {
	jmp_buf jb;
};

#define arch_context_save(ctx) setjmp((ctx)->jb)

static inline __noreturn void arch_context_resume(struct arch_context *ctx, int value)
{
	longjmp(ctx->jb, value ? value : 1);
}

#endif
