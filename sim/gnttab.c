/* Grant table v1 of the simulated Xen (public/grant_table.h; xen-abi.md §4).
 *
 * The frames are Xen's memory, one contiguous host allocation, which the
 * guest maps with XENMEM_add_to_physmap. Backends never read guest memory
 * directly: they go through sim_gnttab_map(), which checks the guest's
 * entry the way Xen does for GNTTABOP_map_grant_ref. */
#include "internal.h"

#include <string.h>

#define ENTRIES_PER_FRAME (SIM_PAGE_SIZE / sizeof(struct grant_entry_v1))

/* GNTST_* status codes (public/grant_table.h). */
#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)

/* GNTTABOP_setup_table argument (public/grant_table.h), arm64 layout. */
struct sim_gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;
	XEN_GUEST_HANDLE_64(xen_pfn_t) frame_list;
};

static unsigned char *frames;
static unsigned int frame_count;

int sim_gnttab_init(void)
{
	frames = aligned_alloc(SIM_PAGE_SIZE, SIM_GNTTAB_MAX_FRAMES * SIM_PAGE_SIZE);
	if (!frames) {
		return -XEN_ENOMEM;
	}
	memset(frames, 0, SIM_GNTTAB_MAX_FRAMES * SIM_PAGE_SIZE);
	/* Xen starts every domain with one frame. */
	frame_count = 1;
	return 0;
}

void sim_gnttab_reset(void)
{
	free(frames);
	frames = NULL;
	frame_count = 0;
}

void *sim_gnttab_frame(unsigned int idx)
{
	return idx < SIM_GNTTAB_MAX_FRAMES ? frames + idx * SIM_PAGE_SIZE : NULL;
}

int sim_gnttab_grow(unsigned int count)
{
	if (count > SIM_GNTTAB_MAX_FRAMES) {
		return -XEN_EINVAL;
	}
	if (count > frame_count) {
		frame_count = count;
	}
	return 0;
}

unsigned int sim_gnttab_frame_count(void)
{
	return frame_count;
}

unsigned int sim_gnttab_active_count(void)
{
	const struct grant_entry_v1 *e = (const struct grant_entry_v1 *)frames;
	unsigned int n = 0;

	/* The toolstack's reserved entries (console, xenstore) are not the guest's. */
	for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < frame_count * ENTRIES_PER_FRAME; r++) {
		n += (__atomic_load_n(&e[r].flags, __ATOMIC_SEQ_CST) & GTF_type_mask) != 0;
	}
	return n;
}

bool sim_gnttab_frame_is_granted(uint64_t gfn)
{
	const struct grant_entry_v1 *e = (const struct grant_entry_v1 *)frames;

	for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < frame_count * ENTRIES_PER_FRAME; r++) {
		if ((__atomic_load_n(&e[r].flags, __ATOMIC_SEQ_CST) & GTF_type_mask) &&
		    e[r].frame == gfn) {
			return true;
		}
	}
	return false;
}

unsigned int sim_gnttab_frames_mapped(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < frame_count; i++) {
		n += sim_mem_xen_page_gfn(sim_gnttab_frame(i)) != SIM_INVALID_GFN;
	}
	return n;
}

static uint16_t *entry_flags(grant_ref_t ref)
{
	return &((struct grant_entry_v1 *)frames)[ref].flags;
}

int sim_gnttab_entry(grant_ref_t ref, struct grant_entry_v1 *out)
{
	if (ref >= frame_count * ENTRIES_PER_FRAME) {
		return -XEN_EINVAL;
	}
	memcpy(out, frames + ref * sizeof(*out), sizeof(*out));
	return 0;
}

int sim_gnttab_map(domid_t dom, grant_ref_t ref, bool write, void **page)
{
	struct grant_entry_v1 e;

	if (sim_gnttab_entry(ref, &e)) {
		return -XEN_EINVAL;
	}
	if ((e.flags & GTF_type_mask) != GTF_permit_access || e.domid != dom) {
		return -XEN_EPERM;
	}
	if (write && (e.flags & GTF_readonly)) {
		return -XEN_EPERM;
	}
	/* Only the guest's own memory can be granted, never a Xen page. */
	void *host = sim_mem_gfn_to_host(e.frame, true);
	if (!host) {
		return -XEN_EFAULT;
	}
	/* Xen marks the entry in use so the guest cannot revoke it under us. */
	__atomic_fetch_or(entry_flags(ref), write ? GTF_writing | GTF_reading : GTF_reading,
			  __ATOMIC_SEQ_CST);
	*page = host;
	return 0;
}

void sim_gnttab_unmap(grant_ref_t ref, bool write)
{
	if (ref < frame_count * ENTRIES_PER_FRAME) {
		__atomic_fetch_and(entry_flags(ref),
				   (uint16_t) ~(write ? GTF_writing | GTF_reading : GTF_reading),
				   __ATOMIC_SEQ_CST);
	}
}

static long query_size(void *arg)
{
	struct gnttab_query_size q;

	if (sim_copy_from_guest(&q, arg, sizeof(q))) {
		return -XEN_EFAULT;
	}
	if (q.dom != DOMID_SELF && q.dom != SIM_GUEST_DOMID) {
		q.status = GNTST_bad_domain;
	} else {
		q.nr_frames = frame_count;
		q.max_nr_frames = SIM_GNTTAB_MAX_FRAMES;
		q.status = GNTST_okay;
	}
	return sim_copy_to_guest(arg, &q, sizeof(q));
}

/* On arm the frame list reports where each frame is mapped in the guest
 * (or INVALID when it is not mapped anywhere). */
static long setup_table(void *arg)
{
	struct sim_gnttab_setup_table s;

	if (sim_copy_from_guest(&s, arg, sizeof(s))) {
		return -XEN_EFAULT;
	}
	if (s.dom != DOMID_SELF && s.dom != SIM_GUEST_DOMID) {
		s.status = GNTST_bad_domain;
	} else if (s.nr_frames > SIM_GNTTAB_MAX_FRAMES) {
		s.status = GNTST_general_error;
	} else {
		sim_gnttab_grow(s.nr_frames);
		s.status = GNTST_okay;
		for (uint32_t i = 0; i < s.nr_frames; i++) {
			xen_pfn_t gfn = sim_mem_xen_page_gfn(sim_gnttab_frame(i));
			if (sim_copy_to_guest(&s.frame_list.p[i], &gfn, sizeof(gfn))) {
				return -XEN_EFAULT;
			}
		}
	}
	return sim_copy_to_guest(arg, &s, sizeof(s));
}

long sim_gnttab_op(unsigned long cmd, void *arg, unsigned long count)
{
	if (count != 1) {
		return -XEN_EINVAL;
	}
	switch (cmd) {
	case GNTTABOP_query_size:
		return query_size(arg);
	case GNTTABOP_setup_table:
		return setup_table(arg);
	default:
		return -XEN_ENOSYS;
	}
}
