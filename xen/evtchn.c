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

void evtchn_init(void)
{
	struct shared_info *s = shinfo_get();

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
	*port = op.port;
	return 0;
}

int evtchn_close(evtchn_port_t port)
{
	struct shared_info *s = shinfo_get();
	struct evtchn_port_op op = {.port = port};

	if (s && port < EVTCHN_2L_NR_CHANNELS) {
		__atomic_fetch_or(&s->evtchn_mask[port / BITS_PER_WORD],
				  1ULL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
	}
	return (int)hypercall_event_channel_op(EVTCHNOP_close, &op);
}
