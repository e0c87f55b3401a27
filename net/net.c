/* The stack's state, its poll loop and its configuration (include/net/net.h). */
#define LOG_PREFIX "net: "
#include <arch/arch.h>
#include <drivers/netfront.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <net/eth.h>
#include <net/net.h>
#include <string.h>

int net_start(struct net_stack *ns, struct netdev *dev)
{
	if (!dev) {
		return -EINVAL;
	}
	memset(ns, 0, sizeof(*ns));
	ns->dev = dev;
	memcpy(ns->mac, dev->mac, NET_MAC_LEN);
	/* Different IP ids after a restart, so a peer's reassembly of an old
	 * datagram never mixes with ours. */
	ns->ip_id = (uint16_t)(arch_time_ns() >> 10);
	return 0;
}

uint64_t net_deadline_ms(unsigned int ms)
{
	return arch_time_ns() + ms * NS_PER_MS;
}

bool net_input(struct net_stack *ns, size_t len)
{
	return net_frame_input(ns, ns->rx, len);
}

bool net_frame_input(struct net_stack *ns, uint8_t *f, size_t len)
{
	bool handled;

	ns->stats.rx_frames++;
	handled = eth_input(ns, f, len);
	if (handled) {
		ns->stats.rx_handled++;
	}
	return handled;
}

int net_poll_buf(struct net_stack *ns, uint8_t *buf, uint64_t deadline_ns)
{
	for (;;) {
		size_t len = 0;
		int rc = netdev_poll(ns->dev, buf, NETDEV_FRAME_MAX, &len);

		if (rc == 0) {
			if (net_frame_input(ns, buf, len)) {
				return 0;
			}
		} else if (rc != -EAGAIN) {
			return rc;
		}
		/* Checked after every frame too: a flood of frames that are not
		 * for us must not keep the caller past its deadline. */
		if (arch_time_ns() >= deadline_ns) {
			return -ETIMEDOUT;
		}
		if (rc == -EAGAIN) {
			netdev_wait(ns->dev, deadline_ns);
		}
	}
}

int net_poll(struct net_stack *ns, uint64_t deadline_ns)
{
	return net_poll_buf(ns, ns->rx, deadline_ns);
}

int net_ip_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int n = 0, digits = 0;

		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			n = n * 10 + (unsigned int)(*s - '0');
			if (digits == 3 || n > 255) {
				return -EINVAL;
			}
		}
		if (digits == 0 || *s != (part == 3 ? '\0' : '.')) {
			return -EINVAL;
		}
		if (part < 3) {
			s++;
		}
		v = v << 8 | n;
	}
	*ip = v;
	return 0;
}

char *net_ip_format(uint32_t ip, char buf[16])
{
	xb_snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		    ip & 0xff);
	return buf;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int net_mac_parse(const char *s, uint8_t mac[NET_MAC_LEN])
{
	for (int i = 0; i < NET_MAC_LEN; i++, s += 3) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0 || s[2] != (i == NET_MAC_LEN - 1 ? '\0' : ':')) {
			return -EINVAL;
		}
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static const struct {
	const char *name;
	size_t off;
} net_vars[] = {
    {"ipaddr", offsetof(struct net_stack, ip)},
    {"netmask", offsetof(struct net_stack, netmask)},
    {"gatewayip", offsetof(struct net_stack, gateway)},
    {"serverip", offsetof(struct net_stack, server)},
    {"dnsip", offsetof(struct net_stack, dns)},
};

/* $ethaddr is not ours to follow: Xen's toolstack gave the vif its MAC (a
 * cloned disk may carry another guest's). Say so as U-Boot does. */
static void net_ethaddr_check(const struct net_stack *ns)
{
	const char *s = env_get("ethaddr");
	const uint8_t *m = ns->mac;
	uint8_t mac[NET_MAC_LEN];

	if (s && (net_mac_parse(s, mac) || memcmp(mac, m, NET_MAC_LEN))) {
		xb_printf("Warning: %s MAC addresses don't match:\n"
			  "Address in ROM is          %02x:%02x:%02x:%02x:%02x:%02x\n"
			  "Address in environment is  %pE\n"
			  "Using the address in ROM (from Xen)\n",
			  ns->dev->name, m[0], m[1], m[2], m[3], m[4], m[5], s);
	}
}

int net_config_from_env(struct net_stack *ns)
{
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(net_vars); i++) {
		uint32_t *field = (uint32_t *)((char *)ns + net_vars[i].off);
		const char *s = env_get(net_vars[i].name);

		*field = 0;
		if (s && net_ip_parse(s, field)) {
			xb_printf("%s: not an IPv4 address: \"%pE\"\n", net_vars[i].name, s);
			rc = -EINVAL;
		}
	}
	net_ethaddr_check(ns);
	return rc;
}

static int net_ethaddr_to_env(const struct net_stack *ns)
{
	char buf[18];
	const uint8_t *m = ns->mac;

	xb_snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		    m[5]);
	return env_set("ethaddr", buf);
}

int net_config_to_env(struct net_stack *ns)
{
	char buf[16];

	for (size_t i = 0; i < ARRAY_SIZE(net_vars); i++) {
		uint32_t v = *(const uint32_t *)((const char *)ns + net_vars[i].off);

		if (v && env_set(net_vars[i].name, net_ip_format(v, buf))) {
			return -ENOMEM;
		}
	}
	return net_ethaddr_to_env(ns);
}

int net_acquire(struct net_stack **out)
{
	static struct net_stack shell_stack;
	const char *act = env_get("ethact");
	struct netdev *dev;
	int rc;

	/* The vifs connect on the first network command, not at start-up. */
	(void)netfront_probe();
	dev = act ? netdev_find(act) : netdev_get(0);
	if (!dev) {
		xb_printf("No ethernet found.\n");
		return -ENODEV;
	}
	if (shell_stack.dev != dev) {
		rc = net_start(&shell_stack, dev);
		if (rc) {
			return rc;
		}
	}
	/* U-Boot's names for the device in use and its MAC. */
	if ((!act && env_set("ethact", dev->name)) ||
	    (!env_get("ethaddr") && net_ethaddr_to_env(&shell_stack))) {
		return -ENOMEM;
	}
	xb_printf("Using %s device\n", dev->name);
	rc = net_config_from_env(&shell_stack);
	*out = &shell_stack;
	return rc;
}
