/* The EFI system table, boot services and runtime services tables (UEFI
 * 2.10, §4), 64-bit layout: the order of the function pointers is the ABI. */
#ifndef EFI_ABI_TABLES_H
#define EFI_ABI_TABLES_H

#include <efi/abi/types.h>

#define EFI_SPECIFICATION_VERSION ((2u << 16) | 100u) /* 2.10 */
#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ULL /* "IBI SYST" */
#define EFI_BOOT_SERVICES_SIGNATURE 0x56524553544f4f42ULL /* "BOOTSERV" */
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */

struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32; /* over header_size bytes, with this field 0 */
	uint32_t reserved;
};
static_assert(sizeof(struct efi_table_header) == 24, "EFI_TABLE_HEADER");

struct efi_configuration_table {
	efi_guid_t vendor_guid;
	void *vendor_table;
};
static_assert(sizeof(struct efi_configuration_table) == 24, "EFI_CONFIGURATION_TABLE");

/* Event types and timer kinds (§7.1). */
#define EVT_TIMER 0x80000000u
#define EVT_RUNTIME 0x40000000u
#define EVT_NOTIFY_WAIT 0x00000100u
#define EVT_NOTIFY_SIGNAL 0x00000200u
#define EVT_SIGNAL_EXIT_BOOT_SERVICES 0x00000201u
#define EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE 0x60000202u

enum efi_timer_delay { TimerCancel, TimerPeriodic, TimerRelative };
enum efi_locate_search_type { AllHandles, ByRegisterNotify, ByProtocol };
enum efi_interface_type { EFI_NATIVE_INTERFACE };
enum efi_reset_type { EfiResetCold, EfiResetWarm, EfiResetShutdown, EfiResetPlatformSpecific };

/* OpenProtocol() attributes (§7.3). */
#define EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL 0x01u
#define EFI_OPEN_PROTOCOL_GET_PROTOCOL 0x02u
#define EFI_OPEN_PROTOCOL_TEST_PROTOCOL 0x04u
#define EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER 0x08u
#define EFI_OPEN_PROTOCOL_BY_DRIVER 0x10u
#define EFI_OPEN_PROTOCOL_EXCLUSIVE 0x20u

struct efi_open_protocol_information_entry {
	efi_handle_t agent_handle;
	efi_handle_t controller_handle;
	uint32_t attributes;
	uint32_t open_count;
};
static_assert(sizeof(struct efi_open_protocol_information_entry) == 24, "open info entry");

typedef void(EFIAPI *efi_event_notify_t)(efi_event_t event, void *context);

struct efi_boot_services {
	struct efi_table_header hdr;
	efi_tpl_t(EFIAPI *raise_tpl)(efi_tpl_t new_tpl);
	void(EFIAPI *restore_tpl)(efi_tpl_t old_tpl);

	efi_status_t(EFIAPI *allocate_pages)(uint32_t type, uint32_t memory_type, uint64_t pages,
					     efi_physical_addr_t *memory);
	efi_status_t(EFIAPI *free_pages)(efi_physical_addr_t memory, uint64_t pages);
	efi_status_t(EFIAPI *get_memory_map)(uint64_t *map_size, struct efi_memory_descriptor *map,
					     uint64_t *map_key, uint64_t *desc_size,
					     uint32_t *desc_version);
	efi_status_t(EFIAPI *allocate_pool)(uint32_t pool_type, uint64_t size, void **buffer);
	efi_status_t(EFIAPI *free_pool)(void *buffer);

	efi_status_t(EFIAPI *create_event)(uint32_t type, efi_tpl_t notify_tpl,
					   efi_event_notify_t notify_function, void *notify_context,
					   efi_event_t *event);
	efi_status_t(EFIAPI *set_timer)(efi_event_t event, uint32_t type, uint64_t trigger_time);
	efi_status_t(EFIAPI *wait_for_event)(uint64_t number_of_events, efi_event_t *event,
					     uint64_t *index);
	efi_status_t(EFIAPI *signal_event)(efi_event_t event);
	efi_status_t(EFIAPI *close_event)(efi_event_t event);
	efi_status_t(EFIAPI *check_event)(efi_event_t event);

	efi_status_t(EFIAPI *install_protocol_interface)(efi_handle_t *handle,
							 const efi_guid_t *protocol,
							 uint32_t interface_type, void *interface);
	efi_status_t(EFIAPI *reinstall_protocol_interface)(efi_handle_t handle,
							   const efi_guid_t *protocol,
							   void *old_interface,
							   void *new_interface);
	efi_status_t(EFIAPI *uninstall_protocol_interface)(efi_handle_t handle,
							   const efi_guid_t *protocol,
							   void *interface);
	efi_status_t(EFIAPI *handle_protocol)(efi_handle_t handle, const efi_guid_t *protocol,
					      void **interface);
	void *reserved;
	efi_status_t(EFIAPI *register_protocol_notify)(const efi_guid_t *protocol,
						       efi_event_t event, void **registration);
	efi_status_t(EFIAPI *locate_handle)(uint32_t search_type, const efi_guid_t *protocol,
					    void *search_key, uint64_t *buffer_size,
					    efi_handle_t *buffer);
	efi_status_t(EFIAPI *locate_device_path)(const efi_guid_t *protocol,
						 struct efi_device_path **device_path,
						 efi_handle_t *device);
	efi_status_t(EFIAPI *install_configuration_table)(const efi_guid_t *guid, void *table);

	efi_status_t(EFIAPI *load_image)(bool boot_policy, efi_handle_t parent_image_handle,
					 struct efi_device_path *device_path, void *source_buffer,
					 uint64_t source_size, efi_handle_t *image_handle);
	efi_status_t(EFIAPI *start_image)(efi_handle_t image_handle, uint64_t *exit_data_size,
					  efi_char16_t **exit_data);
	efi_status_t(EFIAPI *exit)(efi_handle_t image_handle, efi_status_t exit_status,
				   uint64_t exit_data_size, efi_char16_t *exit_data);
	efi_status_t(EFIAPI *unload_image)(efi_handle_t image_handle);
	efi_status_t(EFIAPI *exit_boot_services)(efi_handle_t image_handle, uint64_t map_key);

	efi_status_t(EFIAPI *get_next_monotonic_count)(uint64_t *count);
	efi_status_t(EFIAPI *stall)(uint64_t microseconds);
	efi_status_t(EFIAPI *set_watchdog_timer)(uint64_t timeout, uint64_t watchdog_code,
						 uint64_t data_size, efi_char16_t *watchdog_data);

	efi_status_t(EFIAPI *connect_controller)(efi_handle_t controller_handle,
						 efi_handle_t *driver_image_handle,
						 struct efi_device_path *remaining_device_path,
						 bool recursive);
	efi_status_t(EFIAPI *disconnect_controller)(efi_handle_t controller_handle,
						    efi_handle_t driver_image_handle,
						    efi_handle_t child_handle);

	efi_status_t(EFIAPI *open_protocol)(efi_handle_t handle, const efi_guid_t *protocol,
					    void **interface, efi_handle_t agent_handle,
					    efi_handle_t controller_handle, uint32_t attributes);
	efi_status_t(EFIAPI *close_protocol)(efi_handle_t handle, const efi_guid_t *protocol,
					     efi_handle_t agent_handle,
					     efi_handle_t controller_handle);
	efi_status_t(EFIAPI *open_protocol_information)(
	    efi_handle_t handle, const efi_guid_t *protocol,
	    struct efi_open_protocol_information_entry **entry_buffer, uint64_t *entry_count);

	efi_status_t(EFIAPI *protocols_per_handle)(efi_handle_t handle,
						   efi_guid_t ***protocol_buffer,
						   uint64_t *protocol_buffer_count);
	efi_status_t(EFIAPI *locate_handle_buffer)(uint32_t search_type, const efi_guid_t *protocol,
						   void *search_key, uint64_t *no_handles,
						   efi_handle_t **buffer);
	efi_status_t(EFIAPI *locate_protocol)(const efi_guid_t *protocol, void *registration,
					      void **interface);
	efi_status_t(EFIAPI *install_multiple_protocol_interfaces)(efi_handle_t *handle, ...);
	efi_status_t(EFIAPI *uninstall_multiple_protocol_interfaces)(efi_handle_t handle, ...);

	efi_status_t(EFIAPI *calculate_crc32)(const void *data, uint64_t data_size,
					      uint32_t *crc32);
	void(EFIAPI *copy_mem)(void *destination, const void *source, uint64_t length);
	void(EFIAPI *set_mem)(void *buffer, uint64_t size, uint8_t value);
	efi_status_t(EFIAPI *create_event_ex)(uint32_t type, efi_tpl_t notify_tpl,
					      efi_event_notify_t notify_function,
					      const void *notify_context,
					      const efi_guid_t *event_group, efi_event_t *event);
};
static_assert(offsetof(struct efi_boot_services, allocate_pages) == 24 + 2 * 8, "AllocatePages");
static_assert(offsetof(struct efi_boot_services, install_protocol_interface) == 24 + 13 * 8,
	      "InstallProtocolInterface");
static_assert(offsetof(struct efi_boot_services, load_image) == 24 + 22 * 8, "LoadImage");
static_assert(offsetof(struct efi_boot_services, open_protocol) == 24 + 32 * 8, "OpenProtocol");
static_assert(sizeof(struct efi_boot_services) == 24 + 44 * 8, "EFI_BOOT_SERVICES");

struct efi_capsule_header;

struct efi_runtime_services {
	struct efi_table_header hdr;
	efi_status_t(EFIAPI *get_time)(struct efi_time *time, struct efi_time_capabilities *cap);
	efi_status_t(EFIAPI *set_time)(struct efi_time *time);
	efi_status_t(EFIAPI *get_wakeup_time)(bool *enabled, bool *pending, struct efi_time *time);
	efi_status_t(EFIAPI *set_wakeup_time)(bool enable, struct efi_time *time);
	efi_status_t(EFIAPI *set_virtual_address_map)(uint64_t memory_map_size,
						      uint64_t descriptor_size,
						      uint32_t descriptor_version,
						      struct efi_memory_descriptor *virtual_map);
	efi_status_t(EFIAPI *convert_pointer)(uint64_t debug_disposition, void **address);
	efi_status_t(EFIAPI *get_variable)(const efi_char16_t *variable_name,
					   const efi_guid_t *vendor_guid, uint32_t *attributes,
					   uint64_t *data_size, void *data);
	efi_status_t(EFIAPI *get_next_variable_name)(uint64_t *variable_name_size,
						     efi_char16_t *variable_name,
						     efi_guid_t *vendor_guid);
	efi_status_t(EFIAPI *set_variable)(const efi_char16_t *variable_name,
					   const efi_guid_t *vendor_guid, uint32_t attributes,
					   uint64_t data_size, const void *data);
	efi_status_t(EFIAPI *get_next_high_monotonic_count)(uint32_t *high_count);
	void(EFIAPI *reset_system)(uint32_t reset_type, efi_status_t reset_status,
				   uint64_t data_size, void *reset_data);
	efi_status_t(EFIAPI *update_capsule)(struct efi_capsule_header **capsule_header_array,
					     uint64_t capsule_count, uint64_t scatter_gather_list);
	efi_status_t(EFIAPI *query_capsule_capabilities)(
	    struct efi_capsule_header **capsule_header_array, uint64_t capsule_count,
	    uint64_t *maximum_capsule_size, uint32_t *reset_type);
	efi_status_t(EFIAPI *query_variable_info)(uint32_t attributes,
						  uint64_t *maximum_variable_storage_size,
						  uint64_t *remaining_variable_storage_size,
						  uint64_t *maximum_variable_size);
};
static_assert(sizeof(struct efi_runtime_services) == 24 + 14 * 8, "EFI_RUNTIME_SERVICES");

struct efi_simple_text_input_protocol;
struct efi_simple_text_output_protocol;

struct efi_system_table {
	struct efi_table_header hdr;
	efi_char16_t *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle_t console_in_handle;
	struct efi_simple_text_input_protocol *con_in;
	efi_handle_t console_out_handle;
	struct efi_simple_text_output_protocol *con_out;
	efi_handle_t standard_error_handle;
	struct efi_simple_text_output_protocol *std_err;
	struct efi_runtime_services *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};
static_assert(offsetof(struct efi_system_table, console_in_handle) == 40, "ConsoleInHandle");
static_assert(offsetof(struct efi_system_table, runtime_services) == 88, "RuntimeServices");
static_assert(sizeof(struct efi_system_table) == 120, "EFI_SYSTEM_TABLE");

#endif
