/* The blkfront response consumer (bf_rsp_parse) against a backend that
 * writes whatever it likes into the response half of the ring and the
 * producer index (STYLE U1, U2, T3). No hypercall is made: every request in
 * flight uses pool pages, whose completion is a copy and a free-list push.
 *
 * Input: n (requests in flight, % 33), ops (bit i: request i is a write),
 * base (le32: the free-running index the batch starts at, to cover wrap),
 * prod (le32: rsp_prod - base), then up to 32 raw 16-byte response slots. */
#include <fuzz.h>
#include <lib/errno.h>
#include <string.h>

#include "../../drivers/block/blkfront_internal.h"

#define HEAD 10
#define SLOTS 32
#define SEGS_PER_REQ 3

#define POOL_CHUNKS_USED                                                                           \
	((BF_MAX_IN_FLIGHT * SEGS_PER_REQ + BF_POOL_CHUNK_PAGES - 1) / BF_POOL_CHUNK_PAGES)

/* What bf_mem_ring() and the pool would take from the heap. */
static uint8_t ring_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t pool[POOL_CHUNKS_USED][BF_POOL_CHUNK_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static struct bf_shadow shadow[BF_MAX_IN_FLIGHT];
static struct blkfront_dev dev;
static uint8_t scratch[BF_MAX_IN_FLIGHT][SEGS_PER_REQ][PAGE_SIZE];

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Request i: id 31 - i, a read or write of three pool pages. */
static void put_in_flight(unsigned int n, uint32_t ops)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int id = dev.free_ids[--dev.free_id_count];
		struct bf_shadow *sh = &dev.shadow[id];

		sh->is_in_flight = true;
		sh->op = (ops >> i) & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		sh->seg_count = SEGS_PER_REQ;
		for (unsigned int s = 0; s < SEGS_PER_REQ; s++) {
			sh->segs[s] = (struct bf_seg){
			    .pool_idx = (uint16_t)(id * SEGS_PER_REQ + s),
			    .len = (uint16_t)(512 << s),
			    .buf = scratch[id][s],
			};
		}
		dev.in_flight++;
	}
}

static void blkif_rsp_fuzz(const uint8_t *data, size_t size)
{
	if (size < HEAD) {
		return;
	}
	unsigned int n = data[0] % (BF_MAX_IN_FLIGHT + 1);
	uint32_t base = le32(data + 2);

	memset(&dev, 0, sizeof(dev));
	dev.shadow = shadow;
	for (unsigned int c = 0; c < POOL_CHUNKS_USED; c++) {
		dev.pool_chunks[c] = pool[c][0];
	}
	dev.pool_chunk_count = POOL_CHUNKS_USED;
	dev.is_connected = true;
	memcpy(dev.info.name, "fuzz", 5);
	bf_ring_init(&dev, ring_page, 1);
	/* Request i gets id 31 - i whatever order bf_ring_init() hands ids
	 * out in, so the seeds keep naming requests in flight. */
	for (unsigned int i = 0; i < BF_MAX_IN_FLIGHT; i++) {
		dev.free_ids[i] = (uint8_t)i;
	}
	dev.req_prod_pvt = dev.req_pushed = base + n;
	dev.rsp_cons = base;
	put_in_flight(n, data[1] | (uint32_t)data[1] << 8 | (uint32_t)data[1] << 16 |
			     (uint32_t)data[1] << 24);
	for (size_t k = 0; k < SLOTS && HEAD + (k + 1) * 16 <= size; k++) {
		memcpy(&dev.ring[(base + k) & (dev.ring_size - 1)], data + HEAD + k * 16, 16);
	}
	dev.sring->rsp_prod = base + le32(data + 6);

	int done = bf_rsp_parse(&dev);

	/* Never more completions than requests, ids conserved, and a healthy
	 * device consumed exactly what was published. */
	fuzz_check(done == -EIO || (done >= 0 && (unsigned int)done <= n));
	fuzz_check(dev.in_flight + dev.free_id_count == BF_MAX_IN_FLIGHT);
	fuzz_check(dev.rsp_cons - base <= n);
	fuzz_check(dev.is_broken || dev.rsp_cons == dev.sring->rsp_prod);
	fuzz_check(dev.pool_free_count <= n * SEGS_PER_REQ);
}

FUZZ_TARGET(blkif_rsp_fuzz)
