/* Shell commands: one file per command in cmd/, listed in cmd/commands.c. */
#ifndef CMD_CMD_H
#define CMD_CMD_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* A run() result that makes the shell print the command's usage line. */
#define CMD_RET_USAGE 1
/* A run() result for "false" with nothing to print (test, false, a failed
 * script): $? becomes 1 and the shell prints no error line. */
#define CMD_RET_FAILURE 2

struct cmd {
	const char *name;
	const char *usage; /* arguments, e.g. "<path> [property]" */
	const char *help; /* one line */
	/* argv[0] is the command name. Returns 0, CMD_RET_USAGE, CMD_RET_FAILURE or -errno
	 * (the shell prints the errno's name). */
	int (*run)(int argc, char *argv[]);
	/* Also found as "<name>.<x>" (U-Boot's mw.b, mw.q); run() reads argv[0]. */
	bool has_size_suffix;
};

/** cmd_find() - the command called @name (or "<name>.<x>" if it takes a size suffix), or NULL. */
const struct cmd *cmd_find(const char *name);
/** cmd_table() - every command; @count receives how many. */
const struct cmd *const *cmd_table(unsigned int *count);

/** cmd_parse_num() - a shell number argument: hex with or without 0x, as in U-Boot. */
int __must_check cmd_parse_num(const char *s, uint64_t *out);

/** cmd_shutdown() - flush the console and ask Xen to end the domain (SHUTDOWN_*). */
int cmd_shutdown(unsigned int reason);

#endif
