/* The UEFI boot manager (include/efi/bootmgr.h), through the tables an
 * application sees: variables from the runtime services, images from
 * LoadImage(BootPolicy=TRUE, <the option's device path>). */
#define LOG_PREFIX "efi: "
#include <efi/bootmgr.h>
#include <efi/efi.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_ORDER_MAX 64
#define LOAD_OPTION_MAX 4096

/* "Boot0001" and the like as UCS-2. */
static void option_name(efi_char16_t name[9], const char *prefix, uint16_t n)
{
	char s[9];

	xb_snprintf(s, sizeof(s), "%s%04X", prefix, n);
	(void)efi_utf8_to_ucs2(name, 9, s);
}

static efi_status_t get_var(const char *name, void *buf, uint64_t *size)
{
	efi_char16_t w[16];

	(void)efi_utf8_to_ucs2(w, ARRAY_SIZE(w), name);
	return efi_get()->rt.get_variable(w, &efi_guid_global_variable, NULL, size, buf);
}

/* Load and start Boot#### @n. 0 when the image ran and returned success. */
static int boot_option(uint16_t n)
{
	struct efi *e = efi_get();
	efi_char16_t name[9];
	uint8_t *buf = malloc(LOAD_OPTION_MAX);
	uint64_t size = LOAD_OPTION_MAX;
	struct efi_load_option opt;
	int rc = -ENOMEM;

	option_name(name, "Boot", n);
	if (!buf) {
		return rc;
	}
	if (e->rt.get_variable(name, &efi_guid_global_variable, NULL, &size, buf) != EFI_SUCCESS) {
		log_warn("Boot%04X: no such variable\n", n);
		rc = -ENOENT;
	} else if ((rc = efi_load_option_parse(buf, size, &opt))) {
		log_warn("Boot%04X: not a valid load option\n", n);
	} else if (!(opt.attributes & LOAD_OPTION_ACTIVE)) {
		rc = -ENOENT;
	} else {
		char desc[96];
		efi_char16_t w[96];
		size_t units = MIN(opt.desc_units, ARRAY_SIZE(w) - 1);
		memcpy(w, opt.description, units * 2);
		w[units] = 0;
		(void)efi_ucs2_to_utf8(desc, sizeof(desc), w, units);
		xb_printf("Booting: %s\n", desc);
		rc = efi_boot_path(opt.file_path, opt.optional_data, opt.optional_size, n);
	}
	free(buf);
	return rc;
}

int efi_bootmgr_run(void)
{
	uint16_t order[BOOT_ORDER_MAX], next;
	uint64_t size = sizeof(next);
	efi_char16_t w[9];
	int rc = -ENOENT;

	if ((rc = efi_start())) {
		return rc;
	}
	rc = -ENOENT;
	if (get_var("BootNext", &next, &size) == EFI_SUCCESS && size == sizeof(next)) {
		/* Once only, whatever happens. */
		(void)efi_utf8_to_ucs2(w, ARRAY_SIZE(w), "BootNext");
		(void)efi_get()->rt.set_variable(w, &efi_guid_global_variable, 0, 0, NULL);
		rc = boot_option(next);
		if (!rc) {
			return 0;
		}
	}
	size = sizeof(order);
	if (get_var("BootOrder", order, &size) != EFI_SUCCESS || size % 2) {
		return rc;
	}
	for (size_t i = 0; i < size / 2; i++) {
		rc = boot_option(order[i]);
		if (!rc) {
			return 0;
		}
	}
	return rc;
}
