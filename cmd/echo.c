/* echo [words...]: print the arguments. */
#include <cmd/cmd.h>
#include <lib/console.h>

static int do_echo(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		if (i > 1) {
			console_write(" ", 1);
		}
		console_puts(argv[i]);
	}
	console_write("\n", 1);
	return 0;
}

const struct cmd cmd_echo = {
    .name = "echo",
    .usage = "[args...]",
    .help = "print the arguments",
    .run = do_echo,
};
