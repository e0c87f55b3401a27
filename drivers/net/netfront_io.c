/* The netfront data path behind struct netdev: send copies a frame into a
 * TX buffer, grants it read-only and pushes one slot; poll reclaims sent
 * frames, takes one received frame and gives the RX pages back to the
 * backend; wait sleeps on the event channel. No call blocks: the stack
 * owns every deadline, and netdev_wait() gives the CPU back to Xen. */
#define LOG_PREFIX "netfront: "
#include "netfront_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/ring.h>

struct netfront_stats nf_stats;

void netfront_stats_get(struct netfront_stats *out)
{
	*out = nf_stats;
}

void nf_mark_broken(struct netfront *nf, const char *why)
{
	/* One NOTICE per device (STYLE G2): the backend, not us, is at fault. */
	netdev_mark_broken(&nf->nd, why);
}

void nf_lose(struct netfront *nf, const void *va, size_t size)
{
	nf->has_lost = true;
	nf_stats.lost_pages += gnttab_keep_lost(va, size);
}

void nf_rings_init(struct netfront *nf, void *pages)
{
	/* Zeroed before they are shared (STYLE U4); the event fields at 1
	 * ask for a notification at the first entry (xen-abi.md §5). */
	memset(pages, 0, 2 * PAGE_SIZE);
	nf->tx_sring = pages;
	nf->rx_sring = (struct xen_sring_hdr *)((uint8_t *)pages + PAGE_SIZE);
	nf->tx_ring = (union netif_tx_sring_entry *)((uint8_t *)nf->tx_sring + XEN_SRING_HDR_SIZE);
	nf->rx_ring = (union netif_rx_sring_entry *)((uint8_t *)nf->rx_sring + XEN_SRING_HDR_SIZE);
	nf->tx_sring->req_event = nf->tx_sring->rsp_event = 1;
	nf->rx_sring->req_event = nf->rx_sring->rsp_event = 1;
	nf->tx_prod_pvt = nf->tx_pushed = nf->tx_cons = 0;
	nf->rx_prod_pvt = nf->rx_pushed = nf->rx_cons = nf->rx_seen_prod = 0;
	nf->rx_part_count = 0;
	nf->rx_free_count = NF_RX_BUFS;
	for (unsigned int i = 0; i < NF_RX_BUFS; i++) {
		nf->rx_free[i] = (uint16_t)(NF_RX_BUFS - 1 - i);
		nf->rx_is_posted[i] = false;
	}
	nf->tx_free_count = NF_TX_BUFS;
	for (unsigned int i = 0; i < NF_TX_BUFS; i++) {
		nf->tx_free[i] = (uint16_t)(NF_TX_BUFS - 1 - i);
		nf->tx_is_in_flight[i] = false;
	}
	nf->tx_stall_since = 0;
}

void nf_rx_refill(struct netfront *nf, bool may_notify)
{
	uint32_t old = nf->rx_pushed;

	while (nf->rx_free_count && nf->rx_prod_pvt - nf->rx_cons < NET_RX_RING_SIZE) {
		uint16_t id = nf->rx_free[--nf->rx_free_count];
		struct netif_rx_request req = {.id = id, .gref = nf->rx_refs[id]};

		/* Built locally, one copy into the shared slot. */
		memcpy(&nf->rx_ring[nf->rx_prod_pvt & (NET_RX_RING_SIZE - 1)].req, &req,
		       sizeof(req));
		nf->rx_slot_id[nf->rx_prod_pvt & (NET_RX_RING_SIZE - 1)] = id;
		nf->rx_is_posted[id] = true;
		nf->rx_prod_pvt++;
	}
	nf->rx_pushed = nf->rx_prod_pvt;
	/* feature-rx-notify: the backend may sleep until told of new pages. */
	if (xen_ring_push_requests(nf->rx_sring, old, nf->rx_prod_pvt) && may_notify) {
		evtchn_send(nf->port);
		nf_stats.notifies++;
	}
}

/* No TX buffer free: -EAGAIN while the backend may still answer, -EIO
 * (broken) once it answered nothing for NF_TX_TIMEOUT_NS. */
static int nf_tx_full(struct netfront *nf)
{
	uint64_t now = arch_time_ns();

	if (!nf->tx_stall_since) {
		nf->tx_stall_since = now;
	} else if (now - nf->tx_stall_since >= NF_TX_TIMEOUT_NS) {
		nf_mark_broken(nf, "no sent frame answered for 10 s");
		return -EIO;
	}
	return -EAGAIN;
}

static int nf_send(struct netdev *dev, const void *frame, size_t len)
{
	struct netfront *nf = dev->priv;

	if (nf_tx_reclaim(nf) < 0) {
		return -EIO;
	}
	if (!nf->tx_free_count) {
		return nf_tx_full(nf);
	}
	unsigned int id = nf->tx_free[nf->tx_free_count - 1];
	uint8_t *buf = nf_tx_buf(nf, id);
	uint64_t pa = arch_virt_to_phys(buf);

	/* The backend only reads what we send. */
	if (gnttab_grant(nf->xb.otherend_id, pa >> PAGE_SHIFT, true, &nf->tx_refs[id])) {
		return -EAGAIN; /* grant table full: completions free entries */
	}
	nf->tx_free_count--;
	memcpy(buf, frame, len);
	/* Checksums are complete (the stack computes them): no flags, and a
	 * frame fits one buffer, so never NETTXF_more_data. */
	struct netif_tx_request req = {
	    .gref = nf->tx_refs[id],
	    .offset = (uint16_t)(pa & (PAGE_SIZE - 1)),
	    .id = (uint16_t)id,
	    .size = (uint16_t)len,
	};
	memcpy(&nf->tx_ring[nf->tx_prod_pvt & (NET_TX_RING_SIZE - 1)].req, &req, sizeof(req));
	nf->tx_is_in_flight[id] = true;
	nf->tx_prod_pvt++;

	uint32_t old = nf->tx_pushed;
	nf->tx_pushed = nf->tx_prod_pvt;
	if (xen_ring_push_requests(nf->tx_sring, old, nf->tx_prod_pvt)) {
		evtchn_send(nf->port);
		nf_stats.notifies++;
	}
	dev->stats.tx_frames++;
	dev->stats.tx_bytes += len;
	return 0;
}

static int nf_poll(struct netdev *dev, void *buf, size_t size, size_t *len)
{
	struct netfront *nf = dev->priv;

	if (nf_tx_reclaim(nf) < 0) {
		return -EIO;
	}
	int rc = nf_rx_parse(nf, buf, size, len);
	if (rc < 0) {
		return -EIO;
	}
	/* Pages go back in batches while frames stream in (each push costs
	 * two barriers and maybe an event), and all of them once idle. */
	if (rc == 0 || nf->rx_free_count >= NF_RX_REFILL_BATCH) {
		nf_rx_refill(nf, true);
	}
	return rc ? 0 : -EAGAIN;
}

/* Responses the caller should look at now (a cheap look, no checks): TX
 * answers, or RX responses published since the last such early return.
 * Frames already reported stay the caller's to poll: returning at once
 * for them on every call would make a caller that waits for TX room
 * (eth_send(), which reads no frames) spin to its deadline. */
static bool nf_has_work(struct netfront *nf)
{
	uint32_t rx = READ_ONCE(nf->rx_sring->rsp_prod);

	if (READ_ONCE(nf->tx_sring->rsp_prod) != nf->tx_cons) {
		return true;
	}
	if (rx == nf->rx_cons || rx == nf->rx_seen_prod) {
		return false;
	}
	nf->rx_seen_prod = rx;
	return true;
}

static void nf_wait(struct netdev *dev, uint64_t deadline_ns)
{
	struct netfront *nf = dev->priv;

	if (dev->is_broken || !nf->has_port) {
		arch_wait(deadline_ns);
		return;
	}
	if (nf_has_work(nf)) {
		return;
	}
	/* The event only says "look again"; the rings are the truth. */
	(void)evtchn_wait(nf->port, deadline_ns);
}

const struct netdev_ops nf_netdev_ops = {
    .send = nf_send,
    .poll = nf_poll,
    .wait = nf_wait,
};
