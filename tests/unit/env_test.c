/* cmd/env.c: storage, names, expansion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <stdio.h>
#include <string.h>

static int clear_env(void **state)
{
	const char *name, *value;

	while (env_count()) {
		char copy[ENV_NAME_MAX + 1];
		env_at(0, &name, &value);
		snprintf(copy, sizeof(copy), "%s", name);
		assert_int_equal(env_set(copy, NULL), 0);
	}
	return 0;
}

static void test_set_get_delete(void **state)
{
	assert_int_equal(env_set("b", "2"), 0);
	assert_int_equal(env_set("a", "1"), 0);
	assert_int_equal(env_set("a", "one"), 0);
	assert_string_equal(env_get("a"), "one");
	assert_int_equal(env_count(), 2);
	const char *name, *value;
	env_at(0, &name, &value);
	assert_string_equal(name, "a"); /* sorted */
	assert_int_equal(env_set("a", ""), 0);
	assert_null(env_get("a"));
	assert_int_equal(env_set_u64("filesize", 0x1000), 0);
	assert_string_equal(env_get("filesize"), "1000");
}

static void test_bad_names_and_limits(void **state)
{
	char big[ENV_VALUE_MAX + 2];

	assert_int_equal(env_set("1abc", "x"), -EINVAL);
	assert_int_equal(env_set("a b", "x"), -EINVAL);
	assert_int_equal(env_set("", "x"), -EINVAL);
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(env_set("big", big), -E2BIG);
	for (int i = 0; i < ENV_COUNT_MAX; i++) {
		char name[16];
		snprintf(name, sizeof(name), "v%d", i);
		assert_int_equal(env_set(name, "x"), 0);
	}
	assert_int_equal(env_set("onemore", "x"), -ENOSPC);
}

static void test_expand(void **state)
{
	char out[64];

	assert_int_equal(env_set("addr", "0x40000000"), 0);
	assert_int_equal(env_expand("md $addr ${addr}x '$addr' $none.", out, sizeof(out)), 0);
	assert_string_equal(out, "md 0x40000000 0x40000000x '$addr' .");
	assert_int_equal(env_expand("${unterminated $", out, sizeof(out)), 0);
	assert_string_equal(out, "${unterminated $");
	assert_int_equal(env_expand("$addr$addr$addr$addr$addr$addr$addr", out, sizeof(out)), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_set_get_delete, clear_env),
		cmocka_unit_test_setup(test_bad_names_and_limits, clear_env),
		cmocka_unit_test_setup(test_expand, clear_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
