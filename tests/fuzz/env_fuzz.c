/* Importing a saved environment (boot/env_format.c) from hostile bytes.
 * The first input byte picks how the rest is used: bit 0 re-seals the CRC
 * so the fuzzer gets past it into the entries, bit 1 picks the single
 * layout's header for that. The rest is the copy, up to ENV_STORE_SIZE
 * bytes (shorter copies test the bounds). A refused copy must leave the
 * environment alone; an accepted one must apply whole and survive an
 * export / import round trip. */
#include "fuzz.h"
#include <boot/env_format.h>
#include <lib/compiler.h>
#include <lib/crc32.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <string.h>

static uint8_t copy_buf[ENV_STORE_SIZE];
static uint8_t out_buf[ENV_STORE_SIZE + 1];

static void seal(uint8_t *buf, size_t n, size_t hdr)
{
	uint32_t crc;

	if (n <= hdr) {
		return;
	}
	crc = crc32_update(0, buf + hdr, n - hdr);
	for (int i = 0; i < 4; i++) {
		buf[i] = (uint8_t)(crc >> (8 * i));
	}
}

static void fuzz_env(const uint8_t *data, size_t size)
{
	struct env_copy c;
	unsigned int count;
	int rc;

	if (size < 1) {
		return;
	}
	size_t n = MIN(size - 1, sizeof(copy_buf));
	memcpy(copy_buf, data + 1, n);
	if (data[0] & 1) {
		seal(copy_buf, n, data[0] & 2 ? ENV_HDR_SINGLE : ENV_HDR_REDUND);
	}
	env_clear();
	fuzz_check(env_set("keep", "1") == 0);
	rc = env_format_validate(copy_buf, n, &c);
	fuzz_check(rc == c.err && (rc == 0) == c.is_valid && c.bad_at <= n);
	if (rc) {
		fuzz_check(env_format_apply(copy_buf, n, &c) == -EINVAL);
		fuzz_check(env_count() == 1 && env_get("keep"));
		return;
	}
	fuzz_check(env_format_apply(copy_buf, n, &c) == 0);
	count = env_count();
	fuzz_check(count <= ENV_COUNT_MAX);
	/* What was accepted exports (one byte more at most: the flags) and
	 * comes back the same. */
	fuzz_check(env_format_export(out_buf, n + 1, 9) == 0);
	fuzz_check(env_format_validate(out_buf, n + 1, &c) == 0 && c.is_redundant && c.flags == 9);
	fuzz_check(env_format_apply(out_buf, n + 1, &c) == 0 && env_count() == count);
}

FUZZ_TARGET(fuzz_env)
