/* lib/crc32.c against the published check value and zlib's crc32(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/crc32.h>
#include <zlib.h>

static void test_check_value(void **state)
{
	assert_int_equal(crc32_update(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(crc32_update(0, "", 0), 0);
}

/* Every alignment and length up to 64, and chaining, equal zlib's. */
static void test_matches_zlib(void **state)
{
	static unsigned char buf[4096 + 8];

	for (size_t i = 0; i < sizeof(buf); i++) {
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	}
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len <= 64; len++) {
			assert_int_equal(crc32_update(0, buf + off, len),
					 (uint32_t)crc32(0, buf + off, (uInt)len));
		}
	}
	uint32_t chained = crc32_update(crc32_update(0, buf, 1001), buf + 1001, 4096 - 1001);
	assert_int_equal(chained, (uint32_t)crc32(0, buf, 4096));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_matches_zlib),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
