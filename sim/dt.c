/* Device trees shaped like the one libxl builds for an arm64 domU
 * (tools/libs/light/libxl_arm.c as summarised in xen-abi.md §7), written
 * with libfdt's sequential-write API. */
#include "internal.h"

#include <libfdt.h>
#include <sim/dt.h>
#include <string.h>

#define GIC_PHANDLE 65000
#define DEFAULT_RAM_SIZE 0x10000000ULL
#define GUEST_RAM0_SIZE 0xC0000000ULL
#define EXT_ALIGN 0x200000ULL
#define EXT_MIN 0x4000000ULL
/* <type flags> of DT interrupts: PPI, CPU mask 0xf, level-low (libxl). */
#define DT_PPI 1
#define DT_PPI_FLAGS 0xf08

void sim_config_defaults(struct sim_config *cfg)
{
	if (cfg->bank_count == 0) {
		cfg->bank_count = 1;
		cfg->banks[0].base = SIM_RAM0_BASE;
		cfg->banks[0].size = DEFAULT_RAM_SIZE;
	}
	if (cfg->bank_count > SIM_MAX_BANKS) {
		cfg->bank_count = SIM_MAX_BANKS;
	}
}

/* Write @count (address, size) pairs of two cells each as "reg". */
static int prop_reg(void *fdt, const struct sim_bank *r, unsigned int count)
{
	fdt64_t cells[2 * (SIM_MAX_BANKS + 1)];

	for (unsigned int i = 0; i < count; i++) {
		cells[2 * i] = cpu_to_fdt64(r[i].base);
		cells[2 * i + 1] = cpu_to_fdt64(r[i].size);
	}
	return fdt_property(fdt, "reg", cells, count * 2 * sizeof(fdt64_t));
}

static int prop_irqs(void *fdt, const uint32_t *ppis, unsigned int count)
{
	fdt32_t cells[3 * 4];

	for (unsigned int i = 0; i < count; i++) {
		cells[3 * i] = cpu_to_fdt32(DT_PPI);
		cells[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		cells[3 * i + 2] = cpu_to_fdt32(DT_PPI_FLAGS);
	}
	return fdt_property(fdt, "interrupts", cells, count * 3 * sizeof(fdt32_t));
}

/* Extended regions: unpopulated space in the two RAM windows, 2 MiB
 * aligned and at least 64 MiB, as libxl finds them. */
static unsigned int ext_regions(const struct sim_config *cfg, struct sim_bank *out)
{
	uint64_t end0 = SIM_RAM0_BASE, end1 = SIM_RAM1_BASE;
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg->bank_count; i++) {
		uint64_t end = cfg->banks[i].base + cfg->banks[i].size;
		if (cfg->banks[i].base < SIM_RAM1_BASE && end > end0) {
			end0 = end;
		} else if (cfg->banks[i].base >= SIM_RAM1_BASE && end > end1) {
			end1 = end;
		}
	}
	end0 = (end0 + EXT_ALIGN - 1) & ~(EXT_ALIGN - 1);
	end1 = (end1 + EXT_ALIGN - 1) & ~(EXT_ALIGN - 1);
	if (SIM_RAM0_BASE + GUEST_RAM0_SIZE > end0 &&
	    SIM_RAM0_BASE + GUEST_RAM0_SIZE - end0 >= EXT_MIN) {
		out[n++] = (struct sim_bank){ end0, SIM_RAM0_BASE + GUEST_RAM0_SIZE - end0 };
	}
	out[n++] = (struct sim_bank){ end1, 0x40000000ULL };
	return n;
}

static int hypervisor_node(void *fdt, const struct sim_config *cfg)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	static const uint32_t evtchn_ppi = 15;
	struct sim_bank reg[3] = { { SIM_GNTTAB_BASE, SIM_GNTTAB_SIZE } };
	unsigned int n = 1;

	if (!cfg->no_ext_regions) {
		n += ext_regions(cfg, &reg[1]);
	}
	return fdt_begin_node(fdt, "hypervisor") ?: fdt_property(fdt, "compatible", compat,
							   sizeof(compat)) ?:
	       prop_reg(fdt, reg, n) ?: prop_irqs(fdt, &evtchn_ppi, 1) ?: fdt_end_node(fdt);
}

static int memory_nodes(void *fdt, const struct sim_config *cfg)
{
	char name[32];
	int rc = 0;

	for (unsigned int i = 0; i < cfg->bank_count && !rc; i++) {
		snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)cfg->banks[i].base);
		rc = fdt_begin_node(fdt, name) ?: fdt_property_string(fdt, "device_type", "memory") ?:
		     prop_reg(fdt, &cfg->banks[i], 1) ?: fdt_end_node(fdt);
	}
	return rc;
}

static int chosen_node(void *fdt, const struct sim_config *cfg)
{
	int rc = fdt_begin_node(fdt, "chosen");

	if (!rc && cfg->bootargs) {
		rc = fdt_property_string(fdt, "bootargs", cfg->bootargs);
	}
	if (!rc && (cfg->initrd_start || cfg->initrd_end)) {
		rc = fdt_property_u64(fdt, "linux,initrd-start", cfg->initrd_start) ?:
		     fdt_property_u64(fdt, "linux,initrd-end", cfg->initrd_end);
	}
	return rc ?: fdt_end_node(fdt);
}

static int gic_node(void *fdt, const struct sim_config *cfg)
{
	static const char v2[] = "arm,gic-400\0arm,cortex-a15-gic";
	static const char v3[] = "arm,gic-v3";
	bool is_v3 = cfg->dt_mode == SIM_DT_GIC_V3;
	struct sim_bank reg[2] = {
		{ SIM_GICD_BASE, is_v3 ? 0x10000 : 0x1000 },
		{ is_v3 ? 0x03020000ULL : SIM_GICC_BASE, is_v3 ? 0x20000 : 0x2000 },
	};

	return fdt_begin_node(fdt, "interrupt-controller@3001000") ?:
	       (is_v3 ? fdt_property(fdt, "compatible", v3, sizeof(v3)) :
			fdt_property(fdt, "compatible", v2, sizeof(v2))) ?:
	       fdt_property_u32(fdt, "#interrupt-cells", 3) ?:
	       fdt_property_u32(fdt, "#address-cells", 0) ?:
	       fdt_property(fdt, "interrupt-controller", NULL, 0) ?: prop_reg(fdt, reg, 2) ?:
	       fdt_property_u32(fdt, "phandle", GIC_PHANDLE) ?: fdt_end_node(fdt);
}

/* Secure and non-secure physical timers, then the virtual timer: PPI 11
 * is INTID 27, the one a guest arms for its timeouts. */
static int timer_psci_nodes(void *fdt)
{
	static const uint32_t timer_ppis[] = { 13, 14, 11 };
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	return fdt_begin_node(fdt, "timer") ?:
	       fdt_property_string(fdt, "compatible", "arm,armv8-timer") ?:
	       prop_irqs(fdt, timer_ppis, 3) ?: fdt_end_node(fdt) ?: fdt_begin_node(fdt, "psci") ?:
	       fdt_property(fdt, "compatible", psci, sizeof(psci)) ?:
	       fdt_property_string(fdt, "method", "hvc") ?: fdt_end_node(fdt);
}

static int root_props(void *fdt)
{
	static const char compat[] = "xen,xenvm-4.17\0xen,xenvm";

	return fdt_property(fdt, "compatible", compat, sizeof(compat)) ?:
	       fdt_property_u32(fdt, "#address-cells", 2) ?:
	       fdt_property_u32(fdt, "#size-cells", 2) ?:
	       fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE);
}

/* Bytes that are not a DT, the same every time. */
static int build_garbage(void *buf, size_t size)
{
	unsigned char *p = buf;
	uint32_t x = 0x9e3779b9;
	size_t n = size < 512 ? size : 512;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		p[i] = (unsigned char)(x >> 24);
	}
	return (int)n;
}

int sim_dt_build(const struct sim_config *cfg_in, void *buf, size_t size)
{
	struct sim_config cfg = *cfg_in;
	int rc;

	sim_config_defaults(&cfg);
	if (cfg.dt_mode == SIM_DT_GARBAGE) {
		return build_garbage(buf, size);
	}
	rc = fdt_create(buf, (int)size) ?: fdt_finish_reservemap(buf) ?: fdt_begin_node(buf, "") ?:
	     root_props(buf) ?: chosen_node(buf, &cfg);
	if (!rc && cfg.dt_mode != SIM_DT_NO_HYPERVISOR) {
		rc = hypervisor_node(buf, &cfg);
	}
	if (!rc && cfg.dt_mode != SIM_DT_NO_MEMORY) {
		rc = memory_nodes(buf, &cfg);
	}
	rc = rc ?: gic_node(buf, &cfg) ?: timer_psci_nodes(buf) ?: fdt_end_node(buf) ?:
		    fdt_finish(buf);
	if (rc) {
		return -XEN_ENOSPC;
	}
	return (int)fdt_totalsize(buf);
}
