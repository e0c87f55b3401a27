/* shared_info: mapped at the last page of the grant-table region, a GFN
 * that is not RAM, so handing over to the OS only needs an unmap and leaves
 * no hole in RAM (xen-abi.md §12 rule 2). */
#define LOG_PREFIX "shinfo: "
#include <arch/arch.h>
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

int shinfo_unmap(void)
{
	struct xen_remove_from_physmap xrfp = {.domid = DOMID_SELF, .gpfn = shinfo_gfn};

	if (!shinfo) {
		return 0;
	}
	long rc = hypercall_memory_op(XENMEM_remove_from_physmap, &xrfp);
	if (rc) {
		return (int)rc;
	}
	shinfo = NULL;
	return 0;
}

struct shared_info *shinfo_get(void)
{
	return shinfo;
}
