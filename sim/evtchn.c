/* Event channels of the simulated Xen: the 2-level ABI in a shared_info
 * page that Xen owns from domain creation, whether or not the guest mapped
 * it yet (public/xen.h, xen-abi.md §4 and §11). */
#include "internal.h"

#include <string.h>
#include <xen/abi/event_channel.h>

#define MAX_OFFERS 16
#define BITS 64

enum port_state {
	PORT_FREE = 0,
	PORT_UNBOUND,	  /* allocated, waiting for @remote to bind */
	PORT_INTERDOMAIN, /* connected to a backend in @remote */
};

struct sim_port {
	enum port_state state;
	domid_t remote;
	bool kick; /* the guest sent on it and the backend did not look yet */
};

static struct sim_port ports[EVTCHN_2L_NR_CHANNELS];
static struct shared_info *shinfo;
static struct {
	domid_t dom;
	evtchn_port_t port;
	bool is_used;
} offers[MAX_OFFERS];

void *sim_shinfo_page(void)
{
	return shinfo;
}

struct shared_info *sim_shinfo(void)
{
	return shinfo;
}

uint64_t sim_shinfo_gfn(void)
{
	return sim_mem_xen_page_gfn(shinfo);
}

int sim_evtchn_init(void)
{
	shinfo = aligned_alloc(SIM_PAGE_SIZE, SIM_PAGE_SIZE);
	if (!shinfo) {
		return -XEN_ENOMEM;
	}
	memset(shinfo, 0, SIM_PAGE_SIZE);
	memset(ports, 0, sizeof(ports));
	memset(offers, 0, sizeof(offers));
	/* The toolstack connects the console and xenstore before we start. */
	ports[SIM_CONSOLE_PORT] = (struct sim_port){ PORT_INTERDOMAIN, SIM_BACKEND_DOMID, false };
	ports[SIM_STORE_PORT] = (struct sim_port){ PORT_INTERDOMAIN, SIM_BACKEND_DOMID, false };
	return 0;
}

void sim_evtchn_reset(void)
{
	free(shinfo);
	shinfo = NULL;
}

static bool test_and_set(uint64_t *word, unsigned int bit)
{
	uint64_t m = 1ULL << bit;

	return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const uint64_t *word, unsigned int bit)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST) & (1ULL << bit);
}

/* Selector and upcall flag, as Xen's 2-level code raises them. */
static void raise_upcall(evtchn_port_t port)
{
	struct vcpu_info *v = &shinfo->vcpu_info[0];

	if (!test_and_set(&v->evtchn_pending_sel, port / BITS)) {
		__atomic_store_n(&v->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	}
}

int sim_evtchn_notify_guest(evtchn_port_t port)
{
	if (port >= EVTCHN_2L_NR_CHANNELS || ports[port].state != PORT_INTERDOMAIN) {
		return -XEN_EINVAL;
	}
	/* An edge that is already pending, or a masked port, raises nothing. */
	if (test_and_set(&shinfo->evtchn_pending[port / BITS], port % BITS)) {
		return 0;
	}
	if (!test_bit(&shinfo->evtchn_mask[port / BITS], port % BITS)) {
		raise_upcall(port);
	}
	return 0;
}

bool sim_evtchn_upcall_pending(void)
{
	return shinfo && __atomic_load_n(&shinfo->vcpu_info[0].evtchn_upcall_pending,
					 __ATOMIC_SEQ_CST);
}

bool sim_evtchn_is_pending(evtchn_port_t port)
{
	return port < EVTCHN_2L_NR_CHANNELS &&
	       test_bit(&shinfo->evtchn_pending[port / BITS], port % BITS);
}

bool sim_evtchn_take_kick(evtchn_port_t port)
{
	if (port >= EVTCHN_2L_NR_CHANNELS || !ports[port].kick) {
		return false;
	}
	ports[port].kick = false;
	return true;
}

int sim_evtchn_backend_bind(domid_t dom, evtchn_port_t port)
{
	if (port >= EVTCHN_2L_NR_CHANNELS || ports[port].state != PORT_UNBOUND ||
	    ports[port].remote != dom) {
		return -XEN_EINVAL;
	}
	ports[port].state = PORT_INTERDOMAIN;
	return 0;
}

int sim_evtchn_offer(domid_t dom, evtchn_port_t remote_port)
{
	for (unsigned int i = 0; i < MAX_OFFERS; i++) {
		if (!offers[i].is_used) {
			offers[i].dom = dom;
			offers[i].port = remote_port;
			offers[i].is_used = true;
			return 0;
		}
	}
	return -XEN_ENOSPC;
}

bool sim_evtchn_is_open(evtchn_port_t port)
{
	return port < EVTCHN_2L_NR_CHANNELS && ports[port].state != PORT_FREE;
}

int sim_evtchn_remote(evtchn_port_t port)
{
	return sim_evtchn_is_open(port) ? ports[port].remote : -1;
}

/* Xen hands out the lowest free port; we start high so that a guest that
 * assumes small port numbers (one selector word) is caught. */
static evtchn_port_t alloc_port(void)
{
	for (evtchn_port_t i = 0; i < EVTCHN_2L_NR_CHANNELS - 1; i++) {
		evtchn_port_t p = 1 + (SIM_FIRST_FREE_PORT - 1 + i) % (EVTCHN_2L_NR_CHANNELS - 1);
		if (ports[p].state == PORT_FREE) {
			return p;
		}
	}
	return 0;
}

static bool is_self(domid_t dom)
{
	return dom == DOMID_SELF || dom == SIM_GUEST_DOMID;
}

static long alloc_unbound(void *arg)
{
	struct evtchn_alloc_unbound op;

	if (sim_copy_from_guest(&op, arg, sizeof(op))) {
		return -XEN_EFAULT;
	}
	if (!is_self(op.dom)) {
		return -XEN_EPERM;
	}
	evtchn_port_t p = alloc_port();
	if (!p) {
		return -XEN_ENOSPC;
	}
	ports[p].state = PORT_UNBOUND;
	ports[p].remote = op.remote_dom == DOMID_SELF ? SIM_GUEST_DOMID : op.remote_dom;
	ports[p].kick = false;
	op.port = p;
	return sim_copy_to_guest(arg, &op, sizeof(op));
}

static long bind_interdomain(void *arg)
{
	struct evtchn_bind_interdomain op;

	if (sim_copy_from_guest(&op, arg, sizeof(op))) {
		return -XEN_EFAULT;
	}
	for (unsigned int i = 0; i < MAX_OFFERS; i++) {
		if (offers[i].is_used && offers[i].dom == op.remote_dom &&
		    offers[i].port == op.remote_port) {
			evtchn_port_t p = alloc_port();
			if (!p) {
				return -XEN_ENOSPC;
			}
			offers[i].is_used = false;
			ports[p] = (struct sim_port){ PORT_INTERDOMAIN, op.remote_dom, false };
			op.local_port = p;
			return sim_copy_to_guest(arg, &op, sizeof(op));
		}
	}
	return -XEN_EINVAL;
}

static long port_op(unsigned long cmd, void *arg)
{
	struct evtchn_port_op op;

	if (sim_copy_from_guest(&op, arg, sizeof(op))) {
		return -XEN_EFAULT;
	}
	if (op.port == 0 || op.port >= EVTCHN_2L_NR_CHANNELS || ports[op.port].state == PORT_FREE) {
		return -XEN_EINVAL;
	}
	unsigned int w = op.port / BITS, b = op.port % BITS;
	switch (cmd) {
	case EVTCHNOP_close:
		ports[op.port] = (struct sim_port){ PORT_FREE, 0, false };
		__atomic_fetch_and(&shinfo->evtchn_pending[w], ~(1ULL << b), __ATOMIC_SEQ_CST);
		return 0;
	case EVTCHNOP_unmask:
		/* An edge that came while masked is delivered now (public/xen.h). */
		__atomic_fetch_and(&shinfo->evtchn_mask[w], ~(1ULL << b), __ATOMIC_SEQ_CST);
		if (test_bit(&shinfo->evtchn_pending[w], b)) {
			raise_upcall(op.port);
		}
		return 0;
	default: /* EVTCHNOP_send */
		sim_stat.evtchn_send_count++;
		/* Sending on a port nobody bound yet is silently dropped. */
		if (ports[op.port].state == PORT_INTERDOMAIN) {
			ports[op.port].kick = true;
			sim_backends_step();
		}
		return 0;
	}
}

long sim_evtchn_op(unsigned long cmd, void *arg)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return alloc_unbound(arg);
	case EVTCHNOP_bind_interdomain:
		return bind_interdomain(arg);
	case EVTCHNOP_send:
	case EVTCHNOP_close:
	case EVTCHNOP_unmask:
		return port_op(cmd, arg);
	default:
		return -XEN_ENOSYS;
	}
}
