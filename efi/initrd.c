/* The Linux initrd for the EFI stub (include/efi/efi.h): a handle whose
 * device path is a vendor media node LINUX_EFI_INITRD_MEDIA_GUID and an
 * end node, with EFI_LOAD_FILE2_PROTOCOL. The stub finds it with
 * LocateDevicePath, calls LoadFile once with no buffer to learn the size
 * (EFI_BUFFER_TOO_SMALL), then again to have it copied. */
#include <arch/arch.h>
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/abi/block_io.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

struct efi_initrd {
	struct efi_load_file2 load_file2; /* what the application holds */
	struct efi_object *obj;
	struct efi_device_path *path;
	uint64_t addr, size;
};

static efi_status_t EFIAPI load_file(struct efi_load_file2 *self, struct efi_device_path *file_path,
				     bool boot_policy, uint64_t *size, void *buf)
{
	struct efi_initrd *rd = efi_get()->initrd;
	size_t matched, rest;

	if (!rd || self != &rd->load_file2 || !file_path || !size) {
		return EFI_INVALID_PARAMETER;
	}
	/* The whole path, or only what is left after our node: both are
	 * an empty remainder, so they name the initrd itself. */
	if (efi_devpath_match_prefix(rd->path, file_path, &matched) == 0) {
		file_path = (void *)((uint8_t *)file_path + matched);
	}
	if (efi_devpath_size(file_path, &rest) || rest != sizeof(struct efi_device_path)) {
		return EFI_NOT_FOUND;
	}
	if (boot_policy) {
		return EFI_UNSUPPORTED; /* LoadFile2 never serves a boot option */
	}
	if (!buf || *size < rd->size) {
		*size = rd->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buf, arch_phys_to_virt(rd->addr), rd->size);
	*size = rd->size;
	return EFI_SUCCESS;
}

int efi_initrd_register(uint64_t addr, uint64_t size)
{
	struct efi_initrd *rd;
	int rc;

	if (size == 0 || addr + size < addr) {
		return -EINVAL;
	}
	efi_initrd_unregister();
	rd = calloc(1, sizeof(*rd));
	if (!rd) {
		return -ENOMEM;
	}
	rd->addr = addr;
	rd->size = size;
	rd->load_file2.load_file = load_file;
	rc = efi_devpath_vendor_media(&efi_guid_linux_initrd_media, &rd->path);
	if (rc == 0) {
		rc = efi_handle_create(&rd->obj);
	}
	if (rc == 0) {
		rc = efi_protocol_add(rd->obj, &efi_guid_device_path, rd->path);
	}
	if (rc == 0) {
		rc = efi_protocol_add(rd->obj, &efi_guid_load_file2, &rd->load_file2);
	}
	if (rc) {
		free(rd->path);
		if (rd->obj) {
			rd->obj->protocol_count = 0;
			(void)efi_handle_delete(rd->obj);
		}
		free(rd);
		return rc;
	}
	efi_get()->initrd = rd;
	return 0;
}

void efi_initrd_unregister(void)
{
	struct efi_initrd *rd = efi_get()->initrd;

	if (!rd) {
		return;
	}
	/* Nobody can hold it open past StartImage's return: dropped outright. */
	efi_handle_withdraw(rd->obj, (void *const[]){rd->path, &rd->load_file2}, 2);
	free(rd->path);
	free(rd);
	efi_get()->initrd = NULL;
}
