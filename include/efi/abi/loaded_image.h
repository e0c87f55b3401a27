/* EFI_LOADED_IMAGE_PROTOCOL (UEFI 2.10, §9.1), 64-bit layout. */
#ifndef EFI_ABI_LOADED_IMAGE_H
#define EFI_ABI_LOADED_IMAGE_H

#include <efi/abi/tables.h>

#define EFI_LOADED_IMAGE_PROTOCOL_REVISION 0x1000u

struct efi_loaded_image {
	uint32_t revision;
	efi_handle_t parent_handle;
	struct efi_system_table *system_table;
	efi_handle_t device_handle; /* where the image came from, or NULL */
	struct efi_device_path *file_path; /* its path on that device */
	void *reserved;
	uint32_t load_options_size; /* bytes */
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type; /* enum efi_memory_type */
	uint32_t image_data_type;
	efi_status_t(EFIAPI *unload)(efi_handle_t image_handle);
};
static_assert(offsetof(struct efi_loaded_image, parent_handle) == 8, "ParentHandle");
static_assert(offsetof(struct efi_loaded_image, file_path) == 32, "FilePath");
static_assert(offsetof(struct efi_loaded_image, load_options_size) == 48, "LoadOptionsSize");
static_assert(offsetof(struct efi_loaded_image, load_options) == 56, "LoadOptions");
static_assert(offsetof(struct efi_loaded_image, image_base) == 64, "ImageBase");
static_assert(offsetof(struct efi_loaded_image, image_code_type) == 80, "ImageCodeType");
static_assert(offsetof(struct efi_loaded_image, unload) == 88, "Unload");
static_assert(sizeof(struct efi_loaded_image) == 96, "EFI_LOADED_IMAGE_PROTOCOL");

/* An image's entry point: EFI_IMAGE_ENTRY_POINT. */
typedef efi_status_t(EFIAPI *efi_image_entry_t)(efi_handle_t image_handle,
						struct efi_system_table *system_table);

#endif
