/* The UEFI boot manager (UEFI 2.10 §3): BootNext, then BootOrder's Boot####
 * options, each an EFI_LOAD_OPTION naming an image by device path. The
 * removable-media path \EFI\BOOT\BOOTAA64.EFI is the distro scan's step
 * (cmd/distroboot.c), after extlinux.conf and boot scripts. */
#ifndef EFI_BOOTMGR_H
#define EFI_BOOTMGR_H

#include <efi/abi/types.h>
#include <lib/compiler.h>
#include <stddef.h>

#define LOAD_OPTION_ACTIVE 0x00000001u
#define LOAD_OPTION_HIDDEN 0x00000008u
#define LOAD_OPTION_CATEGORY 0x00001f00u
#define LOAD_OPTION_CATEGORY_BOOT 0x00000000u

/* A parsed EFI_LOAD_OPTION: pointers into the caller's buffer (no
 * alignment: read the UCS-2 description with memcpy). */
struct efi_load_option {
	uint32_t attributes;
	const uint8_t *description; /* UCS-2, desc_units units before its NUL */
	size_t desc_units;
	const struct efi_device_path *file_path; /* file_path_size bytes, end node included */
	size_t file_path_size;
	const uint8_t *optional_data;
	size_t optional_size;
};

/**
 * efi_load_option_parse() - check and split the untrusted @buf of @len
 * bytes. Returns 0, or -EINVAL (too short, description without its NUL,
 * a FilePathListLength past the end, a first device path without an end
 * node or with a node shorter than 4 bytes or longer than what is left).
 */
int __must_check efi_load_option_parse(const void *buf, size_t len, struct efi_load_option *out);

/**
 * efi_bootmgr_run() - boot from BootNext (deleted first, as the
 * specification says), then each active BootOrder entry in turn. Prints
 * "Booting: <description>" per try and why one failed. Returns only when
 * none booted: -ENOENT when there was nothing to try, else the last error.
 */
int efi_bootmgr_run(void);

#endif
