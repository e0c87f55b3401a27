/* boot: run $bootcmd, as U-Boot's `boot` does (what autoboot runs, typed
 * at the prompt after stopping it). */
#include <cmd/cmd.h>
#include <lib/errno.h>

static int do_boot(int argc, char *argv[])
{
	static char run[] = "run", bootcmd[] = "bootcmd";
	char *run_argv[] = {run, bootcmd, NULL};
	const struct cmd *c = cmd_find("run");

	if (argc != 1) {
		return CMD_RET_USAGE;
	}
	return c ? c->run(2, run_argv) : -ENOENT;
}

const struct cmd cmd_boot = {
    .name = "boot",
    .usage = "",
    .help = "boot the default way: run $bootcmd",
    .run = do_boot,
};
