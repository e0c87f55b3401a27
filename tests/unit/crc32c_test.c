/* lib/crc32c.c against published CRC-32C check values (RFC 3720 B.4 and
 * the common "123456789" check), and chaining as ext4 uses it. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lib/crc32c.h>
#include <string.h>

static uint32_t crc32c_of(const void *buf, size_t len)
{
	return ~crc32c_update(~0u, buf, len);
}

static void test_check_values(void **state)
{
	uint8_t buf[32];

	assert_int_equal(crc32c_of("123456789", 9), 0xe3069283u);
	assert_int_equal(crc32c_of("", 0), 0);
	/* RFC 3720 appendix B.4: 32 bytes of zeros, of ones, ascending, descending. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(crc32c_of(buf, sizeof(buf)), 0x8a9136aau);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(crc32c_of(buf, sizeof(buf)), 0x62a8ab43u);
	for (unsigned int i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)i;
	}
	assert_int_equal(crc32c_of(buf, sizeof(buf)), 0x46dd794eu);
	for (unsigned int i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)(31 - i);
	}
	assert_int_equal(crc32c_of(buf, sizeof(buf)), 0x113fdb5cu);
}

static void test_chaining(void **state)
{
	const char *text = "The quick brown fox jumps over the lazy dog";
	size_t len = strlen(text);

	/* Split anywhere, the raw value carries over: ext4 checksums an inode
	 * as number, generation, then the inode, one call each. */
	for (size_t cut = 0; cut <= len; cut++) {
		uint32_t crc = crc32c_update(~0u, text, cut);

		crc = crc32c_update(crc, text + cut, len - cut);
		assert_int_equal(~crc, 0x22620404u);
	}
	/* No inversion inside: a zero seed over zero bytes stays zero. */
	assert_int_equal(crc32c_update(0, "", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_values),
	    cmocka_unit_test(test_chaining),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
