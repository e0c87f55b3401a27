/* Services not implemented yet: EFI_UNSUPPORTED. Each owner deletes its
 * lines when its file lands (include/efi/services.h says which file). */
#include <efi/services.h>

/* efi/bs_memory.c */
efi_status_t efi_bs_allocate_pages(uint32_t type, uint32_t memory_type, uint64_t pages,
				   efi_physical_addr_t *memory)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_free_pages(efi_physical_addr_t memory, uint64_t pages)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_get_memory_map(uint64_t *map_size, struct efi_memory_descriptor *map,
				   uint64_t *map_key, uint64_t *desc_size, uint32_t *desc_version)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_allocate_pool(uint32_t pool_type, uint64_t size, void **buffer)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_free_pool(void *buffer)
{
	return EFI_UNSUPPORTED;
}

/* efi/bs_image.c */
efi_status_t efi_bs_load_image(bool boot_policy, efi_handle_t parent, struct efi_device_path *path,
			       void *buffer, uint64_t size, efi_handle_t *image)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_start_image(efi_handle_t image, uint64_t *exit_data_size,
				efi_char16_t **exit_data)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_exit(efi_handle_t image, efi_status_t status, uint64_t exit_data_size,
			 efi_char16_t *exit_data)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_unload_image(efi_handle_t image)
{
	return EFI_UNSUPPORTED;
}

/* efi/rt_*.c */
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

/* efi/bs_protocol.c and efi/exit_boot.c */
efi_status_t efi_bs_install_protocol_interface(efi_handle_t *handle, const efi_guid_t *protocol,
					       uint32_t type, void *iface)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_reinstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *old_iface, void *new_iface)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_uninstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *iface)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_handle_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_register_protocol_notify(const efi_guid_t *protocol, efi_event_t event,
					     void **registration)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_locate_handle(uint32_t search_type, const efi_guid_t *protocol, void *key,
				  uint64_t *size, efi_handle_t *buffer)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_locate_device_path(const efi_guid_t *protocol, struct efi_device_path **path,
				       efi_handle_t *device)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_connect_controller(efi_handle_t controller, efi_handle_t *driver,
				       struct efi_device_path *remaining, bool recursive)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_disconnect_controller(efi_handle_t controller, efi_handle_t driver,
					  efi_handle_t child)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_open_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface,
				  efi_handle_t agent, efi_handle_t controller, uint32_t attributes)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_close_protocol(efi_handle_t handle, const efi_guid_t *protocol,
				   efi_handle_t agent, efi_handle_t controller)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_open_protocol_information(efi_handle_t handle, const efi_guid_t *protocol,
					      struct efi_open_protocol_information_entry **entries,
					      uint64_t *count)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_protocols_per_handle(efi_handle_t handle, efi_guid_t ***buffer, uint64_t *count)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_locate_handle_buffer(uint32_t search_type, const efi_guid_t *protocol,
					 void *key, uint64_t *count, efi_handle_t **buffer)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_locate_protocol(const efi_guid_t *protocol, void *registration, void **iface)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_install_multiple_protocol_interfaces(efi_handle_t *handle, ...)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_uninstall_multiple_protocol_interfaces(efi_handle_t handle, ...)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_bs_exit_boot_services(efi_handle_t image, uint64_t map_key)
{
	return EFI_UNSUPPORTED;
}
