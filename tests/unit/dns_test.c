/* net/dns.c: the query's wire form, a reply with a compressed CNAME chain,
 * NXDOMAIN, server failure, replies to another id or question, and hostile
 * replies (pointer loops, labels past the end, rdlength past the end,
 * truncation at every byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lib/be.h>
#include <lib/errno.h>
#include <net/dns.h>
#include <string.h>

static void test_query(void **state)
{
	uint8_t q[DNS_QUERY_MAX];
	static const uint8_t want[] = {0x12, 0x34, 0x01, 0x00, 0, 1,   0,   0,	 0, 0, 0, 0, 4,
				       'b',  'o',  'o',	 't',  3, 'l', 'a', 'n', 0, 0, 1, 0, 1};
	char name[300];

	assert_int_equal(dns_build_query(q, 0x1234, "boot.lan"), sizeof(want));
	assert_memory_equal(q, want, sizeof(want));
	assert_int_equal(dns_build_query(q, 1, ""), -EINVAL);
	assert_int_equal(dns_build_query(q, 1, "a..b"), -EINVAL);
	assert_int_equal(dns_build_query(q, 1, "a."), -EINVAL);
	assert_int_equal(dns_build_query(q, 1, ".a"), -EINVAL);
	memset(name, 'a', 64);
	name[64] = '\0';
	assert_int_equal(dns_build_query(q, 1, name), -EINVAL); /* label of 64 */
	for (int i = 0; i < 254; i++) {
		name[i] = i % 2 ? '.' : 'a';
	}
	name[253] = '\0';
	assert_true(dns_build_query(q, 1, name) > 0);
	name[253] = 'a';
	name[254] = '\0';
	assert_int_equal(dns_build_query(q, 1, name), -EINVAL);
}

/* boot.lan CNAME srv.lan (pointer into the question), srv.lan A 10.0.0.7. */
static size_t reply(uint8_t *p, uint16_t flags)
{
	size_t n = (size_t)dns_build_query(p, 0x1234, "boot.lan");
	static const uint8_t answers[] = {
	    0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3,	 's', 'r', 'v', 0xc0, 17, /* CNAME */
	    0xc0, 38, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0,   0,   7, /* A */
	};

	store_be16(p + 2, flags);
	store_be16(p + 6, 2);
	memcpy(p + n, answers, sizeof(answers));
	return n + sizeof(answers);
}

static void test_reply(void **state)
{
	uint8_t p[DNS_REPLY_MAX];
	uint32_t ip = 0;
	size_t len = reply(p, 0x8180);

	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), 0);
	assert_int_equal(ip, 0x0a000007);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "BOOT.lan", &ip), 0);
	assert_int_equal(dns_parse_reply(p, len, 0x1235, "boot.lan", &ip), -EAGAIN);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.la", &ip), -EAGAIN);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan.x", &ip), -EAGAIN);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot", &ip), -EAGAIN);
	len = reply(p, 0x0100); /* a query, not a reply */
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EAGAIN);
	len = reply(p, 0x8183);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -ENOENT);
	len = reply(p, 0x8182);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EIO);
	len = reply(p, 0x8380); /* truncated */
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EINVAL);
	/* Only the CNAME: no address. */
	len = reply(p, 0x8180);
	store_be16(p + 6, 1);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -ENOENT);
}

static void test_hostile(void **state)
{
	uint8_t p[DNS_REPLY_MAX];
	uint32_t ip;
	size_t len = reply(p, 0x8180);

	for (size_t cut = 0; cut < len; cut++) {
		int rc = dns_parse_reply(p, cut, 0x1234, "boot.lan", &ip);
		assert_true(rc == -EINVAL || rc == -ENOENT);
	}
	/* The first answer's owner name points at itself: a loop, bounded. */
	p[26] = 0xc0;
	p[27] = 26;
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EINVAL);
	/* rdlength past the end. */
	len = reply(p, 0x8180);
	store_be16(p + 36, 0xffff);
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EINVAL);
	/* An A record of 3 bytes is not taken. */
	len = reply(p, 0x8180);
	store_be16(p + 54, 3);
	assert_int_equal(dns_parse_reply(p, len - 1, 0x1234, "boot.lan", &ip), -ENOENT);
	/* Reserved label type 0x40. */
	len = reply(p, 0x8180);
	p[12] = 0x44;
	assert_int_equal(dns_parse_reply(p, len, 0x1234, "boot.lan", &ip), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query),
	    cmocka_unit_test(test_reply),
	    cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
