/* Grant table v1: frames mapped into the DT's grant-table region. */
#ifndef XEN_GNTTAB_H
#define XEN_GNTTAB_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/grant_table.h>

/**
 * gnttab_init() - map the first grant frame(s) at dt->gnttab. More frames
 * are mapped on demand up to what Xen allows (GNTTABOP_query_size) and what
 * fits below shared_info (which sits in the region's last page).
 */
int __must_check gnttab_init(const struct dtinfo *dt);

/**
 * gnttab_grant() - let domain @domid access the page at guest-physical @gfn
 * (read-only if @readonly). Publishes domid and frame, then a barrier, then
 * the flags. Returns 0 and the reference in @ref, or -ENOSPC.
 */
int __must_check gnttab_grant(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref);

/**
 * gnttab_end() - revoke @ref. Returns -EBUSY (and keeps the reference, and
 * the page must not be reused) while the backend still has it mapped.
 */
int __must_check gnttab_end(grant_ref_t ref);

/**
 * gnttab_end_refs() - gnttab_end() each of @count references. Returns how
 * many the backend still maps: those stay granted, and their pages must
 * never be reused (gnttab_keep_lost()).
 */
unsigned int gnttab_end_refs(const grant_ref_t *refs, unsigned int count);

/**
 * gnttab_keep_lost() - @size bytes at @va stay granted to a backend for
 * good: record their pages as MEMMAP_LOST (never reused, kept from the
 * OS). Returns how many pages that covers. A failure to record is logged.
 */
uint64_t gnttab_keep_lost(const void *va, size_t size);

/** gnttab_free_count() - references still available without growing. */
unsigned int gnttab_free_count(void);

/** gnttab_frames_mapped() - grant frames mapped in our physmap now. */
unsigned int gnttab_frames_mapped(void);

/**
 * gnttab_unmap_all() - for handoff: remove our grant frames from the p2m
 * (refilling a GFN that is RAM, xen_unmap_gfn()); the table is forgotten.
 * Returns 0 or the first error.
 */
int gnttab_unmap_all(void);

#endif
