/*
 * First instructions of xenboot: a Linux arm64 Image header, then the
 * start-up that takes us from "MMU off, anywhere in RAM" to C.
 *
 * State at entry (xen-abi.md §9): EL1h, DAIF masked, MMU and caches off,
 * x0 = guest-physical address of the DTB (0xffffffff if none). Xen picks
 * the load address (RAM base + text_offset for xl), so everything up to
 * and including the relocation loop is position independent (adr/adrp
 * only) and must not write .data or .bss: .data still holds link-time
 * (zero-based) pointers and .bss is not zeroed yet.
 *
 * With the MMU off every data access is Device-nGnRnE, so all loads and
 * stores here are naturally aligned (an unaligned one would fault).
 *
 * Register use until arch_start() (the helpers below are leaves and use
 * only x0-x15, so x19-x28 survive them):
 *   x19  DTB address (may be changed by dtb_move)
 *   x20  runtime address of _head (= load address; we link at 0)
 *   x21  runtime address of _end (end of .bss: stacks, page tables)
 *   x22  x23  start and size of the moved DTB (size 0: not moved)
 *   x24  number of relocations applied
 *   x25  x26  page-table pool base and next free page
 */
#include <arm64/mmu.h>

#define TEXT_OFFSET 0x80000
/* Image flags: bit 0 = 0 little-endian, bits 1-2 = 1 4K pages, bit 3 =
 * may be placed anywhere (Linux Documentation/arch/arm64/booting.rst). */
#define IMAGE_FLAGS ((1 << 1) | (1 << 3))
#define IMAGE_MAGIC 0x644d5241	/* "ARM\x64" at offset 0x38 */

#define FDT_MAGIC 0xd00dfeed
#define FDT_MIN_SIZE 40		/* struct fdt_header */
#define FDT_MAX_SIZE 0x200000	/* Linux's limit; Xen's DTBs are a few KiB */
#define NO_DTB 0xffffffff


	.section .text.head, "ax"
	.globl	_head
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	TEXT_OFFSET		/* the only field xl reads */
	.quad	_end - _head		/* image_size: the whole footprint incl. .bss */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2-res4 */
	.long	IMAGE_MAGIC
	.long	0			/* res5 (PE header offset): none */

start:
	mov	x19, x0
	/* picolibc, libfdt and zlib use SIMD registers: FP/SIMD on first. */
	mrs	x0, cpacr_el1
	orr	x0, x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb

	adr	x20, _head
	adrp	x21, _end
	add	x21, x21, :lo12:_end

	bl	dtb_move
	bl	apply_relocs
	bl	zero_bss
	bl	early_map

	/*
	 * Everything written so far (the moved DTB, relocated slots, .bss,
	 * page tables) went straight to memory with the MMU off. Lines for
	 * those addresses may still sit in the caches (from Xen or the
	 * toolstack, who use cacheable aliases); once our D-cache and the
	 * cacheable table walks are on, they would hide what we wrote.
	 * Invalidate (not clean: a clean could write such a stale line back
	 * over our data).
	 */
	mov	x0, x20
	mov	x1, x21
	bl	dcache_inval
	mov	x0, x22
	add	x1, x22, x23
	bl	dcache_inval
	bl	mmu_enable

	/*
	 * C runs on SP_EL0 (EL1t); exceptions switch to SP_EL1, a separate
	 * stack, so a fault caused by overflowing the main stack can still
	 * be reported.
	 */
	adrp	x0, exc_stack_top
	add	x0, x0, :lo12:exc_stack_top
	mov	sp, x0
	adrp	x0, stack_top
	add	x0, x0, :lo12:stack_top
	msr	sp_el0, x0
	msr	spsel, #0
	adrp	x0, arm64_vectors
	add	x0, x0, :lo12:arm64_vectors
	msr	vbar_el1, x0
	/* picolibc keeps errno in TLS (local-exec model): TP = block - TCB. */
	adrp	x0, __tls_tp
	add	x0, x0, :lo12:__tls_tp
	msr	tpidr_el0, x0
	isb

	/*
	 * Set the canary before any C function runs, so no frame ever holds
	 * an old one. The counter is only "random-ish", but differs per boot.
	 */
	mrs	x0, cntvct_el0
	eor	x0, x0, x0, ror #23
	adrp	x1, __stack_chk_guard
	str	x0, [x1, :lo12:__stack_chk_guard]

	/* .bss is zeroed and cacheable now: record what arch_image_info reports. */
	adrp	x1, arm64_load_addr
	str	x20, [x1, :lo12:arm64_load_addr]
	adrp	x1, arm64_reloc_count
	str	x24, [x1, :lo12:arm64_reloc_count]
	sub	x0, x26, x25
	lsr	x0, x0, #12
	adrp	x1, arm64_pt_used
	str	x0, [x1, :lo12:arm64_pt_used]

	mov	x29, #0			/* end of the frame chain */
	mov	x0, x19
	bl	arch_start
1:	wfi				/* arch_start does not return */
	b	1b

/*
 * dtb_move - if the DTB overlaps [x20, x21), move it to the first page
 * after x21. xl puts the DTB at RAM base + 128 MiB or at the top of bank 0
 * (xen-abi.md §8) and only keeps our file clear of it, not .bss: a footprint
 * reaching past base + 128 MiB, or a tiny guest, puts the DTB where
 * zero_bss would destroy it. (If there is no RAM past x21, the copy faults;
 * such a guest could not hold our .bss anyway.)
 * The destination is always above the source (it starts at or after x21,
 * and the source starts below x21), so copying from the top down is safe
 * for any overlap. A DTB we cannot read sanely inside our footprint is
 * dropped (x19 = NO_DTB); one outside is left for C to validate.
 */
dtb_move:
	mov	x22, #0
	mov	x23, #0
	mov	x0, #NO_DTB
	cmp	x19, x0
	b.eq	9f
	tst	x19, #7			/* unaligned: not touchable with MMU off */
	b.ne	9f
	cmp	x19, x21
	b.hs	9f			/* starts at or after our end */
	ldr	w1, [x19]		/* fdt_header.magic, big-endian */
	rev	w1, w1
	movz	w2, #(FDT_MAGIC & 0xffff)
	movk	w2, #(FDT_MAGIC >> 16), lsl #16
	cmp	w1, w2
	b.ne	8f
	ldr	w1, [x19, #4]		/* fdt_header.totalsize */
	rev	w1, w1
	cmp	w1, #FDT_MIN_SIZE
	b.lo	8f
	mov	w2, #FDT_MAX_SIZE
	cmp	w1, w2
	b.hi	8f
	add	x2, x19, x1
	cmp	x2, x20
	b.ls	9f			/* ends at or below our start */

	add	x23, x1, #7		/* size rounded up to whole doublewords */
	and	x23, x23, #~7
	add	x22, x21, #(SZ_4K - 1)
	and	x22, x22, #~(SZ_4K - 1)
	mov	x3, x23
1:	sub	x3, x3, #8
	ldr	x4, [x19, x3]
	str	x4, [x22, x3]
	cbnz	x3, 1b
	mov	x19, x22
	ret
8:	cmp	x19, x20
	b.lo	9f
	mov	x19, #NO_DTB		/* garbage inside our footprint */
9:	ret

/*
 * apply_relocs - add the load address to every relocated slot. We are
 * linked at 0 and ld writes each slot's link-time value into the file, so
 * relocating is an addition. tools/pack-relocs turned .rela.dyn into RELR words (an even word:
 * the address of a slot; an odd word: a bitmap of the 63 slots after the
 * last one covered) ended by a zero word, and checked at build time that
 * every slot is 8-byte aligned, lies before the table and was RELATIVE.
 * The table is part of the file and never overlaps .bss (link.lds).
 */
apply_relocs:
	adrp	x0, __rela_start
	add	x0, x0, :lo12:__rela_start
	mov	x24, #0
1:	ldr	x2, [x0], #8
	cbz	x2, 9f
	tbnz	x2, #0, 3f
	ldr	x3, [x20, x2]		/* an address: relocate that slot */
	add	x3, x3, x20
	str	x3, [x20, x2]
	add	x24, x24, #1
	add	x6, x2, #8		/* a bitmap that follows starts here */
	b	1b
3:	mov	x7, x6			/* a bitmap: bit i+1 is slot x6 + 8 * i */
	lsr	x2, x2, #1
4:	cbz	x2, 6f
	tbz	x2, #0, 5f
	ldr	x3, [x20, x7]
	add	x3, x3, x20
	str	x3, [x20, x7]
	add	x24, x24, #1
5:	lsr	x2, x2, #1
	add	x7, x7, #8
	b	4b
6:	add	x6, x6, #(63 * 8)
	b	1b
9:	ret

/* zero_bss - [__bss_start, _end): 16-byte aligned at both ends (link.lds). */
zero_bss:
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
1:	cmp	x0, x21
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	ret

/*
 * dcache_inval - DC IVAC over [x0, x1) by the smallest D-cache line
 * (CTR_EL0.DminLine, in words).
 */
dcache_inval:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

/*
 * next_table - x0 = table of the level whose index is VA bits
 * [shift+8:shift]: return in x0 the next-level table for the VA in x12,
 * taking a zeroed pool page (x26) if the entry is invalid.
 */
.macro next_table shift
	ubfx	x1, x12, #\shift, #9
	ldr	x2, [x0, x1, lsl #3]
	tbnz	x2, #0, .Lhave_table\@
	orr	x2, x26, #PTE_TYPE_TABLE
	str	x2, [x0, x1, lsl #3]
	add	x26, x26, #SZ_4K
.Lhave_table\@:
	and	x0, x2, #PTE_ADDR_MASK
.endm

/*
 * early_map - identity-map the 2 MiB blocks that hold [x20, x21) as
 * Normal WB inner-shareable, enough to run C; mmu.c adds the rest later
 * into the same tables. Tables come from the (zeroed) pool, page 0 being
 * the root; at most 1 + 2 + 2 pages for a footprint below 1 GiB.
 */
early_map:
	adrp	x25, arm64_pt_pool
	add	x25, x25, :lo12:arm64_pt_pool
	add	x26, x25, #SZ_4K
	and	x12, x20, #~(SZ_2M - 1)
	sub	x13, x21, #1
	and	x13, x13, #~(SZ_2M - 1)
	add	x13, x13, #SZ_2M
	mov	x3, #(PTE_NORMAL | PTE_TYPE_BLOCK)
1:	mov	x0, x25
	next_table 39
	next_table 30
	ubfx	x1, x12, #21, #9
	orr	x2, x12, x3
	str	x2, [x0, x1, lsl #3]
	add	x12, x12, #SZ_2M
	cmp	x12, x13
	b.lo	1b
	ret

/*
 * mmu_enable - MAIR, TCR (IPS from PARange), TTBR0, then M, C and I. The
 * identity map makes the next instruction fetch valid either way.
 */
mmu_enable:
	mov	x0, #MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0xf
	cmp	x1, #PARANGE_MAX
	mov	x2, #PARANGE_MAX
	csel	x1, x1, x2, ls
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	msr	ttbr0_el1, x25
	isb
	/* Nothing may be cached from before: TLBs, and I-cache lines that
	 * could predate Xen loading our image. */
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #SCTLR_M
	orr	x0, x0, #SCTLR_C
	orr	x0, x0, #SCTLR_I
	bic	x0, x0, #SCTLR_A	/* C code may do unaligned Normal accesses */
	bic	x0, x0, #SCTLR_WXN	/* .data and the image share 2 MiB blocks */
	bic	x0, x0, #SCTLR_EE
	msr	sctlr_el1, x0
	isb
	ret
	.ltorg

	.section .bss.arm64_pt_pool, "aw", %nobits
	.balign	SZ_4K
	.globl	arm64_pt_pool
arm64_pt_pool:
	.skip	PT_POOL_PAGES * SZ_4K

	.section .bss.arm64_stacks, "aw", %nobits
	.balign	16
	.skip	0x10000
stack_top:
	.skip	0x4000
exc_stack_top:

	.section .bss.arm64_boot_vars, "aw", %nobits
	.balign	8
	.globl	arm64_load_addr, arm64_reloc_count, arm64_pt_used
arm64_load_addr:
	.skip	8
arm64_reloc_count:
	.skip	8
arm64_pt_used:
	.skip	8
