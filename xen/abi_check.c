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

/* Block interface and the generic ring header (xen-abi.md §5, §6). */
#include <xen/abi/blkif.h>
#include <xen/abi/ring.h>

CHECK_SIZE(xen_sring_hdr, 64);
CHECK_OFF(xen_sring_hdr, req_event, 4);
CHECK_OFF(xen_sring_hdr, rsp_prod, 8);
CHECK_OFF(xen_sring_hdr, rsp_event, 12);
CHECK_OFF(xen_sring_hdr, private_area, 16);
CHECK_SIZE(blkif_request_segment, 8);
CHECK_OFF(blkif_request_segment, first_sect, 4);
CHECK_OFF(blkif_request_segment, last_sect, 5);
CHECK_SIZE(blkif_request, 112);
CHECK_OFF(blkif_request, nr_segments, 1);
CHECK_OFF(blkif_request, handle, 2);
CHECK_OFF(blkif_request, id, 8);
CHECK_OFF(blkif_request, sector_number, 16);
CHECK_OFF(blkif_request, seg, 24);
CHECK_SIZE(blkif_request_discard, 32);
CHECK_OFF(blkif_request_discard, flag, 1);
CHECK_OFF(blkif_request_discard, nr_sectors, 24);
CHECK_SIZE(blkif_request_indirect, 64);
CHECK_OFF(blkif_request_indirect, indirect_op, 1);
CHECK_OFF(blkif_request_indirect, nr_segments, 2);
CHECK_OFF(blkif_request_indirect, id, 8);
CHECK_OFF(blkif_request_indirect, sector_number, 16);
CHECK_OFF(blkif_request_indirect, handle, 24);
CHECK_OFF(blkif_request_indirect, indirect_grefs, 28);
CHECK_SIZE(blkif_response, 16);
CHECK_OFF(blkif_response, operation, 8);
CHECK_OFF(blkif_response, status, 10);
_Static_assert(sizeof(union blkif_sring_entry) == BLKIF_RING_ENTRY_SIZE, "blkif ring entry");

/* Network interface (public/io/netif.h). */
#include <xen/abi/netif.h>

CHECK_SIZE(netif_tx_request, 12);
CHECK_OFF(netif_tx_request, offset, 4);
CHECK_OFF(netif_tx_request, flags, 6);
CHECK_OFF(netif_tx_request, id, 8);
CHECK_OFF(netif_tx_request, size, 10);
CHECK_SIZE(netif_tx_response, 4);
CHECK_OFF(netif_tx_response, status, 2);
CHECK_SIZE(netif_rx_request, 8);
CHECK_OFF(netif_rx_request, gref, 4);
CHECK_SIZE(netif_rx_response, 8);
CHECK_OFF(netif_rx_response, offset, 2);
CHECK_OFF(netif_rx_response, flags, 4);
CHECK_OFF(netif_rx_response, status, 6);
_Static_assert(sizeof(union netif_tx_sring_entry) == NETIF_TX_ENTRY_SIZE, "netif tx entry");
_Static_assert(sizeof(union netif_rx_sring_entry) == NETIF_RX_ENTRY_SIZE, "netif rx entry");
