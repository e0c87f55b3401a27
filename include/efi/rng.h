/* The EFI RNG protocol's generator (efi/drbg.c) and the protocol itself
 * (efi/rng.c).
 *
 * NOT a source of entropy by itself: a deterministic generator (ChaCha20
 * with fast key erasure) whose output is only as unpredictable as what was
 * mixed into it: the device tree's /chosen/rng-seed (written by whoever
 * built the DT: Xen's toolstack, a user's `bootefi` DT) and, on every
 * request, the CPU's RNDR when the CPU (and Xen) offer it. The clock is
 * mixed in too but counts for nothing: with neither source there is no RNG
 * protocol at all, rather than predictable numbers an OS would trust. */
#ifndef EFI_RNG_H
#define EFI_RNG_H

#include <efi/abi/rng.h>
#include <efi/efi.h>

extern const efi_guid_t efi_guid_rng_algorithm_raw; /* e43176d7-b6e8-4827-b784-7ffdc4b68561 */

#define EFI_DRBG_KEY_WORDS 8

struct efi_drbg {
	uint32_t key[EFI_DRBG_KEY_WORDS];
	uint64_t counter;
};

/** efi_chacha20_block() - the ChaCha20 block (RFC 8439 §2.3) of @key, @counter and @nonce. */
void efi_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
			uint8_t out[64]);

/** efi_drbg_mix() - fold @len bytes of @data into the key (a new key, the old one gone). */
void efi_drbg_mix(struct efi_drbg *d, const void *data, size_t len);

/** efi_drbg_generate() - @len bytes of output, then a new key (fast key erasure). */
void efi_drbg_generate(struct efi_drbg *d, uint8_t *out, size_t len);

struct efi_rng {
	uint32_t magic; /* EFI_RNG_MAGIC */
	struct efi_rng_protocol proto;
	struct efi_object *handle;
	struct efi_drbg drbg;
	bool has_seed; /* an rng-seed was mixed in */
	bool has_rndr; /* the CPU answered RNDR at start */
};
#define EFI_RNG_MAGIC 0x474e5245u /* "ERNG" */

/**
 * efi_rng_seed_take() - mix /chosen/rng-seed of @fdt (untrusted) into @rng;
 * with @is_published (our copy, the DTB configuration table) the property is
 * zeroed and deleted, so the seed is used once: Linux takes entropy through
 * the protocol (its EFI stub's random seed table) and would otherwise count
 * the same seed again. Returns 0, -ENOENT (no seed) or -EINVAL.
 */
int efi_rng_seed_take(struct efi_rng *rng, void *fdt, bool is_published);

#endif
