/* 2-level event channels, polled: we never take the upcall interrupt, we
 * test and clear the pending bits in shared_info after arch_wait() returns
 * (xen-abi.md §4, §11). */
#include <arch/arch.h>
#include <lib/barrier.h>
#include <lib/errno.h>
#include <xen/evtchn.h>
#include <xen/hypercall.h>
#include <xen/xen.h>

#define BITS_PER_WORD 64
/* Ports we allocated and have not closed: the ones handoff must close. The
 * console and XenStore ports are the toolstack's and never land here. */
#define EVTCHN_OWNED_MAX 16

static evtchn_port_t owned[EVTCHN_OWNED_MAX];
static unsigned int owned_count;

void evtchn_init(void)
{
	struct shared_info *s = shinfo_get();

	/* A fresh start (a new world in the sandbox): nothing allocated yet. */
	owned_count = 0;
	/* The upcall flag is only a hint for the vGIC; we look at the bits. */
	if (s) {
		WRITE_ONCE(s->vcpu_info[0].evtchn_upcall_pending, 0);
	}
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_port_op op = {.port = port};

	return (int)hypercall_event_channel_op(EVTCHNOP_send, &op);
}

bool evtchn_test_and_clear(evtchn_port_t port)
{
	struct shared_info *s = shinfo_get();

	if (!s || port >= EVTCHN_2L_NR_CHANNELS) {
		return false;
	}
	/*
	 * Xen raises the upcall (and so wakes WFI) only when it sets a selector
	 * bit that was clear. Clear the hint and every selector bit before
	 * testing, so the next event on any port wakes us again; ports that
	 * stay pending are still seen by their own pollers.
	 */
	WRITE_ONCE(s->vcpu_info[0].evtchn_upcall_pending, 0);
	__atomic_exchange_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	uint64_t bit = 1ULL << (port % BITS_PER_WORD);
	uint64_t old =
	    __atomic_fetch_and(&s->evtchn_pending[port / BITS_PER_WORD], ~bit, __ATOMIC_SEQ_CST);
	return old & bit;
}

void evtchn_rearm(void)
{
	struct shared_info *s = shinfo_get();

	if (s) {
		WRITE_ONCE(s->vcpu_info[0].evtchn_upcall_pending, 0);
		__atomic_exchange_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	}
}

int evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_port_op op = {.port = port};

	/* The hypercall also re-raises the upcall if the port is pending. */
	return (int)hypercall_event_channel_op(EVTCHNOP_unmask, &op);
}

int evtchn_wait(evtchn_port_t port, uint64_t deadline_ns)
{
	for (;;) {
		if (evtchn_test_and_clear(port)) {
			return 0;
		}
		if (arch_time_ns() >= deadline_ns) {
			return -ETIMEDOUT;
		}
		arch_wait(deadline_ns);
	}
}

int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};
	long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (rc) {
		return (int)rc;
	}
	if (owned_count == EVTCHN_OWNED_MAX) {
		/* Untracked, it could outlive handoff: give it back now. */
		(void)evtchn_close(op.port);
		return -ENOSPC;
	}
	owned[owned_count++] = op.port;
	*port = op.port;
	return 0;
}

static void owned_forget(evtchn_port_t port)
{
	for (unsigned int i = 0; i < owned_count; i++) {
		if (owned[i] == port) {
			owned[i] = owned[--owned_count];
			return;
		}
	}
}

void evtchn_handoff(void)
{
	struct shared_info *s = shinfo_get();

	/* The selector and port bits stay: they tell the OS what is pending. */
	if (s) {
		WRITE_ONCE(s->vcpu_info[0].evtchn_upcall_pending, 0);
	}
}

unsigned int evtchn_owned_count(void)
{
	return owned_count;
}

int evtchn_close_all(unsigned int *closed)
{
	int first = 0;

	*closed = 0;
	while (owned_count) {
		evtchn_port_t port = owned[owned_count - 1];
		int rc = evtchn_close(port);
		/* Forgotten either way: a port Xen will not close is not ours to retry. */
		owned_forget(port);
		first = first ? first : rc;
		*closed += !rc;
	}
	return first;
}

int evtchn_close(evtchn_port_t port)
{
	struct shared_info *s = shinfo_get();
	struct evtchn_port_op op = {.port = port};

	if (s && port < EVTCHN_2L_NR_CHANNELS) {
		__atomic_fetch_or(&s->evtchn_mask[port / BITS_PER_WORD],
				  1ULL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
	}
	long rc = hypercall_event_channel_op(EVTCHNOP_close, &op);
	if (!rc) {
		owned_forget(port);
	}
	return (int)rc;
}
