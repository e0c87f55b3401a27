/* Frontend ring index steps (include/xen/ring.h). The shared header is the
 * backend's to write too: every access is a single volatile load or store,
 * and each barrier says what it orders. */
#include <lib/barrier.h>
#include <lib/errno.h>
#include <xen/ring.h>

bool xen_ring_push_requests(struct xen_sring_hdr *sring, uint32_t old, uint32_t new_prod)
{
	if (old == new_prod) {
		return false;
	}
	/* Entries (and the data they point to) before the index. */
	wmb();
	WRITE_ONCE(sring->req_prod, new_prod);
	/* Publish req_prod before reading req_event: otherwise the backend
	 * may go to sleep on an event we then decide not to send. */
	mb();
	return xen_ring_need_notify(old, new_prod, READ_ONCE(sring->req_event)) != 0;
}

int xen_ring_rsp_prod(const struct xen_sring_hdr *sring, uint32_t cons, uint32_t pushed,
		      uint32_t *prod)
{
	uint32_t p = READ_ONCE(sring->rsp_prod);

	/* Wrap-safe: both distances are counted from our consumer. */
	if (p - cons > pushed - cons) {
		return -EIO;
	}
	/* Read the producer before the entries it publishes. */
	rmb();
	*prod = p;
	return 0;
}

bool xen_ring_rsp_final_check(struct xen_sring_hdr *sring, uint32_t cons)
{
	WRITE_ONCE(sring->rsp_event, cons + 1);
	/* Order the rsp_event store before the rsp_prod re-read. */
	mb();
	return READ_ONCE(sring->rsp_prod) != cons;
}
