/* dns <name> [variable]: the IPv4 address of @name from $dnsip, printed or
 * stored in @variable, as U-Boot's dns. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <net/dns.h>
#include <net/net.h>

#define TIMEOUT_MS 6000

static int do_dns(int argc, char *argv[])
{
	struct net_stack *ns = NULL;
	uint32_t ip;
	char text[16];
	int rc;

	if (argc < 2 || argc > 3) {
		return CMD_RET_USAGE;
	}
	rc = net_acquire(&ns);
	if (!ns) {
		return CMD_RET_FAILURE;
	}
	rc = dns_resolve(ns, argv[1], &ip, TIMEOUT_MS);
	if (rc) {
		xb_printf("dns: %pE: %s\n", argv[1],
			  rc == -ENXIO	     ? "$dnsip is not set"
			  : rc == -ENOENT    ? "no such host"
			  : rc == -EINVAL    ? "bad name or reply"
			  : rc == -ETIMEDOUT ? "no answer from the DNS server"
					     : errno_name(rc));
		return CMD_RET_FAILURE;
	}
	net_ip_format(ip, text);
	if (argc == 3) {
		return env_set(argv[2], text);
	}
	xb_printf("%s\n", text);
	return 0;
}

const struct cmd cmd_dns = {
    .name = "dns",
    .usage = "<hostname> [envvar]",
    .help = "look up the IP of a hostname",
    .run = do_dns,
};
