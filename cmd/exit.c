/* exit [n]: end the running script (a `source`d boot script, a `run`
 * variable or the line typed at the prompt), as U-Boot's hush does; with n
 * other than 0 the script fails. */
#include <cmd/cmd.h>
#include <cmd/shell.h>
#include <lib/parse.h>

static int do_exit(int argc, char *argv[])
{
	uint64_t n = 0;

	if (argc > 2 || (argc == 2 && parse_u64(argv[1], 10, &n))) {
		return CMD_RET_USAGE;
	}
	shell_exit(n ? CMD_RET_FAILURE : 0);
	return 0;
}

const struct cmd cmd_exit = {
    .name = "exit",
    .usage = "[n]",
    .help = "end the running script (n not 0: it fails)",
    .run = do_exit,
};
