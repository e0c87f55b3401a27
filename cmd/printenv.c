/* printenv [name...]: show the environment; printenv -e: the UEFI
 * variables (cmd/printenv_efi.c). */
#include <cmd/cmd.h>
#ifdef CONFIG_EFI
#include <cmd/printenv_efi.h>
#endif
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

static int do_printenv(int argc, char *argv[])
{
	const char *name, *value;
	int rc = 0;

#ifdef CONFIG_EFI
	if (argc > 1 && strcmp(argv[1], "-e") == 0) {
		return printenv_efi(argc - 1, argv + 1);
	}
#endif
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
#ifdef CONFIG_EFI
    .usage = "[name...] | -e [-n] [name]",
#else
    .usage = "[name...]",
#endif
    .help = "print environment variables",
    .run = do_printenv,
};
