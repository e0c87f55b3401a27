/* The shell's script language on arbitrary scripts (STYLE U6): lexer,
 * parser, expansion and the executor with if/for/&&/||, run, exit and the
 * nesting and step bounds. The input is one script, not NUL-terminated.
 * Only commands without side effects outside the shell run (echo, test,
 * setenv, run, ...): executing md, load or poweroff from fuzz input would
 * poke memory or end the domain. The console is not started, so output
 * costs nothing. Each input starts from an empty environment. */
#include <cmd/cmd.h>
#include <cmd/script.h>
#include <cmd/shell.h>
#include <fuzz.h>
#include <lib/env.h>
#include <stdlib.h>
#include <string.h>

static bool is_safe(const char *name)
{
	static const char *const safe[] = {"echo", "exit",   "false", "printenv",
					   "run",  "setenv", "test",  "true"};

	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		if (strcmp(name, safe[i]) == 0) {
			return true;
		}
	}
	return false;
}

static void clear_env(void)
{
	while (env_count() > 0) {
		const char *name, *value;
		char copy[ENV_NAME_MAX + 1];

		env_at(0, &name, &value);
		strncpy(copy, name, ENV_NAME_MAX);
		copy[ENV_NAME_MAX] = '\0';
		fuzz_check(env_set(copy, NULL) == 0);
	}
	sh_var_clear();
}

/* Every word of every node of a tree (nesting is at most SHELL_NEST_MAX)
 * points into the text and expands within the bounds. */
static void walk(const struct sh_node *n, const char *text, size_t size)
{
	static char buf[SHELL_EXPANDED_MAX];
	char *argv[SHELL_FOR_MAX];

	for (; n; n = n->next) {
		struct sh_fields f = {buf, sizeof(buf), 0, argv, 0, SHELL_FOR_MAX, false};
		fuzz_check(n->count <= SHELL_ARGS_MAX);
		for (unsigned int i = 0; i < n->count; i++) {
			fuzz_check(n->words[i].text >= text &&
				   n->words[i].text + n->words[i].len <= text + size);
			if (sh_expand(&n->words[i], &f, true)) {
				break;
			}
		}
		fuzz_check(f.argc <= SHELL_FOR_MAX && f.used <= sizeof(buf));
		walk(n->a, text, size);
		walk(n->b, text, size);
		walk(n->c, text, size);
	}
}

/* Parse only: every tree of the script. */
static void parse_all(const char *text, size_t size)
{
	struct sh_parser p;
	struct sh_node *tree;

	if (sh_parse_init(&p, text, size)) {
		return;
	}
	while (sh_parse_next(&p, &tree) == 0 && tree) {
		walk(tree, text, size);
		sh_tree_free(tree);
	}
}

static void shell_fuzz(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);

	if (!text) {
		return;
	}
	memcpy(text, data, size);
	shell_set_command_filter(is_safe);
	clear_env();
	parse_all(text, size);
	shell_run_script(text, size);
	/* Whatever the script did, the shell is back at the top, usable. */
	fuzz_check(shell_run_script("true && exit", 12) == 0);
	fuzz_check(shell_run_script("false", 5) == CMD_RET_FAILURE);
	free(text);
}

FUZZ_TARGET(shell_fuzz)
