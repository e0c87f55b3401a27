/*
 * arch_boot_linux(entry, dtb): enter a Linux arm64 kernel as
 * Documentation/arch/arm64/booting.rst asks: interrupts masked (DAIF),
 * MMU off, D-cache off, no stale I-cache lines, x0 = DTB, x1-x3 = 0.
 *
 * The caller (boot/linux.c) has already cleaned the kernel, the initrd and
 * the DTB to the point of coherency, so turning the D-cache off loses
 * nothing they need. After the MMU goes off every data access would be
 * Device-nGnRnE and bypass the caches, so from there on this code touches
 * no memory at all (no stack, no literal pool): registers only. It runs
 * from the identity map (arm64 VA = PA, mmu.c), so the next instruction
 * fetch after SCTLR_EL1.M is cleared is the same instruction either way.
 */
#include <arm64/mmu.h>

	.section .text.arch_boot_linux, "ax"
	.globl	arch_boot_linux
	.type	arch_boot_linux, %function
arch_boot_linux:
	msr	daifset, #0xf		/* D, A, I, F masked */
	/* Our timer stopped and nothing of ours left in the GIC (gic.c says
	 * why). handoff_xen() did it already; here it costs a check, and
	 * holds for any caller. The stack is usable: the MMU is on until
	 * below. */
	stp	x0, x1, [sp, #-16]!
	bl	arch_irq_quiesce
	ldp	x0, x1, [sp], #16
	mov	x4, x0			/* entry */
	mov	x5, x1			/* DTB */
	mrs	x0, sctlr_el1
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	msr	sctlr_el1, x0
	isb
	/* The kernel was written through the D-cache: drop every I-cache
	 * line that could predate it (TLBs need no care, MMU is off). */
	ic	iallu
	dsb	nsh
	isb
	mov	x0, x5
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x4
	.size	arch_boot_linux, . - arch_boot_linux
