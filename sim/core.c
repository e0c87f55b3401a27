/* The simulated world: set-up and tear-down, simulated time, waits, the
 * backend registry and the shutdown record.
 *
 * Time only moves when the guest waits and nothing happens (or when a test
 * says so), which makes timeouts instant and deterministic: a 2 s timeout
 * costs a few hundred loop iterations, not 2 s. */
#include "internal.h"

#include <sim/dt.h>
#include <string.h>

/* Each wait with nothing to do moves time forward by at most this much, so
 * backends with their own timers get a chance to run along the way. */
#define SIM_IDLE_STEP_NS 10000000ULL
/* Each read of the clock costs a little time, so even a guest that spins on
 * arch_time_ns() (a bug, STYLE E5) reaches its deadline instead of hanging. */
#define SIM_CLOCK_TICK_NS 100ULL
/* An idle guest that waits this long in simulated time is stuck for good:
 * stop the test rather than loop forever. */
#define SIM_IDLE_LIMIT_NS (3600ULL * 1000000000ULL)
#define SIM_MAX_BACKENDS 16
/* Room for the DT in guest RAM; xl rounds it up to a page (xen-abi.md §8). */
#define SIM_FDT_MAX 0x10000

struct sim_config sim_cfg;
struct sim_stats sim_stat;

static bool up;
static uint64_t now_ns;
static uint64_t idle_streak_ns;
static uint64_t fdt_gpa;
static uint64_t fdt_size;

static struct {
	const struct sim_backend_ops *ops;
	void *ctx;
} backends[SIM_MAX_BACKENDS];
static unsigned int backend_count;
static bool in_step;

static void (*shutdown_hook)(unsigned int reason, void *ctx);
static void *shutdown_ctx;

/* xl puts the DT at RAM base + 128 MiB when bank 0 is big enough, else at
 * the top of bank 0 (xen-abi.md §8). */
static int place_fdt(void)
{
	static unsigned char blob[SIM_FDT_MAX];
	const struct sim_bank *b0 = &sim_cfg.banks[0];
	int len = sim_dt_build(&sim_cfg, blob, sizeof(blob));

	if (len < 0) {
		return len;
	}
	if (b0->size >= 0x8000000ULL + 2 * SIM_FDT_MAX) {
		fdt_gpa = b0->base + 0x8000000ULL;
	} else {
		fdt_gpa = b0->base + b0->size - SIM_FDT_MAX;
	}
	void *dst = sim_phys_to_virt(fdt_gpa);
	if (!dst) {
		return -XEN_ENOMEM;
	}
	memcpy(dst, blob, (size_t)len);
	fdt_size = (uint64_t)len;
	return 0;
}

int sim_init(const struct sim_config *cfg)
{
	int rc;

	if (up) {
		sim_reset();
	}
	memset(&sim_cfg, 0, sizeof(sim_cfg));
	if (cfg) {
		sim_cfg = *cfg;
	}
	sim_config_defaults(&sim_cfg);
	memset(&sim_stat, 0, sizeof(sim_stat));
	now_ns = SIM_TIME_ORIGIN_NS;
	idle_streak_ns = 0;
	up = true;
	rc = sim_mem_init();
	if (!rc) {
		rc = sim_gnttab_init();
	}
	if (!rc) {
		rc = sim_evtchn_init();
	}
	if (!rc) {
		rc = sim_console_init();
	}
	if (!rc) {
		rc = place_fdt();
	}
	if (!rc) {
		rc = sim_heap_init(fdt_gpa);
	}
	if (rc) {
		sim_reset();
	}
	return rc;
}

void sim_reset(void)
{
	/* Backends first: they may still hold pointers into guest memory. */
	for (unsigned int i = backend_count; i-- > 0;) {
		if (backends[i].ops->release) {
			backends[i].ops->release(backends[i].ctx);
		}
	}
	memset(backends, 0, sizeof(backends));
	backend_count = 0;
	sim_console_reset();
	sim_evtchn_reset();
	sim_gnttab_reset();
	sim_heap_reset();
	sim_mem_reset();
	shutdown_hook = NULL;
	shutdown_ctx = NULL;
	fdt_gpa = 0;
	fdt_size = 0;
	up = false;
}

bool sim_is_up(void)
{
	return up;
}

const void *sim_fdt(uint64_t *size)
{
	if (size) {
		*size = fdt_size;
	}
	return fdt_size ? sim_phys_to_virt(fdt_gpa) : NULL;
}

uint64_t sim_fdt_gpa(void)
{
	return fdt_gpa;
}

uint64_t sim_time_ns(void)
{
	if (sim_cfg.host_time_ns) {
		return sim_cfg.host_time_ns();
	}
	now_ns += SIM_CLOCK_TICK_NS;
	return now_ns;
}

void sim_time_advance(uint64_t ns)
{
	now_ns += ns;
}

int sim_backend_add(const struct sim_backend_ops *ops, void *ctx)
{
	if (backend_count == SIM_MAX_BACKENDS) {
		return -XEN_ENOSPC;
	}
	backends[backend_count].ops = ops;
	backends[backend_count].ctx = ctx;
	backend_count++;
	return 0;
}

int sim_backends_step(void)
{
	int work = 0;

	/* A backend that notifies the guest must not re-enter the others. */
	if (in_step) {
		return 0;
	}
	in_step = true;
	for (unsigned int i = 0; i < backend_count; i++) {
		if (backends[i].ops->step) {
			work += backends[i].ops->step(backends[i].ctx);
		}
	}
	in_step = false;
	return work;
}

/* Nothing happened: let time pass toward @deadline_ns, in bounded steps. */
static void idle(uint64_t deadline_ns)
{
	uint64_t now = sim_time_ns();
	uint64_t step = SIM_IDLE_STEP_NS;

	if (deadline_ns > now && deadline_ns - now < step) {
		step = deadline_ns - now;
	}
	if (sim_cfg.host_idle) {
		sim_cfg.host_idle(step);
		return;
	}
	if (deadline_ns <= now) {
		return;
	}
	now_ns += step;
	sim_stat.idle_ns += step;
	idle_streak_ns += step;
	if (idle_streak_ns > SIM_IDLE_LIMIT_NS) {
		sim_fatal("guest idle for an hour of simulated time: waiting for something "
			  "that never comes\n");
	}
}

void sim_wait(uint64_t deadline_ns)
{
	sim_stat.wait_count++;
	int work = sim_backends_step();

	/* Like WFI under Xen: return at once while an event is pending. */
	if (work || sim_evtchn_upcall_pending()) {
		idle_streak_ns = 0;
		return;
	}
	idle(deadline_ns);
}

/* SCHEDOP_poll: wait until one of the ports is pending or the absolute
 * @timeout passes (0: no timeout). Xen returns 0 in both cases. */
long sim_sched_poll(void *arg)
{
	struct {
		XEN_GUEST_HANDLE_64(uint32_t) ports;
		uint32_t nr_ports;
		uint64_t timeout;
	} poll;
	uint32_t ports[128];

	sim_stat.poll_count++;
	if (sim_copy_from_guest(&poll, arg, sizeof(poll))) {
		return -XEN_EFAULT;
	}
	/* Xen caps the list at 128 ports (common/sched/core.c do_poll). */
	if (poll.nr_ports > 128) {
		return -XEN_EINVAL;
	}
	if (sim_copy_from_guest(ports, poll.ports.p, poll.nr_ports * sizeof(uint32_t))) {
		return -XEN_EFAULT;
	}
	for (uint32_t i = 0; i < poll.nr_ports; i++) {
		if (ports[i] >= EVTCHN_2L_NR_CHANNELS) {
			return -XEN_EINVAL;
		}
	}
	for (;;) {
		for (uint32_t i = 0; i < poll.nr_ports; i++) {
			if (sim_evtchn_is_pending(ports[i])) {
				return 0;
			}
		}
		if (poll.timeout && sim_time_ns() >= poll.timeout) {
			return 0;
		}
		if (!sim_backends_step()) {
			idle(poll.timeout ? poll.timeout : UINT64_MAX);
		}
	}
}

void sim_set_shutdown_hook(void (*hook)(unsigned int reason, void *ctx), void *ctx)
{
	shutdown_hook = hook;
	shutdown_ctx = ctx;
}

/* Called by the dispatcher for SCHEDOP_shutdown. */
long sim_sched_shutdown(unsigned int reason)
{
	sim_stat.shutdown_count++;
	sim_stat.shutdown_reason = reason;
	if (shutdown_hook) {
		shutdown_hook(reason, shutdown_ctx);
	}
	return 0;
}

const struct sim_stats *sim_stats(void)
{
	return &sim_stat;
}
