/* EFI_RNG_PROTOCOL (UEFI 2.10 §37.5): our own definitions from the specification. */
#ifndef EFI_ABI_RNG_H
#define EFI_ABI_RNG_H

#include <efi/abi/types.h>

struct efi_rng_protocol {
	efi_status_t(EFIAPI *get_info)(struct efi_rng_protocol *self, uint64_t *list_size,
				       efi_guid_t *list);
	efi_status_t(EFIAPI *get_rng)(struct efi_rng_protocol *self, const efi_guid_t *algorithm,
				      uint64_t value_length, uint8_t *value);
};
static_assert(sizeof(struct efi_rng_protocol) == 16, "EFI_RNG_PROTOCOL");

#endif
