/* dhcp_run() (include/net/dhcp.h): the DHCP exchange over UDP. DISCOVER is
 * broadcast from 0.0.0.0:68 to 255.255.255.255:67 (udp_send() allows it
 * before we have an address) and resent with back-off, 1 s doubling to 8 s,
 * as RFC 2131 §4.1 asks; an OFFER makes a REQUEST at once, resent the same
 * way; a NAK starts over. Everything a server sends goes through
 * dhcp_client_input(), the checked path. */
#include <arch/arch.h>
#include <lib/be.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <net/dhcp.h>
#include <net/net.h>
#include <net/udp.h>
#include <string.h>

#define RESEND_FIRST_MS 1000
#define RESEND_MAX_MS 8000
#define NAKS_MAX 3
#define KEY_CTRL_C 0x03

struct dhcp_io {
	struct dhcp_client c;
	enum dhcp_event ev; /* the first event not handled yet */
	uint8_t pkt[DHCP_PKT_BUILD_MAX];
};

static void dhcp_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	struct dhcp_io *io = ctx;

	if (sport == DHCP_SERVER_PORT && io->ev == DHCP_EV_IGNORE) {
		io->ev = dhcp_client_input(&io->c, data, len);
	}
}

/* The address TFTP uses: next-server, else option 66 if it is an address,
 * else the DHCP server itself (what dnsmasq and ISC dhcpd serve from). */
static uint32_t boot_server(const struct dhcp_lease *l)
{
	uint32_t ip;

	if (l->siaddr) {
		return l->siaddr;
	}
	if (l->tftp_server[0] && net_ip_parse(l->tftp_server, &ip) == 0) {
		return ip;
	}
	return l->server_id;
}

static int send_packet(struct net_stack *ns, struct dhcp_io *io, uint64_t t0, unsigned int *bcast)
{
	uint64_t secs = (arch_time_ns() - t0) / NS_PER_SEC;
	size_t len = dhcp_client_packet(&io->c, io->pkt, (uint16_t)MIN(secs, 0xffffu));

	if (io->c.state == DHCP_SELECTING) {
		xb_printf("BOOTP broadcast %u\n", ++*bcast);
	}
	return udp_send(ns, NET_IP_BROADCAST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, io->pkt, len);
}

static void bind_lease(struct net_stack *ns, const struct dhcp_lease *l, uint64_t t0)
{
	char ip[16];

	ns->ip = l->ip;
	ns->netmask = l->netmask;
	ns->gateway = l->gateway;
	ns->dns = l->dns;
	ns->server = boot_server(l);
	xb_printf("DHCP client bound to address %s (%llu ms)\n", net_ip_format(l->ip, ip),
		  (unsigned long long)((arch_time_ns() - t0) / NS_PER_MS));
}

static int exchange(struct net_stack *ns, struct dhcp_io *io, unsigned int timeout_ms)
{
	uint64_t t0 = arch_time_ns(), deadline = t0 + timeout_ms * NS_PER_MS, resend;
	unsigned int wait_ms = RESEND_FIRST_MS, bcast = 0;
	int rc = send_packet(ns, io, t0, &bcast);

	resend = arch_time_ns() + wait_ms * NS_PER_MS;
	while (!rc) {
		rc = net_poll(ns, MIN(resend, deadline));
		if (rc && rc != -ETIMEDOUT) {
			break;
		}
		enum dhcp_event ev = io->ev;
		io->ev = DHCP_EV_IGNORE;
		if (ev == DHCP_EV_IGNORE && console_getc(0) == KEY_CTRL_C) {
			return -EINTR; /* as U-Boot: Ctrl-C ends the wait */
		}
		if (ev == DHCP_EV_BOUND) {
			bind_lease(ns, &io->c.lease, t0);
			return 0;
		}
		if (io->c.naks > NAKS_MAX) {
			return -ECONNREFUSED;
		}
		uint64_t now = arch_time_ns();
		if (now >= deadline) {
			return -ETIMEDOUT;
		}
		if (ev == DHCP_EV_SEND) {
			wait_ms = RESEND_FIRST_MS; /* a new message: its own back-off */
		} else if (now < resend) {
			rc = 0;
			continue;
		} else {
			wait_ms = MIN(wait_ms * 2, (unsigned int)RESEND_MAX_MS);
		}
		rc = send_packet(ns, io, t0, &bcast);
		resend = arch_time_ns() + wait_ms * NS_PER_MS;
	}
	return rc;
}

int dhcp_run(struct net_stack *ns, struct dhcp_lease *out, unsigned int timeout_ms)
{
	static struct dhcp_io io; /* 1 KiB: not on the stack */
	struct udp_bind b = {.port = DHCP_CLIENT_PORT, .rx = dhcp_rx, .ctx = &io};
	uint32_t xid = (uint32_t)(arch_time_ns() >> 10) ^ load_be32(ns->mac + 2);
	int rc;

	dhcp_client_init(&io.c, ns->mac, xid);
	io.ev = DHCP_EV_IGNORE;
	ns->ip = 0; /* DHCP speaks from 0.0.0.0 until bound */
	rc = udp_bind(ns, &b);
	if (rc) {
		return rc;
	}
	rc = exchange(ns, &io, timeout_ms);
	udp_unbind(ns, &b);
	if (!rc) {
		*out = io.c.lease;
	}
	return rc;
}
