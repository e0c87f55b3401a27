/* run <var>...: run the scripts stored in environment variables, one after
 * the other, stopping at the first that fails (as U-Boot). A variable's
 * value is a script in its own right (bootcmd, distro_bootcmd, ...): this is
 * the one place where a value is read as shell syntax, by the user's
 * explicit request. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <cmd/shell.h>
#include <lib/printf.h>

static int do_run(int argc, char *argv[])
{
	int rc = 0;

	if (argc < 2) {
		return CMD_RET_USAGE;
	}
	for (int i = 1; i < argc && rc == 0; i++) {
		if (!env_get(argv[i])) {
			xb_printf("## Error: \"%pE\" not defined\n", argv[i]);
			return CMD_RET_FAILURE;
		}
		rc = shell_run_var(argv[i]);
	}
	/* The failing command has said why; `run` adds no line of its own. */
	return rc ? CMD_RET_FAILURE : 0;
}

const struct cmd cmd_run = {
    .name = "run",
    .usage = "<var>...",
    .help = "run the scripts in environment variables, stop at the first failure",
    .run = do_run,
};
