/* The runtime services besides variables, time and the virtual map:
 * ResetSystem through Xen (SCHEDOP_shutdown), GetNextHighMonotonicCount,
 * the capsule services (none: EFI_UNSUPPORTED), and the EFI_RT_PROPERTIES
 * table that tells the OS which services work (UEFI 2.10 §4.6.2; Linux then
 * leaves the others alone). Runtime path: no printing, no shared page. */
#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <efi/varstore.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/units.h>
#include <xen/abi/sched.h>
#include <xen/xen.h>

#define RT_SUPPORTED                                                                               \
	(EFI_RT_SUPPORTED_GET_TIME | EFI_RT_SUPPORTED_GET_VARIABLE |                               \
	 EFI_RT_SUPPORTED_GET_NEXT_VARIABLE_NAME | EFI_RT_SUPPORTED_SET_VARIABLE |                 \
	 EFI_RT_SUPPORTED_SET_VIRTUAL_ADDRESS_MAP | EFI_RT_SUPPORTED_CONVERT_POINTER |             \
	 EFI_RT_SUPPORTED_GET_NEXT_HIGH_MONOTONIC_COUNT | EFI_RT_SUPPORTED_RESET_SYSTEM |          \
	 EFI_RT_SUPPORTED_QUERY_VARIABLE_INFO)

int efi_runtime_start(struct efi *e)
{
	struct efi_runtime *r = &e->runtime;

	efi_time_capture(e);
	r->properties = (struct efi_rt_properties_table){
	    .version = EFI_RT_PROPERTIES_TABLE_VERSION,
	    .length = sizeof(r->properties),
	    .runtime_services_supported = RT_SUPPORTED,
	};
	return efi_config_table_set(e, &efi_guid_rt_properties_table, &r->properties) == EFI_SUCCESS
		   ? 0
		   : -ENOSPC;
}

void efi_runtime_exit_boot_services(void)
{
	struct efi *e = efi_get();

	if (e->runtime.vars_state != EFI_VARS_OFF) {
		varstore_exit_boot_services(e->runtime.var_store);
	}
}

/* Cold, warm and platform-specific resets reboot the domain (the toolstack
 * acts on on_reboot), a shutdown powers it off. The request only returns
 * if Xen refuses it; then so do we, rather than hang the caller. */
void efi_rt_reset_system(uint32_t type, efi_status_t status, uint64_t size, void *data)
{
	unsigned int reason = type == EfiResetShutdown ? SHUTDOWN_poweroff : SHUTDOWN_reboot;

	if (!efi_get()->is_boot_services_exited) {
		console_flush(arch_time_ns() + NS_PER_SEC);
	}
	(void)xen_shutdown(reason);
}

/* The high 32 bits of the monotonic count (GetNextMonotonicCount's). They
 * are not kept across boots: there is no non-volatile store at runtime. */
efi_status_t efi_rt_get_next_high_monotonic_count(uint32_t *high)
{
	struct efi *e = efi_get();

	if (!high) {
		return EFI_INVALID_PARAMETER;
	}
	e->monotonic = ((e->monotonic >> 32) + 1) << 32;
	*high = (uint32_t)(e->monotonic >> 32);
	return EFI_SUCCESS;
}

efi_status_t efi_rt_update_capsule(struct efi_capsule_header **capsules, uint64_t count,
				   uint64_t sg_list)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_query_capsule_capabilities(struct efi_capsule_header **capsules, uint64_t count,
					       uint64_t *max_size, uint32_t *reset_type)
{
	return EFI_UNSUPPORTED;
}
