/*
 * What happens when something goes wrong for good: an unexpected
 * exception, a smashed stack canary. Report on the console, let the
 * backend drain it, then SCHEDOP_shutdown(crash) so the toolstack sees a
 * crashed domain (on_crash) rather than a hung one. The hypercall is made
 * directly (arch sits below xen/ in the layers, STYLE L1), which also keeps
 * the crash path independent of the code that may have failed.
 */
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <arm64/exception.h>
#include <lib/console.h>
#include <lib/printf.h>
#include <xen/abi/sched.h>
#include <xen/abi/xen.h>

/* How long the crash path waits for xenconsoled to take the report. */
#define CRASH_FLUSH_NS 2000000000ULL

/*
 * Set by entry.S from CNTVCT_EL0 before the first C function runs.
 * Debian's libfdt.a and libz.a are built with the stack protector;
 * defining both symbols here keeps picolibc's versions out of the link.
 */
uintptr_t __stack_chk_guard;

/* SCHEDOP_shutdown(SHUTDOWN_crash); returns only if Xen refused. */
static void shutdown_crash(void)
{
	struct sched_shutdown arg = {.reason = SHUTDOWN_crash};

	arch_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&arg, 0, 0, 0);
}

static const char *const exc_kinds[4] = {"Synchronous", "IRQ", "FIQ", "SError"};
static const char *const exc_origins[4] = {"EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32"};

/* Stops this vCPU for good if SCHEDOP_shutdown itself failed. WFI (not a
 * spin) gives the CPU back to Xen; DAIF stays masked, so nothing runs. */
static __noreturn void halt(void)
{
	for (;;) {
		__asm__ volatile("wfi");
	}
}

void arm64_crash(void)
{
	console_flush(arch_time_ns() + CRASH_FLUSH_NS);
	shutdown_crash();
	halt();
}

static void dump_regs(const struct exc_frame *f)
{
	for (unsigned int i = 0; i < 31; i += 3) {
		for (unsigned int j = i; j < i + 3 && j < 31; j++) {
			xb_printf("%sx%-2u=%016lx", j == i ? "" : "  ", j, (unsigned long)f->x[j]);
		}
		xb_printf(i + 3 < 31 ? "\n" : "  sp =%016lx\n", (unsigned long)f->sp);
	}
}

void arm64_exception(struct exc_frame *f, unsigned long type)
{
	/* A fault while reporting (console ring unmapped, printf bug, ...)
	 * must not recurse: the second one shuts down straight away. */
	static volatile int depth;

	if (depth++) {
		shutdown_crash();
		halt();
	}
	xb_printf("\nEXCEPTION: %s from %s ESR=%08lx (EC %#lx) ELR=%016lx FAR=%016lx "
		  "SPSR=%08lx\n",
		  exc_kinds[type & 3], exc_origins[(type >> 2) & 3], (unsigned long)f->esr,
		  (unsigned long)(f->esr >> 26) & 0x3f, (unsigned long)f->elr,
		  (unsigned long)f->far, (unsigned long)f->spsr);
	dump_regs(f);
	arm64_crash();
}

/* Called by code built with -fstack-protector when a canary changed. */
__noreturn void __stack_chk_fail(void)
{
	xb_printf("\nFATAL: stack smashing detected (caller %p)\n", __builtin_return_address(0));
	arm64_crash();
}

/* UDF #0xdead: permanently undefined, so Xen reflects it to us as EC 0. */
void arch_undefined_insn(void)
{
	__asm__ volatile(".inst 0x0000dead" ::: "memory");
}
