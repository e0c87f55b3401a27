/* Grant table v1 (public/grant_table.h; xen-abi.md §4). Frames are mapped
 * one by one into the DT's grant-table region, whose last page already holds
 * shared_info (xen/shinfo.c), and the table grows only when the references
 * of the mapped frames run out. References are tracked in a bitmap that only
 * we write; a grant entry is never trusted to tell us whether it is free. */
#define LOG_PREFIX "gnttab: "
#include <arch/arch.h>
#include <lib/barrier.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/memmap.h>
#include <string.h>
#include <xen/abi/memory.h>
#include <xen/gnttab.h>
#include <xen/hypercall.h>
#include <xen/xen.h>

/* Xen's default per-domain limit (opt_max_grant_frames = 64): 32768 refs.
 * Bigger limits are clamped, which keeps the bitmap at 4 KiB. */
#define GNTTAB_MAX_FRAMES 64
#define GNTTAB_MAX_REFS (GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME)
#define BITS_PER_WORD 64
/* A backend that keeps toggling GTF_reading could make the cmpxchg loop in
 * gnttab_end() run forever; after this many lost races we report busy. */
#define GNTTAB_END_RETRIES 16

static struct {
	uint64_t base_gfn; /* first GFN of the DT grant-table region */
	unsigned int limit; /* frames we may map: Xen's max, the region, our cap */
	unsigned int frame_count; /* frames mapped so far */
	struct grant_entry_v1 *frames[GNTTAB_MAX_FRAMES];
	uint64_t used[GNTTAB_MAX_REFS / BITS_PER_WORD]; /* 1 = allocated or reserved */
	unsigned int free_count;
	grant_ref_t hint; /* where the next search starts */
} gt;

static bool ref_is_used(grant_ref_t ref)
{
	return gt.used[ref / BITS_PER_WORD] & (1ULL << (ref % BITS_PER_WORD));
}

static void ref_mark(grant_ref_t ref, bool used)
{
	uint64_t bit = 1ULL << (ref % BITS_PER_WORD);

	if (used) {
		gt.used[ref / BITS_PER_WORD] |= bit;
		gt.free_count--;
	} else {
		gt.used[ref / BITS_PER_WORD] &= ~bit;
		gt.free_count++;
	}
}

static struct grant_entry_v1 *entry_of(grant_ref_t ref)
{
	/* Frames are separate mappings (separate host pages in the sandbox),
	 * so an entry is found through its frame, not by indexing past it. */
	return &gt.frames[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* Map frame number gt.frame_count at its place in the region. */
static int map_next_frame(void)
{
	unsigned int idx = gt.frame_count;
	uint64_t gfn = gt.base_gfn + idx;
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_grant_table,
	    .idx = idx,
	    .gpfn = gfn,
	};

	if (idx >= gt.limit) {
		return -ENOSPC;
	}
	long rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc) {
		log_warn("mapping grant frame %u at gfn 0x%llx failed: %s\n", idx,
			 (unsigned long long)gfn, errno_name((int)rc));
		return (int)rc;
	}
	rc = arch_map_shared(gfn << PAGE_SHIFT, PAGE_SIZE);
	if (rc) {
		return (int)rc;
	}
	gt.frames[idx] = arch_phys_to_virt(gfn << PAGE_SHIFT);
	gt.frame_count++;
	gt.free_count += GNTTAB_ENTRIES_PER_FRAME;
	return 0;
}

/* How many frames Xen lets us have; 1 if it will not say. */
static unsigned int query_max_frames(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	long rc = hypercall_grant_table_op(GNTTABOP_query_size, &q, 1);

	if (rc || q.status || q.max_nr_frames == 0) {
		log_notice("GNTTABOP_query_size failed (%ld/%d): using one frame\n", rc,
			   (int)q.status);
		return 1;
	}
	return q.max_nr_frames;
}

int gnttab_init(const struct dtinfo *dt)
{
	if (gt.frame_count) {
		return 0;
	}
	if (!dt || !dt->has_hypervisor || dt->gnttab.size < 2 * PAGE_SIZE ||
	    !IS_ALIGNED(dt->gnttab.base, PAGE_SIZE)) {
		log_err("no usable grant-table region in the DT\n");
		return -ENODEV;
	}
	memset(&gt, 0, sizeof(gt));
	gt.base_gfn = dt->gnttab.base >> PAGE_SHIFT;
	/* The region's last page is shared_info's (xen/shinfo.c). */
	uint64_t region_frames = dt->gnttab.size / PAGE_SIZE - 1;
	gt.limit = MIN(query_max_frames(), GNTTAB_MAX_FRAMES);
	gt.limit = (unsigned int)MIN((uint64_t)gt.limit, region_frames);
	int rc = map_next_frame();
	if (rc) {
		return rc;
	}
	/* Entries 0-7 belong to the toolstack (console, xenstore): never ours. */
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++) {
		ref_mark(r, true);
	}
	gt.hint = GNTTAB_NR_RESERVED_ENTRIES;
	return 0;
}

/* A free reference among the mapped frames, growing the table if needed. */
static int ref_alloc(grant_ref_t *ref)
{
	if (!gt.free_count) {
		/* Whatever stopped the table from growing, to the caller it
		 * means the same: no reference now. */
		if (map_next_frame()) {
			return -ENOSPC;
		}
	}
	unsigned int total = gt.frame_count * GNTTAB_ENTRIES_PER_FRAME;
	for (unsigned int i = 0; i < total; i++) {
		grant_ref_t r = (gt.hint + i) % total;
		if (!ref_is_used(r)) {
			ref_mark(r, true);
			gt.hint = (r + 1) % total;
			*ref = r;
			return 0;
		}
	}
	/* free_count said there was one: our own bookkeeping is wrong. */
	log_err("free count %u but no free reference\n", gt.free_count);
	return -ENOSPC;
}

int gnttab_grant(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref)
{
	grant_ref_t r;

	if (!gt.frame_count) {
		return -ENODEV;
	}
	/* v1 entries hold a 32-bit frame number. */
	if (gfn > UINT32_MAX) {
		return -EINVAL;
	}
	int rc = ref_alloc(&r);
	if (rc) {
		return rc;
	}
	struct grant_entry_v1 *e = entry_of(r);
	WRITE_ONCE(e->domid, domid);
	WRITE_ONCE(e->frame, (uint32_t)gfn);
	/* Xen may act on the entry as soon as flags say permit_access, so
	 * domid and frame must be visible first (grant_table.h). */
	wmb();
	WRITE_ONCE(e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)));
	*ref = r;
	return 0;
}

int gnttab_end(grant_ref_t ref)
{
	if (ref >= gt.frame_count * GNTTAB_ENTRIES_PER_FRAME || ref < GNTTAB_NR_RESERVED_ENTRIES ||
	    !ref_is_used(ref)) {
		log_err("ending grant %u that we do not hold\n", ref);
		return -EINVAL;
	}
	struct grant_entry_v1 *e = entry_of(ref);
	uint16_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	for (unsigned int i = 0;; i++) {
		/* Xen sets reading/writing while the backend has the page mapped;
		 * revoking then would let it keep using a page we reuse. */
		if ((flags & (GTF_reading | GTF_writing)) || i == GNTTAB_END_RETRIES) {
			return -EBUSY;
		}
		/* Compare-and-swap, so a mapping that starts between our check
		 * and the write is seen (the failed swap reloads @flags). */
		if (__atomic_compare_exchange_n(&e->flags, &flags, 0, false, __ATOMIC_SEQ_CST,
						__ATOMIC_ACQUIRE)) {
			break;
		}
	}
	ref_mark(ref, false);
	return 0;
}

unsigned int gnttab_end_refs(const grant_ref_t *refs, unsigned int count)
{
	unsigned int busy = 0;

	for (unsigned int i = 0; i < count; i++) {
		busy += gnttab_end(refs[i]) != 0;
	}
	return busy;
}

uint64_t gnttab_keep_lost(const void *va, size_t size)
{
	uint64_t pa = arch_virt_to_phys(va);
	uint64_t base = pa & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (pa == UINT64_MAX || memmap_add(base, end - base, MEMMAP_LOST)) {
		log_err("cannot record lost memory at 0x%llx\n", (unsigned long long)pa);
	}
	return (end - base) / PAGE_SIZE;
}

unsigned int gnttab_free_count(void)
{
	return gt.free_count;
}

unsigned int gnttab_frames_mapped(void)
{
	return gt.frame_count;
}

int gnttab_unmap_all(void)
{
	int first_rc = 0;

	/* Newest first, the reverse of mapping. Xen refuses to map a grant
	 * frame at a second GFN while the first mapping exists (xen-abi.md
	 * §12 rule 2), so the OS can only map its own after this. */
	while (gt.frame_count) {
		unsigned int idx = gt.frame_count - 1;
		int rc = xen_unmap_gfn(gt.base_gfn + idx);
		if (rc && !first_rc) {
			log_warn("unmapping grant frame %u failed: %s\n", idx, errno_name((int)rc));
			first_rc = (int)rc;
		}
		gt.frames[idx] = NULL;
		gt.frame_count--;
	}
	memset(&gt, 0, sizeof(gt));
	return first_rc;
}
