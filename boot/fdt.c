/*
 * The DTB for Linux. The source is validated in place, copied with
 * fdt_open_into() into room of our choosing, then /chosen is edited in the
 * copy only: the source (Xen's tree, which xenboot itself still uses, or
 * the user's) is never written.
 */
#include <boot/fdt.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <libfdt.h>
#include <string.h>

/* Slack beyond what we add ourselves: property and node headers, alignment. */
#define BOOTFDT_SLACK 0x1000U

int bootfdt_check(const void *fdt, uint64_t max, uint32_t *size)
{
	int rc = dtinfo_validate(fdt, max);

	if (rc) {
		return rc;
	}
	*size = fdt_totalsize(fdt);
	return *size > BOOTFDT_MAX_SIZE ? -EFBIG : 0;
}

uint32_t bootfdt_copy_size(uint32_t size, const char *bootargs)
{
	uint64_t need = (uint64_t)size + BOOTFDT_SLACK +
			(uint64_t)(MEMMAP_MAX + 1) * sizeof(struct fdt_reserve_entry);

	if (bootargs) {
		need += strlen(bootargs) + 1;
	}
	need = ALIGN_UP(need, PAGE_SIZE);
	return need > BOOTFDT_MAX_SIZE ? 0 : (uint32_t)need;
}

static int fdt_errno(int err)
{
	return err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

/*
 * Remove every property @name of @node. A hostile tree may carry the same
 * name twice (two name offsets into one string; found by the fuzzer), and
 * a stale second one must not surface. Each round shrinks the tree.
 */
static int del_all(void *fdt, int node, const char *name)
{
	int rc;

	do {
		rc = fdt_delprop(fdt, node, name);
	} while (rc == 0);
	return rc == -FDT_ERR_NOTFOUND ? 0 : rc;
}

/* linux,initrd-start/-end as u64 when @p has an initrd; none otherwise. */
static int set_initrd(void *fdt, int chosen, const struct bootfdt_params *p)
{
	int rc = del_all(fdt, chosen, "linux,initrd-start");

	if (!rc) {
		rc = del_all(fdt, chosen, "linux,initrd-end");
	}
	if (rc || !p->has_initrd) {
		return rc;
	}
	rc = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", p->initrd_start);
	return rc ? rc : fdt_setprop_u64(fdt, chosen, "linux,initrd-end", p->initrd_end);
}

int bootfdt_prepare(const void *src, void *dst, uint32_t dst_size, const struct bootfdt_params *p)
{
	int rc = fdt_open_into(src, dst, (int)dst_size);
	int chosen;

	if (rc) {
		return fdt_errno(rc);
	}
	chosen = fdt_path_offset(dst, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND) {
		chosen = fdt_add_subnode(dst, 0, "chosen");
	}
	if (chosen < 0) {
		return fdt_errno(chosen);
	}
	/* U-Boot's rule: $bootargs, when set, replaces the tree's. */
	rc = p->bootargs ? del_all(dst, chosen, "bootargs") : 0;
	if (!rc && p->bootargs) {
		rc = fdt_setprop_string(dst, chosen, "bootargs", p->bootargs);
	}
	if (!rc) {
		rc = set_initrd(dst, chosen, p);
	}
	return rc ? fdt_errno(rc) : 0;
}

bool bootfdt_has_hypervisor(const void *fdt)
{
	return fdt_node_offset_by_compatible(fdt, -1, "xen,xen") >= 0;
}

int bootfdt_reserve_lost(void *fdt)
{
	for (unsigned int i = 0; i < memmap_count(); i++) {
		const struct memmap_region *r = memmap_at(i);

		if (r->kind != MEMMAP_LOST) {
			continue;
		}
		uint64_t base = ALIGN_DOWN(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_UP(r->base + r->size, PAGE_SIZE);
		if (fdt_add_mem_rsv(fdt, base, end - base)) {
			return -ENOSPC;
		}
	}
	return 0;
}
