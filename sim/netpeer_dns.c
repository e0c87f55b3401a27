/* A DNS server on a simulated host (sim/netpeer_apps.h), written apart from
 * net/dns.c: A queries answered from a table (a CNAME first when the record
 * has one, with compression pointers as real servers write them),
 * NXDOMAIN otherwise, and hostile replies. */
#include "internal.h"

#include <sim/netpeer_apps.h>
#include <string.h>
#include <strings.h>

#define REPLY_MAX 512

struct dnsd {
	struct sim_dns_config cfg;
	unsigned int *queries, own;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The question's name as dotted text; its end offset, or 0 if malformed. */
static size_t read_qname(const uint8_t *p, size_t len, char *out, size_t size)
{
	size_t off = 12, n = 0;

	while (off < len && p[off]) {
		uint8_t l = p[off];
		if (l > 63 || off + 1 + l > len || n + l + 2 > size) {
			return 0;
		}
		if (n) {
			out[n++] = '.';
		}
		memcpy(out + n, p + off + 1, l);
		n += l;
		off += 1 + l;
	}
	out[n] = '\0';
	return off < len ? off + 1 : 0;
}

static size_t put_name(uint8_t *p, const char *name)
{
	size_t n = 0;

	while (*name) {
		size_t l = strcspn(name, ".");
		p[n++] = (uint8_t)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (name[l] == '.');
	}
	p[n++] = 0;
	return n;
}

static size_t put_rr(uint8_t *p, const uint8_t *owner, size_t owner_len, uint16_t type,
		     const uint8_t *data, uint16_t dlen)
{
	memcpy(p, owner, owner_len);
	p += owner_len;
	put16(p, type);
	put16(p + 2, 1);
	memset(p + 4, 0, 4);
	p[7] = 60;
	put16(p + 8, dlen);
	memcpy(p + 10, data, dlen);
	return owner_len + 10 + dlen;
}

static const struct sim_dns_record *find(const struct dnsd *d, const char *name)
{
	for (unsigned int i = 0; i < d->cfg.record_count; i++) {
		if (!strcasecmp(d->cfg.records[i].name, name)) {
			return &d->cfg.records[i];
		}
	}
	return NULL;
}

/* The answers after the question ending at @qend; the answer count. */
static uint16_t answer(const struct dnsd *d, const struct sim_dns_record *r, uint8_t *out,
		       size_t qend, size_t *len)
{
	uint8_t to_q[2] = {0xc0, 12}, ip[4], target[300];
	size_t n = qend;
	uint16_t count = 0;

	if (r->cname) {
		size_t tl = put_name(target, r->cname);
		n += put_rr(out + n, to_q, 2, 5, target, (uint16_t)tl);
		to_q[1] = (uint8_t)(n - tl); /* the CNAME's target, as a pointer */
		count++;
		r = find(d, r->cname);
	}
	if (r) {
		put16(ip, (uint16_t)(r->ip >> 16));
		put16(ip + 2, (uint16_t)r->ip);
		if (d->cfg.hostile == SIM_DNS_LOOP) {
			to_q[1] = (uint8_t)n; /* the name points at itself */
		}
		n += put_rr(out + n, to_q, 2, 1, ip, 4);
		count++;
	}
	*len = n;
	return count;
}

static int dnsd_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	struct dnsd *d = ctx;
	const uint8_t *q = pkt->data;
	uint8_t out[REPLY_MAX];
	char name[256];
	size_t qend, len;

	(*d->queries)++;
	if (pkt->data_len < 17 || (q[2] & 0x80) || d->cfg.hostile == SIM_DNS_SILENT ||
	    !(qend = read_qname(q, pkt->data_len, name, sizeof(name))) ||
	    qend + 4 > pkt->data_len) {
		return 1;
	}
	qend += 4;
	memcpy(out, q, qend);
	put16(out + 2, 0x8180);
	memset(out + 6, 0, 6);
	const struct sim_dns_record *r = find(d, name);
	uint16_t count = r ? answer(d, r, out, qend, &len) : 0;
	if (!r) {
		out[3] = 0x83; /* NXDOMAIN */
		len = qend;
	}
	put16(out + 6, count);
	if (d->cfg.hostile == SIM_DNS_TRUNCATED && len > qend + 6) {
		len = qend + 6;
	}
	if (d->cfg.hostile == SIM_DNS_WRONG_ID_FIRST) {
		out[0] ^= 0x80;
		sim_nethost_send_udp(h, pkt->src_mac, pkt->src, 53, pkt->sport, out, len);
		out[0] ^= 0x80;
	}
	sim_nethost_send_udp(h, pkt->src_mac, pkt->src, 53, pkt->sport, out, len);
	return 1;
}

static void dnsd_release(void *ctx)
{
	free(ctx);
}

static const struct sim_netsvc dnsd_svc = {
    .name = "dns", .proto = 17, .port = 53, .rx = dnsd_rx, .release = dnsd_release};

int sim_dns_add(struct sim_nethost *h, const struct sim_dns_config *cfg, unsigned int *queries)
{
	struct dnsd *d = calloc(1, sizeof(*d));

	if (!d) {
		return -1;
	}
	d->cfg = *cfg;
	d->queries = queries ? queries : &d->own;
	*d->queries = 0;
	if (sim_nethost_add_service(h, &dnsd_svc, d)) {
		free(d);
		return -1;
	}
	return 0;
}
