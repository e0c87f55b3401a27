/* The GUIDs xenboot's EFI layer names (UEFI 2.10 and Linux's EFI stub ABI),
 * defined once in efi/guids.c. */
#ifndef EFI_GUIDS_H
#define EFI_GUIDS_H

#include <efi/abi/types.h>

extern const efi_guid_t efi_guid_loaded_image; /* 5b1b31a1-9562-11d2-8e3f-00a0c969723b */
extern const efi_guid_t
    efi_guid_loaded_image_device_path; /* bc62157e-3e33-4fec-9920-2d3b36d750df */
extern const efi_guid_t efi_guid_device_path; /* 09576e91-6d3f-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_block_io; /* 964e5b21-6459-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_disk_io; /* ce345171-ba0b-11d2-8e4f-00a0c969723b */
extern const efi_guid_t efi_guid_simple_file_system; /* 964e5b22-6459-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_file_info; /* 09576e92-6d3f-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_file_system_info; /* 09576e93-6d3f-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_simple_text_input; /* 387477c1-69c7-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_simple_text_output; /* 387477c2-69c7-11d2-8e39-00a0c969723b */
extern const efi_guid_t efi_guid_rng; /* 3152bca5-eade-433d-862e-c01cdc291f44 */
extern const efi_guid_t efi_guid_load_file2; /* 4006c0c1-fcb3-403e-996d-4a6c8724e06d */
extern const efi_guid_t efi_guid_global_variable; /* 8be4df61-93ca-11d2-aa0d-00e098032b8c */
extern const efi_guid_t efi_guid_fdt_table; /* b1b621d5-f19c-41a5-830b-d9152c69aae0 */
extern const efi_guid_t efi_guid_linux_initrd_media; /* 5568e427-68fc-4f3d-ac74-ca555231cc68 */
extern const efi_guid_t efi_guid_rt_properties_table; /* eb66918a-7eef-402a-842e-931d21c38ae9 */
extern const efi_guid_t
    efi_guid_file_system_volume_label; /* db47d7d3-fe81-11d3-9a35-0090273fc14d */
/* xenboot's own: the vendor node of a Xen PV disk (vbd), whose data is the
 * vbd's XenStore id (device/vbd/<id>) as a 32-bit little-endian number. */
extern const efi_guid_t efi_guid_xen_vbd; /* da3297f5-db44-4425-b32f-873a764cf518 */

/** efi_guid_eq() - are @a and @b the same GUID (either may be unaligned)? */
bool efi_guid_eq(const efi_guid_t *a, const efi_guid_t *b);

#endif
