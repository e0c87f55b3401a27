/*
 * boot_linux(): from "an Image (or Image.gz), maybe an initrd, a DTB
 * somewhere in RAM" to the jump into the kernel.
 *
 * Three phases. Plan: read every header and choose every destination
 * with pure arithmetic (boot/image.c), writing nothing; this is where a
 * user's mistake is found. Write: inflate or move the kernel, move the
 * initrd, build the DTB copy, each into RAM that was free (never over a
 * source still needed: see place()). Go: hand Xen's services back and
 * jump; from handoff_xen() on there is no way back to the shell.
 */
#include <arch/arch.h>
#include <boot/fdt.h>
#include <boot/gunzip.h>
#include <boot/handoff.h>
#include <boot/image.h>
#include <boot/linux.h>
#include <boot/uimage.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/memmap.h>
#include <stdlib.h>
#include <string.h>

#define say(fmt, ...) xb_printf("booti: " fmt, ##__VA_ARGS__)
#define MIB(x) ((unsigned long long)((x) >> 20))
#define ULL(x) ((unsigned long long)(x))

struct boot_plan {
	struct boot_layout base; /* RAM; the memory map's taken pages and the DTB source busy */
	struct image_info im;
	bool is_gzip;
	uint64_t src, src_len; /* the kernel as loaded, and how much of it we read */
	uint64_t load; /* where it runs */
	bool has_initrd;
	uint64_t initrd_src, initrd_size, initrd;
	uint64_t fdt_src, fdt;
	uint32_t fdt_src_size, fdt_size;
	size_t inflated; /* Image.gz: bytes written at load */
};

/* Bytes readable from @pa to the end of its RAM bank; 0 if not RAM. */
static uint64_t ram_avail(uint64_t pa)
{
	const struct dtinfo *dt = dtinfo_get();

	return dt ? mem_range_room(dt->banks, dt->bank_count, pa) : 0;
}

/* [pa, pa+len) must be RAM and clear of xenboot, the DT and lost pages. */
static int check_source(const char *what, uint64_t pa, uint64_t len)
{
	struct memmap_region hit;
	int rc = memmap_check(pa, len, &hit);

	if (rc == -EBUSY) {
		say("%s at 0x%llx..0x%llx overlaps %s (0x%llx..0x%llx)\n", what, ULL(pa),
		    ULL(pa + len), memmap_kind_name(hit.kind), ULL(hit.base),
		    ULL(hit.base + hit.size));
	} else if (rc) {
		say("%s at 0x%llx..+0x%llx is not inside a RAM bank\n", what, ULL(pa), ULL(len));
	}
	return rc ? -EFAULT : 0;
}

/* The kernel's header, inflating just its first 64 bytes for an Image.gz. */
static int plan_kernel(struct boot_plan *p, uint64_t kernel)
{
	uint8_t hdr[IMAGE_HEADER_SIZE];
	const void *src = arch_phys_to_virt(kernel);
	uint64_t avail;
	size_t n = 0;
	int rc = check_source("kernel", kernel, IMAGE_HEADER_SIZE);

	if (rc) {
		return rc;
	}
	avail = ram_avail(kernel); /* at least the header: checked above */
	p->src = kernel;
	p->is_gzip = gunzip_is_gzip(src, avail);
	if (p->is_gzip) {
		rc = gunzip(src, avail, hdr, sizeof(hdr), &n);
		if (rc != -EFBIG && rc != 0) {
			say("Image.gz at 0x%llx: %s\n", ULL(kernel),
			    rc == -EILSEQ ? "corrupt (bad gzip header or data)" : errno_name(rc));
			return rc;
		}
	}
	rc = image_parse(p->is_gzip ? hdr : src, p->is_gzip ? n : IMAGE_HEADER_SIZE, &p->im);
	if (rc) {
		say("no arm64 Image at 0x%llx: %s\n", ULL(kernel),
		    rc == -EINVAL ? "unsupported header (big-endian or odd text_offset)"
				  : "bad magic (want \"ARM\\x64\" at 0x38)");
		return rc == -ENODATA ? -ENOEXEC : rc;
	}
	/* A plain Image is read up to image_size (its file is never longer);
	 * an Image.gz is trusted to be no longer than what it inflates to. */
	p->src_len = MIN(avail, p->im.size);
	return 0;
}

/* The initrd: raw (addr:size) or a legacy image of type ramdisk (addr). */
static int plan_initrd(struct boot_plan *p, const struct boot_linux_args *a)
{
	struct uimage u;
	int rc;

	p->has_initrd = a->initrd_kind != BOOT_INITRD_NONE;
	p->initrd_src = a->initrd;
	p->initrd_size = a->initrd_size;
	if (a->initrd_kind == BOOT_INITRD_LEGACY) {
		rc = uimage_parse(arch_phys_to_virt(a->initrd), ram_avail(a->initrd), &u);
		if (rc || u.type != UIMAGE_TYPE_RAMDISK) {
			say("no ramdisk image at 0x%llx: %s\n", ULL(a->initrd),
			    rc == -EINVAL     ? "bad magic (for a raw initrd give addr:size)"
			    : rc == -EILSEQ   ? "bad CRC"
			    : rc == -EMSGSIZE ? "truncated"
			    : rc	      ? errno_name(rc)
					      : "wrong image type");
			return rc ? rc : -EINVAL;
		}
		p->initrd_src = a->initrd + UIMAGE_HEADER_SIZE;
		p->initrd_size = u.size;
	}
	if (!p->has_initrd || p->initrd_size == 0) {
		p->has_initrd = false;
		return 0;
	}
	return check_source("initrd", p->initrd_src, p->initrd_size);
}

/* The source DTB: checked in place (bounded by its RAM bank). */
static int plan_fdt(struct boot_plan *p, const struct boot_linux_args *a)
{
	const void *fdt = arch_phys_to_virt(a->fdt);
	uint64_t avail = ram_avail(a->fdt);
	int rc = avail ? bootfdt_check(fdt, avail, &p->fdt_src_size) : -EFAULT;

	if (rc) {
		say("no valid device tree at 0x%llx: %s\n", ULL(a->fdt),
		    rc == -EFAULT  ? "not in RAM"
		    : rc == -EFBIG ? "bigger than 2 MiB"
				   : "bad header or corrupt");
		return rc == -EFAULT ? rc : -EINVAL;
	}
	p->fdt_src = a->fdt;
	if (a->is_fdt_explicit && !bootfdt_has_hypervisor(fdt)) {
		log_warn("device tree at 0x%llx has no /hypervisor node: Linux will not find "
			 "Xen\n",
			 ULL(a->fdt));
	}
	p->fdt_size = bootfdt_copy_size(p->fdt_src_size, a->bootargs);
	if (!p->fdt_size) {
		say("device tree plus bootargs exceed 2 MiB\n");
		return -EFBIG;
	}
	return layout_add_busy(&p->base, p->fdt_src, p->fdt_src_size);
}

/*
 * The banks from the DT; busy: everything the page allocator's map does
 * not show free (xenboot, its heap, the DT, lost pages, allocations), in
 * whole pages, one busy range per run of taken neighbours.
 */
static int plan_base(struct boot_plan *p)
{
	const struct dtinfo *dt = dtinfo_get();
	struct memmap_desc *map;
	unsigned int n = 0;
	int rc;

	if (!dt || !dt->bank_count) {
		say("RAM layout unknown (no usable device tree)\n");
		return -EFAULT;
	}
	memset(&p->base, 0, sizeof(p->base));
	memcpy(p->base.banks, dt->banks, sizeof(dt->banks));
	p->base.bank_count = dt->bank_count;
	(void)!memmap_describe(NULL, 0, &n); /* -ENOSPC and the length */
	map = malloc((n + 1) * sizeof(*map));
	rc = map ? memmap_describe(map, n + 1, &n) : -ENOMEM;
	for (unsigned int i = 0; !rc && i < n; i++) {
		uint64_t start = map[i].base, end = start + map[i].size;

		if (map[i].kind == MEMMAP_FREE) {
			continue;
		}
		while (i + 1 < n && map[i + 1].kind != MEMMAP_FREE && map[i + 1].base == end) {
			end += map[++i].size;
		}
		rc = layout_add_busy(&p->base, start, end - start);
	}
	free(map);
	if (rc) {
		say("memory map too fragmented (%u entries)\n", n);
	}
	return rc ? -ENOSPC : 0;
}

/*
 * Every destination, in the order they are written (kernel, initrd, DTB).
 * Each avoids every source still to be read after it is written and
 * every earlier destination; a destination may cover its own source
 * (memmove) and sources already consumed.
 */
static int place(struct boot_plan *p)
{
	struct boot_layout l = p->base;
	int rc = 0;

	if (p->has_initrd) {
		rc = layout_add_busy(&l, p->initrd_src, p->initrd_size);
	}
	if (!rc && p->is_gzip) {
		rc = layout_add_busy(&l, p->src, p->src_len);
	}
	if (rc || image_place_kernel(&l, &p->im, p->is_gzip ? IMAGE_NOWHERE : p->src, &p->load)) {
		say("no room for the kernel in RAM (%llu MiB at a 2 MiB boundary + 0x%llx)\n",
		    MIB(p->im.size + (1 << 20) - 1), ULL(p->im.text_offset));
		return -ENOSPC;
	}
	l = p->base;
	rc = layout_add_busy(&l, p->load, p->im.size);
	if (!rc && p->has_initrd &&
	    image_place_after(&l, p->load, p->im.size, p->im.is_anywhere, p->initrd_src,
			      p->initrd_size, PAGE_SIZE, &p->initrd)) {
		say("no room for the initrd (%llu MiB) in the kernel's 32 GiB window\n",
		    MIB(p->initrd_size + (1 << 20) - 1));
		return -ENOSPC;
	}
	if (!rc && p->has_initrd) {
		rc = layout_add_busy(&l, p->initrd, p->initrd_size);
	}
	if (rc || image_place_after(&l, p->load, p->im.size, true, IMAGE_NOWHERE, p->fdt_size,
				    PAGE_SIZE, &p->fdt)) {
		say("no room for the device tree\n");
		return -ENOSPC;
	}
	return 0;
}

/* Inflate or move the kernel; the only write step that can still fail. */
static int write_kernel(struct boot_plan *p)
{
	void *dst = arch_phys_to_virt(p->load);
	const void *src = arch_phys_to_virt(p->src);
	int rc;

	if (!p->is_gzip) {
		if (p->load != p->src) {
			xb_printf("Moving Image from 0x%llx to 0x%llx, end=0x%llx\n", ULL(p->src),
				  ULL(p->load), ULL(p->load + p->im.size));
			memmove(dst, src, p->src_len);
		}
		return 0;
	}
	xb_printf("   Uncompressing Kernel Image to 0x%llx\n", ULL(p->load));
	/* image_size bounds the output: a valid Image is never longer. */
	rc = gunzip(src, p->src_len, dst, p->im.size, &p->inflated);
	if (rc) {
		/* What follows a short file in RAM is old data, not the end of
		 * the input: truncation mostly shows as one of the first two. */
		say("Image.gz at 0x%llx: %s\n", ULL(p->src),
		    rc == -EFBIG     ? "truncated or corrupt (inflates past its image_size)"
		    : rc == -EILSEQ  ? "truncated or corrupt (bad deflate data or CRC)"
		    : rc == -ENODATA ? "truncated (the data runs to the end of RAM)"
				     : errno_name(rc));
	}
	return rc;
}

static int write_all(struct boot_plan *p, const struct boot_linux_args *a)
{
	struct bootfdt_params fp = {a->bootargs, p->has_initrd, p->initrd,
				    p->initrd + p->initrd_size};
	int rc = write_kernel(p);

	if (rc) {
		return rc;
	}
	if (p->has_initrd && p->initrd != p->initrd_src) {
		xb_printf("   Loading Ramdisk to %08llx, end %08llx ... OK\n", ULL(p->initrd),
			  ULL(p->initrd + p->initrd_size));
		memmove(arch_phys_to_virt(p->initrd), arch_phys_to_virt(p->initrd_src),
			p->initrd_size);
	}

	rc = bootfdt_prepare(arch_phys_to_virt(p->fdt_src), arch_phys_to_virt(p->fdt), p->fdt_size,
			     &fp);
	if (rc) {
		say("cannot prepare the device tree: %s\n", errno_name(rc));
		return rc;
	}
	xb_printf("   Loading Device Tree to %016llx, end %016llx ... OK\n", ULL(p->fdt),
		  ULL(p->fdt + p->fdt_size));
	return 0;
}

/*
 * The point of no return. Everything a user can get wrong has been checked;
 * after handoff_xen() the PV devices, XenStore and event channels are gone,
 * so even a failure here cannot go back to a working shell.
 */
static int go(struct boot_plan *p)
{
	void *fdt = arch_phys_to_virt(p->fdt);
	int rc;

	arch_dcache_flush(arch_phys_to_virt(p->load), p->im.size);
	if (p->has_initrd) {
		arch_dcache_flush(arch_phys_to_virt(p->initrd), p->initrd_size);
	}
	xb_printf("\nStarting kernel ...\n\n");
	rc = handoff_xen();
	if (rc) {
		/* Linux resets frontends it finds Connected or Closed itself. */
		log_warn("Xen handoff incomplete (%s): some PV devices may be missing\n",
			 errno_name(rc));
	}
	/* Pages a backend still holds were recorded by the handoff. */
	rc = bootfdt_reserve_lost(fdt);
	if (rc) {
		/* bootfdt_copy_size() left room for every memmap region. */
		log_err("cannot reserve pages lost to a backend: not starting the kernel\n");
		return rc;
	}
	arch_dcache_flush(fdt, p->fdt_size);
	rc = arch_boot_linux(p->load, p->fdt);
	/* Only the sandbox comes back, and only with this value. */
	return rc == ARCH_JUMP_RECORDED ? BOOT_LINUX_RECORDED : -EFAULT;
}

int boot_linux(const struct boot_linux_args *a)
{
	static struct boot_plan plan; /* ~1 KiB: kept off the stack */
	struct boot_plan *p = &plan;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = plan_base(p);
	if (!rc) {
		rc = plan_kernel(p, a->kernel);
	}
	if (!rc) {
		rc = plan_initrd(p, a);
	}
	if (!rc) {
		rc = plan_fdt(p, a);
	}
	if (!rc) {
		rc = place(p);
	}
	if (!rc) {
		xb_printf("## Flattened Device Tree blob at %08llx\n", ULL(a->fdt));
		xb_printf("   Booting using the fdt blob at 0x%llx\n", ULL(a->fdt));
		rc = write_all(p, a);
	}
	if (rc) {
		return rc;
	}
	xb_printf("Kernel at 0x%llx..0x%llx (%s), ", ULL(p->load), ULL(p->load + p->im.size),
		  p->is_gzip	      ? "inflated"
		  : p->load == p->src ? "in place"
				      : "moved");
	if (p->has_initrd) {
		xb_printf("initrd at 0x%llx..0x%llx, ", ULL(p->initrd),
			  ULL(p->initrd + p->initrd_size));
	} else {
		xb_printf("no initrd, ");
	}
	xb_printf("DTB at 0x%llx\n", ULL(p->fdt));
	return go(p);
}
