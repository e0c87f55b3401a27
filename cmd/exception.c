/* exception undefined: crash on purpose, as U-Boot's test command of that
 * name does, so the crash path (the report on the console, the flush, the
 * crashed domain) can be seen working. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <string.h>

static int do_exception(int argc, char *argv[])
{
	if (argc != 2 || strcmp(argv[1], "undefined") != 0) {
		return CMD_RET_USAGE;
	}
	arch_undefined_insn();
	return CMD_RET_FAILURE;
}

const struct cmd cmd_exception = {
    .name = "exception",
    .usage = "undefined",
    .help = "crash on purpose: run an undefined instruction",
    .run = do_exception,
};
