/* The entry points behind the boot and runtime services tables, by the file
 * that implements them. efi/systab.c puts them into the tables. */
#ifndef EFI_SERVICES_H
#define EFI_SERVICES_H

#include <efi/abi/tables.h>

/* efi/bs_event.c: TPL, events, timers, and the time services */
efi_tpl_t efi_bs_raise_tpl(efi_tpl_t new_tpl);
void efi_bs_restore_tpl(efi_tpl_t old_tpl);
efi_status_t efi_bs_create_event(uint32_t type, efi_tpl_t notify_tpl, efi_event_notify_t fn,
				 void *ctx, efi_event_t *event);
efi_status_t efi_bs_create_event_ex(uint32_t type, efi_tpl_t notify_tpl, efi_event_notify_t fn,
				    const void *ctx, const efi_guid_t *group, efi_event_t *event);
efi_status_t efi_bs_set_timer(efi_event_t event, uint32_t type, uint64_t trigger_time);
efi_status_t efi_bs_wait_for_event(uint64_t n, efi_event_t *events, uint64_t *index);
efi_status_t efi_bs_signal_event(efi_event_t event);
efi_status_t efi_bs_close_event(efi_event_t event);
efi_status_t efi_bs_check_event(efi_event_t event);
efi_status_t efi_bs_stall(uint64_t microseconds);
efi_status_t efi_bs_set_watchdog_timer(uint64_t timeout, uint64_t code, uint64_t size,
				       efi_char16_t *data);
efi_status_t efi_bs_get_next_monotonic_count(uint64_t *count);
/** efi_events_exit_boot_services() - signal the EVT_SIGNAL_EXIT_BOOT_SERVICES group, stop timers.
 */
void efi_events_exit_boot_services(void);

/* efi/bs_memory.c */
efi_status_t efi_bs_allocate_pages(uint32_t type, uint32_t memory_type, uint64_t pages,
				   efi_physical_addr_t *memory);
efi_status_t efi_bs_free_pages(efi_physical_addr_t memory, uint64_t pages);
efi_status_t efi_bs_get_memory_map(uint64_t *map_size, struct efi_memory_descriptor *map,
				   uint64_t *map_key, uint64_t *desc_size, uint32_t *desc_version);
efi_status_t efi_bs_allocate_pool(uint32_t pool_type, uint64_t size, void **buffer);
efi_status_t efi_bs_free_pool(void *buffer);

/* efi/bs_protocol.c: the handle database's services */
efi_status_t efi_bs_install_protocol_interface(efi_handle_t *handle, const efi_guid_t *protocol,
					       uint32_t type, void *iface);
efi_status_t efi_bs_reinstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *old_iface, void *new_iface);
efi_status_t efi_bs_uninstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *iface);
efi_status_t efi_bs_handle_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface);
efi_status_t efi_bs_register_protocol_notify(const efi_guid_t *protocol, efi_event_t event,
					     void **registration);
efi_status_t efi_bs_locate_handle(uint32_t search_type, const efi_guid_t *protocol, void *key,
				  uint64_t *size, efi_handle_t *buffer);
efi_status_t efi_bs_locate_device_path(const efi_guid_t *protocol, struct efi_device_path **path,
				       efi_handle_t *device);
efi_status_t efi_bs_install_configuration_table(const efi_guid_t *guid, void *table);
efi_status_t efi_bs_connect_controller(efi_handle_t controller, efi_handle_t *driver,
				       struct efi_device_path *remaining, bool recursive);
efi_status_t efi_bs_disconnect_controller(efi_handle_t controller, efi_handle_t driver,
					  efi_handle_t child);
efi_status_t efi_bs_open_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface,
				  efi_handle_t agent, efi_handle_t controller, uint32_t attributes);
efi_status_t efi_bs_close_protocol(efi_handle_t handle, const efi_guid_t *protocol,
				   efi_handle_t agent, efi_handle_t controller);
efi_status_t efi_bs_open_protocol_information(efi_handle_t handle, const efi_guid_t *protocol,
					      struct efi_open_protocol_information_entry **entries,
					      uint64_t *count);
efi_status_t efi_bs_protocols_per_handle(efi_handle_t handle, efi_guid_t ***buffer,
					 uint64_t *count);
efi_status_t efi_bs_locate_handle_buffer(uint32_t search_type, const efi_guid_t *protocol,
					 void *key, uint64_t *count, efi_handle_t **buffer);
efi_status_t efi_bs_locate_protocol(const efi_guid_t *protocol, void *registration, void **iface);
efi_status_t efi_bs_install_multiple_protocol_interfaces(efi_handle_t *handle, ...);
efi_status_t efi_bs_uninstall_multiple_protocol_interfaces(efi_handle_t handle, ...);

/* efi/bs_image.c */
efi_status_t efi_bs_load_image(bool boot_policy, efi_handle_t parent, struct efi_device_path *path,
			       void *buffer, uint64_t size, efi_handle_t *image);
efi_status_t efi_bs_start_image(efi_handle_t image, uint64_t *exit_data_size,
				efi_char16_t **exit_data);
efi_status_t efi_bs_exit(efi_handle_t image, efi_status_t status, uint64_t exit_data_size,
			 efi_char16_t *exit_data);
efi_status_t efi_bs_unload_image(efi_handle_t image);

/* efi/exit_boot.c */
efi_status_t efi_bs_exit_boot_services(efi_handle_t image, uint64_t map_key);

/* efi/bs_misc.c */
efi_status_t efi_bs_calculate_crc32(const void *data, uint64_t size, uint32_t *crc);
void efi_bs_copy_mem(void *dst, const void *src, uint64_t len);
void efi_bs_set_mem(void *buf, uint64_t size, uint8_t value);

/* efi/rt_*.c: runtime services (no printing, no allocation, no PV device) */
/**
 * efi_runtime_exit_boot_services() - called once by ExitBootServices after
 * the Xen handoff: capture what the runtime services need later (the
 * wallclock against the counter), since no shared page is mapped then.
 */
void efi_runtime_exit_boot_services(void);
efi_status_t efi_rt_get_time(struct efi_time *time, struct efi_time_capabilities *cap);
efi_status_t efi_rt_set_time(struct efi_time *time);
efi_status_t efi_rt_get_wakeup_time(bool *enabled, bool *pending, struct efi_time *time);
efi_status_t efi_rt_set_wakeup_time(bool enable, struct efi_time *time);
efi_status_t efi_rt_set_virtual_address_map(uint64_t map_size, uint64_t desc_size,
					    uint32_t desc_version,
					    struct efi_memory_descriptor *map);
efi_status_t efi_rt_convert_pointer(uint64_t disposition, void **address);
efi_status_t efi_rt_get_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t *attributes, uint64_t *size, void *data);
efi_status_t efi_rt_get_next_variable_name(uint64_t *size, efi_char16_t *name, efi_guid_t *vendor);
efi_status_t efi_rt_set_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t attributes, uint64_t size, const void *data);
efi_status_t efi_rt_get_next_high_monotonic_count(uint32_t *high);
void efi_rt_reset_system(uint32_t type, efi_status_t status, uint64_t size, void *data);
efi_status_t efi_rt_update_capsule(struct efi_capsule_header **capsules, uint64_t count,
				   uint64_t sg_list);
efi_status_t efi_rt_query_capsule_capabilities(struct efi_capsule_header **capsules, uint64_t count,
					       uint64_t *max_size, uint32_t *reset_type);
efi_status_t efi_rt_query_variable_info(uint32_t attributes, uint64_t *max_storage,
					uint64_t *remaining, uint64_t *max_size);

#endif
