/* The hypercall dispatcher of the simulated Xen: arch_hypercall() of the
 * sandbox lands here with the guest's x16 and x0..x4 (xen-abi.md §1, §2). */
#include "internal.h"

#include <string.h>
#include <xen/abi/hvm.h>
#include <xen/abi/sched.h>
#include <xen/abi/version.h>

static long xen_version(unsigned long cmd, void *arg)
{
	char extra[XEN_EXTRAVERSION_LEN];

	switch (cmd) {
	case XENVER_version:
		return (SIM_XEN_MAJOR << 16) | SIM_XEN_MINOR;
	case XENVER_extraversion:
		/* A fixed 16-byte field; Xen pads with NULs. */
		memset(extra, 0, sizeof(extra));
		memcpy(extra, SIM_XEN_EXTRA, sizeof(SIM_XEN_EXTRA) - 1);
		return sim_copy_to_guest(arg, extra, sizeof(extra));
	case XENVER_pagesize:
		return SIM_PAGE_SIZE;
	default:
		return -XEN_ENOSYS;
	}
}

static long hvm_get(struct xen_hvm_param *p)
{
	switch (p->index) {
	case HVM_PARAM_CALLBACK_IRQ:
		/* What libxl sets on arm: PPI type, level-low, PPI 31 (xen-abi.md §2). */
		p->value = (2ULL << 56) | (2ULL << 8) | 31;
		return 0;
	case HVM_PARAM_STORE_PFN:
		p->value = sim_cfg.no_store ? ~0ULL : SIM_STORE_GFN;
		return 0;
	case HVM_PARAM_STORE_EVTCHN:
		p->value = SIM_STORE_PORT;
		return 0;
	case HVM_PARAM_CONSOLE_PFN:
		p->value = SIM_CONSOLE_GFN;
		return 0;
	case HVM_PARAM_CONSOLE_EVTCHN:
		p->value = SIM_CONSOLE_PORT;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static long hvm_op(unsigned long cmd, void *arg)
{
	struct xen_hvm_param p;
	long rc;

	if (cmd != HVMOP_get_param && cmd != HVMOP_set_param) {
		return -XEN_ENOSYS;
	}
	if (sim_copy_from_guest(&p, arg, sizeof(p))) {
		return -XEN_EFAULT;
	}
	if (p.domid != DOMID_SELF && p.domid != SIM_GUEST_DOMID) {
		return -XEN_ESRCH;
	}
	/* A domU may not change the params the toolstack set. */
	if (cmd == HVMOP_set_param) {
		return -XEN_EPERM;
	}
	rc = hvm_get(&p);
	if (rc) {
		return rc;
	}
	return sim_copy_to_guest(arg, &p, sizeof(p));
}

static long sched_op(unsigned long cmd, void *arg)
{
	struct sched_shutdown s;

	switch (cmd) {
	case SCHEDOP_yield:
		sim_backends_step();
		return 0;
	case SCHEDOP_shutdown:
		if (sim_copy_from_guest(&s, arg, sizeof(s))) {
			return -XEN_EFAULT;
		}
		return sim_sched_shutdown(s.reason);
	case SCHEDOP_poll:
		return sim_sched_poll(arg);
	default:
		/* SCHEDOP_block is not supported on arm (arch-arm.h). */
		return -XEN_ENOSYS;
	}
}

long sim_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4)
{
	void *arg = (void *)a1;

	if (!sim_is_up()) {
		sim_fatal("hypercall %lu before sim_init()\n", op);
	}
	sim_stat.hypercall_count++;
	switch (op) {
	case __HYPERVISOR_memory_op:
		return sim_memory_op(a0, arg);
	case __HYPERVISOR_xen_version:
		return xen_version(a0, arg);
	case __HYPERVISOR_console_io:
		/* The dummy XSM policy refuses a plain domU (xen-abi.md §4). */
		sim_stat.console_io_count++;
		return -XEN_EPERM;
	case __HYPERVISOR_grant_table_op:
		return sim_gnttab_op(a0, arg, a2);
	case __HYPERVISOR_vcpu_op:
		sim_stat.vcpu_op_count++;
		return -XEN_ENOSYS;
	case __HYPERVISOR_sched_op:
		return sched_op(a0, arg);
	case __HYPERVISOR_event_channel_op:
		return sim_evtchn_op(a0, arg);
	case __HYPERVISOR_hvm_op:
		return hvm_op(a0, arg);
	default:
		return -XEN_ENOSYS;
	}
}
