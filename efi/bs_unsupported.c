/* Services not implemented yet: EFI_UNSUPPORTED. Each owner deletes its
 * lines when its file lands (include/efi/services.h says which file). */
#include <efi/services.h>

/* efi/rt_*.c */
void efi_runtime_exit_boot_services(void)
{
}

efi_status_t efi_rt_get_time(struct efi_time *time, struct efi_time_capabilities *cap)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_set_time(struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_get_wakeup_time(bool *enabled, bool *pending, struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_set_wakeup_time(bool enable, struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_set_virtual_address_map(uint64_t map_size, uint64_t desc_size,
					    uint32_t desc_version,
					    struct efi_memory_descriptor *map)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_convert_pointer(uint64_t disposition, void **address)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_get_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t *attributes, uint64_t *size, void *data)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_get_next_variable_name(uint64_t *size, efi_char16_t *name, efi_guid_t *vendor)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_set_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t attributes, uint64_t size, const void *data)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_get_next_high_monotonic_count(uint32_t *high)
{
	return EFI_UNSUPPORTED;
}

void efi_rt_reset_system(uint32_t type, efi_status_t status, uint64_t size, void *data)
{
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

efi_status_t efi_rt_query_variable_info(uint32_t attributes, uint64_t *max_storage,
					uint64_t *remaining, uint64_t *max_size)
{
	return EFI_UNSUPPORTED;
}
