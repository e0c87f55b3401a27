/* The EFI RNG protocol (efi/rng.c, efi/drbg.c): ChaCha20 against RFC 8439,
 * the protocol offered only with an entropy source, the DT's rng-seed taken
 * once and removed from the published DT, RNDR mixed in per request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "guest_world.h"
#include <efi/rng.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <libfdt.h>
#include <sandbox/random.h>
#include <string.h>

static struct efi_boot_services *b;
static struct dtinfo dt;

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_xen(&dt) || efi_start()) {
		return -1;
	}
	b = efi_get()->systab.boot_services;
	return 0;
}

static int teardown(void **state)
{
	sandbox_random_set(NULL);
	guest_world_stop();
	return 0;
}

static void test_chacha20_rfc8439(void **state)
{
	/* RFC 8439 §2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, counter 1. */
	static const uint8_t want[16] = {0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
					 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4};
	static const uint8_t want_end[4] = {0xa2, 0x50, 0x3c, 0x4e};
	uint8_t key_bytes[32], out[64];
	uint32_t key[8], nonce[3] = {0x09000000, 0x4a000000, 0};

	for (int i = 0; i < 32; i++) {
		key_bytes[i] = (uint8_t)i;
	}
	memcpy(key, key_bytes, sizeof(key)); /* little-endian words, as the RFC reads them */
	efi_chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
	assert_memory_equal(out + 60, want_end, sizeof(want_end));
}

/* A DT with /chosen/rng-seed = @seed (@len bytes) in @buf. */
static void *fdt_with_seed(void *buf, size_t size, const void *seed, int len)
{
	assert_int_equal(fdt_create_empty_tree(buf, (int)size), 0);
	int chosen = fdt_add_subnode(buf, 0, "chosen");
	assert_true(chosen >= 0);
	assert_int_equal(fdt_setprop_string(buf, chosen, "bootargs", "console=hvc0"), 0);
	if (seed) {
		assert_int_equal(fdt_setprop(buf, chosen, "rng-seed", seed, len), 0);
	}
	return buf;
}

static struct efi_rng_protocol *located(void)
{
	void *p = NULL;

	return b->locate_protocol(&efi_guid_rng, NULL, &p) == EFI_SUCCESS ? p : NULL;
}

static void test_no_source_no_protocol(void **state)
{
	/* The sim's DT has no rng-seed and the sandbox CPU no RNDR: the clock
	 * alone is no entropy, so there is no protocol to be fooled by. */
	assert_null(located());
}

static void test_seed_from_published_dt(void **state)
{
	static uint8_t blob[4096];
	uint8_t seed[64];
	int len;

	for (size_t i = 0; i < sizeof(seed); i++) {
		seed[i] = (uint8_t)(i * 37 + 11);
	}
	fdt_with_seed(blob, sizeof(blob), seed, sizeof(seed));
	assert_true(efi_config_table_set(efi_get(), &efi_guid_fdt_table, blob) == EFI_SUCCESS);
	assert_int_equal(efi_rng_start(efi_get()), 0);
	struct efi_rng_protocol *rng = located();
	assert_non_null(rng);
	/* Used once: gone from the DT the OS gets, and not left behind in it. */
	int chosen = fdt_path_offset(blob, "/chosen");
	assert_null(fdt_getprop(blob, chosen, "rng-seed", &len));
	assert_string_equal(fdt_getprop(blob, chosen, "bootargs", &len), "console=hvc0");
	for (size_t i = 0; i + 16 <= sizeof(blob); i++) {
		assert_memory_not_equal(blob + i, seed, 16);
	}

	/* GetInfo: the size first, then the one algorithm. */
	uint64_t size = 0;
	efi_guid_t algs[2];
	assert_true(rng->get_info(rng, &size, NULL) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, sizeof(efi_guid_t));
	assert_true(rng->get_info(rng, &size, NULL) == EFI_INVALID_PARAMETER);
	size = sizeof(algs);
	assert_true(rng->get_info(rng, &size, algs) == EFI_SUCCESS);
	assert_int_equal(size, sizeof(efi_guid_t));
	assert_true(efi_guid_eq(&algs[0], &efi_guid_rng_algorithm_raw));
	assert_true(rng->get_info(rng, NULL, algs) == EFI_INVALID_PARAMETER);

	/* GetRNG: any length, never the same twice, unknown algorithms refused. */
	uint8_t a[100], c[100], zero[100] = {0};
	assert_true(rng->get_rng(rng, NULL, sizeof(a), a) == EFI_SUCCESS);
	assert_true(rng->get_rng(rng, &efi_guid_rng_algorithm_raw, sizeof(c), c) == EFI_SUCCESS);
	assert_memory_not_equal(a, c, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_true(rng->get_rng(rng, &efi_guid_fdt_table, 8, a) == EFI_UNSUPPORTED);
	assert_true(rng->get_rng(rng, NULL, 0, a) == EFI_INVALID_PARAMETER);
	assert_true(rng->get_rng(rng, NULL, 8, NULL) == EFI_INVALID_PARAMETER);
	uint64_t junk[8] = {0};
	assert_true(rng->get_rng((void *)&junk[4], NULL, 8, a) == EFI_INVALID_PARAMETER);
	assert_true(efi_config_table_set(efi_get(), &efi_guid_fdt_table, NULL) == EFI_SUCCESS);

	/* Taken away again, for the next test. */
	efi_handle_t handles[4];
	uint64_t hsize = sizeof(handles);
	assert_true(b->locate_handle(ByProtocol, &efi_guid_rng, NULL, &hsize, handles) ==
		    EFI_SUCCESS);
	assert_int_equal(hsize, sizeof(handles[0]));
	assert_true(b->uninstall_protocol_interface(handles[0], &efi_guid_rng, rng) == EFI_SUCCESS);
	free((char *)rng - offsetof(struct efi_rng, proto));
	assert_null(located());
}

/* The generator is only its seed: the same seed and clock give the same
 * bytes, another seed other bytes (which is why a seed is required). */
static void test_output_follows_seed(void **state)
{
	static uint8_t blob[4096];
	const uint8_t s1[32] = {1}, s2[32] = {2};
	struct efi_rng r1 = {0}, r2 = {0}, r3 = {0};
	uint8_t o1[48], o2[48], o3[48];

	assert_int_equal(efi_rng_seed_take(&r1, fdt_with_seed(blob, sizeof(blob), s1, 32), false),
			 0);
	assert_int_equal(efi_rng_seed_take(&r2, blob, false), 0); /* not published: kept */
	assert_int_equal(efi_rng_seed_take(&r3, fdt_with_seed(blob, sizeof(blob), s2, 32), true),
			 0);
	efi_drbg_generate(&r1.drbg, o1, sizeof(o1));
	efi_drbg_generate(&r2.drbg, o2, sizeof(o2));
	efi_drbg_generate(&r3.drbg, o3, sizeof(o3));
	assert_memory_equal(o1, o2, sizeof(o1));
	assert_memory_not_equal(o1, o3, sizeof(o1));
	/* The key moved on: the next request differs. */
	efi_drbg_generate(&r1.drbg, o2, sizeof(o2));
	assert_memory_not_equal(o1, o2, sizeof(o1));
	/* No seed, no chosen node, not a DT. */
	assert_int_equal(efi_rng_seed_take(&r1, fdt_with_seed(blob, sizeof(blob), NULL, 0), true),
			 -ENOENT);
	assert_int_equal(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	assert_int_equal(efi_rng_seed_take(&r1, blob, true), -ENOENT);
	memset(blob, 0xff, 64);
	assert_int_equal(efi_rng_seed_take(&r1, blob, true), -EINVAL);
}

static unsigned int rndr_calls;
static bool is_rndr_broken;

static int fake_rndr(uint64_t *out)
{
	rndr_calls++;
	if (is_rndr_broken) {
		return -EAGAIN;
	}
	*out = 0x9e3779b97f4a7c15ULL * rndr_calls;
	return 0;
}

static void test_rndr(void **state)
{
	struct efi_rng_protocol *rng;
	uint8_t v[32];

	assert_null(located());
	sandbox_random_set(fake_rndr);
	assert_int_equal(efi_rng_start(efi_get()), 0);
	rng = located();
	assert_non_null(rng);
	/* Each request takes 256 fresh bits. */
	unsigned int before = rndr_calls;
	assert_true(rng->get_rng(rng, NULL, sizeof(v), v) == EFI_SUCCESS);
	assert_int_equal(rndr_calls - before, 4);
	/* RNDR the only source and failing: no bytes rather than weak ones. */
	is_rndr_broken = true;
	assert_true(rng->get_rng(rng, NULL, sizeof(v), v) == EFI_NOT_READY);
	is_rndr_broken = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chacha20_rfc8439),
	    cmocka_unit_test(test_no_source_no_protocol),
	    cmocka_unit_test(test_output_follows_seed),
	    cmocka_unit_test(test_seed_from_published_dt),
	    cmocka_unit_test(test_rndr),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
