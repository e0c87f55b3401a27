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

/* Above what the variable store holds: a bound on our buffers only. */
#define VAR_MAX 0x10000u

/* "Boot0001" and the like as UCS-2. */
static void option_name(efi_char16_t name[9], const char *prefix, uint16_t n)
{
	char s[9];

	xb_snprintf(s, sizeof(s), "%s%04X", prefix, n);
	(void)efi_utf8_to_ucs2(name, 9, s);
}

/* Variable @name (UCS-2) whole, in a malloc()ed *@buf of *@size bytes,
 * however big it is (the store bounds it). */
static efi_status_t get_var(const efi_char16_t *name, void **buf, uint64_t *size)
{
	struct efi *e = efi_get();
	efi_status_t s;

	*buf = NULL;
	*size = 0;
	s = e->rt.get_variable((efi_char16_t *)name, &efi_guid_global_variable, NULL, size, NULL);
	if (s != EFI_BUFFER_TOO_SMALL) {
		return s == EFI_SUCCESS ? EFI_NOT_FOUND : s; /* empty: nothing in it */
	}
	if (*size > VAR_MAX || !(*buf = malloc(*size))) {
		return EFI_OUT_OF_RESOURCES;
	}
	s = e->rt.get_variable((efi_char16_t *)name, &efi_guid_global_variable, NULL, size, *buf);
	if (s != EFI_SUCCESS) {
		free(*buf);
		*buf = NULL;
	}
	return s;
}

/* Load and start Boot#### @n. 0 when the image ran and returned success. */
static int boot_option(uint16_t n)
{
	efi_char16_t name[9];
	uint8_t *buf;
	uint64_t size;
	struct efi_load_option opt;
	efi_status_t s;
	int rc;

	option_name(name, "Boot", n);
	s = get_var(name, (void **)&buf, &size);
	if (s != EFI_SUCCESS) {
		log_warn("Boot%04X: %s\n", n,
			 s == EFI_NOT_FOUND ? "no such variable" : efi_status_name(s));
		rc = s == EFI_NOT_FOUND ? -ENOENT : -ENOMEM;
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

/* Each option of @order (@n entries, unaligned) once, in turn, until one
 * boots: an option named again has had its chance (a BootOrder of 32768
 * copies of a failing one must not load it 32768 times). */
static int boot_order(const uint16_t *order, size_t n, int rc)
{
	uint64_t *tried = calloc(65536 / 64, sizeof(*tried));

	if (!tried) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint16_t k;
		memcpy(&k, (const uint8_t *)order + 2 * i, 2);
		if (tried[k / 64] & (1ULL << (k % 64))) {
			continue;
		}
		tried[k / 64] |= 1ULL << (k % 64);
		rc = boot_option(k);
		if (!rc) {
			break;
		}
	}
	free(tried);
	return rc;
}

int efi_bootmgr_run(void)
{
	uint16_t *order, next;
	uint64_t size = sizeof(next);
	efi_char16_t w[16];
	int rc = -ENOENT;

	if ((rc = efi_start())) {
		return rc;
	}
	rc = -ENOENT;
	(void)efi_utf8_to_ucs2(w, ARRAY_SIZE(w), "BootNext");
	if (efi_get()->rt.get_variable(w, &efi_guid_global_variable, NULL, &size, &next) ==
		EFI_SUCCESS &&
	    size == sizeof(next)) {
		/* Once only, whatever happens. */
		(void)efi_get()->rt.set_variable(w, &efi_guid_global_variable, 0, 0, NULL);
		rc = boot_option(next);
		if (!rc) {
			return 0;
		}
	}
	(void)efi_utf8_to_ucs2(w, ARRAY_SIZE(w), "BootOrder");
	if (get_var(w, (void **)&order, &size) != EFI_SUCCESS) {
		return rc;
	}
	if (size % 2) {
		log_warn("BootOrder of %llu bytes: not a list of options\n",
			 (unsigned long long)size);
	} else {
		rc = boot_order(order, size / 2, rc);
	}
	free(order);
	return rc;
}
