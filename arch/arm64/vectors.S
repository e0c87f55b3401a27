/*
 * The EL1 vector table (Arm ARM, "Exception vectors"): 16 entries of 128
 * bytes, in four groups by where the exception came from (current EL on
 * SP_EL0, current EL on SP_ELx, lower EL AArch64, lower EL AArch32), each
 * with Synchronous, IRQ, FIQ and SError. xenboot never expects one: every entry
 * saves the registers and hands them to arm64_exception(), which reports
 * and crashes the domain. Nothing returns.
 *
 * C code runs on SP_EL0 (entry.S), so any exception switches to SP_EL1, a
 * separate stack: a main-stack overflow can still be reported.
 */
#include <arm64/exception.h>

/* The type number is group * 4 + kind; arm64_exception() decodes it. */
.macro ventry type
	.balign	0x80
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #EXC_FRAME_X0]
	mov	x1, #\type
	b	exc_common
.endm

	.section .text.arm64_vectors, "ax"
	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	/* The interrupted SP: ours plus the frame for the "current EL with
	 * SP_ELx" group (types 4-7), SP_EL0 for every other group. */
	mrs	x2, sp_el0
	add	x3, sp, #EXC_FRAME_SIZE
	and	x4, x1, #0xc
	cmp	x4, #4
	csel	x2, x3, x2, eq
	stp	x30, x2, [sp, #(EXC_FRAME_SP - 8)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EXC_FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #EXC_FRAME_ESR]
	mov	x0, sp
	mov	x29, #0
	bl	arm64_exception
1:	wfi
	b	1b
