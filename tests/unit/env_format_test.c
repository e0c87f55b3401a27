/* boot/env_format.c: U-Boot's environment layout, byte for byte, the rules
 * that pick a copy, and copies built to break the parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lib/compiler.h>

#include <boot/env_format.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define SIZE ENV_STORE_SIZE

static uint8_t buf[SIZE], want[SIZE];

static int clear(void **state)
{
	(void)state;
	env_clear();
	return 0;
}

/* A copy made the way the docs describe it, with zlib's crc32 (not ours). */
static void hand_made(uint8_t *out, const char *data, size_t len, int flags)
{
	size_t hdr = flags >= 0 ? 5 : 4;
	uint32_t crc;

	memset(out, 0, SIZE);
	memcpy(out + hdr, data, len);
	crc = (uint32_t)crc32(0, out + hdr, SIZE - hdr);
	out[0] = (uint8_t)crc;
	out[1] = (uint8_t)(crc >> 8);
	out[2] = (uint8_t)(crc >> 16);
	out[3] = (uint8_t)(crc >> 24);
	if (flags >= 0) {
		out[4] = (uint8_t)flags;
	}
}

static void test_export_layout(void **state)
{
	static const char data[] = "arch=arm64\0bootdelay=1\0zz=last one\0";

	/* Set out of order: the copy is sorted by name. */
	assert_int_equal(env_set("zz", "last one"), 0);
	assert_int_equal(env_set("bootdelay", "1"), 0);
	assert_int_equal(env_set("arch", "arm64"), 0);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(env_format_export(buf, SIZE, 7), 0);
	/* sizeof(data) includes the final NUL: the terminating empty string. */
	hand_made(want, data, sizeof(data), 7);
	assert_memory_equal(buf, want, SIZE);
	assert_int_equal(buf[4], 7);
	assert_memory_equal(buf + 5, "arch=arm64", 11);
}

static void test_round_trip(void **state)
{
	struct env_copy c;
	char big[ENV_VALUE_MAX + 1];

	memset(big, 'x', ENV_VALUE_MAX);
	big[ENV_VALUE_MAX] = '\0';
	assert_int_equal(env_set("bootcmd", "run distro_bootcmd; echo 'a;b' \"q\" $x ${y}"), 0);
	assert_int_equal(env_set("big", big), 0);
	assert_int_equal(env_set("multi", "line1\nline2\ttab"), 0);
	assert_int_equal(env_format_export(buf, SIZE, 200), 0);
	env_clear();
	assert_int_equal(env_set("stale", "1"), 0);
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	assert_true(c.is_valid && c.is_redundant);
	assert_int_equal(c.flags, 200);
	assert_int_equal(env_format_apply(buf, SIZE, &c), 0);
	/* Applying replaces: nothing of the environment before survives. */
	assert_null(env_get("stale"));
	assert_int_equal(env_count(), 3);
	assert_string_equal(env_get("bootcmd"), "run distro_bootcmd; echo 'a;b' \"q\" $x ${y}");
	assert_string_equal(env_get("big"), big);
	assert_string_equal(env_get("multi"), "line1\nline2\ttab");
}

static void test_empty_and_full(void **state)
{
	struct env_copy c;
	char v[ENV_VALUE_MAX + 1];

	/* Empty: one NUL, the empty string. */
	assert_int_equal(env_format_export(buf, SIZE, 1), 0);
	hand_made(want, "", 1, 1);
	assert_memory_equal(buf, want, SIZE);
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	/* Too much for 16 KiB: refused, nothing half-written matters. */
	memset(v, 'v', ENV_VALUE_MAX);
	v[ENV_VALUE_MAX] = '\0';
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "v%d", i);
		assert_int_equal(env_set(name, v), 0);
	}
	assert_int_equal(env_format_export(buf, SIZE, 1), -ENOSPC);
	/* Exactly full: entries + final NUL end at the last byte. */
	env_clear();
	size_t room = SIZE - 5 - 1; /* minus the final empty string */
	/* 16 entries "aX=<1017 bytes>\0" of 1021 bytes, then one to fill. */
	memset(v, 'w', sizeof(v));
	v[1017] = '\0';
	for (int i = 0; i < 16; i++) {
		char name[8];

		snprintf(name, sizeof(name), "a%c", 'a' + i);
		assert_int_equal(env_set(name, v), 0);
		room -= 2 + 1 + 1017 + 1;
	}
	v[room - 4] = '\0'; /* "zz=" + value + NUL == room */
	assert_int_equal(env_set("zz", v), 0);
	assert_int_equal(env_format_export(buf, SIZE, 1), 0);
	assert_int_equal(buf[SIZE - 1], 0);
	assert_int_equal(buf[SIZE - 2], 0);
	assert_int_equal(buf[SIZE - 3], 'w');
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	/* One byte more does not fit. */
	v[room - 4] = 'w';
	v[room - 3] = '\0';
	assert_int_equal(env_set("zz", v), 0);
	assert_int_equal(env_format_export(buf, SIZE, 1), -ENOSPC);
}

/* U-Boot's single-copy layout (fw_setenv with one FILE line): accepted. */
static void test_single_layout(void **state)
{
	static const char data[] = "baz=qux\0foo=bar\0";
	struct env_copy c;

	hand_made(buf, data, sizeof(data), -1);
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	assert_true(c.is_valid);
	assert_false(c.is_redundant);
	assert_int_equal(env_format_apply(buf, SIZE, &c), 0);
	assert_string_equal(env_get("foo"), "bar");
	assert_string_equal(env_get("baz"), "qux");
}

static struct env_copy copy(bool is_valid, bool is_redundant, uint8_t flags)
{
	return (struct env_copy){
	    .is_valid = is_valid, .is_redundant = is_redundant, .flags = flags};
}

static void test_newest(void **state)
{
	struct env_copy a, b;

	a = copy(true, true, 4), b = copy(true, true, 5);
	assert_int_equal(env_format_newest(&a, &b), 1);
	assert_int_equal(env_format_newest(&b, &a), 0);
	/* Wrap: 0 comes after 255. */
	a = copy(true, true, 255), b = copy(true, true, 0);
	assert_int_equal(env_format_newest(&a, &b), 1);
	assert_int_equal(env_format_newest(&b, &a), 0);
	a = copy(true, true, 254), b = copy(true, true, 255);
	assert_int_equal(env_format_newest(&a, &b), 1);
	a = copy(true, true, 0), b = copy(true, true, 1);
	assert_int_equal(env_format_newest(&a, &b), 1);
	/* A tie: the first (uboot.env), as U-Boot. */
	a = copy(true, true, 9), b = copy(true, true, 9);
	assert_int_equal(env_format_newest(&a, &b), 0);
	/* One corrupt: the other, whatever the flags. */
	a = copy(false, true, 200), b = copy(true, true, 3);
	assert_int_equal(env_format_newest(&a, &b), 1);
	assert_int_equal(env_format_newest(&b, &a), 0);
	a = copy(false, false, 0), b = copy(false, true, 0);
	assert_int_equal(env_format_newest(&a, &b), -ENOENT);
	/* A redundant copy beats a single-layout one. */
	a = copy(true, false, 0), b = copy(true, true, 1);
	assert_int_equal(env_format_newest(&a, &b), 1);
	assert_int_equal(env_format_newest(&b, &a), 0);
}

/* A hostile copy is refused with @err, and applying is never reached: the
 * environment stays as it was. */
#define assert_refused(data, len, err, bad_at) refused(data, len, err, bad_at, __LINE__)
static void refused(const char *data, size_t len, int err, size_t bad_at, int line)
{
	struct env_copy c;
	int rc;

	assert_int_equal(env_set("keep", "me"), 0);
	hand_made(buf, data, len, 3);
	rc = env_format_validate(buf, SIZE, &c);
	if (rc != err || c.bad_at != bad_at || c.is_valid) {
		fail_msg("line %d: got %d at %zu, want %d at %zu", line, rc, c.bad_at, err, bad_at);
	}
	assert_int_equal(env_format_apply(buf, SIZE, &c), -EINVAL);
	assert_string_equal(env_get("keep"), "me");
}

static void test_hostile(void **state)
{
	static uint8_t data[SIZE];
	struct env_copy c;

	assert_refused("a=1\0b c=2\0", 11, -EINVAL, 9);
	assert_refused("a=1\0=2\0", 8, -EINVAL, 9);
	assert_refused("a=1\0noequals\0", 14, -EINVAL, 9);
	assert_refused("1abc=2\0", 8, -EINVAL, 5);
	assert_refused("serial#=2\0", 11, -EINVAL, 5);
	/* No terminator: the last entry runs to the end of the copy. */
	memset(data, 'a', sizeof(data));
	data[1] = '=';
	assert_refused((const char *)data, SIZE - 5, -EBADMSG, 5);
	/* Entries fill the copy exactly, leaving no room for the empty string. */
	memset(data, 'b', sizeof(data));
	for (size_t at = 0; at < SIZE - 5; at += 1003) {
		data[at + 1] = '=';
		data[MIN(at + 1002, SIZE - 6)] = '\0';
	}
	assert_refused((const char *)data, SIZE - 5, -EBADMSG, SIZE);
	/* A value one byte over the limit; a name over ENV_NAME_MAX. */
	memset(data, 'c', sizeof(data));
	memcpy(data, "v=", 2);
	data[2 + ENV_VALUE_MAX + 1] = '\0';
	data[2 + ENV_VALUE_MAX + 2] = '\0';
	assert_refused((const char *)data, ENV_VALUE_MAX + 5, -E2BIG, 5);
	data[2 + ENV_VALUE_MAX] = '\0'; /* exactly the limit: fine */
	hand_made(buf, (const char *)data, ENV_VALUE_MAX + 4, 3);
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	memset(data, 'n', sizeof(data));
	data[ENV_NAME_MAX + 1] = '=';
	data[ENV_NAME_MAX + 3] = '\0';
	data[ENV_NAME_MAX + 4] = '\0';
	assert_refused((const char *)data, ENV_NAME_MAX + 5, -EINVAL, 5);
	/* More variables than the environment holds. */
	size_t n = 0;
	for (int i = 0; i <= ENV_COUNT_MAX; i++) {
		n += (size_t)sprintf((char *)data + n, "v%d=1", i) + 1;
	}
	data[n++] = '\0';
	assert_refused((const char *)data, n, -ENOSPC, n - 1 - sizeof("v128=1") + 5);
	/* A good copy with one flipped bit: bad CRC in both layouts. */
	hand_made(buf, "a=1\0", 5, 3);
	buf[SIZE - 1] ^= 1;
	assert_int_equal(env_format_validate(buf, SIZE, &c), -EILSEQ);
	assert_false(c.is_valid);
	/* Blank (never written) media. */
	memset(buf, 0, SIZE);
	assert_int_equal(env_format_validate(buf, SIZE, &c), -EILSEQ);
	memset(buf, 0xff, SIZE);
	assert_int_equal(env_format_validate(buf, SIZE, &c), -EILSEQ);
	/* Tiny buffers. */
	assert_int_equal(env_format_validate(buf, 4, &c), -EILSEQ);
	assert_int_equal(env_format_validate(buf, 5, &c), -EILSEQ);
	assert_int_equal(env_format_export(buf, 5, 0), -ENOSPC);
}

/* Empty values are skipped and the last of repeated names wins (U-Boot's
 * import does the same). */
static void test_apply_rules(void **state)
{
	static const char data[] = "a=1\0b=\0a=2\0";
	struct env_copy c;

	hand_made(buf, data, sizeof(data), 0);
	assert_int_equal(env_format_validate(buf, SIZE, &c), 0);
	assert_int_equal(env_format_apply(buf, SIZE, &c), 0);
	assert_string_equal(env_get("a"), "2");
	assert_null(env_get("b"));
	assert_int_equal(env_count(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_export_layout, clear),
	    cmocka_unit_test_setup(test_round_trip, clear),
	    cmocka_unit_test_setup(test_empty_and_full, clear),
	    cmocka_unit_test_setup(test_single_layout, clear),
	    cmocka_unit_test_setup(test_newest, clear),
	    cmocka_unit_test_setup(test_hostile, clear),
	    cmocka_unit_test_setup(test_apply_rules, clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
