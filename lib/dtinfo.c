/* Reads what xenboot needs from the DT Xen passes (xen-abi.md §7). The blob
 * is untrusted: libfdt's full structure check runs first, and every property
 * length is checked before use. */
#define LOG_PREFIX "dt: "
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <libfdt.h>
#include <string.h>

/* Reads one cell-encoded number of @cells (1 or 2) cells at @p. */
static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_ld(&p[i]);
	}
	return v;
}

struct reg_iter {
	const fdt32_t *cells;
	int entries;
	int ac, sc;
};

/* Prepares to walk a node's "reg"; returns the number of (addr, size) pairs
 * or a negative errno when the property does not fit the cell sizes. */
static int reg_begin(const void *fdt, int node, int ac, int sc, struct reg_iter *it)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);
	int entry_bytes = (ac + sc) * 4;

	if (!p) {
		return -ENOENT;
	}
	if (len < 0 || len % entry_bytes) {
		return -EINVAL;
	}
	it->cells = p;
	it->entries = len / entry_bytes;
	it->ac = ac;
	it->sc = sc;
	return it->entries;
}

static struct mem_range reg_get(const struct reg_iter *it, int i)
{
	const fdt32_t *e = it->cells + i * (it->ac + it->sc);

	return (struct mem_range){read_cells(e, it->ac), read_cells(e + it->ac, it->sc)};
}

static bool range_is_sane(struct mem_range r)
{
	uint64_t end;

	return r.size && !__builtin_add_overflow(r.base, r.size, &end);
}

static int parse_memory(const void *fdt, int ac, int sc, struct dtinfo *out)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	int rc = 0;

	for (; node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		struct reg_iter it;
		int n = reg_begin(fdt, node, ac, sc, &it);
		if (n < 0) {
			log_warn("memory node without a usable reg, ignored\n");
			continue;
		}
		for (int i = 0; i < n; i++) {
			struct mem_range r = reg_get(&it, i);
			if (!range_is_sane(r)) {
				continue; /* libxl NOPs out empty banks; be lenient with size 0 */
			}
			if (out->bank_count == DTINFO_MAX_BANKS) {
				log_warn("more than %d RAM banks, the rest is ignored\n",
					 DTINFO_MAX_BANKS);
				rc = -E2BIG;
				break;
			}
			out->banks[out->bank_count++] = r;
		}
	}
	if (!out->bank_count) {
		log_err("no memory node in the device tree\n");
		return -ENOENT;
	}
	return rc;
}

/* GIC "interrupts" triplets: type 0 SPI (INTID = n + 32), 1 PPI (n + 16). */
static int irq_to_intid(const void *fdt, int node, int index, uint32_t *intid)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

	if (!p || len < 0 || (index + 1) * 12 > len) {
		return -ENOENT;
	}
	uint32_t type = fdt32_ld(&p[index * 3]);
	uint32_t num = fdt32_ld(&p[index * 3 + 1]);
	if (type > 1 || num > 1000) {
		return -EINVAL;
	}
	*intid = num + (type == 1 ? 16 : 32);
	return 0;
}

static void parse_hypervisor(const void *fdt, int ac, int sc, struct dtinfo *out)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "xen,xen");
	struct reg_iter it;
	int len;

	if (node < 0) {
		log_warn("no /hypervisor node: not a Xen guest DT?\n");
		return;
	}
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);
	if (compat && len > 0) {
		/* The first string; strnlen bounds it even if it lacks a NUL. */
		size_t n = strnlen(compat, (size_t)len);
		if (n >= sizeof(out->xen_compatible)) {
			n = sizeof(out->xen_compatible) - 1;
		}
		memcpy(out->xen_compatible, compat, n);
		out->xen_compatible[n] = '\0';
	}
	int n = reg_begin(fdt, node, ac, sc, &it);
	if (n <= 0 || !range_is_sane(reg_get(&it, 0))) {
		log_warn("/hypervisor has no grant-table region\n");
		return;
	}
	out->has_hypervisor = true;
	out->gnttab = reg_get(&it, 0);
	for (int i = 1; i < n; i++) {
		struct mem_range r = reg_get(&it, i);
		if (!range_is_sane(r)) {
			continue;
		}
		if (out->ext_region_count == DTINFO_MAX_EXT_REGIONS) {
			break; /* extended regions are optional extras */
		}
		out->ext_regions[out->ext_region_count++] = r;
	}
	if (irq_to_intid(fdt, node, 0, &out->evtchn_intid)) {
		log_warn("/hypervisor has no usable interrupt; assuming PPI 31\n");
		out->evtchn_intid = 31;
	}
}

static void parse_gic(const void *fdt, int ac, int sc, struct dtinfo *out)
{
	static const char *const v2[] = {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic"};
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	struct reg_iter it;

	out->gic_version = 3;
	for (size_t i = 0; node < 0 && i < ARRAY_SIZE(v2); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v2[i]);
		out->gic_version = 2;
	}
	if (node < 0 || reg_begin(fdt, node, ac, sc, &it) < 2 || !range_is_sane(reg_get(&it, 0)) ||
	    !range_is_sane(reg_get(&it, 1))) {
		log_warn("no usable GIC node: waits will yield instead of sleeping\n");
		out->gic_version = 0;
		return;
	}
	out->gicd = reg_get(&it, 0);
	out->gicc = reg_get(&it, 1);
}

static void parse_timer(const void *fdt, struct dtinfo *out)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");

	out->vtimer_intid = 27; /* the architected default */
	if (node >= 0 && irq_to_intid(fdt, node, 2, &out->vtimer_intid)) {
		out->vtimer_intid = 27;
	}
}

static bool is_skipped_device(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return (type && strcmp(type, "memory") == 0) ||
	       fdt_node_check_compatible(fdt, node, "xen,xen") == 0;
}

/* Every other top-level node with "reg" is a device window (GIC, vpl011,
 * virtio-mmio, PCI ECAM): mapped as Device memory. */
static void parse_devices(const void *fdt, int ac, int sc, struct dtinfo *out)
{
	int node;

	fdt_for_each_subnode (node, fdt, 0) {
		struct reg_iter it;
		int n = reg_begin(fdt, node, ac, sc, &it);
		if (n <= 0 || is_skipped_device(fdt, node)) {
			continue;
		}
		for (int i = 0; i < n && out->device_count < DTINFO_MAX_DEVICES; i++) {
			struct mem_range r = reg_get(&it, i);
			if (range_is_sane(r)) {
				out->devices[out->device_count++] = r;
			}
		}
	}
}

static uint64_t prop_u64(const void *fdt, int node, const char *name, bool *found)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	*found = p && (len == 4 || len == 8);
	return *found ? read_cells(p, len / 4) : 0;
}

static void parse_chosen(const void *fdt, struct dtinfo *out)
{
	int node = fdt_path_offset(fdt, "/chosen");
	int len;
	bool has_start, has_end;

	if (node < 0) {
		return;
	}
	const char *args = fdt_getprop(fdt, node, "bootargs", &len);
	if (args && len > 0 && args[len - 1] == '\0') {
		out->bootargs = args;
	}
	out->initrd_start = prop_u64(fdt, node, "linux,initrd-start", &has_start);
	out->initrd_end = prop_u64(fdt, node, "linux,initrd-end", &has_end);
	out->has_initrd = has_start && has_end && out->initrd_end > out->initrd_start;
}

static int root_cells(const void *fdt, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, 0);
	*sc = fdt_size_cells(fdt, 0);
	if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2) {
		log_err("unsupported #address-cells/#size-cells %d/%d\n", *ac, *sc);
		return -EINVAL;
	}
	return 0;
}

/*
 * Every property name must start inside the strings block and end there.
 * libfdt 1.6.1's full check does not bound this itself: a hostile name
 * offset sends it into an endless string search (found by the fuzzer).
 * fdt_next_tag() bounds-checks each tag; the loop is capped by the number
 * of 4-byte cells in the structure block.
 */
static int check_prop_names(const void *fdt)
{
	uint32_t str_size = fdt_size_dt_strings(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t steps = fdt_size_dt_struct(fdt) / 4 + 1;
	int offset = 0, next;
	uint32_t tag;

	do {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0 || steps-- == 0) {
			return -EINVAL;
		}
		if (tag == FDT_PROP) {
			/* Bytes, not the struct: the blob may place it misaligned. */
			const uint8_t *p = fdt_offset_ptr(fdt, offset, sizeof(struct fdt_property));
			uint32_t name = p ? (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
						(uint32_t)p[10] << 8 | p[11]
					  : UINT32_MAX;
			if (name >= str_size || !memchr(strings + name, '\0', str_size - name)) {
				return -EINVAL;
			}
		}
		offset = next;
	} while (tag != FDT_END);
	return 0;
}

int dtinfo_validate(const void *fdt, uint64_t max_size)
{
	if (!fdt || max_size < sizeof(struct fdt_header) || fdt_check_header(fdt)) {
		return -EINVAL;
	}
	/* Versions before 17 lack the block sizes libfdt's full check relies
	 * on (it dereferences NULL on some); Xen's toolstack writes 17. */
	if (fdt_version(fdt) < 17) {
		return -EOPNOTSUPP;
	}
	if (fdt_totalsize(fdt) > max_size || check_prop_names(fdt) ||
	    fdt_check_full(fdt, fdt_totalsize(fdt))) {
		return -EILSEQ;
	}
	return 0;
}

int dtinfo_parse(const void *fdt, uint64_t max_size, struct dtinfo *out)
{
	int ac, sc, rc;

	memset(out, 0, sizeof(*out));
	rc = dtinfo_validate(fdt, max_size);
	if (rc == -EINVAL) {
		log_err("no valid device tree (bad or missing header)\n");
	} else if (rc == -EOPNOTSUPP) {
		log_err("device tree version %u is too old (need 17 or later)\n", fdt_version(fdt));
	} else if (rc) {
		log_err("device tree is corrupt (size %u)\n", fdt_totalsize(fdt));
	}
	if (rc) {
		return -EINVAL;
	}
	out->fdt = fdt;
	out->fdt_size = fdt_totalsize(fdt);
	rc = root_cells(fdt, &ac, &sc);
	if (rc) {
		return rc;
	}
	rc = parse_memory(fdt, ac, sc, out);
	if (rc && rc != -E2BIG) {
		return rc;
	}
	parse_hypervisor(fdt, ac, sc, out);
	parse_gic(fdt, ac, sc, out);
	parse_timer(fdt, out);
	parse_devices(fdt, ac, sc, out);
	parse_chosen(fdt, out);
	return rc;
}

static struct dtinfo current_dt;
static bool current_dt_valid;

void dtinfo_set(const struct dtinfo *dt)
{
	current_dt = *dt;
	current_dt_valid = true;
}

const struct dtinfo *dtinfo_get(void)
{
	return current_dt_valid ? &current_dt : NULL;
}

uint64_t mem_range_room(const struct mem_range *ranges, unsigned int count, uint64_t pa)
{
	uint64_t room = 0;

	/* The largest: ranges may overlap (nothing forbids it in a DT). */
	for (unsigned int i = 0; i < count; i++) {
		const struct mem_range *r = &ranges[i];

		if (pa >= r->base && pa - r->base < r->size) {
			room = MAX(room, r->size - (pa - r->base));
		}
	}
	return room;
}

bool dtinfo_is_ram(const struct dtinfo *dt, uint64_t base, uint64_t size)
{
	uint64_t room = dt ? mem_range_room(dt->banks, dt->bank_count, base) : 0;

	return room && size <= room;
}
