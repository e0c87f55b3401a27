/* Core Xen guest ABI for arm64: hypercall numbers, domain ids, shared_info.
 * Mirrors xen/include/public/xen.h and arch-arm.h (facts: shared/docs/xen-abi.md §1, §2, §4). */
#ifndef XEN_ABI_XEN_H
#define XEN_ABI_XEN_H

#include <stdint.h>

/* HVC immediate that marks a Xen hypercall (XEN_HYPERCALL_TAG). */
#define XEN_HYPERCALL_TAG 0xEA1

#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_hvm_op 34

#define DOMID_SELF 0x7FF0U

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;

/* A guest handle is a pointer widened to 8 bytes (arch-arm.h). */
#define XEN_GUEST_HANDLE_64(type)                                                                  \
	union {                                                                                    \
		type *p;                                                                           \
		uint64_t q;                                                                        \
	}

struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};

/* arm64 has no evtchn_upcall_mask: byte 1 is padding (public/xen.h). */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t pad0;
	uint8_t pad1[6];
	xen_ulong_t evtchn_pending_sel;
	struct vcpu_time_info time;
};

#define XEN_LEGACY_MAX_VCPUS 1
#define EVTCHN_2L_WORDS 64
#define EVTCHN_2L_NR_CHANNELS (EVTCHN_2L_WORDS * 64)

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[EVTCHN_2L_WORDS];
	xen_ulong_t evtchn_mask[EVTCHN_2L_WORDS];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
};

#endif
