/* Simulated blkback (the dom0 side of public/io/blkif.h) over a host image
 * buffer. It follows Linux blkback where a frontend can tell: keys written
 * at probe (max-ring-page-order, feature-max-indirect-segments) and at
 * connect (sectors, sector-size, info, mode, feature-*), 512-byte units for
 * sector_number whatever sector-size is, requests rejected unless aligned to
 * sector-size, responses to indirect requests carrying the inner operation,
 * persistent grants mapped once and kept. Every page is reached through
 * sim_gnttab_map(), so what the guest's grant entries forbid fails here as
 * it would in Xen. */
#include "internal.h"

#include <sim/blkback.h>
#include <sim/xenstore.h>
#include <stdarg.h>
#include <string.h>
#include <xen/abi/blkif.h>

#define BB_MAX_RING_ORDER 4
#define BB_MAX_PERSISTENT 1056 /* Linux blkback's max_persistent_grants */
#define BB_PATH 160

struct bb_pgrant {
	grant_ref_t ref;
	uint8_t *page;
};

struct sim_blkback {
	struct sim_blkback_config cfg;
	char front[BB_PATH], back[BB_PATH];
	enum xenbus_state state;
	struct sim_blkback_stats stats;
	/* Connection. */
	bool is_mapped, is_persistent;
	uint8_t *ring_pages[1 << BB_MAX_RING_ORDER];
	grant_ref_t ring_refs[1 << BB_MAX_RING_ORDER];
	unsigned int ring_page_count;
	uint32_t ring_size, req_cons, rsp_prod_pvt;
	evtchn_port_t port;
	struct bb_pgrant pgrants[BB_MAX_PERSISTENT];
	unsigned int pgrant_count;
	/* Faults. */
	enum sim_blkback_fault fault;
	unsigned int fault_after, fault_count;
	bool is_holding; /* this request's data maps are leaked on purpose */
	bool is_dataless; /* this read is answered OKAY without its data */
};

/* Byte-wise access to the ring, whose pages need not be adjacent. */
static void bb_ring_copy(struct sim_blkback *bb, size_t off, void *buf, size_t len, bool to_ring)
{
	while (len) {
		size_t page = off / SIM_PAGE_SIZE, in = off % SIM_PAGE_SIZE;
		size_t n = SIM_PAGE_SIZE - in < len ? SIM_PAGE_SIZE - in : len;
		if (to_ring) {
			memcpy(bb->ring_pages[page] + in, buf, n);
		} else {
			memcpy(buf, bb->ring_pages[page] + in, n);
		}
		off += n;
		len -= n;
		buf = (uint8_t *)buf + n;
	}
}

static struct xen_sring_hdr *bb_hdr(struct sim_blkback *bb)
{
	return (struct xen_sring_hdr *)bb->ring_pages[0];
}

static void bb_unmap_all(struct sim_blkback *bb)
{
	/* A backend that leaks mappings: the guest's grants stay busy. */
	for (unsigned int i = 0; bb->fault != SIM_BB_KEEP_MAPS && i < bb->pgrant_count; i++) {
		sim_gnttab_unmap(bb->pgrants[i].ref, true);
	}
	bb->pgrant_count = 0;
	for (unsigned int i = 0; i < bb->ring_page_count; i++) {
		sim_gnttab_unmap(bb->ring_refs[i], true);
	}
	bb->ring_page_count = 0;
	bb->is_mapped = false;
}

static void bb_set_state(struct sim_blkback *bb, enum xenbus_state st)
{
	bb->state = st;
	sim_xs_printf(bb->back, "state", "%d", (int)st);
}

/* Map the ring pages named by ring-ref or ring-ref0..N-1. */
static int bb_map_ring(struct sim_blkback *bb)
{
	long long order = sim_xs_read_num(bb->front, "ring-page-order", 0);

	if (order < 0 || order > (long long)bb->cfg.max_ring_order) {
		return -XEN_EINVAL;
	}
	for (unsigned int i = 0; i < (1u << order); i++) {
		char key[16];
		void *page;
		snprintf(key, sizeof(key), order ? "ring-ref%u" : "ring-ref", i);
		long long ref = sim_xs_read_num(bb->front, key, -1);
		if (ref < 0 || ref > UINT32_MAX ||
		    sim_gnttab_map(SIM_BACKEND_DOMID, (grant_ref_t)ref, true, &page)) {
			return -XEN_EINVAL;
		}
		bb->ring_refs[i] = (grant_ref_t)ref;
		bb->ring_pages[i] = page;
		bb->ring_page_count++;
		bb->stats.maps++;
	}
	bb->ring_size =
	    xen_ring_entries((size_t)(1u << order) * SIM_PAGE_SIZE, BLKIF_RING_ENTRY_SIZE);
	return 0;
}

/* Frontend went Initialised: map, bind, publish the disk, go Connected. */
static void bb_connect(struct sim_blkback *bb)
{
	char proto[32], path[BB_PATH + 40];
	long long port = sim_xs_read_num(bb->front, "event-channel", -1);

	snprintf(path, sizeof(path), "%s/protocol", bb->front);
	if (!sim_xs_read(path, proto, sizeof(proto)) && strcmp(proto, XEN_IO_PROTO_ABI_ARM)) {
		sim_fatal("blkback: frontend wrote protocol \"%s\"\n", proto);
	}
	if (bb_map_ring(bb) || port <= 0 ||
	    sim_evtchn_backend_bind(SIM_BACKEND_DOMID, (evtchn_port_t)port)) {
		bb_unmap_all(bb);
		bb_set_state(bb, XenbusStateClosing);
		return;
	}
	bb->port = (evtchn_port_t)port;
	bb->is_mapped = true;
	bb->is_persistent =
	    bb->cfg.has_persistent && sim_xs_read_num(bb->front, "feature-persistent", 0) == 1;
	bb->req_cons = 0;
	bb->rsp_prod_pvt = 0;
	bb->stats.connects++;
	sim_xs_printf(bb->back, "sectors", "%llu", (unsigned long long)(bb->cfg.image_size / 512));
	sim_xs_printf(bb->back, "sector-size", "%u", bb->cfg.sector_size);
	sim_xs_printf(bb->back, "info", "%u", bb->cfg.is_info_ro ? VDISK_READONLY : 0);
	sim_xs_printf(bb->back, "feature-flush-cache", "%d", bb->cfg.has_flush);
	sim_xs_printf(bb->back, "feature-barrier", "%d", bb->cfg.has_barrier);
	sim_xs_printf(bb->back, "feature-persistent", "%d", bb->cfg.has_persistent);
	bb_set_state(bb, XenbusStateConnected);
}

/* A data page: persistent grants are mapped once and kept, others per use. */
static uint8_t *bb_map_data(struct sim_blkback *bb, grant_ref_t ref, bool write)
{
	void *page;

	if (bb->is_persistent) {
		for (unsigned int i = 0; i < bb->pgrant_count; i++) {
			if (bb->pgrants[i].ref == ref) {
				return bb->pgrants[i].page;
			}
		}
		/* Linux maps persistent grants read-write whatever the request. */
		write = true;
	}
	if (sim_gnttab_map(SIM_BACKEND_DOMID, ref, write, &page)) {
		return NULL;
	}
	bb->stats.maps++;
	if (bb->is_persistent && bb->pgrant_count < BB_MAX_PERSISTENT) {
		bb->pgrants[bb->pgrant_count++] = (struct bb_pgrant){ref, page};
		bb->stats.persistent_grants++;
	}
	return page;
}

static void bb_unmap_data(struct sim_blkback *bb, grant_ref_t ref, bool write)
{
	if (bb->is_holding) {
		return;
	}
	if (bb->is_persistent) {
		for (unsigned int i = 0; i < bb->pgrant_count; i++) {
			if (bb->pgrants[i].ref == ref) {
				return;
			}
		}
		write = true;
	}
	sim_gnttab_unmap(ref, write);
}

/* The segment list of a direct or indirect request; 0 or -1 (bad request). */
static int bb_segments(struct sim_blkback *bb, const union blkif_sring_entry *e,
		       struct blkif_request_segment *segs, unsigned int *count)
{
	if (e->req.operation != BLKIF_OP_INDIRECT) {
		*count = e->req.nr_segments;
		if (*count == 0 || *count > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
			return -1;
		}
		memcpy(segs, e->req.seg, *count * sizeof(*segs));
		return 0;
	}
	*count = e->ind.nr_segments;
	if (*count == 0 || *count > bb->cfg.max_indirect_segs) {
		return -1;
	}
	for (unsigned int p = 0; p * BLKIF_SEGS_PER_INDIRECT_FRAME < *count; p++) {
		unsigned int n = *count - p * BLKIF_SEGS_PER_INDIRECT_FRAME;
		uint8_t *page = bb_map_data(bb, e->ind.indirect_grefs[p], false);
		if (!page) {
			return -1;
		}
		n = n > BLKIF_SEGS_PER_INDIRECT_FRAME ? BLKIF_SEGS_PER_INDIRECT_FRAME : n;
		memcpy(segs + p * BLKIF_SEGS_PER_INDIRECT_FRAME, page, n * sizeof(*segs));
		bb_unmap_data(bb, e->ind.indirect_grefs[p], false);
	}
	bb->stats.indirect_requests++;
	return 0;
}

/* Read or write: BLKIF_RSP_OKAY or BLKIF_RSP_ERROR, as blkback decides. */
static int bb_rw(struct sim_blkback *bb, uint8_t op, uint64_t sector,
		 const struct blkif_request_segment *segs, unsigned int count)
{
	uint64_t total = 0, per = bb->cfg.sector_size / 512, disk = bb->cfg.image_size / 512;

	for (unsigned int i = 0; i < count; i++) {
		if (segs[i].last_sect < segs[i].first_sect || segs[i].last_sect >= 8) {
			return BLKIF_RSP_ERROR;
		}
		total += segs[i].last_sect - segs[i].first_sect + 1u;
	}
	/* The checks of Linux dispatch_rw_block_io(): range, and whole logical blocks. */
	if ((op == BLKIF_OP_WRITE && (bb->cfg.is_read_only || bb->cfg.is_info_ro)) ||
	    sector > disk || total > disk - sector || ((sector | total) & (per - 1))) {
		return BLKIF_RSP_ERROR;
	}
	for (unsigned int i = 0; i < count; i++) {
		bool write_page = op == BLKIF_OP_READ;
		uint8_t *page = bb_map_data(bb, segs[i].gref, write_page);
		size_t off = segs[i].first_sect * 512u;
		size_t len = (segs[i].last_sect - segs[i].first_sect + 1u) * 512u;
		if (!page) {
			return BLKIF_RSP_ERROR;
		}
		uint8_t *disk_at = bb->cfg.image + sector * 512;
		if (op == BLKIF_OP_READ) {
			if (!bb->is_dataless && !bb->cfg.is_dataless) {
				memcpy(page + off, disk_at, len);
			}
		} else {
			memcpy(disk_at, page + off, len);
		}
		bb_unmap_data(bb, segs[i].gref, write_page);
		sector += len / 512;
	}
	bb->stats.segments += count;
	return BLKIF_RSP_OKAY;
}

static int bb_handle(struct sim_blkback *bb, const union blkif_sring_entry *e, uint8_t *op)
{
	static struct blkif_request_segment segs[4096];
	unsigned int count;

	*op = e->req.operation == BLKIF_OP_INDIRECT ? e->ind.indirect_op : e->req.operation;
	switch (*op) {
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		bb->stats.flushes++;
		return (*op == BLKIF_OP_FLUSH_DISKCACHE ? bb->cfg.has_flush : bb->cfg.has_barrier)
			   ? BLKIF_RSP_OKAY
			   : BLKIF_RSP_EOPNOTSUPP;
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (bb_segments(bb, e, segs, &count)) {
			return BLKIF_RSP_ERROR;
		}
		return bb_rw(bb, *op,
			     e->req.operation == BLKIF_OP_INDIRECT ? e->ind.sector_number
								   : e->req.sector_number,
			     segs, count);
	default:
		return BLKIF_RSP_ERROR;
	}
}

/* Is the current request one the fault applies to? */
static enum sim_blkback_fault bb_fault_now(struct sim_blkback *bb)
{
	if (bb->fault == SIM_BB_OK) {
		return SIM_BB_OK;
	}
	if (bb->fault_after) {
		bb->fault_after--;
		return SIM_BB_OK;
	}
	enum sim_blkback_fault f = bb->fault;
	bool is_for_good = f == SIM_BB_STALL || f == SIM_BB_KEEP_MAPS || f == SIM_BB_STALL_MAPPED ||
			   f == SIM_BB_NO_CLOSE;
	if (!is_for_good && --bb->fault_count == 0) {
		bb->fault = SIM_BB_OK;
	}
	return f;
}

static void bb_respond(struct sim_blkback *bb, uint64_t id, uint8_t op, int status,
		       enum sim_blkback_fault f)
{
	struct blkif_response r = {.id = id, .operation = op, .status = (int16_t)status};
	size_t off;

	if (f == SIM_BB_WRONG_ID) {
		r.id = id + 1000;
	} else if (f == SIM_BB_BAD_STATUS) {
		r.status = 7;
	} else if (f == SIM_BB_BAD_OP) {
		r.operation = op == BLKIF_OP_READ ? BLKIF_OP_DISCARD : BLKIF_OP_READ;
	} else if (f == SIM_BB_IO_ERROR) {
		r.status = BLKIF_RSP_ERROR;
	}
	for (int copies = f == SIM_BB_DUP_ID ? 2 : 1; copies > 0; copies--) {
		off = XEN_SRING_HDR_SIZE +
		      (size_t)(bb->rsp_prod_pvt & (bb->ring_size - 1)) * BLKIF_RING_ENTRY_SIZE;
		bb_ring_copy(bb, off, &r, sizeof(r), true);
		bb->rsp_prod_pvt++;
	}
}

/* RING_PUSH_RESPONSES_AND_CHECK_NOTIFY, plus the jump fault. */
static void bb_push(struct sim_blkback *bb, uint32_t old, bool jump, bool quiet)
{
	struct xen_sring_hdr *h = bb_hdr(bb);
	uint32_t new_prod = bb->rsp_prod_pvt + (jump ? 5 : 0);

	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&h->rsp_prod, new_prod, __ATOMIC_SEQ_CST);
	uint32_t event = __atomic_load_n(&h->rsp_event, __ATOMIC_SEQ_CST);
	if (!quiet && xen_ring_need_notify(old, new_prod, event)) {
		sim_evtchn_notify_guest(bb->port);
		bb->stats.notifies++;
	}
}

/* Take every request the guest pushed; answer them unless stalled. */
static int bb_process(struct sim_blkback *bb)
{
	struct xen_sring_hdr *h = bb_hdr(bb);
	uint32_t old = bb->rsp_prod_pvt;
	bool jump = false, quiet = false, stalled = false;
	int work = 0;

	while (!stalled) {
		uint32_t prod = __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE);
		if (prod - bb->req_cons > bb->ring_size) {
			sim_fatal("blkback: guest req_prod %u runs %u ahead of req_cons\n", prod,
				  prod - bb->req_cons);
		}
		if (prod - bb->req_cons > bb->stats.max_pending) {
			bb->stats.max_pending = prod - bb->req_cons;
		}
		while (bb->req_cons != prod) {
			union blkif_sring_entry e;
			uint8_t op;
			size_t off =
			    XEN_SRING_HDR_SIZE +
			    (size_t)(bb->req_cons & (bb->ring_size - 1)) * BLKIF_RING_ENTRY_SIZE;
			if (bb->fault == SIM_BB_STALL && !bb->fault_after) {
				stalled = true;
				break;
			}
			bb_ring_copy(bb, off, &e, sizeof(e), false);
			bb->req_cons++;
			bb->stats.requests++;
			enum sim_blkback_fault f = bb_fault_now(bb);
			bb->is_holding = f == SIM_BB_KEEP_DATA || f == SIM_BB_STALL_MAPPED;
			bb->is_dataless = f == SIM_BB_NO_DATA;
			int status = bb_handle(bb, &e, &op);
			bb->is_holding = false;
			bb->is_dataless = false;
			bb->stats.bad_requests += status == BLKIF_RSP_ERROR;
			if (f == SIM_BB_STALL_MAPPED) {
				continue; /* taken, done, mapped, never answered */
			}
			jump |= f == SIM_BB_PROD_JUMP;
			quiet |= f == SIM_BB_NO_NOTIFY;
			bb_respond(bb, e.req.id, op, status, f);
			work++;
		}
		if (stalled) {
			break;
		}
		/* RING_FINAL_CHECK_FOR_REQUESTS. */
		__atomic_store_n(&h->req_event, bb->req_cons + 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&h->req_prod, __ATOMIC_SEQ_CST) == bb->req_cons) {
			break;
		}
	}
	if (bb->rsp_prod_pvt != old) {
		bb_push(bb, old, jump, quiet);
	}
	return work;
}

static long long bb_front_state(struct sim_blkback *bb)
{
	return sim_xs_read_num(bb->front, "state", XenbusStateUnknown);
}

/* Follow the frontend (Linux blkback's frontend_changed()). */
static int bb_step(void *ctx)
{
	struct sim_blkback *bb = ctx;
	long long fs = bb_front_state(bb);

	switch (bb->state) {
	case XenbusStateInitWait:
		if (fs == XenbusStateInitialised || fs == XenbusStateConnected) {
			bb_connect(bb);
			return 1;
		}
		return 0;
	case XenbusStateConnected:
		if ((fs == XenbusStateClosing || fs == XenbusStateClosed) &&
		    bb->fault != SIM_BB_NO_CLOSE) {
			bb_unmap_all(bb);
			bb_set_state(bb, XenbusStateClosing);
			return 1;
		}
		sim_evtchn_take_kick(bb->port);
		return bb_process(bb);
	case XenbusStateClosing:
		if (fs == XenbusStateClosed) {
			bb_unmap_all(bb);
			bb_set_state(bb, XenbusStateClosed);
			return 1;
		}
		return 0;
	case XenbusStateClosed:
		if (fs == XenbusStateInitialising) {
			bb_set_state(bb, XenbusStateInitWait);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static void bb_release(void *ctx)
{
	free(ctx);
}

static const struct sim_backend_ops bb_ops = {
    .name = "blkback",
    .step = bb_step,
    .release = bb_release,
};

/* What the toolstack and Linux blkback's probe write before the guest runs. */
static int bb_publish(struct sim_blkback *bb)
{
	const struct sim_blkback_config *c = &bb->cfg;
	int rc = 0;

	rc |= sim_xs_printf(bb->front, "backend", "%s", bb->back);
	rc |= sim_xs_printf(bb->front, "backend-id", "%u", SIM_BACKEND_DOMID);
	rc |= sim_xs_printf(bb->front, "state", "%d", XenbusStateInitialising);
	rc |= sim_xs_printf(bb->front, c->is_vdev_ext ? "virtual-device-ext" : "virtual-device",
			    "%u", c->vdev);
	rc |= sim_xs_printf(bb->front, "device-type", "disk");
	rc |= sim_xs_printf(bb->back, "frontend", "%s", bb->front);
	rc |= sim_xs_printf(bb->back, "frontend-id", "%u", SIM_GUEST_DOMID);
	rc |= sim_xs_printf(bb->back, "online", "1");
	rc |= sim_xs_printf(bb->back, "mode", c->is_read_only ? "r" : "w");
	if (c->max_ring_order) {
		rc |= sim_xs_printf(bb->back, "max-ring-page-order", "%u", c->max_ring_order);
	}
	if (c->max_indirect_segs) {
		rc |= sim_xs_printf(bb->back, "feature-max-indirect-segments", "%u",
				    c->max_indirect_segs);
	}
	bb->state = XenbusStateInitWait;
	rc |= sim_xs_printf(bb->back, "state", "%d", XenbusStateInitWait);
	return rc ? -XEN_EINVAL : 0;
}

struct sim_blkback *sim_blkback_add(const struct sim_blkback_config *cfg)
{
	struct sim_blkback *bb = calloc(1, sizeof(*bb));

	if (!bb) {
		return NULL;
	}
	bb->cfg = *cfg;
	if (!bb->cfg.sector_size) {
		bb->cfg.sector_size = 512;
	}
	if (bb->cfg.max_ring_order > BB_MAX_RING_ORDER || bb->cfg.max_indirect_segs > 4096 ||
	    bb->cfg.image_size % bb->cfg.sector_size) {
		sim_fatal("blkback: bad config\n");
	}
	snprintf(bb->front, sizeof(bb->front), "/local/domain/%u/device/vbd/%u", SIM_GUEST_DOMID,
		 cfg->vdev);
	snprintf(bb->back, sizeof(bb->back), "/local/domain/%u/backend/vbd/%u/%u",
		 SIM_BACKEND_DOMID, SIM_GUEST_DOMID, cfg->vdev);
	if (bb_publish(bb) || sim_backend_add(&bb_ops, bb)) {
		free(bb);
		return NULL;
	}
	return bb;
}

void sim_blkback_fault(struct sim_blkback *bb, enum sim_blkback_fault fault, unsigned int after,
		       unsigned int count)
{
	bb->fault = fault;
	bb->fault_after = after;
	bb->fault_count = count ? count : 1;
}

const struct sim_blkback_stats *sim_blkback_stats(const struct sim_blkback *bb)
{
	return &bb->stats;
}

enum xenbus_state sim_blkback_state(const struct sim_blkback *bb)
{
	return bb->state;
}

const char *sim_blkback_path(const struct sim_blkback *bb)
{
	return bb->back;
}

bool sim_blkback_is_mapped(const struct sim_blkback *bb)
{
	return bb->is_mapped;
}
