/* The EFI system table and its two services tables, built once. They live in
 * our image (struct efi below), which the memory map reports as runtime
 * services code: the OS keeps it, and runtime services reach it after
 * SetVirtualAddressMap through PC-relative addressing. */
#define LOG_PREFIX "efi: "
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

static struct efi the_efi;

/* "xenboot" as UCS-2, in the image like the tables. */
static efi_char16_t vendor[] = {'x', 'e', 'n', 'b', 'o', 'o', 't', 0};

struct efi *efi_get(void)
{
	return &the_efi;
}

static void header_crc(struct efi_table_header *h)
{
	h->crc32 = 0;
	h->crc32 = crc32_update(0, h, h->header_size);
}

void efi_tables_update_crc(struct efi *e)
{
	header_crc(&e->systab.hdr);
	header_crc(&e->bs.hdr);
	header_crc(&e->rt.hdr);
}

static void boot_services_fill(struct efi_boot_services *bs)
{
	*bs = (struct efi_boot_services){
	    .hdr = {.signature = EFI_BOOT_SERVICES_SIGNATURE,
		    .revision = EFI_SPECIFICATION_VERSION,
		    .header_size = sizeof(*bs)},
	    .raise_tpl = efi_bs_raise_tpl,
	    .restore_tpl = efi_bs_restore_tpl,
	    .allocate_pages = efi_bs_allocate_pages,
	    .free_pages = efi_bs_free_pages,
	    .get_memory_map = efi_bs_get_memory_map,
	    .allocate_pool = efi_bs_allocate_pool,
	    .free_pool = efi_bs_free_pool,
	    .create_event = efi_bs_create_event,
	    .set_timer = efi_bs_set_timer,
	    .wait_for_event = efi_bs_wait_for_event,
	    .signal_event = efi_bs_signal_event,
	    .close_event = efi_bs_close_event,
	    .check_event = efi_bs_check_event,
	    .install_protocol_interface = efi_bs_install_protocol_interface,
	    .reinstall_protocol_interface = efi_bs_reinstall_protocol_interface,
	    .uninstall_protocol_interface = efi_bs_uninstall_protocol_interface,
	    .handle_protocol = efi_bs_handle_protocol,
	    .register_protocol_notify = efi_bs_register_protocol_notify,
	    .locate_handle = efi_bs_locate_handle,
	    .locate_device_path = efi_bs_locate_device_path,
	    .install_configuration_table = efi_bs_install_configuration_table,
	    .load_image = efi_bs_load_image,
	    .start_image = efi_bs_start_image,
	    .exit = efi_bs_exit,
	    .unload_image = efi_bs_unload_image,
	    .exit_boot_services = efi_bs_exit_boot_services,
	    .get_next_monotonic_count = efi_bs_get_next_monotonic_count,
	    .stall = efi_bs_stall,
	    .set_watchdog_timer = efi_bs_set_watchdog_timer,
	    .connect_controller = efi_bs_connect_controller,
	    .disconnect_controller = efi_bs_disconnect_controller,
	    .open_protocol = efi_bs_open_protocol,
	    .close_protocol = efi_bs_close_protocol,
	    .open_protocol_information = efi_bs_open_protocol_information,
	    .protocols_per_handle = efi_bs_protocols_per_handle,
	    .locate_handle_buffer = efi_bs_locate_handle_buffer,
	    .locate_protocol = efi_bs_locate_protocol,
	    .install_multiple_protocol_interfaces = efi_bs_install_multiple_protocol_interfaces,
	    .uninstall_multiple_protocol_interfaces = efi_bs_uninstall_multiple_protocol_interfaces,
	    .calculate_crc32 = efi_bs_calculate_crc32,
	    .copy_mem = efi_bs_copy_mem,
	    .set_mem = efi_bs_set_mem,
	    .create_event_ex = efi_bs_create_event_ex,
	};
}

static void runtime_services_fill(struct efi_runtime_services *rt)
{
	*rt = (struct efi_runtime_services){
	    .hdr = {.signature = EFI_RUNTIME_SERVICES_SIGNATURE,
		    .revision = EFI_SPECIFICATION_VERSION,
		    .header_size = sizeof(*rt)},
	    .get_time = efi_rt_get_time,
	    .set_time = efi_rt_set_time,
	    .get_wakeup_time = efi_rt_get_wakeup_time,
	    .set_wakeup_time = efi_rt_set_wakeup_time,
	    .set_virtual_address_map = efi_rt_set_virtual_address_map,
	    .convert_pointer = efi_rt_convert_pointer,
	    .get_variable = efi_rt_get_variable,
	    .get_next_variable_name = efi_rt_get_next_variable_name,
	    .set_variable = efi_rt_set_variable,
	    .get_next_high_monotonic_count = efi_rt_get_next_high_monotonic_count,
	    .reset_system = efi_rt_reset_system,
	    .update_capsule = efi_rt_update_capsule,
	    .query_capsule_capabilities = efi_rt_query_capsule_capabilities,
	    .query_variable_info = efi_rt_query_variable_info,
	};
}

/* What efi_start() publishes, each step in its owner's file; a failing step
 * is reported and the others still run (an image may not need it). */
static const struct {
	const char *what;
	int (*start)(struct efi *e);
} start_steps[] = {
    {"device tree", efi_fdt_start},
    {"disks", efi_disks_start},
    {"console", efi_console_start},
    {"RNG", efi_rng_start},
    {"variables", efi_vars_start},
    {"runtime services", efi_runtime_start},
};

int efi_start(void)
{
	struct efi *e = &the_efi;

	if (e->is_started) {
		return e->is_boot_services_exited ? -EPERM : 0;
	}
	boot_services_fill(&e->bs);
	runtime_services_fill(&e->rt);
	e->tpl = TPL_APPLICATION;
	e->systab = (struct efi_system_table){
	    .hdr = {.signature = EFI_SYSTEM_TABLE_SIGNATURE,
		    .revision = EFI_SPECIFICATION_VERSION,
		    .header_size = sizeof(e->systab)},
	    .firmware_vendor = vendor,
	    .firmware_revision = EFI_FIRMWARE_REVISION,
	    .runtime_services = &e->rt,
	    .boot_services = &e->bs,
	    .configuration_table = e->config,
	};
	e->is_started = true;
	for (size_t i = 0; i < ARRAY_SIZE(start_steps); i++) {
		int rc = start_steps[i].start(e);
		if (rc) {
			log_warn("%s not available: %s\n", start_steps[i].what, errno_name(rc));
		}
	}
	efi_tables_update_crc(e);
	return 0;
}

efi_status_t efi_config_table_set(struct efi *e, const efi_guid_t *guid, void *table)
{
	uint64_t n = e->systab.number_of_table_entries;
	uint64_t i = 0;

	while (i < n && !efi_guid_eq(&e->config[i].vendor_guid, guid)) {
		i++;
	}
	if (!table) {
		if (i == n) {
			return EFI_NOT_FOUND;
		}
		memmove(&e->config[i], &e->config[i + 1], (n - i - 1) * sizeof(e->config[0]));
		e->systab.number_of_table_entries = n - 1;
	} else if (i < n) {
		e->config[i].vendor_table = table;
	} else if (n == EFI_MAX_CONFIG_TABLES) {
		return EFI_OUT_OF_RESOURCES;
	} else {
		memcpy(&e->config[n].vendor_guid, guid, sizeof(*guid));
		e->config[n].vendor_table = table;
		e->systab.number_of_table_entries = n + 1;
	}
	efi_tables_update_crc(e);
	return EFI_SUCCESS;
}

efi_status_t efi_bs_install_configuration_table(const efi_guid_t *guid, void *table)
{
	return guid ? efi_config_table_set(&the_efi, guid, table) : EFI_INVALID_PARAMETER;
}
