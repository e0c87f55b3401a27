/* shared_info: mapped at the last page of the grant-table region, a GFN
 * that is not RAM, so handing over to the OS only needs an unmap and leaves
 * no hole in RAM (xen-abi.md §12 rule 2). */
#define LOG_PREFIX "shinfo: "
#include <arch/arch.h>
#include <lib/barrier.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <xen/abi/memory.h>
#include <xen/hypercall.h>
#include <xen/xen.h>

static struct shared_info *shinfo;
static uint64_t shinfo_gfn;

int shinfo_map(const struct dtinfo *dt)
{
	if (shinfo) {
		return 0;
	}
	if (!dt->has_hypervisor || dt->gnttab.size < 2 * PAGE_SIZE) {
		log_err("no grant-table region in the DT: cannot place shared_info\n");
		return -ENODEV;
	}
	uint64_t gfn = (dt->gnttab.base + dt->gnttab.size - PAGE_SIZE) >> PAGE_SHIFT;
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_shared_info,
	    .idx = 0,
	    .gpfn = gfn,
	};
	long rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc) {
		log_err("mapping shared_info at gfn 0x%llx failed: %s\n", (unsigned long long)gfn,
			errno_name((int)rc));
		return (int)rc;
	}
	rc = arch_map_shared(gfn << PAGE_SHIFT, PAGE_SIZE);
	if (rc) {
		return (int)rc;
	}
	shinfo_gfn = gfn;
	shinfo = arch_phys_to_virt(gfn << PAGE_SHIFT);
	return 0;
}

/* Refill @gfn if it is RAM: a page we mapped over it left a hole there
 * (xen-abi.md §12 rule 2), which the OS would find missing. */
static int repopulate_if_ram(uint64_t gfn)
{
	const struct dtinfo *dt = dtinfo_get();
	xen_pfn_t frame = gfn;
	struct xen_memory_reservation r = {
	    .nr_extents = 1,
	    .extent_order = 0,
	    .domid = DOMID_SELF,
	};

	if (!dt || !dtinfo_is_ram(dt, gfn << PAGE_SHIFT, PAGE_SIZE)) {
		return 0;
	}
	r.extent_start.p = &frame;
	long rc = hypercall_memory_op(XENMEM_populate_physmap, &r);
	/* It returns how many extents it populated. */
	return rc == 1 ? 0 : (rc < 0 ? (int)rc : -ENOMEM);
}

int xen_unmap_gfn(uint64_t gfn)
{
	struct xen_remove_from_physmap xrfp = {.domid = DOMID_SELF, .gpfn = gfn};
	long rc = hypercall_memory_op(XENMEM_remove_from_physmap, &xrfp);

	if (rc) {
		return (int)rc;
	}
	return repopulate_if_ram(gfn);
}

int shinfo_unmap(void)
{
	if (!shinfo) {
		return 0;
	}
	/* Forgotten first: whatever Xen says, nothing may touch it again. */
	shinfo = NULL;
	return xen_unmap_gfn(shinfo_gfn);
}

struct shared_info *shinfo_get(void)
{
	return shinfo;
}

/* Xen's wallclock is a sequence lock: an odd wc_version means an update is
 * in progress (public/xen.h). Bounded retries: Xen's update is short. */
int xen_wallclock(uint64_t *sec, uint32_t *nsec)
{
	const struct shared_info *s = shinfo;

	if (!s) {
		return -ENODEV;
	}
	for (int i = 0; i < 1000; i++) {
		uint32_t version = READ_ONCE(s->wc_version);

		rmb(); /* the version before the time */
		*sec = ((uint64_t)READ_ONCE(s->wc_sec_hi) << 32) | READ_ONCE(s->wc_sec);
		*nsec = READ_ONCE(s->wc_nsec);
		rmb(); /* the time before the version again */
		if (!(version & 1) && version == READ_ONCE(s->wc_version)) {
			return *sec == 0 && *nsec == 0 ? -ENODATA : 0;
		}
	}
	return -EAGAIN;
}
