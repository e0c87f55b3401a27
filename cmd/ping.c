/* ping <host>: U-Boot's ping. One echo request a second until a reply or
 * 10 s (U-Boot's timeout); "host 10.0.0.1 is alive" or
 * "ping failed; host 10.0.0.1 is not alive". */
#include <cmd/cmd.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <net/icmp.h>
#include <net/net.h>

#define PING_TIMEOUT_MS 10000

static int do_ping(int argc, char *argv[])
{
	struct net_stack *ns;
	uint32_t dst;
	int rc;

	if (argc != 2) {
		return CMD_RET_USAGE;
	}
	if (net_ip_parse(argv[1], &dst)) {
		xb_printf("ping: not an IPv4 address: \"%pE\"\n", argv[1]);
		return -EINVAL;
	}
	rc = net_acquire(&ns);
	/* -EINVAL: a malformed address variable, reported and read as 0 (as
	 * U-Boot does); the one ping needs is checked below. */
	if (rc && rc != -EINVAL) {
		return rc == -ENODEV ? CMD_RET_FAILURE : rc;
	}
	if (!ns->ip) {
		xb_printf("*** ERROR: `ipaddr' not set\n");
		return CMD_RET_FAILURE;
	}
	rc = net_ping(ns, dst, PING_TIMEOUT_MS);
	if (rc) {
		xb_printf("ping failed; host %s is not alive\n", argv[1]);
		return CMD_RET_FAILURE;
	}
	xb_printf("host %s is alive\n", argv[1]);
	return 0;
}

const struct cmd cmd_ping = {
    .name = "ping",
    .usage = "<host>",
    .help = "send ICMP echo requests to a host",
    .run = do_ping,
};
