/*
 * Execution contexts for UEFI's Exit() (include/arch/context.h) and the
 * call into an image on its own stack. struct arch_context, in words:
 * 0 x18, 1-11 x19-x29, 12 x30, 13 sp, 14-21 d8-d15.
 */
	.section .text.arch_context_save, "ax"
	.globl	arch_context_save
	.type	arch_context_save, %function
arch_context_save:
	stp	x18, x19, [x0, #0]
	stp	x20, x21, [x0, #16]
	stp	x22, x23, [x0, #32]
	stp	x24, x25, [x0, #48]
	stp	x26, x27, [x0, #64]
	stp	x28, x29, [x0, #80]
	mov	x1, sp
	stp	x30, x1, [x0, #96]
	stp	d8, d9, [x0, #112]
	stp	d10, d11, [x0, #128]
	stp	d12, d13, [x0, #144]
	stp	d14, d15, [x0, #160]
	mov	w0, #0
	ret
	.size	arch_context_save, . - arch_context_save

	.section .text.arch_context_resume, "ax"
	.globl	arch_context_resume
	.type	arch_context_resume, %function
arch_context_resume:
	ldp	x18, x19, [x0, #0]
	ldp	x20, x21, [x0, #16]
	ldp	x22, x23, [x0, #32]
	ldp	x24, x25, [x0, #48]
	ldp	x26, x27, [x0, #64]
	ldp	x28, x29, [x0, #80]
	ldp	x30, x2, [x0, #96]
	mov	sp, x2
	ldp	d8, d9, [x0, #112]
	ldp	d10, d11, [x0, #128]
	ldp	d12, d13, [x0, #144]
	ldp	d14, d15, [x0, #160]
	cmp	w1, #0
	csinc	w0, w1, wzr, ne		/* 0 becomes 1, as longjmp does */
	ret				/* to arch_context_save's caller */
	.size	arch_context_resume, . - arch_context_resume

/* uint64_t arch_call_image(fn, a0, a1, stack_top): x19/x20 keep our sp and
 * the frame across the call (callee-saved, so the image preserves them). */
	.section .text.arch_call_image, "ax"
	.globl	arch_call_image
	.type	arch_call_image, %function
arch_call_image:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mov	x19, sp
	mov	x4, x0
	mov	x0, x1
	mov	x1, x2
	cbz	x3, 1f
	mov	sp, x3
1:	blr	x4
	mov	sp, x19
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
	.size	arch_call_image, . - arch_call_image

/* void arch_icache_sync(va, size): the D-cache cleaned to the point of
 * coherency first (mmu.c), then every I-cache line dropped, in the inner
 * shareable domain so no vCPU keeps a stale line. */
	.section .text.arch_icache_sync, "ax"
	.globl	arch_icache_sync
	.type	arch_icache_sync, %function
arch_icache_sync:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	arch_dcache_flush
	dsb	ish
	ic	ialluis
	dsb	ish
	isb
	ldp	x29, x30, [sp], #16
	ret
	.size	arch_icache_sync, . - arch_icache_sync
