/* The variable services (UEFI 2.10 §8.2): GetVariable, GetNextVariableName,
 * SetVariable, QueryVariableInfo over the store in struct efi
 * (include/efi/varstore.h), the non-volatile variables saved to the ESP on
 * every change during boot services (include/efi/varfile.h).
 *
 * After ExitBootServices the PV disk belongs to the OS: non-volatile
 * runtime variables can still be set, in memory, and the read-only
 * variable VarToFile (U-Boot's name and vendor GUID) holds the file image
 * of every non-volatile variable, computed when read. The OS copies it to
 * the ESP file named by RTStorageVolatile ("ubootefi.var"), and the next
 * boot loads it (README, "UEFI variables").
 *
 * Runtime path: no printing, no allocation, state through efi_get() only;
 * the ESP is touched only before ExitBootServices. */
#define LOG_PREFIX "efivars: "
#include <efi/efi.h>
#include <efi/services.h>
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

#define ATTR_BS_RT (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

/* U-Boot's U_BOOT_EFI_RT_VAR_FILE_GUID, b2ac5fc9-92b7-4acd-aeac-11e818c3130c. */
static const efi_guid_t rt_var_file_guid =
    EFI_GUID(0xb2ac5fc9, 0x92b7, 0x4acd, 0xae, 0xac, 0x11, 0xe8, 0x18, 0xc3, 0x13, 0x0c);
static const efi_char16_t var_to_file[] = {'V', 'a', 'r', 'T', 'o', 'F', 'i', 'l', 'e', 0};
static const efi_char16_t storage_name[] = {'R', 'T', 'S', 't', 'o', 'r', 'a', 'g', 'e',
					    'V', 'o', 'l', 'a', 't', 'i', 'l', 'e', 0};
static const char storage_file[] = VARFILE_NAME; /* with its NUL, as U-Boot gives it */

/* The store, set up first if boot services still run; NULL if it cannot be. */
static void *store_of(struct efi *e)
{
	if (e->runtime.vars_state == EFI_VARS_OFF &&
	    (e->is_boot_services_exited || efi_vars_start(e))) {
		return NULL;
	}
	return e->runtime.var_store;
}

static int add_fixed(void *store, const efi_char16_t *name, const void *data, size_t size)
{
	return varstore_set(store, name, &rt_var_file_guid, ATTR_BS_RT | VARSTORE_ATTR_READ_ONLY,
			    data, size, VARSTORE_FIRMWARE);
}

int efi_vars_start(struct efi *e)
{
	struct efi_runtime *r = &e->runtime;
	int rc;

	if (r->vars_state != EFI_VARS_OFF) {
		return 0;
	}
	rc = varstore_init(r->var_store, sizeof(r->var_store), VARFILE_NV_LIMIT);
	if (rc) {
		return rc;
	}
	rc = varfile_load(r->var_store);
	/* A file we could not read or load whole is not overwritten. */
	r->vars_state = (rc == 0 || rc == -ENOENT || rc == -ENODEV || rc == -EINVAL ||
			 rc == -EFBIG || rc == -EILSEQ || rc == -EBADMSG)
			    ? EFI_VARS_SAVED
			    : EFI_VARS_MEMORY;
	if (r->vars_state == EFI_VARS_MEMORY) {
		log_warn("variables are kept in memory only: %s\n", errno_name(rc));
	}
	/* VarToFile's data is computed when read: one byte stands for it. */
	rc = add_fixed(r->var_store, storage_name, storage_file, sizeof(storage_file));
	return rc ? rc : add_fixed(r->var_store, var_to_file, "", 1);
}

int efi_vars_set_readonly(const efi_char16_t *name, const efi_guid_t *vendor, const void *data,
			  size_t size)
{
	void *store = store_of(efi_get());

	if (!store) {
		return -ENODEV;
	}
	return varstore_set(store, name, vendor, size ? ATTR_BS_RT | VARSTORE_ATTR_READ_ONLY : 0,
			    data, size, VARSTORE_FIRMWARE);
}

/* Whether @name/@vendor is the VarToFile variable. */
static bool is_var_to_file(const efi_char16_t *name, const efi_guid_t *vendor)
{
	return varstore_name_size(name, sizeof(var_to_file)) == sizeof(var_to_file) &&
	       memcmp(name, var_to_file, sizeof(var_to_file)) == 0 &&
	       efi_guid_eq(vendor, &rt_var_file_guid);
}

/* GetVariable's work once the arguments are checked: VarToFile computed. */
static int read_var(void *store, const efi_char16_t *name, const efi_guid_t *vendor,
		    uint32_t *attributes, void *data, size_t *size)
{
	if (!is_var_to_file(name, vendor)) {
		return varstore_get(store, name, vendor, attributes, data, size);
	}
	if (attributes) {
		*attributes = ATTR_BS_RT;
	}
	return varfile_export(store, data, *size, size);
}

efi_status_t efi_rt_get_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t *attributes, uint64_t *size, void *data)
{
	void *store = store_of(efi_get());
	size_t n;
	int rc;

	if (!name || !vendor || !size) {
		return EFI_INVALID_PARAMETER;
	}
	if (!store) {
		return EFI_NOT_FOUND;
	}
	/* Without a buffer only the size can be asked (UEFI 2.10 §8.2:
	 * EFI_INVALID_PARAMETER when DataSize is not too small and Data NULL). */
	n = data ? *size : 0;
	rc = read_var(store, name, vendor, attributes, data, &n);
	if (rc == -EOVERFLOW && !data && *size >= n) {
		return EFI_INVALID_PARAMETER;
	}
	if (rc == 0 || rc == -EOVERFLOW) {
		*size = n;
	}
	return efi_status_of(rc);
}

efi_status_t efi_rt_get_next_variable_name(uint64_t *size, efi_char16_t *name, efi_guid_t *vendor)
{
	void *store = store_of(efi_get());
	size_t n;
	int rc;

	if (!size || !name || !vendor) {
		return EFI_INVALID_PARAMETER;
	}
	if (!store) {
		return EFI_NOT_FOUND;
	}
	n = *size;
	rc = varstore_next(store, name, &n, vendor);
	if (rc == 0 || rc == -EOVERFLOW) {
		*size = n;
	}
	return efi_status_of(rc);
}

/* Save the non-volatile variables after a change (boot services only). No
 * ESP is not an error: the variables then last until the next boot. */
static efi_status_t persist(struct efi *e)
{
	struct efi_runtime *r = &e->runtime;
	int rc;

	if (r->vars_state != EFI_VARS_SAVED) {
		return EFI_SUCCESS;
	}
	rc = varfile_save(r->var_store);
	if (rc == -ENODEV || rc == -ENOENT) {
		if (!r->has_said_no_esp) {
			log_notice("no FAT partition on the boot disk: variables are not saved\n");
			r->has_said_no_esp = true;
		}
		return EFI_SUCCESS;
	}
	if (rc) {
		log_notice("saving variables failed: %s\n", errno_name(rc));
		return EFI_DEVICE_ERROR;
	}
	return EFI_SUCCESS;
}

efi_status_t efi_rt_set_variable(const efi_char16_t *name, const efi_guid_t *vendor,
				 uint32_t attributes, uint64_t size, const void *data)
{
	struct efi *e = efi_get();
	void *store = store_of(e);
	uint32_t old_attr = 0;
	size_t old_size = 0;
	bool is_nv;
	int rc;

	if (!name || !vendor || (size && !data)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!store) {
		return EFI_UNSUPPORTED;
	}
	/* A change to a non-volatile variable, or its deletion, is saved. */
	rc = varstore_get(store, name, vendor, &old_attr, NULL, &old_size);
	is_nv = (attributes & EFI_VARIABLE_NON_VOLATILE) ||
		(rc == -EOVERFLOW && (old_attr & EFI_VARIABLE_NON_VOLATILE));
	rc = varstore_set(store, name, vendor, attributes, data, size, 0);
	if (rc) {
		return efi_status_of(rc);
	}
	return is_nv && !e->is_boot_services_exited ? persist(e) : EFI_SUCCESS;
}

efi_status_t efi_rt_query_variable_info(uint32_t attributes, uint64_t *max_storage,
					uint64_t *remaining, uint64_t *max_size)
{
	void *store = store_of(efi_get());

	if (!max_storage || !remaining || !max_size) {
		return EFI_INVALID_PARAMETER;
	}
	if (!store) {
		return EFI_UNSUPPORTED;
	}
	return efi_status_of(varstore_query(store, attributes, max_storage, remaining, max_size));
}
