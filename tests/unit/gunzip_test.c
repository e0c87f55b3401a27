/* boot/gunzip.c against gzip data made here with the host zlib: a good
 * stream, exact and too-small output bounds, every truncation, corruption
 * of the data and of the trailer, and input that is not gzip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <boot/gunzip.h>
#include <lib/errno.h>
#include <zlib.h>

#define PLAIN_SIZE (300 * 1024)

static uint8_t *plain, *packed, *out;
static size_t packed_len;

/* Compressible but not trivial: text-like runs mixed with noise. */
static void fill_plain(uint8_t *p, size_t n)
{
	uint32_t x = 12345;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (i / 64) % 3 ? (uint8_t)("ARM64 kernel "[i % 13]) : (uint8_t)(x >> 24);
	}
}

/* gzip @len bytes of @src with the host zlib (windowBits 16 + 15: gzip wrapper). */
static size_t host_gzip(const uint8_t *src, size_t len, uint8_t *dst, size_t max)
{
	z_stream zs = {0};

	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)len;
	zs.next_out = dst;
	zs.avail_out = (uInt)max;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

static int setup(void **state)
{
	plain = malloc(PLAIN_SIZE);
	packed = malloc(2 * PLAIN_SIZE);
	out = malloc(PLAIN_SIZE + 64);
	if (!plain || !packed || !out) {
		return -1;
	}
	fill_plain(plain, PLAIN_SIZE);
	packed_len = host_gzip(plain, PLAIN_SIZE, packed, 2 * PLAIN_SIZE);
	return 0;
}

static int teardown(void **state)
{
	free(plain);
	free(packed);
	free(out);
	return 0;
}

static void test_good(void **state)
{
	size_t n = 0;

	assert_true(gunzip_is_gzip(packed, packed_len));
	assert_int_equal(gunzip_isize(packed, packed_len), PLAIN_SIZE);
	memset(out, 0, PLAIN_SIZE + 64);
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE + 64, &n), 0);
	assert_int_equal(n, PLAIN_SIZE);
	assert_memory_equal(out, plain, PLAIN_SIZE);
	/* Exactly the right room: the trailer is still read and checked. */
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), 0);
	assert_int_equal(n, PLAIN_SIZE);
	/* Padding after the member (as on a block device) is ignored. */
	memset(packed + packed_len, 0, 512);
	assert_int_equal(gunzip(packed, packed_len + 512, out, PLAIN_SIZE, &n), 0);
}

static void test_too_big(void **state)
{
	size_t n = 0;

	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE - 1, &n), -EFBIG);
	assert_int_equal(n, PLAIN_SIZE - 1);
	assert_int_equal(gunzip(packed, packed_len, out, 4096, &n), -EFBIG);
	assert_int_equal(gunzip(packed, packed_len, out, 0, &n), -EFBIG);
	assert_int_equal(n, 0);
}

/* Every cut of the stream (header, body, trailer) is truncation, never success. */
static void test_truncated(void **state)
{
	size_t n;

	for (size_t len = 0; len < packed_len;
	     len += (len < 64 || len > packed_len - 64) ? 1 : 997) {
		int rc = gunzip(packed, len, out, PLAIN_SIZE, &n);

		if (rc != -ENODATA) {
			fail_msg("cut at %zu of %zu: %d", len, packed_len, rc);
		}
	}
}

static void test_corrupt(void **state)
{
	size_t n;

	/* A flipped byte in the deflate data: either bad codes or a bad CRC. */
	for (size_t off = 20; off < packed_len - 8; off += packed_len / 17) {
		packed[off] ^= 0x5a;
		assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), -EILSEQ);
		packed[off] ^= 0x5a;
	}
	/* The CRC-32 and the length in the trailer. */
	packed[packed_len - 8] ^= 1;
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), -EILSEQ);
	packed[packed_len - 8] ^= 1;
	packed[packed_len - 1] ^= 1;
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), -EILSEQ);
	packed[packed_len - 1] ^= 1;
	/* Reserved header flag bits. */
	packed[3] |= 0xe0;
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), -EILSEQ);
	packed[3] &= 0x1f;
	assert_int_equal(gunzip(packed, packed_len, out, PLAIN_SIZE, &n), 0);
}

/* A member with every optional header field, built by hand around raw
 * deflate data: FEXTRA, FNAME, FCOMMENT and a header CRC (FHCRC). */
static size_t with_fields(uint8_t *out, const uint8_t *data, size_t len)
{
	static const uint8_t head[] = {0x1f, 0x8b, 8,	0x02 | 0x04 | 0x08 | 0x10,
				       0,    0,	   0,	0,
				       0,    3,	   4,	0,
				       'a',  'b',  1,	2,
				       'v',  'm',  'l', 'i',
				       'n',  'u',  'z', 0,
				       'h',  'i',  0};
	z_stream zs = {0};
	size_t n = sizeof(head);
	uint32_t crc;

	memcpy(out, head, n);
	crc = (uint32_t)crc32(0, out, (uInt)n);
	out[n++] = (uint8_t)crc;
	out[n++] = (uint8_t)(crc >> 8);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out + n;
	zs.avail_out = (uInt)(2 * PLAIN_SIZE - n - 8);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n += zs.total_out;
	deflateEnd(&zs);
	crc = (uint32_t)crc32(0, data, (uInt)len);
	for (int i = 0; i < 4; i++) {
		out[n++] = (uint8_t)(crc >> (8 * i));
	}
	for (int i = 0; i < 4; i++) {
		out[n++] = (uint8_t)(len >> (8 * i));
	}
	return n;
}

static void test_header_fields(void **state)
{
	uint8_t *gz = malloc(2 * PLAIN_SIZE);
	size_t n, len;

	assert_non_null(gz);
	len = with_fields(gz, plain, 100000);
	assert_int_equal(gunzip(gz, len, out, PLAIN_SIZE, &n), 0);
	assert_int_equal(n, 100000);
	assert_memory_equal(out, plain, 100000);
	/* Cut inside each field: truncated. */
	for (size_t cut = 3; cut < 30; cut++) {
		assert_int_equal(gunzip(gz, cut, out, PLAIN_SIZE, &n), -ENODATA);
	}
	/* A wrong header CRC. */
	gz[27] ^= 1;
	assert_int_equal(gunzip(gz, len, out, PLAIN_SIZE, &n), -EILSEQ);
	free(gz);
}

static void test_not_gzip(void **state)
{
	static const uint8_t image[64] = {[0x38] = 'A', 'R', 'M', 0x64};
	uint8_t method_stored[] = {0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 3};
	size_t n;

	assert_false(gunzip_is_gzip(image, sizeof(image)));
	assert_false(gunzip_is_gzip(method_stored, sizeof(method_stored)));
	assert_int_equal(gunzip(image, sizeof(image), out, PLAIN_SIZE, &n), -EINVAL);
	assert_int_equal(gunzip(method_stored, sizeof(method_stored), out, 16, &n), -EINVAL);
	assert_int_equal(gunzip_isize(packed, 17), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),      cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_truncated), cmocka_unit_test(test_corrupt),
	    cmocka_unit_test(test_not_gzip),  cmocka_unit_test(test_header_fields),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
