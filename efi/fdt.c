/* The device tree as the DTB configuration table (include/efi/efi.h). */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <libfdt.h>

/* Room left for the OS's own fix-ups (Linux's stub adds its chosen properties). */
#define EFI_FDT_SLACK 0x4000u
#define EFI_FDT_MAX 0x200000u

int efi_fdt_install(struct efi *e, const void *fdt)
{
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > EFI_FDT_MAX) {
		return -EINVAL;
	}
	uint64_t size = ALIGN_UP((uint64_t)fdt_totalsize(fdt) + EFI_FDT_SLACK, EFI_PAGE_SIZE);
	efi_physical_addr_t pa;
	efi_status_t s = efi_bs_allocate_pages(AllocateAnyPages, EfiACPIReclaimMemory,
					       size / EFI_PAGE_SIZE, &pa);
	if (s != EFI_SUCCESS) {
		return -ENOMEM;
	}
	void *copy = arch_phys_to_virt(pa);
	if (fdt_open_into(fdt, copy, (int)size)) {
		(void)efi_bs_free_pages(pa, size / EFI_PAGE_SIZE);
		return -EINVAL;
	}
	if (efi_config_table_set(e, &efi_guid_fdt_table, copy) != EFI_SUCCESS) {
		(void)efi_bs_free_pages(pa, size / EFI_PAGE_SIZE);
		return -ENOMEM;
	}
	/* Our copy before goes, by what we recorded: the table may hold
	 * an application's blob by now (GRUB's devicetree), or any pointer. */
	if (e->fdt_pages) {
		(void)efi_bs_free_pages(e->fdt_pa, e->fdt_pages);
	}
	e->fdt_pa = pa;
	e->fdt_pages = size / EFI_PAGE_SIZE;
	return 0;
}

int efi_fdt_start(struct efi *e)
{
	const struct dtinfo *dt = dtinfo_get();

	return dt && dt->fdt ? efi_fdt_install(e, dt->fdt) : -ENOENT;
}
