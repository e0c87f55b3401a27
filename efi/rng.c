/* EFI_RNG_PROTOCOL (UEFI 2.10 §37.5) on its own handle. Read
 * include/efi/rng.h for what this is and is not: a ChaCha20 generator
 * seeded from /chosen/rng-seed and the CPU's RNDR, offered only when one of
 * them is there.
 *
 * The one algorithm GetInfo lists is EFI_RNG_ALGORITHM_RAW, which is what
 * Linux's EFI stub asks for first (it takes the default when RAW is
 * refused): strictly, RAW means a noise source's output unprocessed, and ours
 * is processed; there is nothing rawer to give, and listing a NIST DRBG we
 * do not implement would be worse. */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <arch/random.h>
#include <efi/rng.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

const efi_guid_t efi_guid_rng_algorithm_raw =
    EFI_GUID(0xe43176d7, 0xb6e8, 0x4827, 0xb7, 0x84, 0x7f, 0xfd, 0xc4, 0xb6, 0x85, 0x61);

/* RNDR may fail now and then (Arm ARM: "try again"); a few tries a word. */
#define RNDR_TRIES 8
#define RNDR_WORDS 4 /* 256 bits per request */

static struct efi_rng *rng_of(struct efi_rng_protocol *self)
{
	struct efi_rng *r =
	    self ? (struct efi_rng *)((char *)self - offsetof(struct efi_rng, proto)) : NULL;

	return r && r->magic == EFI_RNG_MAGIC && !efi_get()->is_boot_services_exited ? r : NULL;
}

/* Why a call is refused: after ExitBootServices nothing here works any
 * more (EFI_UNSUPPORTED); before it, the arguments were bad. */
static efi_status_t refused(void)
{
	return efi_get()->is_boot_services_exited ? EFI_UNSUPPORTED : EFI_INVALID_PARAMETER;
}

/* 256 bits of RNDR into the generator. Returns 0 or -errno. */
static int rndr_mix(struct efi_rng *r)
{
	uint64_t words[RNDR_WORDS];
	int rc = 0;

	for (unsigned int i = 0; i < RNDR_WORDS; i++) {
		rc = -EAGAIN;
		for (unsigned int t = 0; t < RNDR_TRIES && rc == -EAGAIN; t++) {
			rc = arch_random_u64(&words[i]);
		}
		if (rc) {
			break;
		}
	}
	if (!rc) {
		efi_drbg_mix(&r->drbg, words, sizeof(words));
	}
	memset(words, 0, sizeof(words));
	return rc;
}

static efi_status_t rng_get_info(struct efi_rng_protocol *self, uint64_t *list_size,
				 efi_guid_t *list)
{
	if (!rng_of(self) || !list_size) {
		return refused();
	}
	if (*list_size < sizeof(efi_guid_t)) {
		*list_size = sizeof(efi_guid_t);
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!list) {
		return refused();
	}
	memcpy(list, &efi_guid_rng_algorithm_raw, sizeof(*list));
	*list_size = sizeof(efi_guid_t);
	return EFI_SUCCESS;
}

static efi_status_t rng_get_rng(struct efi_rng_protocol *self, const efi_guid_t *algorithm,
				uint64_t length, uint8_t *value)
{
	struct efi_rng *r = rng_of(self);

	if (!r || !value || !length) {
		return refused();
	}
	if (algorithm && !efi_guid_eq(algorithm, &efi_guid_rng_algorithm_raw)) {
		return EFI_UNSUPPORTED;
	}
	/* Fresh CPU randomness for each request where there is some; the
	 * clock only makes two requests differ, it is no secret. */
	if (r->has_rndr && rndr_mix(r) && !r->has_seed) {
		return EFI_NOT_READY; /* RNDR was the only source and gave nothing */
	}
	uint64_t now = arch_time_ns();
	efi_drbg_mix(&r->drbg, &now, sizeof(now));
	efi_drbg_generate(&r->drbg, value, length);
	return EFI_SUCCESS;
}

int efi_rng_seed_take(struct efi_rng *rng, void *fdt, bool is_published)
{
	int node = fdt_path_offset(fdt, "/chosen");
	int len;

	if (node < 0) {
		return node == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	}
	void *seed = fdt_getprop_w(fdt, node, "rng-seed", &len);
	if (!seed || len <= 0) {
		return -ENOENT;
	}
	efi_drbg_mix(&rng->drbg, seed, (size_t)len);
	rng->has_seed = true;
	if (is_published) {
		/* Zeroed first: deleting moves the bytes after it but leaves
		 * stale ones past the new end of the structure block. */
		memset(seed, 0, (size_t)len);
		(void)fdt_delprop(fdt, node, "rng-seed");
	}
	return 0;
}

/* The published DT (our copy) if there is one, else Xen's, read only. */
static void seed_from_dt(struct efi *e, struct efi_rng *r)
{
	const struct dtinfo *dt = dtinfo_get();

	for (uint64_t i = 0; i < e->systab.number_of_table_entries; i++) {
		if (efi_guid_eq(&e->config[i].vendor_guid, &efi_guid_fdt_table)) {
			(void)efi_rng_seed_take(r, e->config[i].vendor_table, true);
			return;
		}
	}
	if (dt && dt->fdt) {
		(void)efi_rng_seed_take(r, (void *)dt->fdt, false);
	}
}

int efi_rng_start(struct efi *e)
{
	struct efi_rng *r = calloc(1, sizeof(*r));

	if (!r) {
		return -ENOMEM;
	}
	r->magic = EFI_RNG_MAGIC;
	r->proto = (struct efi_rng_protocol){.get_info = rng_get_info, .get_rng = rng_get_rng};
	seed_from_dt(e, r);
	r->has_rndr = rndr_mix(r) == 0;
	if (!r->has_seed && !r->has_rndr) {
		log_info("no entropy source (no /chosen/rng-seed, no RNDR): no EFI RNG protocol\n");
		free(r);
		return 0;
	}
	if (efi_handle_create(&r->handle)) {
		free(r);
		return -ENOMEM;
	}
	if (efi_protocol_add(r->handle, &efi_guid_rng, &r->proto)) {
		(void)efi_handle_delete(r->handle);
		free(r);
		return -ENOMEM;
	}
	log_info("EFI RNG from%s%s\n", r->has_seed ? " rng-seed" : "", r->has_rndr ? " RNDR" : "");
	return 0;
}
