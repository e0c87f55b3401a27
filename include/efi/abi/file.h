/* Simple File System and File protocols with their info structures (UEFI
 * 2.10, §13.4, §13.5), 64-bit layout. */
#ifndef EFI_ABI_FILE_H
#define EFI_ABI_FILE_H

#include <efi/abi/types.h>
#include <stddef.h>

#define EFI_SIMPLE_FILE_SYSTEM_REVISION 0x00010000ULL
#define EFI_FILE_PROTOCOL_REVISION 0x00010000ULL

#define EFI_FILE_MODE_READ 0x0000000000000001ULL
#define EFI_FILE_MODE_WRITE 0x0000000000000002ULL
#define EFI_FILE_MODE_CREATE 0x8000000000000000ULL

#define EFI_FILE_READ_ONLY 0x01ULL
#define EFI_FILE_HIDDEN 0x02ULL
#define EFI_FILE_SYSTEM 0x04ULL
#define EFI_FILE_RESERVED 0x08ULL
#define EFI_FILE_DIRECTORY 0x10ULL
#define EFI_FILE_ARCHIVE 0x20ULL
#define EFI_FILE_VALID_ATTR 0x37ULL

#define EFI_FILE_POSITION_END 0xffffffffffffffffULL
#define EFI_WARN_DELETE_FAILURE 2ULL

struct efi_file_protocol;
struct efi_file_io_token;

struct efi_file_protocol {
	uint64_t revision;
	efi_status_t(EFIAPI *open)(struct efi_file_protocol *self,
				   struct efi_file_protocol **new_handle, const efi_char16_t *name,
				   uint64_t mode, uint64_t attributes);
	efi_status_t(EFIAPI *close)(struct efi_file_protocol *self);
	efi_status_t(EFIAPI *delete)(struct efi_file_protocol *self);
	efi_status_t(EFIAPI *read)(struct efi_file_protocol *self, uint64_t *size, void *buf);
	efi_status_t(EFIAPI *write)(struct efi_file_protocol *self, uint64_t *size,
				    const void *buf);
	efi_status_t(EFIAPI *get_position)(struct efi_file_protocol *self, uint64_t *pos);
	efi_status_t(EFIAPI *set_position)(struct efi_file_protocol *self, uint64_t pos);
	efi_status_t(EFIAPI *get_info)(struct efi_file_protocol *self, const efi_guid_t *type,
				       uint64_t *size, void *buf);
	efi_status_t(EFIAPI *set_info)(struct efi_file_protocol *self, const efi_guid_t *type,
				       uint64_t size, const void *buf);
	efi_status_t(EFIAPI *flush)(struct efi_file_protocol *self);
	/* Revision 2: present but EFI_UNSUPPORTED (we claim revision 1). */
	efi_status_t(EFIAPI *open_ex)(struct efi_file_protocol *self,
				      struct efi_file_protocol **new_handle,
				      const efi_char16_t *name, uint64_t mode, uint64_t attributes,
				      struct efi_file_io_token *token);
	efi_status_t(EFIAPI *read_ex)(struct efi_file_protocol *self,
				      struct efi_file_io_token *token);
	efi_status_t(EFIAPI *write_ex)(struct efi_file_protocol *self,
				       struct efi_file_io_token *token);
	efi_status_t(EFIAPI *flush_ex)(struct efi_file_protocol *self,
				       struct efi_file_io_token *token);
};
static_assert(sizeof(struct efi_file_protocol) == 120, "EFI_FILE_PROTOCOL");
static_assert(offsetof(struct efi_file_protocol, flush) == 80, "Flush");

struct efi_simple_file_system {
	uint64_t revision;
	efi_status_t(EFIAPI *open_volume)(struct efi_simple_file_system *self,
					  struct efi_file_protocol **root);
};
static_assert(sizeof(struct efi_simple_file_system) == 16, "EFI_SIMPLE_FILE_SYSTEM_PROTOCOL");

struct efi_file_info {
	uint64_t size; /* of this struct with the name and its NUL */
	uint64_t file_size;
	uint64_t physical_size;
	struct efi_time create_time;
	struct efi_time last_access_time;
	struct efi_time modification_time;
	uint64_t attribute;
	efi_char16_t file_name[];
};
static_assert(sizeof(struct efi_file_info) == 80, "SIZE_OF_EFI_FILE_INFO");
static_assert(offsetof(struct efi_file_info, attribute) == 72, "Attribute");

struct efi_file_system_info {
	uint64_t size;
	bool read_only;
	uint64_t volume_size;
	uint64_t free_space;
	uint32_t block_size;
	efi_char16_t volume_label[];
};
static_assert(offsetof(struct efi_file_system_info, volume_size) == 16, "VolumeSize");
static_assert(offsetof(struct efi_file_system_info, volume_label) == 36,
	      "SIZE_OF_EFI_FILE_SYSTEM_INFO");

#endif
