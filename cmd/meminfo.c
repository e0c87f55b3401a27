/* meminfo: RAM banks, where xenboot runs, the heap, Xen's regions, and the
 * page allocator's memory map. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/dtinfo.h>
#include <lib/memmap.h>
#include <lib/printf.h>
#include <lib/units.h>

static void print_range(const char *what, unsigned int i, const struct mem_range *r)
{
	xb_printf("  %s %u: 0x%016llx size 0x%llx (%llu MiB)\n", what, i,
		  (unsigned long long)r->base, (unsigned long long)r->size,
		  (unsigned long long)(r->size / MIB));
}

static void print_image(void)
{
	struct arch_image_info im;

	arch_image_info(&im);
	xb_printf("xenboot: loaded at 0x%llx (linked at 0x%llx, %llu relocations applied)\n",
		  (unsigned long long)im.load_addr, (unsigned long long)im.link_addr,
		  (unsigned long long)im.reloc_count);
	xb_printf("  image %llu bytes, end of BSS and stack 0x%llx\n",
		  (unsigned long long)im.image_size, (unsigned long long)im.end);
	xb_printf("  heap 0x%llx - 0x%llx (%llu KiB)\n", (unsigned long long)im.heap_start,
		  (unsigned long long)im.heap_end,
		  (unsigned long long)((im.heap_end - im.heap_start) / 1024));
}

/* The map as GetMemoryMap reports it, before the EFI types; 32 entries a call. */
static void print_map(void)
{
	struct memmap_desc d[32];
	unsigned int n = 0;
	int rc = memmap_describe(d, ARRAY_SIZE(d), &n);

	xb_printf("Memory map (%u entries, key %llu):\n", n, (unsigned long long)memmap_key());
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(d); i++) {
		xb_printf("  0x%016llx-0x%016llx %s", (unsigned long long)d[i].base,
			  (unsigned long long)(d[i].base + d[i].size - 1),
			  memmap_kind_name(d[i].kind));
		if (d[i].kind == MEMMAP_ALLOC) {
			xb_printf(" (type 0x%x)", d[i].tag);
		}
		xb_printf("\n");
	}
	if (rc) {
		xb_printf("  ... %u more\n", n - (unsigned int)ARRAY_SIZE(d));
	}
}

static int do_meminfo(int argc, char *argv[])
{
	const struct dtinfo *dt = dtinfo_get();

	if (argc != 1) {
		return CMD_RET_USAGE;
	}
	if (dt) {
		uint64_t total = 0;
		for (unsigned int i = 0; i < dt->bank_count; i++) {
			total += dt->banks[i].size;
		}
		xb_printf("RAM: %u bank(s), %llu MiB\n", dt->bank_count,
			  (unsigned long long)(total / MIB));
		for (unsigned int i = 0; i < dt->bank_count; i++) {
			print_range("bank", i, &dt->banks[i]);
		}
	} else {
		xb_printf("RAM: unknown (no usable device tree)\n");
	}
	print_image();
	if (dt && dt->has_hypervisor) {
		xb_printf("Xen regions:\n");
		print_range("grant-table", 0, &dt->gnttab);
		for (unsigned int i = 0; i < dt->ext_region_count; i++) {
			print_range("extended", i, &dt->ext_regions[i]);
		}
	}
	print_map();
	return 0;
}

const struct cmd cmd_meminfo = {
    .name = "meminfo",
    .usage = "",
    .help = "show RAM banks, xenboot's location and heap, the memory map",
    .run = do_meminfo,
};
