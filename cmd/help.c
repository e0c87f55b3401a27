/* help [command]: list commands, or show one command's usage. */
#include <cmd/cmd.h>
#include <lib/errno.h>
#include <lib/printf.h>

static int do_help(int argc, char *argv[])
{
	unsigned int count;
	const struct cmd *const *table = cmd_table(&count);

	if (argc > 2) {
		return CMD_RET_USAGE;
	}
	if (argc == 2) {
		const struct cmd *c = cmd_find(argv[1]);
		if (!c) {
			xb_printf("help: no command '%pE'\n", argv[1]);
			return -ENOENT;
		}
		xb_printf("%s - %s\nUsage: %s %s\n", c->name, c->help, c->name, c->usage);
		return 0;
	}
	for (unsigned int i = 0; i < count; i++) {
		xb_printf("%-10s - %s\n", table[i]->name, table[i]->help);
	}
	xb_printf("Scripts: ; && || $name ${name} $? name=value 'quotes' \"quotes\" if/then/elif/else/fi "
		  "for/in/do/done\n");
	return 0;
}

const struct cmd cmd_help = {
    .name = "help",
    .usage = "[command]",
    .help = "list commands or show one command's usage",
    .run = do_help,
};
