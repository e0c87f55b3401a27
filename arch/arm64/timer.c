/*
 * Time and waiting, from the EL1 virtual counter and timer (Arm ARM,
 * "The Generic Timer"). Xen on Arm never fills vcpu_time_info and
 * SCHEDOP_poll's timeout is in Xen's own clock (xen-abi.md §11), so the
 * counter is our only clock and the virtual timer our only alarm.
 */
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <lib/units.h>

/*
 * CNTFRQ_EL0 is firmware-set and never 0 on a sane host. If it is 0 or
 * absurd, assume 1 GHz (the fixed rate of FEAT_ECV hosts): any error then
 * makes timeouts longer, never shorter. The upper bound keeps the
 * arithmetic below within 64 bits.
 */
#define FREQ_FALLBACK NS_PER_SEC
#define FREQ_MAX (10 * NS_PER_SEC)

#define CNTV_CTL_ENABLE 1

static uint64_t counter_freq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return (f && f <= FREQ_MAX) ? f : FREQ_FALLBACK;
}

/* Split so neither product can overflow: rem < f <= FREQ_MAX. */
static uint64_t ticks_to_ns(uint64_t ticks, uint64_t f)
{
	return (ticks / f) * NS_PER_SEC + (ticks % f) * NS_PER_SEC / f;
}

static uint64_t ns_to_ticks(uint64_t ns, uint64_t f)
{
	uint64_t sec = ns / NS_PER_SEC;

	if (sec > UINT64_MAX / f - 1) {
		return UINT64_MAX;
	}
	return sec * f + (ns % NS_PER_SEC) * f / NS_PER_SEC;
}

uint64_t arch_time_ns(void)
{
	uint64_t ticks;

	/* The ISB keeps the counter read from being taken early. */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(ticks)::"memory");
	return ticks_to_ns(ticks, counter_freq());
}

/*
 * WFI with IRQs still masked in PSTATE: WFI wakes on a pending interrupt
 * anyway (and Xen unblocks a vCPU on a pending vIRQ regardless of the
 * mask), so we never take the interrupt and need no handler. The vtimer
 * and event-channel PPIs are enabled in the vGIC by gic_init(); anything
 * that became pending is acknowledged afterwards, otherwise the next WFI
 * would return at once.
 *
 * Without a usable GIC (none in the DT, its mapping failed, or before
 * gic_init()) the same WFI still sleeps and wakes: Xen's vgic_inject_irq()
 * unblocks the vCPU for every injected vIRQ, enabled or not (vtimer expiry,
 * an event's upcall), and counts only enabled ones as pending when the next
 * WFI traps, so nothing needs acknowledging. SCHEDOP_yield would return at
 * once on an idle CPU and turn every wait into a spin (issue 8 #9).
 */
void arch_wait(uint64_t deadline_ns)
{
	if (deadline_ns != UINT64_MAX) {
		uint64_t cval = ns_to_ticks(deadline_ns, counter_freq());

		__asm__ volatile("msr cntv_cval_el0, %0\n\t"
				 "msr cntv_ctl_el0, %1\n\t"
				 "isb" ::"r"(cval),
				 "r"((uint64_t)CNTV_CTL_ENABLE)
				 : "memory");
	}
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
	gic_ack_all(); /* nothing to do without a GIC */
}
