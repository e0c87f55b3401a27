/* lib/printf.c: the formats the code base uses, truncation, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/printf.h>
#include <string.h>

static void expect(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	int n = xb_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_integers(void **state)
{
	expect("42 -7 0", "%d %d %u", 42, -7, 0U);
	expect("ff FF 0xff", "%x %X %#x", 255U, 255U, 255U);
	expect("0000000040000000", "%016llx", 0x40000000ULL);
	expect("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	expect("-9223372036854775808", "%lld", (long long)INT64_MIN);
	expect("   12|12   |00012", "%5d|%-5d|%05d", 12, 12, 12);
	expect("17", "%zu", (size_t)17);
	expect("-1 255", "%hhd %hhu", 255, 255);
}

static void test_strings(void **state)
{
	expect("ab   |   ab|(null)", "%-5s|%5s|%s", "ab", "ab", (char *)NULL);
	expect("abc", "%.3s", "abcdef");
	expect("x%y", "x%%y");
	expect("c", "%c", 'c');
}

static void test_escape(void **state)
{
	expect("a\\x1b[2Jb\\\\", "%pE", "a\x1b[2Jb\\");
	expect("\\x0d\\x0a", "%pE", "\r\n");
}

static void test_truncation(void **state)
{
	char buf[8];

	assert_int_equal(xb_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(xb_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_unknown_conversion(void **state)
{
	expect("%q", "%q");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),   cmocka_unit_test(test_strings),
		cmocka_unit_test(test_escape),	   cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_conversion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
