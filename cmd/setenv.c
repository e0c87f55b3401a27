/* setenv <name> [value...]: set (words joined by blanks) or delete a variable. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

static int do_setenv(int argc, char *argv[])
{
	char value[ENV_VALUE_MAX + 1];
	size_t len = 0;

	if (argc < 2) {
		return CMD_RET_USAGE;
	}
	value[0] = '\0';
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + 1 > ENV_VALUE_MAX) {
			xb_printf("setenv: value longer than %d bytes\n", ENV_VALUE_MAX);
			return -E2BIG;
		}
		if (i > 2) {
			value[len++] = ' ';
		}
		memcpy(value + len, argv[i], n + 1);
		len += n;
	}
	int rc = env_set(argv[1], value);
	if (rc == -EINVAL) {
		xb_printf("setenv: bad variable name '%pE'\n", argv[1]);
	}
	return rc;
}

const struct cmd cmd_setenv = {
    .name = "setenv",
    .usage = "<name> [value...]",
    .help = "set an environment variable (no value: delete it)",
    .run = do_setenv,
};
