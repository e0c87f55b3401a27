/* Simulated netback in copy mode (the dom0 side of public/io/netif.h),
 * following Linux netback where a frontend can tell: feature-rx-copy and
 * feature-sg at probe, request-rx-copy and feature-rx-notify required at
 * connect, one TX response per slot, RX responses in request order. Pages
 * are reached only through sim_gnttab_map(), as grant copies in Xen. */
#include "internal.h"

#include <sim/netback.h>
#include <sim/xenstore.h>
#include <stdarg.h>
#include <string.h>
#include <xen/abi/netif.h>

#define NB_PATH 160
#define NB_QUEUE 512
#define NB_TX_FRAME_MAX 65536

struct nb_frame {
	uint8_t *data;
	size_t len;
};

struct sim_netback {
	struct sim_netback_config cfg;
	char front[NB_PATH], back[NB_PATH];
	enum xenbus_state state;
	struct sim_netback_stats stats;
	/* Connection. */
	bool is_mapped;
	uint8_t *tx_page, *rx_page; /* the guest's ring pages, mapped */
	grant_ref_t tx_ref, rx_ref;
	evtchn_port_t port;
	uint32_t tx_req_cons, tx_rsp_pvt, rx_req_cons, rx_rsp_pvt;
	/* The TX frame being copied out of the guest's slots. */
	uint8_t tx_frame[NB_TX_FRAME_MAX];
	size_t tx_len;
	sim_netback_tx_fn *tx_fn;
	void *tx_ctx;
	/* Frames waiting for RX pages. */
	struct nb_frame queue[NB_QUEUE];
	unsigned int q_head, q_count;
	unsigned int rx_offset, rx_slot_bytes, rx_flags;
	/* Faults. */
	enum sim_netback_fault fault;
	unsigned int fault_after, fault_count;
};

static void nb_set_state(struct sim_netback *nb, enum xenbus_state st)
{
	nb->state = st;
	sim_xs_printf(nb->back, "state", "%d", (int)st);
}

static void nb_unmap_rings(struct sim_netback *nb)
{
	if (nb->tx_page) {
		sim_gnttab_unmap(nb->tx_ref, true);
	}
	if (nb->rx_page) {
		sim_gnttab_unmap(nb->rx_ref, true);
	}
	nb->tx_page = nb->rx_page = NULL;
	nb->is_mapped = false;
}

/* Is the current frame or slot one the fault applies to? */
static bool nb_fault_now(struct sim_netback *nb, enum sim_netback_fault f)
{
	if (nb->fault != f) {
		return false;
	}
	if (nb->fault_after) {
		nb->fault_after--;
		return false;
	}
	bool is_for_good = f == SIM_NB_RX_STALL || f == SIM_NB_TX_STALL ||
			   f == SIM_NB_TX_KEEP_MAP || f == SIM_NB_NO_CLOSE;
	if (!is_for_good && --nb->fault_count == 0) {
		nb->fault = SIM_NB_OK;
	}
	return true;
}

/* The current fault if it is one of [@lo, @hi] (stalls aside) and applies now. */
static enum sim_netback_fault nb_fault_in(struct sim_netback *nb, enum sim_netback_fault lo,
					  enum sim_netback_fault hi)
{
	enum sim_netback_fault f = nb->fault;

	if (f < lo || f > hi || f == SIM_NB_TX_STALL) {
		return SIM_NB_OK;
	}
	return nb_fault_now(nb, f) ? f : SIM_NB_OK;
}

/* Frontend went Connected (or Initialised): check its keys, map, bind. */
static void nb_connect(struct sim_netback *nb)
{
	long long tx = sim_xs_read_num(nb->front, "tx-ring-ref", -1);
	long long rx = sim_xs_read_num(nb->front, "rx-ring-ref", -1);
	long long port = sim_xs_read_num(nb->front, "event-channel", -1);
	void *page;

	/* Linux netback refuses a frontend without these two. */
	if (sim_xs_read_num(nb->front, "request-rx-copy", 0) != 1 ||
	    sim_xs_read_num(nb->front, "feature-rx-notify", 0) != 1 || tx < 0 || tx > UINT32_MAX ||
	    rx < 0 || rx > UINT32_MAX || port <= 0) {
		nb_set_state(nb, XenbusStateClosing);
		return;
	}
	if (!sim_gnttab_map(SIM_BACKEND_DOMID, (grant_ref_t)tx, true, &page)) {
		nb->tx_page = page;
		nb->tx_ref = (grant_ref_t)tx;
	}
	if (!sim_gnttab_map(SIM_BACKEND_DOMID, (grant_ref_t)rx, true, &page)) {
		nb->rx_page = page;
		nb->rx_ref = (grant_ref_t)rx;
	}
	if (!nb->tx_page || !nb->rx_page ||
	    sim_evtchn_backend_bind(SIM_BACKEND_DOMID, (evtchn_port_t)port)) {
		nb_unmap_rings(nb);
		nb_set_state(nb, XenbusStateClosing);
		return;
	}
	nb->port = (evtchn_port_t)port;
	nb->is_mapped = true;
	nb->tx_req_cons = nb->tx_rsp_pvt = nb->rx_req_cons = nb->rx_rsp_pvt = 0;
	nb->tx_len = 0;
	nb->stats.connects++;
	nb_set_state(nb, XenbusStateConnected);
}

/* RING_PUSH_RESPONSES_AND_CHECK_NOTIFY on one ring, plus the jump fault. */
static void nb_push(struct sim_netback *nb, uint8_t *page, uint32_t old, uint32_t new_prod,
		    bool jump)
{
	struct xen_sring_hdr *h = (struct xen_sring_hdr *)page;

	/* Past every request the guest can have pushed (a smaller jump over
	 * posted RX requests reads them as responses: caught by content). */
	new_prod += jump ? NET_RX_RING_SIZE + 5 : 0;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&h->rsp_prod, new_prod, __ATOMIC_SEQ_CST);
	uint32_t event = __atomic_load_n(&h->rsp_event, __ATOMIC_SEQ_CST);
	if (xen_ring_need_notify(old, new_prod, event)) {
		sim_evtchn_notify_guest(nb->port);
		nb->stats.notifies++;
	}
}

static void nb_tx_respond(struct sim_netback *nb, uint16_t id, int16_t status,
			  enum sim_netback_fault f)
{
	struct netif_tx_response r = {.id = id, .status = status};

	if (f == SIM_NB_TX_BAD_ID) {
		r.id = (uint16_t)(id + 1000);
	} else if (f == SIM_NB_TX_BAD_STATUS) {
		r.status = NETIF_RSP_NULL;
	} else if (f == SIM_NB_TX_ERROR) {
		r.status = NETIF_RSP_ERROR;
	}
	for (int copies = f == SIM_NB_TX_DUP_ID ? 2 : 1; copies > 0; copies--) {
		union netif_tx_sring_entry *e =
		    (union netif_tx_sring_entry *)(nb->tx_page + XEN_SRING_HDR_SIZE) +
		    (nb->tx_rsp_pvt & (NET_TX_RING_SIZE - 1));
		memcpy(&e->rsp, &r, sizeof(r));
		nb->tx_rsp_pvt++;
	}
}

/* Grant-copy one TX slot into the frame being assembled. */
static int16_t nb_tx_copy(struct sim_netback *nb, const struct netif_tx_request *req, size_t len,
			  bool keep)
{
	void *page;

	if (req->offset + len > SIM_PAGE_SIZE || nb->tx_len + len > NB_TX_FRAME_MAX) {
		sim_fatal("netback: guest TX slot offset %u size %zu outside its page\n",
			  req->offset, len);
	}
	if (sim_gnttab_map(SIM_BACKEND_DOMID, req->gref, false, &page)) {
		return NETIF_RSP_ERROR;
	}
	memcpy(nb->tx_frame + nb->tx_len, (uint8_t *)page + req->offset, len);
	nb->tx_len += len;
	if (!keep) {
		sim_gnttab_unmap(req->gref, false);
	}
	return NETIF_RSP_OKAY;
}

/* One whole TX frame of @n slots: the first carries the frame's size, its
 * own part is what the others leave. One response per slot. */
static void nb_tx_frame(struct sim_netback *nb, const struct netif_tx_request *reqs, unsigned int n,
			enum sim_netback_fault *faults)
{
	size_t rest = 0;
	bool is_bad = false;

	for (unsigned int i = 1; i < n; i++) {
		rest += reqs[i].size;
	}
	if (reqs[0].flags & NETTXF_EXTRA_INFO || rest > reqs[0].size) {
		sim_fatal("netback: guest TX frame with extra info or sizes that do not add up\n");
	}
	nb->tx_len = 0;
	for (unsigned int i = 0; i < n; i++) {
		size_t len = i ? reqs[i].size : reqs[0].size - rest;
		int16_t status = nb_tx_copy(nb, &reqs[i], len, faults[i] == SIM_NB_TX_KEEP_MAP);
		is_bad |= status != NETIF_RSP_OKAY || faults[i] == SIM_NB_TX_ERROR;
		nb_tx_respond(nb, reqs[i].id, status, faults[i]);
	}
	if (!is_bad) {
		nb->stats.tx_frames++;
		if (nb->tx_fn) {
			nb->tx_fn(nb->tx_ctx, nb->tx_frame, nb->tx_len);
		}
	}
}

/* Take the frame starting at tx_req_cons if all its slots are there. */
static bool nb_tx_take(struct sim_netback *nb, uint32_t prod, bool *jump)
{
	struct netif_tx_request reqs[XEN_NETIF_NR_SLOTS_MIN];
	enum sim_netback_fault faults[XEN_NETIF_NR_SLOTS_MIN];
	unsigned int n = 0;

	for (uint32_t i = nb->tx_req_cons; i != prod; i++) {
		if (n == XEN_NETIF_NR_SLOTS_MIN) {
			sim_fatal("netback: guest TX frame of more than %u slots\n", n);
		}
		memcpy(&reqs[n],
		       nb->tx_page + XEN_SRING_HDR_SIZE +
			   (i & (NET_TX_RING_SIZE - 1)) * NETIF_TX_ENTRY_SIZE,
		       sizeof(reqs[n]));
		if (!(reqs[n++].flags & NETTXF_MORE_DATA)) {
			for (unsigned int k = 0; k < n; k++) {
				faults[k] = nb_fault_in(nb, SIM_NB_TX_BAD_ID, SIM_NB_TX_KEEP_MAP);
				*jump |= faults[k] == SIM_NB_TX_PROD_JUMP;
			}
			nb->tx_req_cons += n;
			nb->stats.tx_slots += n;
			nb_tx_frame(nb, reqs, n, faults);
			return true;
		}
	}
	return false; /* the rest of the frame is not pushed yet */
}

static int nb_tx_process(struct sim_netback *nb)
{
	struct xen_sring_hdr *h = (struct xen_sring_hdr *)nb->tx_page;
	uint32_t old = nb->tx_rsp_pvt;
	bool jump = false;
	int work = 0;

	if (nb->fault == SIM_NB_TX_STALL && !nb->fault_after) {
		return 0;
	}
	for (;;) {
		uint32_t prod = __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE);
		if (prod - nb->tx_req_cons > NET_TX_RING_SIZE) {
			sim_fatal("netback: guest tx req_prod runs %u ahead\n",
				  prod - nb->tx_req_cons);
		}
		while (nb_tx_take(nb, prod, &jump)) {
			work++;
		}
		/* RING_FINAL_CHECK_FOR_REQUESTS. */
		__atomic_store_n(&h->req_event, nb->tx_req_cons + 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&h->req_prod, __ATOMIC_SEQ_CST) == prod) {
			break;
		}
	}
	if (nb->tx_rsp_pvt != old) {
		nb_push(nb, nb->tx_page, old, nb->tx_rsp_pvt, jump);
	}
	return work;
}

/* Copy @len bytes into the page of RX request @req at @offset. */
static bool nb_rx_copy(const struct netif_rx_request *req, unsigned int offset, const uint8_t *data,
		       size_t len)
{
	void *page;

	if (sim_gnttab_map(SIM_BACKEND_DOMID, req->gref, true, &page)) {
		return false;
	}
	memcpy((uint8_t *)page + offset, data, len);
	sim_gnttab_unmap(req->gref, true);
	return true;
}

static void nb_rx_write(struct sim_netback *nb, const struct netif_rx_response *r)
{
	union netif_rx_sring_entry *e =
	    (union netif_rx_sring_entry *)(nb->rx_page + XEN_SRING_HDR_SIZE) +
	    (nb->rx_rsp_pvt & (NET_RX_RING_SIZE - 1));
	memcpy(&e->rsp, r, sizeof(*r));
	nb->rx_rsp_pvt++;
	nb->stats.rx_slots++;
}

/* Put frame @fr into @n posted pages starting at rx_req_cons. */
static void nb_rx_frame(struct sim_netback *nb, const struct nb_frame *fr, unsigned int n,
			size_t slot, bool *jump)
{
	enum sim_netback_fault f = nb_fault_in(nb, SIM_NB_RX_BAD_ID, SIM_NB_RX_PROD_JUMP);
	size_t done = 0;

	*jump |= f == SIM_NB_RX_PROD_JUMP;
	for (unsigned int i = 0; i < n; i++) {
		struct netif_rx_request req;
		size_t len = fr->len - done < slot ? fr->len - done : slot;
		memcpy(&req,
		       nb->rx_page + XEN_SRING_HDR_SIZE +
			   (nb->rx_req_cons++ & (NET_RX_RING_SIZE - 1)) * NETIF_RX_ENTRY_SIZE,
		       sizeof(req));
		struct netif_rx_response r = {
		    .id = req.id,
		    .offset = (uint16_t)nb->rx_offset,
		    .flags = (uint16_t)((i == 0 ? nb->rx_flags : 0) |
					(i + 1 < n ? NETRXF_MORE_DATA : 0)),
		    .status = (int16_t)len,
		};
		if (!nb_rx_copy(&req, nb->rx_offset, fr->data + done, len)) {
			r.status = NETIF_RSP_ERROR;
		}
		done += len;
		if (i == 0 && f == SIM_NB_RX_BAD_ID) {
			r.id = (uint16_t)(req.id + 1000);
		} else if (i == 0 && f == SIM_NB_RX_BAD_OFFSET) {
			r.offset = (uint16_t)(SIM_PAGE_SIZE - len / 2);
		} else if (i == 0 && f == SIM_NB_RX_ERROR) {
			r.status = NETIF_RSP_ERROR;
		} else if (i == 0 && f == SIM_NB_RX_BAD_STATUS) {
			r.status = -7;
		} else if (i == 0 && f == SIM_NB_RX_EXTRA) {
			r.flags |= NETRXF_EXTRA_INFO;
		}
		nb_rx_write(nb, &r);
		if (i == 0 && f == SIM_NB_RX_DUP_ID) {
			nb_rx_write(nb, &r);
		}
	}
	nb->stats.rx_frames++;
}

/* Deliver queued frames while the guest has pages posted for them. */
static int nb_rx_process(struct sim_netback *nb)
{
	struct xen_sring_hdr *h = (struct xen_sring_hdr *)nb->rx_page;
	uint32_t old = nb->rx_rsp_pvt;
	bool jump = false;
	int work = 0;
	size_t slot = nb->rx_slot_bytes ? nb->rx_slot_bytes : SIM_PAGE_SIZE - nb->rx_offset;

	while (nb->q_count && !(nb->fault == SIM_NB_RX_STALL && !nb->fault_after)) {
		struct nb_frame *fr = &nb->queue[nb->q_head];
		unsigned int n = (unsigned int)((fr->len + slot - 1) / slot);
		uint32_t prod = __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE);
		if (prod - nb->rx_req_cons > NET_RX_RING_SIZE) {
			sim_fatal("netback: guest rx req_prod runs %u ahead\n",
				  prod - nb->rx_req_cons);
		}
		if (prod - nb->rx_req_cons > nb->stats.rx_posted_max) {
			nb->stats.rx_posted_max = prod - nb->rx_req_cons;
		}
		if (prod - nb->rx_req_cons < n) {
			/* Wait for pages: ask to be told when they come. */
			__atomic_store_n(&h->req_event, nb->rx_req_cons + n, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&h->req_prod, __ATOMIC_SEQ_CST) == prod) {
				break;
			}
			continue;
		}
		nb_rx_frame(nb, fr, n, slot, &jump);
		free(fr->data);
		nb->q_head = (nb->q_head + 1) % NB_QUEUE;
		nb->q_count--;
		work++;
	}
	nb->stats.rx_queued = nb->q_count;
	if (nb->rx_rsp_pvt != old) {
		nb_push(nb, nb->rx_page, old, nb->rx_rsp_pvt, jump);
	}
	return work;
}

/* Follow the frontend (Linux netback's frontend_changed()). */
static int nb_step(void *ctx)
{
	struct sim_netback *nb = ctx;
	long long fs = sim_xs_read_num(nb->front, "state", XenbusStateUnknown);

	switch (nb->state) {
	case XenbusStateInitWait:
		if (fs == XenbusStateClosing || fs == XenbusStateClosed) {
			nb_set_state(nb, (enum xenbus_state)fs);
			return 1;
		}
		if ((fs == XenbusStateInitialised || fs == XenbusStateConnected) &&
		    nb->fault != SIM_NB_NO_CONNECT) {
			nb_connect(nb);
			return 1;
		}
		return 0;
	case XenbusStateConnected:
		if ((fs == XenbusStateClosing || fs == XenbusStateClosed) &&
		    nb->fault != SIM_NB_NO_CLOSE) {
			nb_unmap_rings(nb);
			nb_set_state(nb, XenbusStateClosing);
			return 1;
		}
		nb->stats.kicks += sim_evtchn_take_kick(nb->port);
		return nb_tx_process(nb) + nb_rx_process(nb);
	case XenbusStateClosing:
		if (fs == XenbusStateClosed) {
			nb_unmap_rings(nb);
			nb_set_state(nb, XenbusStateClosed);
			return 1;
		}
		return 0;
	case XenbusStateClosed:
		if (fs == XenbusStateInitialising) {
			nb_set_state(nb, XenbusStateInitWait);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static void nb_release(void *ctx)
{
	struct sim_netback *nb = ctx;

	for (; nb->q_count; nb->q_count--, nb->q_head = (nb->q_head + 1) % NB_QUEUE) {
		free(nb->queue[nb->q_head].data);
	}
	free(nb);
}

static const struct sim_backend_ops nb_ops = {
    .name = "netback",
    .step = nb_step,
    .release = nb_release,
};

/* What the toolstack and Linux netback's probe write before the guest runs. */
static int nb_publish(struct sim_netback *nb)
{
	const struct sim_netback_config *c = &nb->cfg;
	char mac[24];
	int rc = 0;

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", c->mac[0], c->mac[1], c->mac[2],
		 c->mac[3], c->mac[4], c->mac[5]);
	rc |= sim_xs_printf(nb->front, "backend", "%s", nb->back);
	rc |= sim_xs_printf(nb->front, "backend-id", "%u", SIM_BACKEND_DOMID);
	rc |= sim_xs_printf(nb->front, "state", "%d", XenbusStateInitialising);
	rc |= sim_xs_printf(nb->front, "handle", "%u", c->handle);
	rc |= sim_xs_printf(nb->front, "mac", "%s", c->mac_text ? c->mac_text : mac);
	rc |= sim_xs_printf(nb->back, "frontend", "%s", nb->front);
	rc |= sim_xs_printf(nb->back, "frontend-id", "%u", SIM_GUEST_DOMID);
	rc |= sim_xs_printf(nb->back, "online", "1");
	rc |= sim_xs_printf(nb->back, "handle", "%u", c->handle);
	rc |= sim_xs_printf(nb->back, "mac", "%s", mac);
	rc |= sim_xs_printf(nb->back, "feature-rx-copy", "%d", !c->no_rx_copy);
	rc |= sim_xs_printf(nb->back, "feature-rx-flip", "0");
	rc |= sim_xs_printf(nb->back, "feature-sg", "%d", c->has_sg);
	nb->state = XenbusStateInitWait;
	rc |= sim_xs_printf(nb->back, "state", "%d", XenbusStateInitWait);
	return rc ? -XEN_EINVAL : 0;
}

struct sim_netback *sim_netback_add(const struct sim_netback_config *cfg)
{
	struct sim_netback *nb = calloc(1, sizeof(*nb));

	if (!nb) {
		return NULL;
	}
	nb->cfg = *cfg;
	snprintf(nb->front, sizeof(nb->front), "/local/domain/%u/device/vif/%u", SIM_GUEST_DOMID,
		 cfg->handle);
	snprintf(nb->back, sizeof(nb->back), "/local/domain/%u/backend/vif/%u/%u",
		 SIM_BACKEND_DOMID, SIM_GUEST_DOMID, cfg->handle);
	if (nb_publish(nb) || sim_backend_add(&nb_ops, nb)) {
		free(nb);
		return NULL;
	}
	return nb;
}

void sim_netback_set_tx_hook(struct sim_netback *nb, sim_netback_tx_fn *fn, void *ctx)
{
	nb->tx_fn = fn;
	nb->tx_ctx = ctx;
}

int sim_netback_inject(struct sim_netback *nb, const void *frame, size_t len)
{
	if (len == 0 || len > SIM_NB_FRAME_MAX) {
		return -XEN_EINVAL;
	}
	if (nb->q_count == NB_QUEUE) {
		return -XEN_ENOSPC;
	}
	uint8_t *copy = malloc(len);
	if (!copy) {
		return -XEN_ENOMEM;
	}
	memcpy(copy, frame, len);
	nb->queue[(nb->q_head + nb->q_count) % NB_QUEUE] = (struct nb_frame){copy, len};
	nb->q_count++;
	nb->stats.rx_queued = nb->q_count;
	return 0;
}

int sim_netback_sink(void *ctx, const uint8_t *frame, size_t len)
{
	return sim_netback_inject(ctx, frame, len) ? -1 : 0;
}

void sim_netback_rx_layout(struct sim_netback *nb, unsigned int offset, unsigned int slot_bytes,
			   unsigned int flags)
{
	if (offset >= SIM_PAGE_SIZE || slot_bytes > SIM_PAGE_SIZE - offset) {
		sim_fatal("netback: bad rx layout\n");
	}
	nb->rx_offset = offset;
	nb->rx_slot_bytes = slot_bytes;
	nb->rx_flags = flags;
}

void sim_netback_fault(struct sim_netback *nb, enum sim_netback_fault fault, unsigned int after,
		       unsigned int count)
{
	nb->fault = fault;
	nb->fault_after = after;
	nb->fault_count = count ? count : 1;
}

const struct sim_netback_stats *sim_netback_stats(const struct sim_netback *nb)
{
	return &nb->stats;
}

enum xenbus_state sim_netback_state(const struct sim_netback *nb)
{
	return nb->state;
}

bool sim_netback_is_mapped(const struct sim_netback *nb)
{
	return nb->is_mapped;
}

unsigned int sim_netback_rx_posted(const struct sim_netback *nb)
{
	if (!nb->is_mapped) {
		return 0;
	}
	const struct xen_sring_hdr *h = (const struct xen_sring_hdr *)nb->rx_page;
	return __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE) - nb->rx_req_cons;
}
