/* Saving and resuming an execution context, for UEFI's Exit(): an image
 * that calls Exit() from any depth returns from its StartImage() call.
 * Each arch defines struct arch_context and the two operations in its
 * <asm/context.h>: arm64 in assembly (arch/arm64/context.S), the sandbox
 * with the host C library's setjmp/longjmp. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <asm/context.h>
#include <stdint.h>

/*
 * int arch_context_save(struct arch_context *ctx): returns 0 after saving
 * the callee-saved registers and the stack pointer, and returns again,
 * with a non-zero value, when arch_context_resume() is called on @ctx.
 * The function that called it must still be running then; locals it
 * changed after the save are not reliable after the second return (keep
 * such state in memory that outlives the call).
 *
 * void arch_context_resume(struct arch_context *ctx, int value): never
 * returns; arch_context_save() returns @value (1 if @value is 0).
 */

/**
 * arch_call_image() - call @fn(@a0, @a1) on the stack ending at @stack_top
 * (16-byte aligned; NULL: the current stack), and return its result. For
 * UEFI images, which may assume more stack than xenboot's own. The
 * sandbox always uses the current stack.
 */
uint64_t arch_call_image(uint64_t (*fn)(void *, void *), void *a0, void *a1, void *stack_top);

/**
 * arch_icache_sync() - make instructions written through the D-cache at
 * [@va, @va+@size) visible to instruction fetch: clean the D-cache there,
 * then invalidate the I-cache (all of it, inner shareable). Call before
 * jumping to code that was just loaded or relocated.
 */
void arch_icache_sync(const void *va, uint64_t size);

#endif
