/*
 * arch_hypercall(op, a0, a1, a2, a3, a4): the Xen arm64 hypercall ABI
 * (xen-abi.md §1): number in x16, arguments in x0-x4, HVC #0xEA1, result
 * in x0. Xen may clobber x16 and every argument register it uses except x0
 * (debug builds write 0xDEADBEEF there); all of them are caller-saved in
 * AAPCS64, so shuffling the C arguments down by one is all that is needed.
 */
/* XEN_HYPERCALL_TAG (include/xen/abi/xen.h is C only). */
#define HYPERCALL_TAG 0xEA1

	.section .text.arch_hypercall, "ax"
	.globl	arch_hypercall
	.type	arch_hypercall, %function
arch_hypercall:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#HYPERCALL_TAG
	ret
	.size	arch_hypercall, . - arch_hypercall
