/* dhcp [addr] [[server:]file]: get an address by DHCP, as U-Boot's dhcp:
 * sets ipaddr, netmask, gatewayip, dnsip, serverip (next-server, else the
 * TFTP server of option 66, else the DHCP server) and bootfile (option 67
 * or the BOOTP file field, unless a file is given here); then, unless
 * $autoload is "no", loads the boot file by TFTP (see tftpboot). A lease
 * without an answer in $dhcptimeout ms (default 10000: broadcasts at 0, 1, 3 and 7 s) fails. */
#include <cmd/cmd.h>
#include <cmd/netload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <net/dhcp.h>
#include <net/net.h>

#define TIMEOUT_MS 10000

static unsigned int timeout_ms(void)
{
	const char *v = env_get("dhcptimeout");
	uint64_t ms;

	if (v && parse_u64(v, 10, &ms) == 0 && ms >= 100 && ms <= 600000) {
		return (unsigned int)ms;
	}
	return TIMEOUT_MS;
}

static bool is_autoload(void)
{
	const char *v = env_get("autoload");

	return !v || (v[0] != 'n' && v[0] != 'N' && v[0] != '0');
}

static int do_dhcp(int argc, char *argv[])
{
	struct dhcp_lease lease;
	struct netload_args a;
	struct net_stack *ns;
	int rc = netload_start(argc, argv, &a, &ns);

	if (rc) {
		return rc;
	}
	rc = dhcp_run(ns, &lease, timeout_ms());
	if (rc) {
		xb_printf("dhcp: no lease: %s\n", rc == -ETIMEDOUT ? "no answer from a DHCP server"
						  : rc == -EINTR   ? "interrupted"
						  : rc == -ECONNREFUSED ? "refused (DHCPNAK)"
									: errno_name(rc));
		return CMD_RET_FAILURE;
	}
	if (net_config_to_env(ns) ||
	    (lease.bootfile[0] && !a.file[0] && env_set("bootfile", lease.bootfile))) {
		return -ENOMEM;
	}
	if (!is_autoload()) {
		return 0;
	}
	rc = netload_tftp(ns, a.server, a.file, a.addr, 0, NULL);
	return rc ? CMD_RET_FAILURE : 0;
}

const struct cmd cmd_dhcp = {
    .name = "dhcp",
    .usage = "[loadAddress] [[hostIPaddr:]bootfilename]",
    .help = "boot image via network using DHCP/TFTP protocol",
    .run = do_dhcp,
};
