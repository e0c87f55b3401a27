/* DHCP client (include/net/dhcp.h): the messages and the state machine.
 * The I/O loop, dhcp_run(), is in net/dhcp_run.c.
 *
 * Message layout (RFC 2131 §2): op, htype, hlen, hops, xid (4), secs (2),
 * flags (2), ciaddr, yiaddr, siaddr, giaddr (4 each), chaddr (16), sname
 * (64), file (128), then the magic cookie 99.130.83.99 and the options. */
#include <lib/be.h>
#include <lib/errno.h>
#include <net/dhcp.h>
#include <string.h>

#define OFF_OP 0
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236
#define SNAME_LEN 64
#define FILE_LEN 128
#define COOKIE 0x63825363u
#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHER 1
#define FLAG_BROADCAST 0x8000

enum {
	OPT_PAD = 0,
	OPT_SUBNET = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAMS = 55,
	OPT_MAX_SIZE = 57,
	OPT_VENDOR_CLASS = 60,
	OPT_TFTP_SERVER = 66,
	OPT_BOOTFILE = 67,
	OPT_CLIENT_ARCH = 93,
	OPT_END = 255,
};

/* RFC 4578 §2.1: client system architecture 11 is ARM 64-bit UEFI, the
 * number PXE servers key arm64 boot files on; the vendor class says so too. */
#define PXE_ARCH 11
static const char vendor_class[] = "PXEClient:Arch:00011";
static const uint8_t params[] = {
    OPT_SUBNET,	  OPT_ROUTER,	      OPT_DNS,	       OPT_LEASE, OPT_SERVER_ID, OPT_TFTP_SERVER,
    OPT_BOOTFILE, 12 /* host name */, 15 /* domain */, 28 /* broadcast */};

/* Options seen once each (the first occurrence wins, RFC 2131 is silent). */
struct opts {
	uint8_t seen[32]; /* bitmap of option codes */
	uint8_t overload;
	struct dhcp_msg *out;
};

static bool is_seen(struct opts *o, uint8_t code)
{
	bool was = o->seen[code / 8] & (1u << (code % 8));

	o->seen[code / 8] |= (uint8_t)(1u << (code % 8));
	return was;
}

/* A peer's string: kept only if it fits with its NUL and is printable
 * (STYLE G3: it ends up in the environment and on the console). */
static void take_string(char *dst, size_t size, const uint8_t *v, size_t len)
{
	while (len && v[len - 1] == '\0') {
		len--; /* some servers count the terminator */
	}
	if (len == 0 || len >= size) {
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (v[i] < 0x20 || v[i] >= 0x7f) {
			return;
		}
	}
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* A netmask is ones then zeros. */
static bool is_netmask(uint32_t m)
{
	return m && (~m & (~m + 1)) == 0;
}

static void take_option(struct opts *o, uint8_t code, const uint8_t *v, uint8_t len)
{
	struct dhcp_lease *l = &o->out->lease;

	if (is_seen(o, code)) {
		return;
	}
	if (code == OPT_MSG_TYPE && len == 1) {
		o->out->type = v[0];
	} else if (code == OPT_OVERLOAD && len == 1 && v[0] >= 1 && v[0] <= 3) {
		o->overload = v[0];
	} else if (code == OPT_SUBNET && len == 4 && is_netmask(load_be32(v))) {
		l->netmask = load_be32(v);
	} else if ((code == OPT_ROUTER || code == OPT_DNS) && len >= 4 && len % 4 == 0) {
		*(code == OPT_ROUTER ? &l->gateway : &l->dns) = load_be32(v);
	} else if (code == OPT_SERVER_ID && len == 4) {
		l->server_id = load_be32(v);
	} else if (code == OPT_LEASE && len == 4) {
		l->lease_s = load_be32(v);
	} else if (code == OPT_TFTP_SERVER) {
		take_string(l->tftp_server, sizeof(l->tftp_server), v, len);
	} else if (code == OPT_BOOTFILE) {
		take_string(l->bootfile, sizeof(l->bootfile), v, len);
	}
}

/* One option area [p, p+len): 0, or -EINVAL when an option runs past it. */
static int parse_options(struct opts *o, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i];

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END) {
			return 0;
		}
		if (len - i < 2 || len - i - 2 < p[i + 1]) {
			return -EINVAL;
		}
		take_option(o, code, p + i + 2, p[i + 1]);
		i += 2 + (size_t)p[i + 1];
	}
	return 0; /* no END: tolerated, as most clients do */
}

/* A unicast address a client may take: not 0, broadcast, loopback or class D/E. */
static bool is_host_address(uint32_t a)
{
	return a && (a >> 24) != 0 && (a >> 24) != 127 && (a >> 28) < 0xe;
}

static int check_header(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6])
{
	if (len < DHCP_OPTIONS_OFF || load_be32(pkt + OFF_COOKIE) != COOKIE) {
		return -EINVAL;
	}
	if (pkt[OFF_OP] != BOOTREPLY || pkt[1] != HTYPE_ETHER || pkt[2] != 6) {
		return -EINVAL;
	}
	if (load_be32(pkt + OFF_XID) != xid || memcmp(pkt + OFF_CHADDR, mac, 6) != 0) {
		return -ENOENT; /* another client's transaction */
	}
	return 0;
}

int dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_msg *out)
{
	struct opts o = {.out = out};
	int rc = check_header(pkt, len, xid, mac);

	memset(out, 0, sizeof(*out));
	if (rc) {
		return rc;
	}
	rc = parse_options(&o, pkt + DHCP_OPTIONS_OFF, len - DHCP_OPTIONS_OFF);
	/* RFC 2131 §4.1: with overload, file then sname hold more options. */
	if (!rc && (o.overload & 1)) {
		rc = parse_options(&o, pkt + OFF_FILE, FILE_LEN);
	}
	if (!rc && (o.overload & 2)) {
		rc = parse_options(&o, pkt + OFF_SNAME, SNAME_LEN);
	}
	if (rc || out->type < DHCP_DISCOVER || out->type > DHCP_NAK) {
		return -EINVAL;
	}
	struct dhcp_lease *l = &out->lease;
	l->ip = load_be32(pkt + OFF_YIADDR);
	l->siaddr = load_be32(pkt + OFF_SIADDR);
	if (!is_host_address(l->siaddr)) {
		l->siaddr = 0;
	}
	if (!l->bootfile[0] && !(o.overload & 1)) {
		take_string(l->bootfile, sizeof(l->bootfile), pkt + OFF_FILE,
			    strnlen((const char *)pkt + OFF_FILE, FILE_LEN));
	}
	if (!l->tftp_server[0] && !(o.overload & 2)) {
		take_string(l->tftp_server, sizeof(l->tftp_server), pkt + OFF_SNAME,
			    strnlen((const char *)pkt + OFF_SNAME, SNAME_LEN));
	}
	if ((out->type == DHCP_OFFER || out->type == DHCP_ACK) && !is_host_address(l->ip)) {
		return -EINVAL;
	}
	return 0;
}

static uint8_t *put_option(uint8_t *p, uint8_t code, const void *v, uint8_t len)
{
	p[0] = code;
	p[1] = len;
	memcpy(p + 2, v, len);
	return p + 2 + len;
}

static uint8_t *put_u32_option(uint8_t *p, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	store_be32(b, v);
	return put_option(p, code, b, 4);
}

size_t dhcp_build(uint8_t *buf, enum dhcp_type type, uint32_t xid, const uint8_t mac[6],
		  uint16_t secs, uint32_t requested, uint32_t server_id)
{
	uint8_t t = (uint8_t)type, b[2];
	uint8_t *p;

	memset(buf, 0, DHCP_PKT_BUILD_MAX);
	buf[OFF_OP] = BOOTREQUEST;
	buf[1] = HTYPE_ETHER;
	buf[2] = 6;
	store_be32(buf + OFF_XID, xid);
	store_be16(buf + OFF_SECS, secs);
	/* We cannot receive unicast to an address we do not have yet. */
	store_be16(buf + OFF_FLAGS, FLAG_BROADCAST);
	memcpy(buf + OFF_CHADDR, mac, 6);
	store_be32(buf + OFF_COOKIE, COOKIE);
	p = put_option(buf + DHCP_OPTIONS_OFF, OPT_MSG_TYPE, &t, 1);
	store_be16(b, DHCP_PKT_BUILD_MAX);
	p = put_option(p, OPT_MAX_SIZE, b, 2);
	if (type == DHCP_REQUEST && requested) {
		p = put_u32_option(p, OPT_REQUESTED_IP, requested);
	}
	if (type == DHCP_REQUEST && server_id) {
		p = put_u32_option(p, OPT_SERVER_ID, server_id);
	}
	p = put_option(p, OPT_VENDOR_CLASS, vendor_class, sizeof(vendor_class) - 1);
	store_be16(b, PXE_ARCH);
	p = put_option(p, OPT_CLIENT_ARCH, b, 2);
	p = put_option(p, OPT_PARAMS, params, sizeof(params));
	*p++ = OPT_END;
	return MAX((size_t)(p - buf), (size_t)DHCP_PKT_MIN);
}

void dhcp_client_init(struct dhcp_client *c, const uint8_t mac[6], uint32_t xid)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, mac, 6);
	c->xid = xid;
	c->state = DHCP_SELECTING;
}

enum dhcp_event dhcp_client_input(struct dhcp_client *c, const uint8_t *pkt, size_t len)
{
	struct dhcp_msg m;

	if (c->state == DHCP_BOUND || dhcp_parse(pkt, len, c->xid, c->mac, &m)) {
		return DHCP_EV_IGNORE;
	}
	if (c->state == DHCP_SELECTING && m.type == DHCP_OFFER && m.lease.server_id) {
		c->offer = m; /* the first offer wins, as in U-Boot */
		c->state = DHCP_REQUESTING;
		return DHCP_EV_SEND;
	}
	if (c->state != DHCP_REQUESTING || m.lease.server_id != c->offer.lease.server_id) {
		return DHCP_EV_IGNORE; /* late offers, other servers' answers */
	}
	if (m.type == DHCP_NAK) {
		c->naks++;
		c->state = DHCP_SELECTING;
		c->xid++; /* a new transaction: late answers to the old one are ignored */
		return DHCP_EV_SEND;
	}
	if (m.type != DHCP_ACK || m.lease.ip != c->offer.lease.ip) {
		return DHCP_EV_IGNORE;
	}
	c->lease = m.lease;
	c->state = DHCP_BOUND;
	return DHCP_EV_BOUND;
}

size_t dhcp_client_packet(const struct dhcp_client *c, uint8_t *buf, uint16_t secs)
{
	if (c->state == DHCP_SELECTING) {
		return dhcp_build(buf, DHCP_DISCOVER, c->xid, c->mac, secs, 0, 0);
	}
	return dhcp_build(buf, DHCP_REQUEST, c->xid, c->mac, secs, c->offer.lease.ip,
			  c->offer.lease.server_id);
}
