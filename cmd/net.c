/* net list: the network devices, as U-Boot's `net list` shows them
 * ("eth0 : <device> <MAC> active"), plus what xenboot knows of each vif:
 * its backend, the pages and buffers in use, and the frame counters.
 * The first use probes the vifs (netfront_probe()). */
#include <cmd/cmd.h>
#include <drivers/netdev.h>
#include <drivers/netfront.h>
#include <lib/env.h>
#include <lib/printf.h>
#include <string.h>

/* U-Boot's $ethact names the device in use; unset, it is the first. */
static bool net_is_active(const struct netdev *dev)
{
	const char *act = env_get("ethact");

	return act ? strcmp(act, dev->name) == 0 : dev->index == 0;
}

static void net_show(const struct netdev *dev)
{
	const uint8_t *m = dev->mac;
	const struct netdev_stats *s = &dev->stats;
	struct netfront_info in;
	int is_vif = netfront_get_info(dev, &in) == 0;

	xb_printf("%s : %s %02x:%02x:%02x:%02x:%02x:%02x%s%s\n", dev->name,
		  is_vif ? in.nodename : "-", m[0], m[1], m[2], m[3], m[4], m[5],
		  net_is_active(dev) ? " active" : "", dev->is_broken ? " BROKEN" : "");
	if (is_vif) {
		xb_printf("    backend %s (domain %u), rx %u/%u pages posted, tx %u/%u in "
			  "flight, sg %s\n",
			  in.backend, in.backend_id, in.rx_posted, in.rx_buffers, in.tx_in_flight,
			  in.tx_buffers, in.has_sg ? "yes" : "no");
	}
	xb_printf("    rx %llu frames %llu bytes (%llu dropped), tx %llu frames %llu bytes\n",
		  (unsigned long long)s->rx_frames, (unsigned long long)s->rx_bytes,
		  (unsigned long long)s->rx_dropped, (unsigned long long)s->tx_frames,
		  (unsigned long long)s->tx_bytes);
}

static int do_net(int argc, char *argv[])
{
	if (argc != 2 || strcmp(argv[1], "list") != 0) {
		return CMD_RET_USAGE;
	}
	(void)netfront_probe();
	if (netdev_count() == 0) {
		xb_printf("No ethernet found.\n");
		return 0;
	}
	for (unsigned int i = 0; i < netdev_count(); i++) {
		net_show(netdev_get(i));
	}
	return 0;
}

const struct cmd cmd_net = {
    .name = "net",
    .usage = "list",
    .help = "list the network devices (PV vifs)",
    .run = do_net,
};
