/* The blkfront response consumer (bf_rsp_parse) over many calls, against a
 * backend that rewrites rsp_prod between them (it may go back, jump, or
 * flip between two values) and answers requests whose pages are granted
 * directly (non-persistent mode: the caller's own page, ended at
 * completion) or come from the granted pool (STYLE U1, U2, U4).
 *
 * Unlike blkif_rsp (one batch, pool pages only), this target runs on the
 * simulated Xen: real grants, a backend that may still map a page when it
 * answers, and requests issued again on freed ids while stale responses
 * are still in the ring. Checked after each call: no request completed
 * twice or out of nothing, no id freed twice or handed out while in flight,
 * rsp_cons never past what was sent, a broken device stays broken, a
 * completed request's own pages no longer granted (or the device broken),
 * pooled reads copied to the caller, pool pages conserved.
 *
 * Input: n (requests in flight at the start, % 33), direct (bit i % 8:
 * request i grants the caller's page), ops (bit i % 8: request i writes),
 * held (bit i % 8: the backend maps request i's first page and has not
 * unmapped it), base (le32: the index the ring starts at, to cover wrap);
 * then 4-byte steps {op, a, b, c}, by op % 4:
 *   0: response slot base + a: id b, operation c & 15, status by c >> 4
 *   1: rsp_prod = base + a + 256 * (b & 1) (back, forth, past what was sent)
 *   2: bf_rsp_parse(), then the invariants
 *   3: the backend unmaps what it held (a & 1); issue a % 4 new requests
 * Seeds: tests/fuzz/seeds/mk-blkif_race.py. */
#include <arch/arch.h>
#include <fuzz.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/gnttab.h>
#include <xen/xen.h>

#include "../../drivers/block/blkfront_internal.h"

#define HEAD 8
#define STEP 4
#define MAX_STEPS 256
#define SEGS_PER_REQ 2
/* The caller's buffers: one page per segment, in guest RAM above the heap
 * window of a 16 MiB bank (the heap ends at the DT, 64 KiB below the top). */
#define BUF_PAGES (BF_MAX_IN_FLIGHT * SEGS_PER_REQ)

static uint8_t ring_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct bf_shadow shadow[BF_MAX_IN_FLIGHT];
static struct blkfront_dev dev;
static struct dtinfo dt;
static uint8_t *bufs; /* BUF_PAGES pages of guest RAM */
static uint32_t base;

/* What the harness knows about each id, to check the driver against. */
static struct {
	bool is_in_flight;
	bool is_held; /* the backend maps segment 0 (direct) */
	unsigned int seg_count; /* as issued */
} model[BF_MAX_IN_FLIGHT];

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *buf_page(unsigned int id, unsigned int s)
{
	return bufs + ((size_t)id * SEGS_PER_REQ + s) * PAGE_SIZE;
}

static bool is_granted(grant_ref_t ref)
{
	struct grant_entry_v1 e;

	return sim_gnttab_entry(ref, &e) == 0 && (e.flags & GTF_permit_access);
}

/* Issue one request as blkfront_io.c does: the top free id, its pages
 * granted directly or taken from the pool. Returns false when none fits. */
static bool issue(bool is_direct, bool is_write, bool is_held)
{
	if (!dev.free_id_count || dev.req_prod_pvt - dev.rsp_cons >= dev.ring_size) {
		return false;
	}
	unsigned int id = dev.free_ids[dev.free_id_count - 1];
	struct bf_shadow *sh = &dev.shadow[id];

	/* A free id is never one in flight. */
	fuzz_check(!model[id].is_in_flight && !sh->is_in_flight);
	sh->op = is_write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	sh->seg_count = 0;
	for (unsigned int s = 0; s < SEGS_PER_REQ; s++) {
		struct bf_seg *seg = &sh->segs[s];
		uint8_t *page = buf_page(id, s);

		seg->buf = page;
		seg->len = PAGE_SIZE;
		if (is_direct &&
		    gnttab_grant(SIM_BACKEND_DOMID, sim_virt_to_phys(page) >> PAGE_SHIFT, is_write,
				 &seg->gref) == 0) {
			seg->pool_idx = BF_NO_POOL;
		} else if (bf_pool_get(&dev, &seg->pool_idx) == 0) {
			seg->gref = dev.pool_refs[seg->pool_idx];
			/* What the backend "read from disk" into the pool page;
			 * the caller's page starts clean, so a copy shows. */
			memset(bf_pool_page(&dev, seg->pool_idx), 0x40 + id, PAGE_SIZE);
			memset(page, 0, PAGE_SIZE);
		} else {
			break;
		}
		sh->seg_count++;
	}
	if (sh->seg_count == 0) {
		return false;
	}
	model[id].is_held = false;
	model[id].seg_count = sh->seg_count;
	if (is_held && sh->segs[0].pool_idx == BF_NO_POOL) {
		void *mapped;
		model[id].is_held =
		    sim_gnttab_map(SIM_BACKEND_DOMID, sh->segs[0].gref, !is_write, &mapped) == 0;
	}
	dev.free_id_count--;
	dev.in_flight++;
	sh->is_in_flight = true;
	model[id].is_in_flight = true;
	dev.req_prod_pvt++;
	dev.req_pushed = dev.req_prod_pvt;
	return true;
}

static void unmap_held(void)
{
	for (unsigned int id = 0; id < BF_MAX_IN_FLIGHT; id++) {
		if (model[id].is_held) {
			sim_gnttab_unmap(dev.shadow[id].segs[0].gref,
					 dev.shadow[id].op != BLKIF_OP_WRITE);
			model[id].is_held = false;
		}
	}
}

/* The driver's bookkeeping agrees with itself and with the model. */
static void check_ids(void)
{
	bool is_free[BF_MAX_IN_FLIGHT] = {false};
	unsigned int in_flight = 0;

	fuzz_check(dev.free_id_count + dev.in_flight == BF_MAX_IN_FLIGHT);
	for (unsigned int i = 0; i < dev.free_id_count; i++) {
		unsigned int id = dev.free_ids[i];

		fuzz_check(id < BF_MAX_IN_FLIGHT && !is_free[id]); /* never freed twice */
		fuzz_check(!dev.shadow[id].is_in_flight);
		is_free[id] = true;
	}
	for (unsigned int id = 0; id < BF_MAX_IN_FLIGHT; id++) {
		in_flight += dev.shadow[id].is_in_flight;
	}
	fuzz_check(in_flight == dev.in_flight);
}

/* A completed request: its pages are no longer the backend's to use, or
 * the device says the memory is lost (broken); and while every answer so
 * far said OKAY, a read's pooled pages were copied to the caller. */
static void check_completed(unsigned int id)
{
	const struct bf_shadow *sh = &dev.shadow[id];
	bool is_read_ok = sh->op == BLKIF_OP_READ && !dev.io_error && !dev.is_broken;

	for (unsigned int s = 0; s < model[id].seg_count; s++) {
		const struct bf_seg *seg = &sh->segs[s];
		const uint8_t *page = buf_page(id, s);

		/* A direct page: its grant ended at completion (BF_SEG_ENDED). */
		if (seg->pool_idx == BF_NO_POOL || seg->pool_idx == BF_SEG_ENDED) {
			fuzz_check(dev.is_broken || !is_granted(seg->gref));
		} else if (is_read_ok) {
			fuzz_check(page[0] == 0x40 + id && !memcmp(page, page + 1, PAGE_SIZE - 1));
		}
	}
}

/* One bf_rsp_parse() call and what must hold after it. */
static void parse_and_check(void)
{
	uint32_t cons_before = dev.rsp_cons;
	bool was_broken = dev.is_broken;
	unsigned int before = dev.in_flight, completed = 0;
	int done = bf_rsp_parse(&dev);

	fuzz_check(done == -EIO || (done >= 0 && (unsigned int)done <= before));
	fuzz_check(!was_broken || (done == -EIO && dev.rsp_cons == cons_before));
	fuzz_check(dev.rsp_cons - cons_before <= dev.req_pushed - cons_before);
	fuzz_check(dev.is_broken || dev.rsp_cons == dev.sring->rsp_prod);
	check_ids();
	for (unsigned int id = 0; id < BF_MAX_IN_FLIGHT; id++) {
		const struct bf_shadow *sh = &dev.shadow[id];

		/* Nothing becomes in flight by answering. */
		fuzz_check(model[id].is_in_flight || !sh->is_in_flight);
		if (!model[id].is_in_flight || sh->is_in_flight) {
			continue;
		}
		completed++;
		model[id].is_in_flight = false;
		check_completed(id);
	}
	fuzz_check(done < 0 || (unsigned int)done == completed);
	/* Pool pages are either free or owned by a request in flight. */
	unsigned int pool_in_flight = 0;
	for (unsigned int id = 0; id < BF_MAX_IN_FLIGHT; id++) {
		for (unsigned int s = 0;
		     dev.shadow[id].is_in_flight && s < dev.shadow[id].seg_count; s++) {
			pool_in_flight += dev.shadow[id].segs[s].pool_idx != BF_NO_POOL;
		}
	}
	fuzz_check(dev.pool_free_count + pool_in_flight == dev.pool_granted);
}

static void put_response(const uint8_t *s)
{
	static const int16_t status[4] = {BLKIF_RSP_OKAY, BLKIF_RSP_ERROR, BLKIF_RSP_EOPNOTSUPP, 5};
	struct blkif_response *r = &dev.ring[(base + s[1]) & (dev.ring_size - 1)].rsp;

	r->id = s[2];
	r->operation = s[3] & 15;
	r->status = status[s[3] >> 4 & 3];
}

static int world_up(void)
{
	static const struct sim_config cfg = {
	    .bank_count = 1,
	    .banks = {{SIM_RAM0_BASE, 16u << 20}},
	};
	uint64_t size;

	if (sim_init(&cfg)) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt) || gnttab_init(&dt)) {
		return -1;
	}
	return sim_heap_alloc(BUF_PAGES, (void **)&bufs);
}

static void world_down(void)
{
	(void)gnttab_unmap_all();
	(void)shinfo_unmap();
	sim_reset();
}

static void blkif_race_fuzz(const uint8_t *data, size_t size)
{
	if (size < HEAD) {
		return;
	}
	if (world_up()) {
		__builtin_trap();
	}
	memset(&dev, 0, sizeof(dev));
	memset(model, 0, sizeof(model));
	dev.shadow = shadow;
	dev.is_connected = true;
	dev.xb.otherend_id = SIM_BACKEND_DOMID;
	memcpy(dev.info.name, "fuzz", 5);
	bf_ring_init(&dev, ring_page, 1);
	base = le32(data + 4);
	dev.req_prod_pvt = dev.req_pushed = dev.rsp_cons = base;
	dev.sring->rsp_prod = base;
	for (unsigned int i = 0, n = data[0] % (BF_MAX_IN_FLIGHT + 1); i < n; i++) {
		unsigned int b = 1u << (i % 8);
		(void)issue(data[1] & b, data[2] & b, data[3] & b);
	}
	check_ids();
	for (size_t k = 0; k < MAX_STEPS && HEAD + (k + 1) * STEP <= size; k++) {
		const uint8_t *s = data + HEAD + k * STEP;
		switch (s[0] % 4) {
		case 0:
			put_response(s);
			break;
		case 1:
			dev.sring->rsp_prod = base + s[1] + 256u * (s[2] & 1);
			break;
		case 2:
			parse_and_check();
			break;
		default:
			if (s[1] & 1) {
				unmap_held();
			}
			for (unsigned int i = 0; i < (s[1] >> 1) % 4u; i++) {
				(void)issue(s[2] & (1u << i), s[3] & (1u << i), s[3] & (16u << i));
			}
			break;
		}
	}
	parse_and_check();
	world_down();
}

FUZZ_TARGET(blkif_race_fuzz)
