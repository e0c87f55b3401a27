/* The memory a blkfront connection shares with its backend: the ring pages,
 * one indirect page per shadow slot and the pool of data pages. All of it
 * comes from the heap (arch_pages_alloc) when the device connects, instead
 * of being reserved in BSS for every possible slot: a device costs memory
 * only while connected, and the Image's footprint - which xl loads and
 * scrubs, and which start-up zeroes with the MMU off - stays small. The
 * pool grows in 256 KiB chunks as the load asks, so small reads never pay
 * for 2 MiB, and a small heap still works, with fewer bytes in flight.
 *
 * Every page is zeroed before it is granted (STYLE U4, XSA-403). A page
 * goes back to the heap only after every grant on it has ended: if the
 * backend still maps one (gnttab_end() says -EBUSY), its whole allocation
 * stays out of use for good, with one notice. */
#define LOG_PREFIX "blkfront: "
#include "blkfront_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <stdlib.h>
#include <string.h>
#include <xen/gnttab.h>

/*
 * Grant @page to the backend. Always read-write: with persistent grants
 * Linux blkback maps every grant it keeps (indirect pages too) read-write.
 * Nothing is lost: the ring is the backend's to write, and we rewrite
 * indirect descriptors before each use and never read them back.
 */
static int bf_grant_page(struct blkfront_dev *dev, void *page, grant_ref_t *ref)
{
	return gnttab_grant(dev->xb.otherend_id, arch_virt_to_phys(page) >> PAGE_SHIFT, false, ref);
}

int bf_mem_ring(struct blkfront_dev *dev, unsigned int ring_pages)
{
	void *mem;
	int rc;

	/* What is set here is the device's until bf_mem_release(). */
	dev->shadow = calloc(BF_MAX_IN_FLIGHT, sizeof(*dev->shadow));
	if (!dev->shadow) {
		return -ENOMEM;
	}
	rc = arch_pages_alloc(ring_pages, &mem);
	if (rc) {
		return rc;
	}
	dev->ring_mem = mem;
	dev->ring_page_count = ring_pages;
	/* bf_ring_init() zeroes the pages before they are granted here. */
	bf_ring_init(dev, mem, ring_pages);
	for (unsigned int i = 0; i < ring_pages; i++) {
		rc = bf_grant_page(dev, dev->ring_mem + (size_t)i * PAGE_SIZE, &dev->ring_refs[i]);
		if (rc) {
			return rc;
		}
		dev->ring_ref_count++;
	}
	return 0;
}

/* One indirect page per shadow slot, granted for the whole connection. */
int bf_mem_indirect(struct blkfront_dev *dev)
{
	void *mem;
	int rc = arch_pages_alloc(BF_MAX_IN_FLIGHT, &mem);

	if (rc) {
		return rc;
	}
	dev->ind = mem;
	memset(mem, 0, (size_t)BF_MAX_IN_FLIGHT * PAGE_SIZE);
	for (unsigned int i = 0; i < BF_MAX_IN_FLIGHT; i++) {
		rc = bf_grant_page(dev, dev->ind[i], &dev->ind_refs[i]);
		if (rc) {
			return rc;
		}
		dev->ind_ref_count++;
	}
	return 0;
}

/* Another chunk of pool pages, if the heap has one. */
static int bf_pool_grow(struct blkfront_dev *dev)
{
	void *chunk;
	int rc;

	if (dev->pool_chunk_count == BF_POOL_CHUNKS) {
		return -ENOSPC;
	}
	rc = arch_pages_alloc(BF_POOL_CHUNK_PAGES, &chunk);
	if (rc) {
		return rc;
	}
	dev->pool_chunks[dev->pool_chunk_count++] = chunk;
	return 0;
}

int bf_pool_get(struct blkfront_dev *dev, uint16_t *idx)
{
	unsigned int i = dev->pool_granted;
	int rc;

	if (dev->pool_free_count) {
		*idx = dev->pool_free[--dev->pool_free_count];
		return 0;
	}
	if (i == dev->pool_chunk_count * BF_POOL_CHUNK_PAGES) {
		rc = bf_pool_grow(dev);
		if (rc) {
			/* Full, or the heap is short: with pages in use, the
			 * caller waits for them (-ENOSPC); with none, it fails. */
			return i ? -ENOSPC : rc;
		}
	}
	/* First use of this page: zero it, then grant it for good. */
	memset(bf_pool_page(dev, i), 0, PAGE_SIZE);
	rc = bf_grant_page(dev, bf_pool_page(dev, i), &dev->pool_refs[i]);
	if (rc) {
		return rc;
	}
	dev->pool_granted++;
	*idx = (uint16_t)i;
	return 0;
}

void bf_pool_put(struct blkfront_dev *dev, uint16_t idx)
{
	dev->pool_free[dev->pool_free_count++] = idx;
}

void bf_lose(struct blkfront_dev *dev, const void *va, size_t size)
{
	bf_stats.lost_pages += gnttab_keep_lost(va, size);
}

bool bf_end_caller_page(struct blkfront_dev *dev, struct bf_seg *seg)
{
	bool is_lost = gnttab_end(seg->gref) != 0;

	if (is_lost) {
		bf_lose(dev, seg->buf, seg->len);
	}
	seg->pool_idx = BF_SEG_ENDED;
	return is_lost;
}

unsigned int bf_end_direct(struct blkfront_dev *dev)
{
	unsigned int busy = 0;

	for (unsigned int id = 0; dev->shadow && id < BF_MAX_IN_FLIGHT; id++) {
		struct bf_shadow *sh = &dev->shadow[id];
		for (unsigned int i = 0; sh->is_in_flight && i < sh->seg_count; i++) {
			if (sh->segs[i].pool_idx == BF_NO_POOL) {
				busy += bf_end_caller_page(dev, &sh->segs[i]);
			}
		}
	}
	return busy;
}

/* End the grants of @count pages at @mem and free them, or keep them for
 * good (MEMMAP_LOST: the OS must not get them either) if the backend still
 * maps one. Returns the number still mapped. */
static unsigned int bf_end_and_free(struct blkfront_dev *dev, void *mem, unsigned int count,
				    const grant_ref_t *refs, unsigned int ref_count)
{
	unsigned int busy = gnttab_end_refs(refs, ref_count);

	if (busy) {
		bf_lose(dev, mem, (size_t)count * PAGE_SIZE);
	} else {
		arch_pages_free(mem, count);
	}
	return busy;
}

int bf_mem_release(struct blkfront_dev *dev)
{
	unsigned int busy = bf_end_direct(dev);

	for (unsigned int c = 0; c < dev->pool_chunk_count; c++) {
		unsigned int first = c * BF_POOL_CHUNK_PAGES;
		unsigned int n = dev->pool_granted > first ? dev->pool_granted - first : 0;

		busy += bf_end_and_free(dev, dev->pool_chunks[c], BF_POOL_CHUNK_PAGES,
					dev->pool_refs + first, MIN(n, BF_POOL_CHUNK_PAGES));
		dev->pool_chunks[c] = NULL;
	}
	if (dev->ind) {
		busy += bf_end_and_free(dev, dev->ind, BF_MAX_IN_FLIGHT, dev->ind_refs,
					dev->ind_ref_count);
	}
	if (dev->ring_mem) {
		busy += bf_end_and_free(dev, dev->ring_mem, dev->ring_page_count, dev->ring_refs,
					dev->ring_ref_count);
	}
	bf_mem_forget(dev);
	if (busy) {
		log_notice("%s: backend still maps %u granted page(s); ours stay out of use\n",
			   dev->info.name, busy);
		return -EBUSY;
	}
	return 0;
}

void bf_mem_abandon(struct blkfront_dev *dev)
{
	unsigned int pages = 0;

	for (unsigned int id = 0; dev->shadow && id < BF_MAX_IN_FLIGHT; id++) {
		struct bf_shadow *sh = &dev->shadow[id];
		for (unsigned int i = 0; sh->is_in_flight && i < sh->seg_count; i++) {
			if (sh->segs[i].pool_idx == BF_NO_POOL) {
				bf_lose(dev, sh->segs[i].buf, sh->segs[i].len);
				pages++;
			}
		}
	}
	for (unsigned int c = 0; c < dev->pool_chunk_count; c++) {
		bf_lose(dev, dev->pool_chunks[c], (size_t)BF_POOL_CHUNK_PAGES * PAGE_SIZE);
		pages += BF_POOL_CHUNK_PAGES;
	}
	if (dev->ind) {
		bf_lose(dev, dev->ind, (size_t)BF_MAX_IN_FLIGHT * PAGE_SIZE);
		pages += BF_MAX_IN_FLIGHT;
	}
	if (dev->ring_mem) {
		bf_lose(dev, dev->ring_mem, (size_t)dev->ring_page_count * PAGE_SIZE);
		pages += dev->ring_page_count;
	}
	bf_mem_forget(dev);
	log_notice("%s: backend not closed: %u page(s) stay granted, kept from the OS\n",
		   dev->info.name, pages);
}

void bf_mem_forget(struct blkfront_dev *dev)
{
	free(dev->shadow);
	dev->shadow = NULL;
	dev->sring = NULL;
	dev->ring = NULL;
	dev->ring_mem = NULL;
	dev->ring_page_count = 0;
	dev->ring_ref_count = 0;
	dev->ind = NULL;
	dev->ind_ref_count = 0;
	dev->pool_chunk_count = 0;
	dev->pool_granted = 0;
	dev->pool_free_count = 0;
}
