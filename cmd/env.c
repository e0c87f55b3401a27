/* env print|set|exists|delete|save|default -a, and saveenv: U-Boot's env
 * command over the environment core (lib/env.c), the defaults
 * (boot/env_default.c) and the saved copies (boot/env_store.c). */
#include <boot/env_default.h>
#include <boot/env_store.h>
#include <cmd/cmd.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

/* A plain "false" for the shell: no usage line, no errno name. */

extern const struct cmd cmd_printenv;
extern const struct cmd cmd_setenv;

static int env_default(int argc, char *argv[])
{
	bool is_all = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-a") == 0) {
			is_all = true;
		} else if (strcmp(argv[i], "-f") != 0) {
			return CMD_RET_USAGE; /* resetting single variables: not supported */
		}
	}
	if (!is_all) {
		return CMD_RET_USAGE;
	}
	xb_printf("## Resetting to default environment\n");
	env_clear();
	return env_set_defaults();
}

static int env_delete_vars(int argc, char *argv[])
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			continue;
		}
		if (!env_get(argv[i])) {
			xb_printf("## Error: \"%pE\" not defined\n", argv[i]);
			rc = CMD_RET_FAILURE;
		} else if (env_set(argv[i], NULL)) {
			rc = CMD_RET_FAILURE; /* cannot happen: the name exists */
		}
	}
	return argc < 2 ? CMD_RET_USAGE : rc;
}

static int do_env(int argc, char *argv[])
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "print") == 0) {
		return cmd_printenv.run(argc - 1, argv + 1);
	}
	if (strcmp(sub, "set") == 0) {
		return cmd_setenv.run(argc - 1, argv + 1);
	}
	if (strcmp(sub, "exists") == 0) {
		if (argc != 3) {
			return CMD_RET_USAGE;
		}
		return env_get(argv[2]) ? 0 : CMD_RET_FAILURE;
	}
	if (strcmp(sub, "delete") == 0) {
		return env_delete_vars(argc - 1, argv + 1);
	}
	if (strcmp(sub, "default") == 0) {
		return env_default(argc - 1, argv + 1);
	}
	if (strcmp(sub, "save") == 0 && argc == 2) {
		return env_store_save();
	}
	return CMD_RET_USAGE;
}

static int do_saveenv(int argc, char *argv[])
{
	(void)argv;
	return argc == 1 ? env_store_save() : CMD_RET_USAGE;
}

const struct cmd cmd_env = {
    .name = "env",
    .usage = "print [name...] | set <name> [value...] | exists <name> | delete <name...> | "
	     "save | default -a",
    .help = "environment: show, change, test, save to disk, reset to defaults",
    .run = do_env,
};

const struct cmd cmd_saveenv = {
    .name = "saveenv",
    .usage = "",
    .help = "save the environment to uboot.env on the boot disk's FAT partition",
    .run = do_saveenv,
};
