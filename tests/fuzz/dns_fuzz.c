/* A DNS reply (STYLE U6): any bytes parse without a crash or a hang
 * (compression pointer loops are bounded), and an address is only returned
 * with 0. */
#include <fuzz.h>
#include <lib/errno.h>
#include <net/dns.h>

static void dns_fuzz(const uint8_t *data, size_t size)
{
	uint32_t ip = 0xdeadbeef;
	int rc = dns_parse_reply(data, size, size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0,
				 "boot.example.org", &ip);

	fuzz_check(rc == 0 || rc == -ENOENT || rc == -EAGAIN || rc == -EIO || rc == -EINVAL);
	fuzz_check(rc == 0 || ip == 0xdeadbeef);
}

FUZZ_TARGET(dns_fuzz)
