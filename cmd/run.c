/* run <var>...: run the commands stored in environment variables. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <cmd/shell.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

static int do_run(int argc, char *argv[])
{
	int rc = 0;

	if (argc < 2) {
		return CMD_RET_USAGE;
	}
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *v = env_get(argv[i]);
		if (!v) {
			xb_printf("## Error: \"%pE\" not defined\n", argv[i]);
			return -ENOENT;
		}
		/* Copy: the commands may change the variable while they run. */
		char *copy = strdup(v);
		if (!copy) {
			return -ENOMEM;
		}
		rc = shell_run_line(copy);
		free(copy);
	}
	return rc;
}

const struct cmd cmd_run = {
    .name = "run",
    .usage = "<var>...",
    .help = "run the commands in environment variables",
    .run = do_run,
};
