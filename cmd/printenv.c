/* printenv [name...]: show the environment. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>

static int do_printenv(int argc, char *argv[])
{
	const char *name, *value;
	int rc = 0;

	if (argc == 1) {
		for (unsigned int i = 0; i < env_count(); i++) {
			env_at(i, &name, &value);
			xb_printf("%s=%s\n", name, value);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		value = env_get(argv[i]);
		if (!value) {
			xb_printf("## Error: \"%pE\" not defined\n", argv[i]);
			rc = -ENOENT;
			continue;
		}
		xb_printf("%s=%s\n", argv[i], value);
	}
	return rc;
}

const struct cmd cmd_printenv = {
    .name = "printenv",
    .usage = "[name...]",
    .help = "print environment variables",
    .run = do_printenv,
};
