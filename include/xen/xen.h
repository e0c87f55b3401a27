/* Small Xen services: HVM params, version, shutdown, shared_info. */
#ifndef XEN_XEN_H
#define XEN_XEN_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <stdint.h>
#include <xen/abi/xen.h>

/** xen_hvm_get_param() - read HVM param @index into @value. Returns 0 or -errno. */
int __must_check xen_hvm_get_param(uint32_t index, uint64_t *value);

/** xen_version_get() - Xen's major, minor and extraversion (NUL-terminated, escaped). */
int __must_check xen_version_get(unsigned int *major, unsigned int *minor, char *extra,
				 size_t extra_size);

/** xen_shutdown() - SCHEDOP_shutdown with SHUTDOWN_@reason; returns only on failure. */
int xen_shutdown(unsigned int reason);

/** xen_yield() - SCHEDOP_yield: let another vCPU run. */
void xen_yield(void);

/**
 * shinfo_map() - map shared_info at a GFN outside RAM: the last page of the
 * grant-table region @dt->gnttab, so handoff can unmap it without leaving a
 * hole in RAM. Returns 0 or -errno.
 */
int __must_check shinfo_map(const struct dtinfo *dt);
/**
 * shinfo_unmap() - remove the mapping made by shinfo_map(); from then on
 * shinfo_get() is NULL whatever Xen answered. Returns 0 or -errno.
 */
int shinfo_unmap(void);
/**
 * xen_unmap_gfn() - XENMEM_remove_from_physmap of @gfn (shared_info or a
 * grant frame), then XENMEM_populate_physmap if @gfn is RAM in the DT
 * (dtinfo_get()), so the OS finds no hole. Returns 0 or -errno.
 */
int __must_check xen_unmap_gfn(uint64_t gfn);
/**
 * xen_wallclock() - shared_info's wallclock: the UTC time (seconds and
 * nanoseconds) at the origin of Xen's system time plus the domain's time
 * offset, which on Arm is its creation time (so: where our virtual counter
 * started, to the second). -ENODEV before
 * shinfo_map(), -ENODATA when Xen has no time to give (all zero), -EAGAIN
 * if it kept changing while read.
 */
int __must_check xen_wallclock(uint64_t *sec, uint32_t *nsec);

/** shinfo_get() - the mapped shared_info, or NULL before shinfo_map(). */
struct shared_info *shinfo_get(void);

#endif
