/* lib/parse.c and lib/errno.c: strict numbers and errno names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/errno.h>
#include <lib/parse.h>

static void test_valid(void **state)
{
	uint64_t v;

	assert_int_equal(parse_u64("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("18446744073709551615", 10, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("0x1F", 0, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(parse_u64("ffffffffffffffff", 16, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64_n("123abc", 3, 10, &v), 0);
	assert_int_equal(v, 123);
}

static void test_invalid(void **state)
{
	uint64_t v = 77;

	assert_int_equal(parse_u64("", 10, &v), -EINVAL);
	assert_int_equal(parse_u64("-1", 10, &v), -EINVAL);
	assert_int_equal(parse_u64(" 1", 10, &v), -EINVAL);
	assert_int_equal(parse_u64("1 ", 10, &v), -EINVAL);
	assert_int_equal(parse_u64("12a", 10, &v), -EINVAL);
	assert_int_equal(parse_u64("0x", 0, &v), -EINVAL);
	assert_int_equal(parse_u64("18446744073709551616", 10, &v), -ERANGE);
	assert_int_equal(parse_u64("10000000000000000", 16, &v), -ERANGE);
	assert_int_equal(parse_u64("1", 8, &v), -EINVAL);
	assert_int_equal(v, 77); /* untouched on failure */
}

static void test_errno_names(void **state)
{
	assert_string_equal(errno_name(-ENOENT), "ENOENT");
	assert_string_equal(errno_name(ETIMEDOUT), "ETIMEDOUT");
	assert_string_equal(errno_name(-9999), "E?");
	assert_int_equal(errno_parse("EAGAIN"), EAGAIN);
	assert_int_equal(errno_parse("EACCES"), 13);
	assert_int_equal(errno_parse("ENOPE"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_errno_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
