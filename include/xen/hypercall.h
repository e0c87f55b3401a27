/* Typed wrappers around arch_hypercall(), one per hypercall. */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <arch/arch.h>
#include <lib/compiler.h>
#include <xen/abi/xen.h>

static inline long hypercall_memory_op(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long hypercall_xen_version(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_xen_version, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long hypercall_grant_table_op(unsigned int cmd, void *arg, unsigned int count)
{
	return arch_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)arg, count, 0, 0);
}

static inline long hypercall_sched_op(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long hypercall_event_channel_op(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long hypercall_hvm_op(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0, 0);
}

#endif
