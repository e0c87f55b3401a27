/*
 * From entry.S to the generic code: console, DTB, then xenboot_main(); and
 * arch_platform_init(), which maps what the DT describes and readies the
 * GIC and the heap.
 */
#define LOG_PREFIX "arm64: "
#include <arch/arch.h>
#include <arm64/arm64.h>
#include <arm64/mmu.h>
#include <init/main.h>
#include <lib/errno.h>
#include <lib/log.h>

#define NO_DTB 0xffffffffULL
#define FDT_MAGIC 0xd00dfeedU
#define FDT_MIN_SIZE 40 /* struct fdt_header */
#define FDT_MAX_SIZE SZ_2M /* as in entry.S: Linux's limit */
#define HEAP_SIZE (16ULL << 20)

static uint32_t be32(const void *p)
{
	return __builtin_bswap32(*(const uint32_t *)p);
}

/*
 * map_dtb() - map the DT Xen passed and return it with its size, or NULL.
 * The address and the header are untrusted: anything odd means "no DT".
 * The first 2 MiB block around it is mapped before the header is read.
 */
static const void *map_dtb(uint64_t pa, uint64_t *size)
{
	uint64_t block = ALIGN_DOWN(pa, SZ_2M);
	const void *fdt = arch_phys_to_virt(pa);
	uint32_t total;

	*size = 0;
	if (pa == NO_DTB || !IS_ALIGNED(pa, 8) || pa >= (1ULL << VA_BITS) - SZ_2M) {
		return NULL;
	}
	if (mmu_map_normal(block, SZ_2M)) {
		return NULL;
	}
	total = be32((const char *)fdt + 4);
	if (be32(fdt) != FDT_MAGIC || total < FDT_MIN_SIZE || total > FDT_MAX_SIZE) {
		return NULL;
	}
	if (pa + total > block + SZ_2M &&
	    mmu_map_normal(block + SZ_2M, pa + total - block - SZ_2M)) {
		return NULL;
	}
	*size = total;
	return fdt;
}

/* Called by entry.S with the MMU on, .bss zeroed and SP set. */
__noreturn void arch_start(uint64_t dtb_pa);

void arch_start(uint64_t dtb_pa)
{
	uint64_t image_end = (uint64_t)(uintptr_t)_end;
	uint64_t heap = image_end, fdt_pa, fdt_size;
	const void *fdt;

	/* First, so that even the DTB checks below can report. */
	xenboot_early_console();
	fdt = map_dtb(dtb_pa, &fdt_size);
	fdt_pa = arch_virt_to_phys(fdt);
	if (!fdt) {
		log_warn("no usable device tree at %#lx\n", (unsigned long)dtb_pa);
	} else if (fdt_pa == ALIGN_UP(image_end, SZ_4K)) {
		/* entry.S moved the DTB just past our end: the heap follows it. */
		heap = ALIGN_UP(fdt_pa + fdt_size, SZ_4K);
	}
	/*
	 * Until the RAM layout is known, the heap may only use what entry.S
	 * mapped (the 2 MiB blocks holding the image), and not the DT if it
	 * lies there. This window may be small or even empty.
	 */
	uint64_t limit = ALIGN_UP(image_end, SZ_2M);
	if (fdt && fdt_pa >= heap) {
		limit = MIN(limit, fdt_pa);
	}
	heap_init(heap, limit);
	xenboot_main(fdt, fdt_size);
}

/* Lower @end to the start of [base, base+size) if that lies above @start;
 * a range straddling @start leaves no room at all. */
static uint64_t clip_below(uint64_t start, uint64_t end, uint64_t base, uint64_t size)
{
	if (!size || base + size <= start) {
		return end;
	}
	return base >= start ? MIN(end, base) : start;
}

/* The final heap window: see heap.c. Runs after every RAM bank is mapped. */
static void heap_finish(const struct dtinfo *dt)
{
	uint64_t start, end, limit = 0;

	heap_get(&start, &end);
	for (unsigned int i = 0; i < dt->bank_count; i++) {
		const struct mem_range *b = &dt->banks[i];
		if (start >= b->base && start - b->base < b->size) {
			limit = MIN(start + HEAP_SIZE, b->base + b->size);
		}
	}
	if (!limit) {
		log_warn("heap at %#lx is in no RAM bank: keeping %lu KiB\n", (unsigned long)start,
			 (unsigned long)(end - start) >> 10);
		return;
	}
	limit = clip_below(start, limit, (uint64_t)(uintptr_t)dt->fdt, dt->fdt ? dt->fdt_size : 0);
	if (dt->has_initrd && dt->initrd_end > dt->initrd_start) {
		limit =
		    clip_below(start, limit, dt->initrd_start, dt->initrd_end - dt->initrd_start);
	}
	heap_set_limit(limit);
}

/* Maps @r with @map; logs and keeps the first error in *@rc. */
static void map_one(int (*map)(uint64_t, uint64_t), const struct mem_range *r, const char *what,
		    int *rc)
{
	int err = map(r->base, r->size);

	if (err) {
		log_err("cannot map %s %#lx+%#lx: %s\n", what, (unsigned long)r->base,
			(unsigned long)r->size, errno_name(err));
		if (!*rc) {
			*rc = err;
		}
	}
}

int arch_platform_init(const struct dtinfo *dt)
{
	int rc = 0, gic_rc = 0;

	for (unsigned int i = 0; i < dt->bank_count; i++) {
		map_one(mmu_map_normal, &dt->banks[i], "RAM bank", &rc);
	}
	map_one(mmu_map_normal, &dt->gnttab, "grant-table region", &rc);
	for (unsigned int i = 0; i < dt->ext_region_count; i++) {
		map_one(mmu_map_normal, &dt->ext_regions[i], "extended region", &rc);
	}
	for (unsigned int i = 0; i < dt->device_count; i++) {
		map_one(mmu_map_device, &dt->devices[i], "device", &rc);
	}
	if (dt->gic_version) {
		map_one(mmu_map_device, &dt->gicd, "GIC distributor", &gic_rc);
		map_one(mmu_map_device, &dt->gicc, "GIC CPU interface", &gic_rc);
		/* Without the GIC arch_wait() still sleeps in WFI (see
		 * timer.c): no reason to go without shared_info, grants or
		 * XenStore. */
		if (!gic_rc) {
			gic_init(dt);
		} else {
			log_err("no GIC: waits rely on Xen waking WFI for disabled interrupts\n");
		}
	}
	heap_finish(dt);
	return rc;
}

void arch_image_info(struct arch_image_info *info)
{
	info->load_addr = arm64_load_addr;
	info->link_addr = 0;
	info->image_size = (uint64_t)(__file_end - _head);
	info->end = (uint64_t)(uintptr_t)_end;
	heap_get(&info->heap_start, &info->heap_end);
	info->reloc_count = arm64_reloc_count;
}
