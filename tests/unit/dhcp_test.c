/* net/dhcp.c: the messages we build (what a server needs: broadcast flag,
 * chaddr, cookie, type, PXE class and arch, REQUEST's server id), replies
 * parsed with every option the brief lists, hostile replies (options past
 * the end, another xid or MAC, bad yiaddr, control bytes in names,
 * non-contiguous masks, overload), and the state machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lib/be.h>
#include <lib/errno.h>
#include <net/dhcp.h>
#include <string.h>

static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};
#define XID 0x1234abcdu

/* A reply as a server builds it: @opts are raw option bytes (no END). */
static size_t reply(uint8_t *p, uint8_t type, uint32_t yiaddr, const uint8_t *opts, size_t n)
{
	size_t len = DHCP_OPTIONS_OFF;

	memset(p, 0, 1024);
	p[0] = 2;
	p[1] = 1;
	p[2] = 6;
	store_be32(p + 4, XID);
	store_be32(p + 16, yiaddr);
	store_be32(p + 20, 0x0a000001);
	memcpy(p + 28, mac, 6);
	strcpy((char *)p + 108, "fallback.efi");
	store_be32(p + 236, 0x63825363);
	p[len++] = 53;
	p[len++] = 1;
	p[len++] = type;
	if (n) {
		memcpy(p + len, opts, n);
	}
	len += n;
	p[len++] = 255;
	return len;
}

static const uint8_t full_opts[] = {
    1,	4,  255, 255, 255, 0, /* subnet */
    3,	8,  10,	 0,   0,   254, 10,  0,	  0,   253, /* routers: the first counts */
    6,	4,  10,	 0,   0,   53, /* DNS */
    51, 4,  0,	 1,   81,  128, /* lease 86400 */
    54, 4,  10,	 0,   0,   1, /* server id */
    66, 8,  't', 'f', 't', 'p', '.', 'l', 'a', 'n', /* TFTP server */
    67, 12, 'p', 'x', 'e', 'l', 'i', 'n', 'u', 'x', '.', '0', 0, 0, /* bootfile, NULs */
};

static void test_parse_full(void **state)
{
	uint8_t p[1024];
	struct dhcp_msg m;
	size_t len = reply(p, DHCP_ACK, 0x0a000002, full_opts, sizeof(full_opts));

	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), 0);
	assert_int_equal(m.type, DHCP_ACK);
	assert_int_equal(m.lease.ip, 0x0a000002);
	assert_int_equal(m.lease.netmask, 0xffffff00);
	assert_int_equal(m.lease.gateway, 0x0a0000fe);
	assert_int_equal(m.lease.dns, 0x0a000035);
	assert_int_equal(m.lease.lease_s, 86400);
	assert_int_equal(m.lease.server_id, 0x0a000001);
	assert_int_equal(m.lease.siaddr, 0x0a000001);
	assert_string_equal(m.lease.tftp_server, "tftp.lan");
	assert_string_equal(m.lease.bootfile, "pxelinux.0"); /* option 67 beats the field */
}

static void test_parse_not_ours(void **state)
{
	uint8_t p[1024], other[6] = {0x00, 0x16, 0x3e, 0, 0, 1};
	struct dhcp_msg m;
	size_t len = reply(p, DHCP_OFFER, 0x0a000002, full_opts, sizeof(full_opts));

	assert_int_equal(dhcp_parse(p, len, XID + 1, mac, &m), -ENOENT);
	assert_int_equal(dhcp_parse(p, len, XID, other, &m), -ENOENT);
	p[0] = 1; /* a BOOTREQUEST (another client's broadcast) */
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
	p[0] = 2;
	p[236] = 0; /* no cookie: plain BOOTP */
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
}

static void test_parse_hostile(void **state)
{
	uint8_t p[1024];
	struct dhcp_msg m;
	size_t len;

	/* Every truncation fails cleanly or parses what is there. */
	len = reply(p, DHCP_ACK, 0x0a000002, full_opts, sizeof(full_opts));
	for (size_t cut = 0; cut < len; cut++) {
		int rc = dhcp_parse(p, cut, XID, mac, &m);
		assert_true(rc == 0 || rc == -EINVAL);
	}
	/* An option whose length runs past the packet. */
	const uint8_t past[] = {54, 4, 10, 0, 0, 1, 67, 200, 'a'};
	len = reply(p, DHCP_OFFER, 0x0a000002, past, sizeof(past)) - 1; /* no END */
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
	/* yiaddr 0, broadcast, loopback, multicast. */
	const uint32_t bad_ip[] = {0, 0xffffffff, 0x7f000001, 0xe0000001, 0x00000005};
	for (size_t i = 0; i < 5; i++) {
		len = reply(p, DHCP_ACK, bad_ip[i], full_opts, sizeof(full_opts));
		assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
	}
	/* Control bytes in a name and a non-contiguous mask are dropped. */
	const uint8_t odd[] = {1,   4,	255, 0,	  255,	0,   67, 5, 'a', '\n', 'b', 'c',
			       'd', 66, 3,   'x', 0x80, 'y', 3,	 3, 1,	 2,    3};
	len = reply(p, DHCP_ACK, 0x0a000002, odd, sizeof(odd));
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), 0);
	assert_int_equal(m.lease.netmask, 0);
	assert_int_equal(m.lease.gateway, 0); /* router of 3 bytes */
	assert_string_equal(m.lease.bootfile, "fallback.efi"); /* the field instead */
	assert_string_equal(m.lease.tftp_server, "");
	/* No message type at all. */
	len = reply(p, DHCP_ACK, 0x0a000002, NULL, 0);
	p[DHCP_OPTIONS_OFF] = 0; /* pad over option 53 */
	p[DHCP_OPTIONS_OFF + 1] = 0;
	p[DHCP_OPTIONS_OFF + 2] = 0;
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
}

/* Option overload (RFC 2131 §4.1): the file field holds options, and is no
 * boot file name then. */
static void test_parse_overload(void **state)
{
	uint8_t p[1024];
	struct dhcp_msg m;
	const uint8_t ov[] = {52, 1, 1};
	size_t len = reply(p, DHCP_ACK, 0x0a000002, ov, sizeof(ov));
	const uint8_t in_file[] = {54, 4, 10, 0, 0, 9, 67, 3, 'b', 'o', 'o', 255};

	memset(p + 108, 0, 128);
	memcpy(p + 108, in_file, sizeof(in_file));
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), 0);
	assert_int_equal(m.lease.server_id, 0x0a000009);
	assert_string_equal(m.lease.bootfile, "boo");
	/* An option in the file field running past it. */
	p[108 + 7] = 200;
	assert_int_equal(dhcp_parse(p, len, XID, mac, &m), -EINVAL);
}

static void test_build(void **state)
{
	uint8_t p[DHCP_PKT_BUILD_MAX];
	size_t len = dhcp_build(p, DHCP_REQUEST, XID, mac, 3, 0x0a000002, 0x0a000001);

	assert_true(len >= DHCP_PKT_MIN && len <= DHCP_PKT_BUILD_MAX);
	assert_int_equal(p[0], 1);
	assert_int_equal(load_be32(p + 4), XID);
	assert_int_equal(load_be16(p + 8), 3);
	assert_int_equal(load_be16(p + 10), 0x8000);
	assert_memory_equal(p + 28, mac, 6);
	assert_int_equal(load_be32(p + 236), 0x63825363);
	/* Walk the options: the ones a PXE server and RFC 2131 need are there. */
	bool seen53 = false, seen50 = false, seen54 = false, seen60 = false, seen93 = false;
	for (size_t i = DHCP_OPTIONS_OFF; i < len && p[i] != 255; i += 2 + p[i + 1]) {
		const uint8_t *v = p + i + 2;
		seen53 |= p[i] == 53 && v[0] == DHCP_REQUEST;
		seen50 |= p[i] == 50 && load_be32(v) == 0x0a000002;
		seen54 |= p[i] == 54 && load_be32(v) == 0x0a000001;
		seen60 |= p[i] == 60 && p[i + 1] == 20 && !memcmp(v, "PXEClient:Arch:00011", 20);
		seen93 |= p[i] == 93 && load_be16(v) == 11;
	}
	assert_true(seen53 && seen50 && seen54 && seen60 && seen93);
}

static void test_client(void **state)
{
	struct dhcp_client c;
	uint8_t p[1024], out[DHCP_PKT_BUILD_MAX];
	size_t len;

	dhcp_client_init(&c, mac, XID);
	assert_int_equal(dhcp_client_packet(&c, out, 0) >= DHCP_PKT_MIN, 1);
	assert_int_equal(out[DHCP_OPTIONS_OFF + 2], DHCP_DISCOVER);
	/* An ACK before any offer, and an offer without a server id: ignored. */
	len = reply(p, DHCP_ACK, 0x0a000002, full_opts, sizeof(full_opts));
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_IGNORE);
	len = reply(p, DHCP_OFFER, 0x0a000002, NULL, 0);
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_IGNORE);
	len = reply(p, DHCP_OFFER, 0x0a000002, full_opts, sizeof(full_opts));
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_SEND);
	assert_int_equal(c.state, DHCP_REQUESTING);
	dhcp_client_packet(&c, out, 1);
	assert_int_equal(out[DHCP_OPTIONS_OFF + 2], DHCP_REQUEST);
	/* A duplicate offer, an ACK for another address: ignored. */
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_IGNORE);
	len = reply(p, DHCP_ACK, 0x0a000003, full_opts, sizeof(full_opts));
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_IGNORE);
	/* A NAK starts over with a new xid. */
	len = reply(p, DHCP_NAK, 0, full_opts + 28, 6);
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_SEND);
	assert_int_equal(c.state, DHCP_SELECTING);
	assert_int_equal(c.xid, XID + 1);
	assert_int_equal(c.naks, 1);
	/* Replies to the old xid are ignored now. */
	len = reply(p, DHCP_OFFER, 0x0a000002, full_opts, sizeof(full_opts));
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_IGNORE);
	store_be32(p + 4, XID + 1);
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_SEND);
	len = reply(p, DHCP_ACK, 0x0a000002, full_opts, sizeof(full_opts));
	store_be32(p + 4, XID + 1);
	assert_int_equal(dhcp_client_input(&c, p, len), DHCP_EV_BOUND);
	assert_int_equal(c.lease.ip, 0x0a000002);
	assert_string_equal(c.lease.bootfile, "pxelinux.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full),	  cmocka_unit_test(test_parse_not_ours),
	    cmocka_unit_test(test_parse_hostile), cmocka_unit_test(test_parse_overload),
	    cmocka_unit_test(test_build),	  cmocka_unit_test(test_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
