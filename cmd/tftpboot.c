/* tftpboot [addr] [[server:]file]: load a file by TFTP into guest RAM, as
 * U-Boot's tftpboot (also `tftp`): address default $loadaddr, file default
 * $bootfile, server default $serverip; blksize from $tftpblocksize (1468
 * unless set), window from $tftpwindowsize (16). Sets fileaddr, filesize. */
#include <cmd/cmd.h>
#include <cmd/netload.h>
#include <lib/errno.h>
#include <net/net.h>

static int do_tftpboot(int argc, char *argv[])
{
	struct netload_args a;
	struct net_stack *ns;
	int rc = netload_start(argc, argv, &a, &ns);

	if (rc) {
		return rc;
	}
	rc = netload_tftp(ns, a.server, a.file, a.addr, 0, NULL);
	/* Every failure was reported in its own line. */
	return rc ? CMD_RET_FAILURE : 0;
}

const struct cmd cmd_tftpboot = {
    .name = "tftpboot",
    .usage = "[loadAddress] [[hostIPaddr:]bootfilename]",
    .help = "load a file via the network using the TFTP protocol",
    .run = do_tftpboot,
};

const struct cmd cmd_tftp = {
    .name = "tftp",
    .usage = "[loadAddress] [[hostIPaddr:]bootfilename]",
    .help = "the same as tftpboot",
    .run = do_tftpboot,
};
