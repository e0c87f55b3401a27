/* DNS A-record queries and replies (include/net/dns.h); the UDP exchange,
 * dns_resolve(), is at the end.
 *
 * Header (RFC 1035 §4.1.1): id, flags (QR, opcode, AA, TC, RD, RA, rcode),
 * qdcount, ancount, nscount, arcount. A name is labels (length byte, then
 * bytes) ending in a zero byte, or a pointer (two top bits set) to an
 * earlier name: we follow at most MAX_JUMPS of them. */
#include <arch/arch.h>
#include <lib/be.h>
#include <lib/errno.h>
#include <net/dns.h>
#include <net/net.h>
#include <net/udp.h>
#include <stdbool.h>
#include <string.h>

#define HDR_LEN 12
#define FLAG_QR 0x8000
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define OPCODE_MASK 0x7800
#define RCODE_MASK 0x000f
#define RCODE_NXDOMAIN 3
#define TYPE_A 1
#define CLASS_IN 1
#define MAX_JUMPS 16
#define LABEL_MAX 63
#define TRIES 3
#define PORT_BASE 49152

int dns_build_query(uint8_t *buf, uint16_t id, const char *name)
{
	size_t n = strlen(name), pos = HDR_LEN;

	if (n == 0 || n > DNS_NAME_MAX) {
		return -EINVAL;
	}
	memset(buf, 0, HDR_LEN);
	store_be16(buf, id);
	store_be16(buf + 2, FLAG_RD);
	store_be16(buf + 4, 1);
	while (*name) {
		size_t len = strcspn(name, ".");

		if (len == 0 || len > LABEL_MAX) {
			return -EINVAL;
		}
		buf[pos++] = (uint8_t)len;
		memcpy(buf + pos, name, len);
		pos += len;
		name += len;
		if (*name == '.' && *++name == '\0') {
			return -EINVAL; /* "a." */
		}
	}
	buf[pos++] = 0;
	store_be16(buf + pos, TYPE_A);
	store_be16(buf + pos + 2, CLASS_IN);
	return (int)(pos + 4);
}

/* Skip (or, with @want, compare against) the name at *@off. The offset past
 * the name's first run is stored back. 0, 1 (mismatch) or -EINVAL. */
static int walk_name(const uint8_t *p, size_t len, size_t *off, const char *want)
{
	size_t pos = *off, total = 0;
	int jumps = 0, diff = 0;
	bool has_jumped = false;

	for (;;) {
		if (pos >= len) {
			return -EINVAL;
		}
		uint8_t l = p[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++jumps > MAX_JUMPS) {
				return -EINVAL;
			}
			if (!has_jumped) {
				*off = pos + 2;
				has_jumped = true;
			}
			pos = (size_t)(l & 0x3f) << 8 | p[pos + 1];
			continue;
		}
		if (l & 0xc0) {
			return -EINVAL; /* reserved label types */
		}
		if (l == 0) {
			break;
		}
		if (pos + 1 + l > len || (total += l + 1u) > DNS_NAME_MAX + 1) {
			return -EINVAL;
		}
		if (want) {
			size_t wl = strcspn(want, ".");
			diff |= wl != l;
			for (size_t i = 0; !diff && i < l; i++) {
				diff |= (p[pos + 1 + i] | 0x20) != (want[i] | 0x20);
			}
			want += MIN(wl, (size_t)l);
			want += *want == '.';
		}
		pos += 1 + l;
	}
	if (!has_jumped) {
		*off = pos + 1;
	}
	return (diff || (want && *want)) ? 1 : 0;
}

static int check_header(const uint8_t *p, size_t len, uint16_t id)
{
	uint16_t flags;

	if (len < HDR_LEN) {
		return -EINVAL;
	}
	flags = load_be16(p + 2);
	if (load_be16(p) != id || !(flags & FLAG_QR) || (flags & OPCODE_MASK)) {
		return -EAGAIN;
	}
	if ((flags & RCODE_MASK) == RCODE_NXDOMAIN) {
		return -ENOENT;
	}
	if (flags & RCODE_MASK) {
		return -EIO;
	}
	if (flags & FLAG_TC) {
		return -EINVAL; /* a partial answer: we have no TCP fallback */
	}
	return load_be16(p + 4) == 1 ? 0 : -EAGAIN;
}

int dns_parse_reply(const uint8_t *p, size_t len, uint16_t id, const char *name, uint32_t *ip)
{
	size_t off = HDR_LEN;
	int rc = check_header(p, len, id);

	if (rc) {
		return rc;
	}
	rc = walk_name(p, len, &off, name);
	if (rc < 0 || off + 4 > len) {
		return -EINVAL;
	}
	if (rc || load_be16(p + off) != TYPE_A || load_be16(p + off + 2) != CLASS_IN) {
		return -EAGAIN; /* an answer to another question */
	}
	off += 4;
	for (unsigned int i = 0, n = load_be16(p + 6); i < n; i++) {
		if (walk_name(p, len, &off, NULL) < 0 || off + 10 > len) {
			return -EINVAL;
		}
		uint16_t type = load_be16(p + off), class = load_be16(p + off + 2);
		uint16_t rdlen = load_be16(p + off + 8);
		off += 10;
		if (rdlen > len - off) {
			return -EINVAL;
		}
		if (type == TYPE_A && class == CLASS_IN && rdlen == 4) {
			*ip = load_be32(p + off);
			return 0;
		}
		off += rdlen;
	}
	return -ENOENT;
}

struct dns_io {
	uint16_t id;
	const char *name;
	int rc; /* 1 while waiting */
	uint32_t ip;
	uint32_t server;
};

static void dns_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	struct dns_io *io = ctx;
	uint32_t ip = 0;
	int rc;

	if (src != io->server || sport != DNS_PORT || io->rc != 1) {
		return;
	}
	rc = dns_parse_reply(data, len, io->id, io->name, &ip);
	if (rc != -EAGAIN) {
		io->rc = rc;
		io->ip = ip;
	}
}

int dns_resolve(struct net_stack *ns, const char *name, uint32_t *ip, unsigned int timeout_ms)
{
	uint8_t q[DNS_QUERY_MAX];
	struct dns_io io = {.name = name, .rc = 1, .server = ns->dns};
	struct udp_bind b = {.rx = dns_rx, .ctx = &io};
	uint64_t now = arch_time_ns();
	int len, rc;

	if (net_ip_parse(name, ip) == 0) {
		return 0;
	}
	if (!ns->dns) {
		return -ENXIO;
	}
	io.id = (uint16_t)(now >> 12);
	b.port = (uint16_t)(PORT_BASE + (now >> 20) % 16000);
	len = dns_build_query(q, io.id, name);
	if (len < 0) {
		return len;
	}
	rc = udp_bind(ns, &b);
	for (unsigned int i = 0; !rc && io.rc == 1 && i < TRIES; i++) {
		uint64_t deadline = net_deadline_ms(timeout_ms / TRIES);

		rc = udp_send(ns, io.server, b.port, DNS_PORT, q, (size_t)len);
		while (!rc && io.rc == 1 && arch_time_ns() < deadline) {
			rc = net_poll(ns, deadline);
			rc = rc == -ETIMEDOUT ? 0 : rc;
		}
	}
	udp_unbind(ns, &b);
	if (!rc) {
		rc = io.rc == 1 ? -ETIMEDOUT : io.rc;
	}
	if (!rc) {
		*ip = io.ip;
	}
	return rc;
}
