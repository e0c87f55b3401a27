/* poweroff: end the domain. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <xen/abi/sched.h>
#include <xen/xen.h>

/* Shared with reset: say goodbye, let the backend drain the console (the
 * domain's ring dies with it), then ask Xen. */
int cmd_shutdown(unsigned int reason)
{
	console_flush(arch_time_ns() + 1000000000ULL);
	int rc = xen_shutdown(reason);
	xb_printf("shutdown request refused: %d\n", rc);
	return rc < 0 ? rc : -EIO;
}

static int do_poweroff(int argc, char *argv[])
{
	if (argc != 1) {
		return CMD_RET_USAGE;
	}
	xb_printf("powering off\n");
	return cmd_shutdown(SHUTDOWN_poweroff);
}

const struct cmd cmd_poweroff = {
    .name = "poweroff",
    .usage = "",
    .help = "shut the domain down",
    .run = do_poweroff,
};
