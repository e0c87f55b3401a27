/* Stage-1 translation constants shared by entry.S and mmu.c: 4 KiB granule,
 * 48-bit VA, identity map only (Arm ARM, "The VMSAv8-64 address
 * translation system"). Usable from assembly. */
#ifndef ARM64_MMU_H
#define ARM64_MMU_H

#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define SZ_4K _UL(0x1000)
#define SZ_2M _UL(0x200000)
#define SZ_1G _UL(0x40000000)

/* Page-table pages live in a static pool in .bss; entry.S takes the first
 * few for the early map, mmu.c the rest. */
#define PT_POOL_PAGES 64
#define PT_ENTRIES 512
#define VA_BITS 48

/* MAIR_EL1: index 0 = Normal, inner+outer write-back RA/WA non-transient
 * (0xff); index 1 = Device-nGnRnE (0x00). */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_VALUE _UL(0x00ff)

/* Descriptor bits (Arm ARM, "VMSAv8-64 translation table format descriptors"). */
#define PTE_VALID _UL(0x1)
#define PTE_TYPE_MASK _UL(0x3)
#define PTE_TYPE_BLOCK _UL(0x1) /* levels 1-2 */
#define PTE_TYPE_TABLE _UL(0x3) /* levels 0-2 */
#define PTE_TYPE_PAGE _UL(0x3) /* level 3 */
#define PTE_ATTRINDX(i) ((i) << 2)
#define PTE_SH_INNER (_UL(3) << 8)
#define PTE_AF (_UL(1) << 10)
#define PTE_PXN (_UL(1) << 53)
#define PTE_UXN (_UL(1) << 54)
#define PTE_ADDR_MASK _UL(0x0000fffffffff000)

/* Normal memory stays executable: the image itself is mapped with these
 * attributes, and a later request over it must compare equal. */
#define PTE_NORMAL (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(MAIR_IDX_NORMAL))
#define PTE_DEVICE (PTE_AF | PTE_ATTRINDX(MAIR_IDX_DEVICE) | PTE_PXN | PTE_UXN)

/* TCR_EL1: T0SZ=16 (48-bit VA), walks inner+outer WB RA/WA, inner
 * shareable, TG0=4K, TTBR1 walks disabled (EPD1). IPS is filled in at run
 * time from ID_AA64MMFR0_EL1.PARange. */
#define TCR_T0SZ(n) (n)
#define TCR_IRGN0_WBWA (_UL(1) << 8)
#define TCR_ORGN0_WBWA (_UL(1) << 10)
#define TCR_SH0_INNER (_UL(3) << 12)
#define TCR_T1SZ(n) ((n) << 16)
#define TCR_EPD1 (_UL(1) << 23)
#define TCR_IPS_SHIFT 32
#define TCR_VALUE                                                                                  \
	(TCR_T0SZ(64 - VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |                \
	 TCR_T1SZ(64 - VA_BITS) | TCR_EPD1)
/* PARange 5 = 48 bits; larger values need FEAT_LPA2 and TCR.DS with 4K pages. */
#define PARANGE_MAX 5

#define SCTLR_M (_UL(1) << 0)
#define SCTLR_A (_UL(1) << 1)
#define SCTLR_C (_UL(1) << 2)
#define SCTLR_I (_UL(1) << 12)
#define SCTLR_WXN (_UL(1) << 19)
#define SCTLR_EE (_UL(1) << 25)

#define CPACR_FPEN (_UL(3) << 20)

#endif
