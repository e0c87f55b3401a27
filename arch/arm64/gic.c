/*
 * Just enough of the (virtual) GIC for arch_wait(): the vtimer PPI and
 * the event-channel PPI enabled, with a priority above the priority mask,
 * and the CPU interface on, so that Xen's vGIC counts them as pending and
 * WFI returns. We never take interrupts (PSTATE.I stays set); after a wait
 * gic_ack_all() acknowledges and EOIs whatever is pending.
 *
 * GICv2: GICD and GICC are MMIO (GICv2 architecture specification,
 * "Distributor" and "CPU interface" register maps).
 * GICv3: the CPU interface is system registers (ICC_*), PPIs are
 * configured in vCPU0's redistributor, whose SGI_base frame is 64 KiB
 * after RD_base (GICv3 architecture specification, "Redistributor
 * registers").
 *
 * Every MMIO access is one plain LDR/STR without writeback: Xen emulates
 * the GIC from the syndrome, which is only valid for such accesses.
 */
#define LOG_PREFIX "gic: "
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <arm64/mmu.h>
#include <lib/errno.h>
#include <lib/log.h>

#define GICD_CTLR 0x000
#define GICD_ISENABLER0 0x100
#define GICD_ICENABLER0 0x180
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICR_WAKER 0x014
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x080
#define GICR_ISENABLER0 0x100
#define GICR_ICENABLER0 0x180
#define GICR_IPRIORITYR 0x400

#define GICD_CTLR_ENABLE 0x1 /* v2 */
#define GICD_CTLR_ENABLE_G1A 0x2 /* v3, non-secure view */
#define GICD_CTLR_ARE_NS 0x10
#define GICR_WAKER_PROCESSOR_SLEEP 0x2
#define GICR_WAKER_CHILDREN_ASLEEP 0x4
#define ICC_SRE_SRE 0x1

/* Priorities: lower is more urgent. Xen's vGIC keeps only the top 5 bits. */
#define IRQ_PRIORITY 0xa0
#define PRIORITY_MASK 0xf0
#define INTID_SPURIOUS_MIN 1020
#define INTID_SPURIOUS_MAX 1023
#define ACK_MAX 32 /* bound on one gic_ack_all() */
#define WAKER_POLL_MAX 1000

static struct {
	unsigned int version; /* 0 until gic_init() succeeded */
	uintptr_t gicc_base; /* v2: CPU interface */
	uintptr_t icenabler; /* where our PPIs are disabled again (gic_quiesce) */
	uint32_t ppi_mask; /* the PPIs we enabled */
} gic;

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

/* IPRIORITYR has one byte per INTID; Xen handles word accesses best. */
static void set_priority(uintptr_t ipriorityr, uint32_t intid)
{
	uintptr_t reg = ipriorityr + (intid & ~3U);
	unsigned int shift = (intid & 3) * 8;
	uint32_t v = mmio_read32(reg);

	mmio_write32(reg, (v & ~(0xffU << shift)) | ((uint32_t)IRQ_PRIORITY << shift));
}

/* The DT is untrusted: only PPIs (16-31) make sense for these two. */
static uint32_t ppi_or_default(uint32_t intid, uint32_t fallback)
{
	return (intid >= 16 && intid < 32) ? intid : fallback;
}

static void enable_ppis(uintptr_t enabler, uintptr_t ipriorityr, uint32_t mask)
{
	for (uint32_t intid = 16; intid < 32; intid++) {
		if (mask & (1U << intid)) {
			set_priority(ipriorityr, intid);
		}
	}
	mmio_write32(enabler, mask);
}

static int init_v2(const struct dtinfo *dt, uint32_t mask)
{
	uintptr_t gicd = dt->gicd.base;

	if (dt->gicd.size < SZ_4K || dt->gicc.size < SZ_4K) {
		return -ENODEV;
	}
	enable_ppis(gicd + GICD_ISENABLER0, gicd + GICD_IPRIORITYR, mask);
	gic.icenabler = gicd + GICD_ICENABLER0;
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE);
	gic.gicc_base = dt->gicc.base;
	mmio_write32(gic.gicc_base + GICC_PMR, PRIORITY_MASK);
	mmio_write32(gic.gicc_base + GICC_CTLR, 1);
	return 0;
}

static int init_v3(const struct dtinfo *dt, uint32_t mask)
{
	uintptr_t rd = dt->gicc.base;
	uintptr_t sgi = rd + GICR_SGI_BASE;
	uint64_t sre;

	if (dt->gicd.size < SZ_4K || dt->gicc.size < 2 * GICR_SGI_BASE) {
		return -ENODEV;
	}
	/* The ICC_* registers only work with the system register interface on. */
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	__asm__ volatile("msr icc_sre_el1, %0\n\tisb" ::"r"(sre | ICC_SRE_SRE));
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	if (!(sre & ICC_SRE_SRE)) {
		return -ENODEV;
	}
	mmio_write32(dt->gicd.base + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A);
	/* Wake the redistributor (Xen's is always awake; the poll is bounded). */
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	for (int i = 0; i < WAKER_POLL_MAX; i++) {
		if (!(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)) {
			break;
		}
	}
	mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) | mask);
	enable_ppis(sgi + GICR_ISENABLER0, sgi + GICR_IPRIORITYR, mask);
	gic.icenabler = sgi + GICR_ICENABLER0;
	__asm__ volatile("msr icc_pmr_el1, %0\n\t"
			 "msr icc_igrpen1_el1, %1\n\t"
			 "isb" ::"r"((uint64_t)PRIORITY_MASK),
			 "r"((uint64_t)1));
	return 0;
}

void gic_init(const struct dtinfo *dt)
{
	uint32_t vtimer = ppi_or_default(dt->vtimer_intid, 27);
	uint32_t evtchn = ppi_or_default(dt->evtchn_intid, 31);
	uint32_t mask = (1U << vtimer) | (1U << evtchn);
	int rc;

	switch (dt->gic_version) {
	case 2:
		rc = init_v2(dt, mask);
		break;
	case 3:
		rc = init_v3(dt, mask);
		break;
	default:
		rc = -ENODEV;
		break;
	}
	if (rc) {
		log_warn("GICv%u unusable (%s): waits go on without it\n", dt->gic_version,
			 errno_name(rc));
		return;
	}
	gic.version = dt->gic_version;
	gic.ppi_mask = mask;
}

int gic_is_ready(void)
{
	return gic.version != 0;
}

static int is_spurious(uint64_t intid)
{
	return intid >= INTID_SPURIOUS_MIN && intid <= INTID_SPURIOUS_MAX;
}

void gic_ack_all(void)
{
	for (int i = 0; gic.version && i < ACK_MAX; i++) {
		uint64_t iar;

		if (gic.version == 3) {
			__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar)::"memory");
			if (is_spurious(iar & 0xffffff)) {
				break;
			}
			__asm__ volatile("msr icc_eoir1_el1, %0\n\tisb" ::"r"(iar) : "memory");
		} else {
			iar = mmio_read32(gic.gicc_base + GICC_IAR);
			if (is_spurious(iar & 0x3ff)) {
				break;
			}
			mmio_write32(gic.gicc_base + GICC_EOIR, (uint32_t)iar);
		}
	}
}

/*
 * Leave the GIC as a kernel expects to find it: Linux cannot clear an
 * interrupt we left active (Xen ignores ICACTIVER writes), and an upcall
 * or timer interrupt still pending in our CPU interface would reach it
 * before it has a handler, leaving Xen's event upcall flag set with no
 * interrupt to come (seen in the lab: Linux hung in its first XenStore
 * wait). So: our PPIs disabled, what is already pending acknowledged and
 * ended, the CPU interface off. The caller has stopped the timer.
 */
void gic_quiesce(void)
{
	if (!gic.version) {
		return;
	}
	mmio_write32(gic.icenabler, gic.ppi_mask);
	gic_ack_all();
	if (gic.version == 3) {
		__asm__ volatile("msr icc_igrpen1_el1, xzr\n\tisb" ::: "memory");
	} else {
		mmio_write32(gic.gicc_base + GICC_CTLR, 0);
	}
	gic.version = 0;
}

void arch_irq_quiesce(void)
{
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
	gic_quiesce();
}
