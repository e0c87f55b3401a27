/* ExitBootServices (UEFI 2.10 §7.4): the map key checked, the OS's
 * exit-boot-services events signalled, then boot/'s full Xen handoff, run
 * once. The handoff may record pages a backend never released (the map
 * changes under the OS's key), so the first call can fail with
 * EFI_INVALID_PARAMETER after the handoff; the OS then reads the map again
 * and calls once more, and that call only checks the new key. */
#define LOG_PREFIX "efi: "
#include <boot/handoff.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/log.h>
#include <lib/memmap.h>

/* After success: the boot services and the console are gone (§4.3). */
static void tables_without_boot_services(struct efi *e)
{
	e->systab.console_in_handle = NULL;
	e->systab.con_in = NULL;
	e->systab.console_out_handle = NULL;
	e->systab.con_out = NULL;
	e->systab.standard_error_handle = NULL;
	e->systab.std_err = NULL;
	e->systab.boot_services = NULL;
	efi_tables_update_crc(e);
}

efi_status_t efi_bs_exit_boot_services(efi_handle_t image, uint64_t map_key)
{
	struct efi *e = efi_get();

	if (!efi_object_of(image) || map_key != memmap_key()) {
		return EFI_INVALID_PARAMETER;
	}
	if (!e->is_handed_off) {
		efi_events_exit_boot_services();
		e->is_handed_off = true;
		int rc = handoff_xen();
		if (rc) {
			log_warn("the Xen handoff reported errors (%d): booting anyway\n", rc);
		}
		efi_runtime_exit_boot_services();
		if (map_key != memmap_key()) {
			return EFI_INVALID_PARAMETER;
		}
	}
	e->is_boot_services_exited = true;
	tables_without_boot_services(e);
	return EFI_SUCCESS;
}
