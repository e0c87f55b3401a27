/* EVTCHNOP_* (public/event_channel.h; xen-abi.md §2, §3). */
#ifndef XEN_ABI_EVENT_CHANNEL_H
#define XEN_ABI_EVENT_CHANNEL_H

#include <xen/abi/xen.h>

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_unmask 9

typedef uint32_t evtchn_port_t;

struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port;
};

struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};

/* evtchn_send, evtchn_close and evtchn_unmask share this layout. */
struct evtchn_port_op {
	evtchn_port_t port;
};

#endif
