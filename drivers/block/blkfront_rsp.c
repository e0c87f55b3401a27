/* The blkfront response consumer: everything the backend writes to the ring
 * passes through here first (STYLE U1, U2). A response is copied out of the
 * ring before it is looked at, its id must name one of our shadow slots that
 * is in flight, and its operation and status must be ones we asked for and
 * the ABI defines. Anything else is a misbehaving backend: the device is
 * marked broken with one message and every later request fails with -EIO. */
#define LOG_PREFIX "blkfront: "
#include "blkfront_internal.h"

#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>
#include <xen/gnttab.h>
#include <xen/ring.h>

/* Check one copied-out response; on success @id is its shadow slot. */
static int bf_rsp_validate(struct blkfront_dev *dev, const struct blkif_response *rsp,
			   unsigned int *id)
{
	const struct bf_shadow *sh;

	if (rsp->id >= BF_MAX_IN_FLIGHT || !dev->shadow[rsp->id].is_in_flight) {
		bf_mark_broken(dev, "response id names no request in flight");
		return -EIO;
	}
	sh = &dev->shadow[rsp->id];
	/* Linux blkback answers an indirect request with its inner operation;
	 * accept the outer one too, but nothing else. */
	if (rsp->operation != sh->op && !(rsp->operation == BLKIF_OP_INDIRECT &&
					  (sh->op == BLKIF_OP_READ || sh->op == BLKIF_OP_WRITE))) {
		bf_mark_broken(dev, "response operation differs from the request's");
		return -EIO;
	}
	if (rsp->status != BLKIF_RSP_OKAY && rsp->status != BLKIF_RSP_ERROR &&
	    rsp->status != BLKIF_RSP_EOPNOTSUPP) {
		bf_mark_broken(dev, "response status is not one blkif defines");
		return -EIO;
	}
	*id = (unsigned int)rsp->id;
	return 0;
}

/* Bytes the backend answered OKAY for, by direction: what the bench counts. */
static void bf_count_done(uint8_t op, int status, uint64_t bytes)
{
	if (status != BLKIF_RSP_OKAY) {
		return;
	}
	if (op == BLKIF_OP_READ) {
		bf_stats.read_bytes += bytes;
	} else if (op == BLKIF_OP_WRITE) {
		bf_stats.written_bytes += bytes;
	}
}

void bf_complete(struct blkfront_dev *dev, unsigned int id, int status)
{
	struct bf_shadow *sh = &dev->shadow[id];
	bool is_read_ok = sh->op == BLKIF_OP_READ && status == BLKIF_RSP_OKAY;
	uint64_t done = 0;

	for (unsigned int i = 0; i < sh->seg_count; i++) {
		struct bf_seg *seg = &sh->segs[i];

		if (seg->pool_idx == BF_SEG_ENDED) {
			continue; /* given up on earlier (bf_abandon()) */
		}
		done += seg->len;
		if (seg->pool_idx != BF_NO_POOL) {
			/* The backend is done with the page (it answered), so
			 * its bytes are final; copy them, once, to the caller. */
			if (is_read_ok) {
				memcpy(seg->buf, bf_pool_page(dev, seg->pool_idx), seg->len);
				bf_stats.copied_bytes += seg->len;
			}
			bf_pool_put(dev, seg->pool_idx);
		} else if (bf_end_caller_page(dev, seg)) {
			/* It answered but still maps the caller's page: the
			 * call must not succeed (issue 8 #3). */
			dev->is_lost = true;
			bf_mark_broken(dev, "backend still maps a page of a completed request");
		}
	}
	bf_count_done(sh->op, status, done);
	sh->seg_count = 0;
	sh->is_in_flight = false;
	dev->free_ids[dev->free_id_count++] = (uint8_t)id;
	dev->in_flight--;
	if (status != BLKIF_RSP_OKAY && !dev->io_error) {
		dev->io_error = status == BLKIF_RSP_EOPNOTSUPP ? -EOPNOTSUPP : -EIO;
	}
}

/* Consume the responses in [rsp_cons, prod); prod was checked by the caller. */
static int bf_rsp_batch(struct blkfront_dev *dev, uint32_t prod)
{
	int done = 0;

	while (dev->rsp_cons != prod) {
		struct blkif_response rsp;
		unsigned int id;

		const struct blkif_response *slot =
		    &dev->ring[dev->rsp_cons & (dev->ring_size - 1)].rsp;

		/* RING_COPY_RESPONSE: the backend may rewrite the slot while we
		 * look at it, so only our copy is ever used (XSA-155). Each
		 * field is read once through a volatile access: a plain
		 * memcpy may be turned back into reads of the shared slot. */
		rsp.id = READ_ONCE(slot->id);
		rsp.operation = READ_ONCE(slot->operation);
		rsp.status = READ_ONCE(slot->status);
		dev->rsp_cons++;
		if (bf_rsp_validate(dev, &rsp, &id)) {
			return -EIO;
		}
		bf_complete(dev, id, rsp.status);
		done++;
	}
	return done;
}

int bf_rsp_parse(struct blkfront_dev *dev)
{
	bool has_rechecked = false;
	int done = 0;

	if (dev->is_broken) {
		return -EIO;
	}
	for (;;) {
		uint32_t prod;

		if (xen_ring_rsp_prod(dev->sring, dev->rsp_cons, dev->req_pushed, &prod)) {
			bf_mark_broken(dev, "response producer jumped past the requests sent");
			return -EIO;
		}
		int n = bf_rsp_batch(dev, prod);
		if (n < 0) {
			return n;
		}
		if (n == 0 && has_rechecked) {
			/* rsp_prod moved and moved back: nothing new to take.
			 * rsp_event is set, so a real response raises an event. */
			return done;
		}
		done += n;
		has_rechecked = true;
		if (!xen_ring_rsp_final_check(dev->sring, dev->rsp_cons)) {
			return done;
		}
	}
}
