/* XENMEM_* sub-ops of memory_op (public/memory.h; xen-abi.md §2, §3). */
#ifndef XEN_ABI_MEMORY_H
#define XEN_ABI_MEMORY_H

#include <xen/abi/xen.h>

#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define XENMEM_add_to_physmap 7
#define XENMEM_remove_from_physmap 15

#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};

struct xen_memory_reservation {
	XEN_GUEST_HANDLE_64(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};

#endif
