/* SetVirtualAddressMap and ConvertPointer (UEFI 2.10 §8.4). Our image is a
 * runtime range of the map the OS passes; everything the OS reaches after
 * the call (the runtime services table and its function pointers, the
 * system table's pointers to it, to the configuration tables and to the
 * vendor string) is rewritten by the offset of the range holding it, and
 * the table CRCs recomputed. Our own code never follows those pointers: it
 * reaches its state PC-relatively (efi_get()), so it runs at any address.
 * Our pointers equal physical addresses (identity mapping on arm64). */
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <string.h>

#define EFI_OPTIONAL_PTR 0x1ull
#define RT_FUNCTIONS 14
/* A bound on the OS's map, so a wild size cannot walk memory for long. */
#define MAP_ENTRIES_MAX 0x10000u

int efi_runtime_convert(const struct efi_runtime *r, uint64_t phys, uint64_t *virt)
{
	if (!r->is_virtual) {
		return -EINVAL;
	}
	for (unsigned int i = 0; i < r->region_count; i++) {
		const struct efi_rt_region *g = &r->regions[i];

		if (phys >= g->phys && (phys - g->phys) >> EFI_PAGE_SHIFT < g->pages) {
			*virt = g->virt + (phys - g->phys);
			return 0;
		}
	}
	return -ENOENT;
}

/* The runtime ranges of the OS's map (untrusted: sizes and wrap checked). */
static efi_status_t read_map(struct efi_runtime *r, uint64_t map_size, uint64_t desc_size,
			     const uint8_t *map)
{
	r->region_count = 0;
	for (uint64_t off = 0; off < map_size; off += desc_size) {
		struct efi_memory_descriptor d;

		memcpy(&d, map + off, sizeof(d));
		if (!(d.attribute & EFI_MEMORY_RUNTIME)) {
			continue;
		}
		if (d.number_of_pages > (UINT64_MAX >> EFI_PAGE_SHIFT) ||
		    d.physical_start + (d.number_of_pages << EFI_PAGE_SHIFT) < d.physical_start ||
		    (d.physical_start | d.virtual_start) & (EFI_PAGE_SIZE - 1)) {
			return EFI_INVALID_PARAMETER;
		}
		if (r->region_count == EFI_RT_REGIONS_MAX) {
			return EFI_OUT_OF_RESOURCES;
		}
		r->regions[r->region_count++] =
		    (struct efi_rt_region){d.physical_start, d.number_of_pages, d.virtual_start};
	}
	return EFI_SUCCESS;
}

/* Convert the pointer in @slot (held as a 64-bit value); NULL stays NULL.
 * With @must, a pointer outside every runtime range is an error. */
static int convert_slot(const struct efi_runtime *r, void *slot, bool must)
{
	uint64_t v, virt;

	memcpy(&v, slot, sizeof(v));
	if (v == 0) {
		return 0;
	}
	if (efi_runtime_convert(r, v, &virt)) {
		return must ? -ENOENT : 0;
	}
	memcpy(slot, &virt, sizeof(virt));
	return 0;
}

/* Rewrite the tables on a copy, so a pointer we cannot convert leaves the
 * real ones untouched. */
static efi_status_t convert_tables(struct efi *e)
{
	const struct efi_runtime *r = &e->runtime;
	struct efi_runtime_services rt = e->rt;
	struct efi_system_table st = e->systab;
	void **fn = (void **)((uint8_t *)&rt + sizeof(rt.hdr));
	int rc = 0;

	for (unsigned int i = 0; i < RT_FUNCTIONS; i++) {
		rc |= convert_slot(r, &fn[i], true);
	}
	rc |= convert_slot(r, &st.runtime_services, true);
	rc |= convert_slot(r, &st.configuration_table, true);
	rc |= convert_slot(r, &st.firmware_vendor, false);
	if (rc) {
		return EFI_NO_MAPPING;
	}
	/* Boot-time only: gone after ExitBootServices. */
	st.boot_services = NULL;
	st.console_in_handle = st.console_out_handle = st.standard_error_handle = NULL;
	st.con_in = NULL;
	st.con_out = st.std_err = NULL;
	for (uint64_t i = 0; i < st.number_of_table_entries && i < EFI_MAX_CONFIG_TABLES; i++) {
		(void)convert_slot(r, &e->config[i].vendor_table, false);
	}
	e->rt = rt;
	e->systab = st;
	efi_tables_update_crc(e);
	return EFI_SUCCESS;
}

efi_status_t efi_rt_set_virtual_address_map(uint64_t map_size, uint64_t desc_size,
					    uint32_t desc_version,
					    struct efi_memory_descriptor *map)
{
	struct efi *e = efi_get();
	struct efi_runtime *r = &e->runtime;
	efi_status_t s;

	if (!e->is_boot_services_exited || r->is_virtual) {
		return EFI_UNSUPPORTED;
	}
	if (!map || desc_size < sizeof(*map) || desc_size % 8 || desc_size > EFI_PAGE_SIZE ||
	    desc_version != EFI_MEMORY_DESCRIPTOR_VERSION || map_size % desc_size ||
	    map_size / desc_size > MAP_ENTRIES_MAX) {
		return EFI_INVALID_PARAMETER;
	}
	s = read_map(r, map_size, desc_size, (const uint8_t *)map);
	if (s == EFI_SUCCESS) {
		r->is_virtual = true;
		s = convert_tables(e);
	}
	if (s != EFI_SUCCESS) {
		r->is_virtual = false;
		r->region_count = 0;
	}
	return s;
}

efi_status_t efi_rt_convert_pointer(uint64_t disposition, void **address)
{
	const struct efi_runtime *r = &efi_get()->runtime;

	if (!address) {
		return EFI_INVALID_PARAMETER;
	}
	if (!*address) {
		return disposition & EFI_OPTIONAL_PTR ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
	}
	if (!r->is_virtual) {
		return EFI_UNSUPPORTED;
	}
	return convert_slot(r, address, true) ? EFI_NOT_FOUND : EFI_SUCCESS;
}
