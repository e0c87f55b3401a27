/* reset: reboot the domain (the toolstack restarts it per on_reboot). */
#include <cmd/cmd.h>
#include <lib/printf.h>
#include <xen/abi/sched.h>

static int do_reset(int argc, char *argv[])
{
	if (argc != 1) {
		return CMD_RET_USAGE;
	}
	xb_printf("resetting\n");
	return cmd_shutdown(SHUTDOWN_reboot);
}

const struct cmd cmd_reset = {
    .name = "reset",
    .usage = "",
    .help = "reboot the domain",
    .run = do_reset,
};
