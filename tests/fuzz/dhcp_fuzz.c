/* A DHCP server's reply (STYLE U6): dhcp_parse() and the client state
 * machine take any bytes without a crash, and what they keep is bounded:
 * strings terminated in their fields and printable, the lease only from an
 * ACK that matches the offer. The input is split into packets by a
 * length byte each, so offers, NAKs and ACKs come in any order. */
#include <fuzz.h>
#include <net/dhcp.h>
#include <string.h>

static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};

static void check_string(const char *s, size_t size)
{
	fuzz_check(memchr(s, 0, size));
	for (; *s; s++) {
		fuzz_check(*s >= 0x20 && *s < 0x7f);
	}
}

static void check_lease(const struct dhcp_lease *l)
{
	check_string(l->bootfile, sizeof(l->bootfile));
	check_string(l->tftp_server, sizeof(l->tftp_server));
	/* A netmask is contiguous ones. */
	fuzz_check((~l->netmask & (~l->netmask + 1)) == 0);
}

static void dhcp_fuzz(const uint8_t *data, size_t size)
{
	struct dhcp_client c;
	struct dhcp_msg m;
	uint8_t out[DHCP_PKT_BUILD_MAX];

	if (dhcp_parse(data, size, 0x1234abcd, mac, &m) == 0) {
		check_lease(&m.lease);
	}
	dhcp_client_init(&c, mac, 0x1234abcd);
	while (size > 2) {
		/* Two length bytes, big endian, then that many bytes (or what is left). */
		size_t n = MIN((size_t)(data[0] << 8 | data[1]), size - 2);
		enum dhcp_event ev = dhcp_client_input(&c, data + 2, n);

		fuzz_check(dhcp_client_packet(&c, out, 0) <= DHCP_PKT_BUILD_MAX);
		if (ev == DHCP_EV_BOUND) {
			fuzz_check(c.state == DHCP_BOUND && c.lease.ip == c.offer.lease.ip);
			check_lease(&c.lease);
		}
		data += 2 + n;
		size -= 2 + n;
	}
}

FUZZ_TARGET(dhcp_fuzz)
