/* EFI_LOAD_OPTION parsing (efi/load_option.c): good options split right,
 * every kind of damage refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <efi/bootmgr.h>
#include <lib/errno.h>
#include <string.h>

/* Attributes 1, "ab", a file path node "x" + end, optional data "OPT". */
static size_t build(uint8_t *b)
{
	size_t n = 0;
	const uint8_t head[] = {1, 0, 0, 0, 0, 0, 'a', 0, 'b', 0, 0, 0};
	memcpy(b, head, sizeof(head));
	n = sizeof(head);
	const uint8_t path[] = {4, 4, 8, 0, 'x', 0, 0, 0, 0x7f, 0xff, 4, 0};
	memcpy(b + n, path, sizeof(path));
	b[4] = sizeof(path);
	n += sizeof(path);
	memcpy(b + n, "OPT", 3);
	return n + 3;
}

static void test_good(void **state)
{
	uint8_t b[64];
	size_t n = build(b);
	struct efi_load_option o;

	assert_int_equal(efi_load_option_parse(b, n, &o), 0);
	assert_int_equal(o.attributes, LOAD_OPTION_ACTIVE);
	assert_int_equal(o.desc_units, 2);
	assert_int_equal(o.file_path_size, 12);
	assert_ptr_equal(o.file_path, b + 12);
	assert_int_equal(o.optional_size, 3);
	assert_memory_equal(o.optional_data, "OPT", 3);
	/* No optional data is fine too. */
	assert_int_equal(efi_load_option_parse(b, n - 3, &o), 0);
	assert_int_equal(o.optional_size, 0);
}

static void test_damaged(void **state)
{
	uint8_t b[64];
	size_t n = build(b);
	struct efi_load_option o;

	/* Every truncation before the optional data is refused. */
	for (size_t len = 0; len < n - 3; len++) {
		assert_int_equal(efi_load_option_parse(b, len, &o), -EINVAL);
	}
	uint8_t c[64];
	memcpy(c, b, n);
	c[4] = 200; /* FilePathListLength past the end */
	assert_int_equal(efi_load_option_parse(c, n, &o), -EINVAL);
	memcpy(c, b, n);
	c[14] = 2; /* a node shorter than its header */
	assert_int_equal(efi_load_option_parse(c, n, &o), -EINVAL);
	memcpy(c, b, n);
	c[14] = 0xff; /* a node longer than the list */
	assert_int_equal(efi_load_option_parse(c, n, &o), -EINVAL);
	memcpy(c, b, n);
	c[21] = 0x01; /* no end node: an end-instance node is not the end */
	assert_int_equal(efi_load_option_parse(c, n, &o), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
