/*
 * Booting one Boot#### option's device path (UEFI 2.10 §3.1.2, §3.5.1):
 * the path may be a short form, as efibootmgr and grub-install write it,
 * starting at a hard drive node (the partition by its signature) or at a
 * file path node (any volume that has the file); it is expanded against
 * our handles. The image is loaded with BootPolicy TRUE (a path that ends
 * at a volume means \EFI\BOOT\BOOTAA64.EFI), gets the option's
 * OptionalData as LoadOptions, BootCurrent is set, and it is started.
 */
#define LOG_PREFIX "efi: "
#include <efi/console.h>
#include <efi/devpath.h>
#include <efi/event.h>
#include <efi/image.h>
#include <efi/runtime.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

/* The last node of @p before its end node, or NULL (no node, malformed). */
static const struct efi_device_path *last_node(const struct efi_device_path *p)
{
	const struct efi_device_path *last = NULL;
	size_t size, at = 0;

	if (efi_devpath_size(p, &size)) {
		return NULL;
	}
	while (at + 4 < size) {
		const struct efi_device_path *n = (const void *)((const uint8_t *)p + at);
		if (n->type == EFI_DP_TYPE_END) {
			break;
		}
		last = n;
		at += efi_dp_node_len(n);
	}
	return last;
}

/* Is @a our partition named by the short-form hard drive node @b? By
 * signature when it has one (GPT GUID, MBR disk id + number), else whole. */
static bool hd_matches(const struct efi_device_path *a, const struct efi_device_path *b)
{
	struct efi_dp_hard_drive x, y;

	if (a->type != EFI_DP_TYPE_MEDIA || a->sub_type != EFI_DP_MEDIA_HARD_DRIVE ||
	    efi_dp_node_len(a) != sizeof(x) || efi_dp_node_len(b) != sizeof(y)) {
		return false;
	}
	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	if (y.signature_type == EFI_DP_HD_SIG_NONE) {
		return memcmp(&x, &y, sizeof(x)) == 0;
	}
	return x.signature_type == y.signature_type && x.partition_number == y.partition_number &&
	       memcmp(x.signature, y.signature, sizeof(x.signature)) == 0;
}

/* Reads the image @path names, trying each handle that can complete a
 * short form. *@full receives the path that worked (malloc()ed). */
static efi_status_t read_expanded(const struct efi_device_path *path, void **buf, uint64_t *size,
				  struct efi_device_path **full)
{
	bool is_hd = path->type == EFI_DP_TYPE_MEDIA && path->sub_type == EFI_DP_MEDIA_HARD_DRIVE;
	bool is_file = path->type == EFI_DP_TYPE_MEDIA && path->sub_type == EFI_DP_MEDIA_FILE_PATH;
	efi_status_t s = EFI_NOT_FOUND;

	if (!is_hd && !is_file) {
		return efi_devpath_append(path, NULL, full)
			   ? EFI_INVALID_PARAMETER
			   : efi_image_read_file(*full, true, buf, size);
	}
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		const struct efi_device_path *dp = efi_protocol_of(o, &efi_guid_device_path);
		const struct efi_device_path *last = dp ? last_node(dp) : NULL;
		if (!last || (is_hd && !hd_matches(last, path)) ||
		    (is_file && !efi_protocol_find(o, &efi_guid_simple_file_system))) {
			continue;
		}
		/* The handle's nodes, then the option's from the HD node's successor. */
		const struct efi_device_path *rest =
		    is_hd ? (const void *)((const uint8_t *)path + efi_dp_node_len(path)) : path;
		if (efi_devpath_append(dp, rest, full)) {
			return EFI_OUT_OF_RESOURCES;
		}
		s = efi_image_read_file(*full, true, buf, size);
		if (s == EFI_SUCCESS || is_hd) {
			return s;
		}
		free(*full);
		*full = NULL;
	}
	return s;
}

/* BootCurrent: the option being booted (a volatile variable, §3.3). */
static void set_boot_current(uint16_t option)
{
	static const efi_char16_t name[] = {'B', 'o', 'o', 't', 'C', 'u',
					    'r', 'r', 'e', 'n', 't', 0};

	/* Read-only to applications: only the boot manager says what it booted. */
	if (efi_vars_set_readonly(name, &efi_guid_global_variable, &option, sizeof(option))) {
		log_warn("cannot set BootCurrent\n");
	}
}

int efi_boot_path(const struct efi_device_path *path, const void *options, size_t options_size,
		  uint16_t option)
{
	struct efi *e = efi_get();
	struct efi_device_path *full = NULL;
	efi_handle_t h;
	uint64_t size;
	void *buf;
	size_t path_size;

	if (!path || efi_devpath_size(path, &path_size)) {
		return -EINVAL;
	}
	efi_status_t s = read_expanded(path, &buf, &size, &full);
	if (s == EFI_SUCCESS) {
		s = efi_image_load(NULL, full, buf, size, &h);
		(void)e->bs.free_pool(buf);
	}
	free(full);
	if (s != EFI_SUCCESS) {
		log_notice("Boot%04X: %s\n", option, efi_status_name(s));
		return s == EFI_NOT_FOUND ? -ENOENT : -ENOEXEC;
	}
	if (efi_image_set_options(h, options, options_size)) {
		(void)e->bs.unload_image(h);
		return -ENOMEM;
	}
	set_boot_current(option);
	s = efi_boot_start(h, NULL, NULL);
	xb_printf("Application returned: %s\n", efi_status_name(s));
	return s == EFI_SUCCESS ? 0 : -EIO;
}

efi_status_t efi_boot_start(efi_handle_t h, uint64_t *data_size, efi_char16_t **data)
{
	struct efi *e = efi_get();

	/* UEFI §3.1.2: the boot manager gives an image five minutes unless
	 * it changes the watchdog (GRUB and systemd-boot switch it off,
	 * ExitBootServices disarms it). */
	(void)efi_bs_set_watchdog_timer(300, 0, 0, NULL);
	efi_events_signal_group(&efi_guid_event_group_ready_to_boot);
	efi_status_t s = e->bs.start_image(h, data_size, data);
	if (!e->is_boot_services_exited) {
		(void)efi_bs_set_watchdog_timer(0, 0, 0, NULL);
		efi_console_restore();
	}
	return s;
}
