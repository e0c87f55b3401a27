/* Loaded images (efi/bs_image.c): what LoadImage made, what StartImage
 * runs and Exit returns from. One struct per image handle, on the list in
 * struct efi; an application hands back only the handle, which
 * efi_image_of() checks. */
#ifndef EFI_IMAGE_H
#define EFI_IMAGE_H

#include <arch/context.h>
#include <efi/abi/loaded_image.h>
#include <efi/efi.h>

/* The stack an image gets when we start it (UEFI 2.10 §2.3.6: at least 128 KiB). */
#define EFI_IMAGE_STACK_SIZE (256u << 10)

struct efi_loaded_image_obj {
	struct efi_loaded_image li; /* the Loaded Image protocol */
	struct efi_object *obj; /* the image handle */
	struct efi_device_path *dp; /* Loaded Image Device Path (malloc()ed), or NULL */
	struct efi_device_path *file_path; /* what li.file_path was set to (malloc()ed) */
	void *options; /* what li.load_options was set to (malloc()ed) */
	efi_physical_addr_t pages; /* what AllocatePages gave (before alignment) */
	uint64_t page_count;
	efi_image_entry_t entry;
	uint16_t subsystem; /* PE_SUBSYSTEM_EFI_* */
	bool is_started;
	efi_tpl_t tpl; /* at StartImage: restored when the image exits */
	efi_status_t exit_status;
	uint64_t exit_data_size;
	efi_char16_t *exit_data;
	struct arch_context exit_ctx; /* Exit() resumes StartImage here */
	struct efi_loaded_image_obj *caller; /* the image running at StartImage, or NULL */
	struct efi_loaded_image_obj *next;
};

/** efi_image_of() - the image of handle @h (untrusted), or NULL. */
struct efi_loaded_image_obj *efi_image_of(efi_handle_t h);

/**
 * efi_image_load() - LoadImage from memory: check the PE in @buf[0, @size)
 * (untrusted; a gzip'd one is inflated first), place it in pages of its code type, and make its
 * handle with the Loaded Image and Loaded Image Device Path protocols. @path (may be NULL;
 * untrusted) is where it came from: the handle whose device path starts it becomes DeviceHandle and
 * the rest FilePath. @parent may be NULL (xenboot itself). EFI_SUCCESS and *@out, EFI_LOAD_ERROR
 * (not a valid AArch64 EFI image), EFI_OUT_OF_RESOURCES.
 */
efi_status_t efi_image_load(efi_handle_t parent, const struct efi_device_path *path,
			    const void *buf, uint64_t size, efi_handle_t *out);

/**
 * efi_image_set_options() - a copy of @size bytes at @options (UCS-2
 * command line for an application) as the image's LoadOptions. Returns 0,
 * -EINVAL (not an image handle, size above 4 GiB), -ENOMEM.
 */
int __must_check efi_image_set_options(efi_handle_t image, const void *options, uint64_t size);

/**
 * efi_image_set_entry() - run @entry instead of the image's own entry
 * point: for the sandbox's tests, whose images cannot run host code.
 */
void efi_image_set_entry(efi_handle_t image, efi_image_entry_t entry);

/* What BootPolicy loads from a volume named without a file (§3.5.1.1). */
#define EFI_REMOVABLE_MEDIA_FILE "/EFI/BOOT/BOOTAA64.EFI"

/**
 * efi_image_read_file() - read the file @path names (untrusted: a device
 * path to a handle with Simple File System, then file path nodes; with
 * @boot_policy, no file node means EFI_REMOVABLE_MEDIA_FILE) into a new
 * pool buffer *@buf of *@size bytes, which the caller frees with FreePool.
 * EFI_NOT_FOUND (no such volume or file), EFI_INVALID_PARAMETER (malformed
 * path), EFI_OUT_OF_RESOURCES, or the volume's error.
 */
efi_status_t efi_image_read_file(const struct efi_device_path *path, bool boot_policy, void **buf,
				 uint64_t *size);

/* A gzip'd image's contents, in pages of their own. */
struct efi_image_inflated {
	efi_physical_addr_t pages;
	uint64_t count; /* 0: nothing was inflated */
	void *buf;
	uint64_t size;
};

/**
 * efi_image_inflate() - beyond the specification, for Debian's arm64
 * vmlinuz (a gzip'd Image, itself a PE): if @buf[0, @size) (untrusted) is
 * gzip'd, inflate it into new pages described by *@inf, which the caller
 * gives back with FreePages; else *@inf has count 0. EFI_SUCCESS,
 * EFI_LOAD_ERROR (corrupt, larger than any image), EFI_OUT_OF_RESOURCES.
 */
efi_status_t efi_image_inflate(const void *buf, uint64_t size, struct efi_image_inflated *inf);

#endif
