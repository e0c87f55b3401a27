/* boot/uimage.c: the legacy image header on valid images (one made by
 * mkimage itself, others built here) and on every kind of damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <boot/uimage.h>
#include <lib/errno.h>
#include <string.h>
#include <uimage_build.h>

/* `mkimage -A arm64 -O linux -T script -C none -n "test script" -d s.txt`
 * with s.txt = "echo hi\n" (u-boot-tools 2023.01, Debian 12). */
static const uint8_t mkimage_scr[] = {
    0x27, 0x05, 0x19, 0x56, 0x54, 0x57, 0x44, 0x85, 0x6b, 0x0c, 0x7c, 0xbe, 0x00, 0x00, 0x00, 0x10,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd9, 0x34, 0x01, 0x62, 0x05, 0x16, 0x06, 0x00,
    0x74, 0x65, 0x73, 0x74, 0x20, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x65, 0x63, 0x68, 0x6f, 0x20, 0x68, 0x69, 0x0a,
};

static uint8_t img[64 + 8 + 65536];

static void test_mkimage_script(void **state)
{
	struct uimage im;
	const char *text;
	size_t len;

	assert_int_equal(uimage_parse(mkimage_scr, sizeof(mkimage_scr), &im), 0);
	assert_int_equal(im.type, UIMAGE_TYPE_SCRIPT);
	assert_int_equal(im.comp, UIMAGE_COMP_NONE);
	assert_int_equal(im.os, 5);
	assert_int_equal(im.arch, 22);
	assert_int_equal(im.size, 16);
	assert_ptr_equal(im.data, mkimage_scr + 64);
	assert_string_equal(im.name, "test script");
	assert_int_equal(uimage_script(&im, &text, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(text, "echo hi\n", 8);
	/* A longer buffer (image read from a bigger file) is fine. */
	uint8_t big[sizeof(mkimage_scr) + 100] = {0};
	memcpy(big, mkimage_scr, sizeof(mkimage_scr));
	assert_int_equal(uimage_parse(big, sizeof(big), &im), 0);
}

static void test_built_matches_mkimage(void **state)
{
	size_t n = ub_script(img, UIMAGE_COMP_NONE, "echo hi\n", 8);
	struct uimage im;

	assert_int_equal(n, sizeof(mkimage_scr));
	memcpy(img + 32, "test script", 11);
	ub_fix_hcrc(img);
	assert_memory_equal(img, mkimage_scr, n);
	assert_int_equal(uimage_parse(img, n, &im), 0);
}

static void test_not_an_image(void **state)
{
	struct uimage im;
	uint8_t buf[80] = {0};

	assert_int_equal(uimage_parse(buf, 0, &im), -EINVAL);
	assert_int_equal(uimage_parse(mkimage_scr, 3, &im), -EINVAL);
	memcpy(buf, mkimage_scr, sizeof(buf));
	buf[3] ^= 1;
	assert_int_equal(uimage_parse(buf, sizeof(buf), &im), -EINVAL);
	/* A plain-text script is not an image. */
	assert_int_equal(uimage_parse("echo hi; echo there\n"
				      "0123456789012345678901234567890123456789012345678",
				      69, &im),
			 -EINVAL);
}

static void test_truncated(void **state)
{
	struct uimage im;

	for (size_t len = 4; len < sizeof(mkimage_scr); len++) {
		assert_int_equal(uimage_parse(mkimage_scr, len, &im), -EMSGSIZE);
	}
	/* A size near 2^32 must not wrap the bounds check. */
	memcpy(img, mkimage_scr, sizeof(mkimage_scr));
	ub_put_be32(img + 12, 0xffffffffu);
	ub_fix_hcrc(img);
	assert_int_equal(uimage_parse(img, sizeof(mkimage_scr), &im), -EMSGSIZE);
	ub_put_be32(img + 12, 0xffffffc0u);
	ub_fix_hcrc(img);
	assert_int_equal(uimage_parse(img, sizeof(mkimage_scr), &im), -EMSGSIZE);
}

/* Any single bit flipped in the header after the magic: -EILSEQ. */
static void test_header_crc(void **state)
{
	struct uimage im;

	for (size_t bit = 32; bit < 64 * 8; bit++) {
		memcpy(img, mkimage_scr, sizeof(mkimage_scr));
		img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int rc = uimage_parse(img, sizeof(mkimage_scr), &im);
		assert_int_equal(rc, -EILSEQ);
	}
}

static void test_data_crc(void **state)
{
	struct uimage im;

	for (size_t i = 64; i < sizeof(mkimage_scr); i++) {
		memcpy(img, mkimage_scr, sizeof(mkimage_scr));
		img[i] ^= 0x20;
		assert_int_equal(uimage_parse(img, sizeof(mkimage_scr), &im), -EILSEQ);
	}
}

static void test_name_not_terminated(void **state)
{
	struct uimage im;
	size_t n = ub_image(img, UIMAGE_TYPE_RAMDISK, UIMAGE_COMP_NONE,
			    "0123456789abcdef0123456789ABCDEF", "x", 1);

	assert_int_equal(uimage_parse(img, n, &im), 0);
	assert_int_equal(strlen(im.name), 32);
	assert_string_equal(im.name, "0123456789abcdef0123456789ABCDEF");
	assert_int_equal(im.type, UIMAGE_TYPE_RAMDISK);
}

static int script_of(const void *payload, uint32_t size, uint8_t type, const char **text,
		     size_t *len)
{
	struct uimage im;
	size_t n = ub_image(img, type, UIMAGE_COMP_NONE, "s", payload, size);

	assert_int_equal(uimage_parse(img, n, &im), 0);
	return uimage_script(&im, text, len);
}

static void test_script_table(void **state)
{
	const char *text;
	size_t len;

	/* Two parts (multi): the first one is returned. */
	static const uint8_t multi[] = {0, 0, 0, 3,   0,   0,	0, 2,	0,
					0, 0, 0, 'a', 'b', 'c', 0, 'd', 'e'};
	assert_int_equal(script_of(multi, sizeof(multi), UIMAGE_TYPE_MULTI, &text, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(text, "abc", 3);
	/* No terminating 0 within the payload. */
	static const uint8_t unterminated[] = {0, 0, 0, 1, 0, 0, 0, 1, 'x', 'y'};
	assert_int_equal(script_of(unterminated, 8, UIMAGE_TYPE_SCRIPT, &text, &len), -EMSGSIZE);
	assert_int_equal(
	    script_of(unterminated, sizeof(unterminated), UIMAGE_TYPE_SCRIPT, &text, &len),
	    -EMSGSIZE);
	assert_int_equal(script_of("", 0, UIMAGE_TYPE_SCRIPT, &text, &len), -EMSGSIZE);
	/* First part longer than what follows the table. */
	static const uint8_t toolong[] = {0, 0, 0, 5, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
	assert_int_equal(script_of(toolong, sizeof(toolong), UIMAGE_TYPE_SCRIPT, &text, &len),
			 -EMSGSIZE);
	static const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 'a'};
	assert_int_equal(script_of(huge, sizeof(huge), UIMAGE_TYPE_SCRIPT, &text, &len), -EMSGSIZE);
	/* Exactly fitting, and empty. */
	static const uint8_t fits[] = {0, 0, 0, 4, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
	assert_int_equal(script_of(fits, sizeof(fits), UIMAGE_TYPE_SCRIPT, &text, &len), 0);
	assert_int_equal(len, 4);
	static const uint8_t empty[] = {0, 0, 0, 0, 'a'};
	assert_int_equal(script_of(empty, sizeof(empty), UIMAGE_TYPE_SCRIPT, &text, &len),
			 -ENODATA);
	/* Not a script: a ramdisk has no table. */
	assert_int_equal(script_of(fits, sizeof(fits), UIMAGE_TYPE_RAMDISK, &text, &len), -ENOEXEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mkimage_script),
	    cmocka_unit_test(test_built_matches_mkimage),
	    cmocka_unit_test(test_not_an_image),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_header_crc),
	    cmocka_unit_test(test_data_crc),
	    cmocka_unit_test(test_name_not_terminated),
	    cmocka_unit_test(test_script_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
