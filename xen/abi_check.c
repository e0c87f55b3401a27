/* Sizes and offsets of every shared structure, from xen-abi.md §3-§6 (which
 * took them from the public headers compiled for arm64). Built for arm64
 * and the sandbox, so both agree with Xen (STYLE A2). */
#include <stddef.h>
#include <xen/abi/console.h>
#include <xen/abi/event_channel.h>
#include <xen/abi/grant_table.h>
#include <xen/abi/hvm.h>
#include <xen/abi/memory.h>
#include <xen/abi/sched.h>
#include <xen/abi/xen.h>
#include <xen/abi/xs_wire.h>

#define CHECK_SIZE(t, n) _Static_assert(sizeof(struct t) == (n), "sizeof " #t)
#define CHECK_OFF(t, f, n) _Static_assert(offsetof(struct t, f) == (n), #t "." #f)

CHECK_SIZE(vcpu_info, 48);
CHECK_OFF(vcpu_info, evtchn_pending_sel, 8);
CHECK_OFF(vcpu_info, time, 16);
CHECK_OFF(shared_info, evtchn_pending, 48);
CHECK_OFF(shared_info, evtchn_mask, 560);
CHECK_OFF(shared_info, wc_version, 1072);
CHECK_OFF(shared_info, wc_sec_hi, 1084);
CHECK_SIZE(shared_info, 1088);

CHECK_SIZE(xen_add_to_physmap, 24);
CHECK_OFF(xen_add_to_physmap, space, 4);
CHECK_OFF(xen_add_to_physmap, idx, 8);
CHECK_OFF(xen_add_to_physmap, gpfn, 16);
CHECK_SIZE(xen_remove_from_physmap, 16);
CHECK_OFF(xen_remove_from_physmap, gpfn, 8);
CHECK_SIZE(xen_memory_reservation, 32);
CHECK_OFF(xen_memory_reservation, extent_order, 16);
CHECK_OFF(xen_memory_reservation, domid, 24);

CHECK_SIZE(xen_hvm_param, 16);
CHECK_OFF(xen_hvm_param, index, 4);
CHECK_OFF(xen_hvm_param, value, 8);

CHECK_SIZE(evtchn_alloc_unbound, 8);
CHECK_OFF(evtchn_alloc_unbound, port, 4);
CHECK_SIZE(evtchn_bind_interdomain, 12);
CHECK_OFF(evtchn_bind_interdomain, local_port, 8);
CHECK_SIZE(evtchn_port_op, 4);

CHECK_SIZE(sched_shutdown, 4);
CHECK_SIZE(sched_poll, 24);
CHECK_OFF(sched_poll, nr_ports, 8);
CHECK_OFF(sched_poll, timeout, 16);

CHECK_SIZE(grant_entry_v1, 8);
CHECK_OFF(grant_entry_v1, domid, 2);
CHECK_OFF(grant_entry_v1, frame, 4);
CHECK_SIZE(gnttab_query_size, 16);
CHECK_OFF(gnttab_query_size, max_nr_frames, 8);
CHECK_OFF(gnttab_query_size, status, 12);

CHECK_OFF(xencons_interface, out, 1024);
CHECK_OFF(xencons_interface, in_cons, 3072);
CHECK_OFF(xencons_interface, out_prod, 3084);
CHECK_OFF(xencons_interface, connection, 3088);

CHECK_SIZE(xsd_sockmsg, 16);
CHECK_OFF(xenstore_domain_interface, rsp, 1024);
CHECK_OFF(xenstore_domain_interface, req_cons, 2048);
CHECK_OFF(xenstore_domain_interface, rsp_prod, 2060);
CHECK_OFF(xenstore_domain_interface, server_features, 2064);
CHECK_OFF(xenstore_domain_interface, evtchn_port, 2076);
CHECK_SIZE(xenstore_domain_interface, 2080);
