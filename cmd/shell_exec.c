/* Running scripts (include/cmd/shell.h, include/cmd/script.h): each
 * complete command is parsed, then run, then the next is parsed, as hush
 * does; a command's words are expanded only when it runs, so a variable set
 * by one command is seen by the next.
 *
 * Bounds on any input: `run` and `source` nest at most SHELL_DEPTH_MAX deep,
 * if/for blocks at most SHELL_NEST_MAX (checked by the parser), and one
 * script started from the prompt or autoboot runs at most SHELL_STEPS_MAX
 * commands, which stops loops that multiply (nested `for`, `run` of a
 * variable that runs itself twice). Stack at those limits, measured with
 * -fstack-usage on the arm64 -Os build: about 3 KiB per run/source level
 * (16 nested blocks), about 30 KiB in all, within the 64 KiB stack. */
#include <cmd/cmd.h>
#include <cmd/script.h>
#include <cmd/shell.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

static struct {
	unsigned int depth; /* shell_run_script() nesting */
	unsigned long steps; /* commands run since the outermost script began */
	bool is_exiting; /* `exit` ran: unwind to the script boundary */
	int exit_rc; /* ... with this result */
	bool is_aborting; /* a bound was hit: unwind everything */
	int status; /* the last result (raw: 0, CMD_RET_*, -errno) */
} sh;

/* Set by the fuzz target only: which commands fuzzed scripts may run. */
static bool (*command_filter)(const char *name);

void shell_set_command_filter(bool (*is_allowed)(const char *name))
{
	command_filter = is_allowed;
}

static bool is_unwinding(void)
{
	return sh.is_exiting || sh.is_aborting;
}

void shell_exit(int rc)
{
	sh.is_exiting = true;
	sh.exit_rc = rc;
}

static int set_status(int rc)
{
	sh.status = rc;
	sh_status_set(rc ? 1 : 0);
	return rc;
}

static int dispatch(int argc, char *argv[])
{
	const struct cmd *c = cmd_find(argv[0]);

	if (!c || (command_filter && !command_filter(c->name))) {
		xb_printf("Unknown command '%pE' - try 'help'\n", argv[0]);
		return -ENOENT;
	}
	int rc = c->run(argc, argv);
	if (rc == CMD_RET_USAGE) {
		xb_printf("Usage: %s %s\n", c->name, c->usage);
	} else if (rc < 0) {
		xb_printf("%s: failed: %s\n", c->name, errno_name(rc));
	}
	return rc;
}

/* The fields' bytes and their argv in one heap block: commands nest (run,
 * source, if, for) and the 64 KiB stack of the arm64 build must not hold a
 * copy per level. */
static int fields_init(struct sh_fields *f, int max)
{
	f->argv = malloc(SHELL_EXPANDED_MAX + (size_t)(max + 1) * sizeof(char *));
	f->buf = (char *)(f->argv + max + 1);
	f->size = SHELL_EXPANDED_MAX;
	f->used = 0;
	f->argc = 0;
	f->max = max;
	f->open = false;
	return f->argv ? 0 : -ENOMEM;
}

static int expand_error(int rc)
{
	if (rc == -E2BIG) {
		xb_printf("too many arguments (at most %d) or too long after expansion\n",
			  SHELL_ARGS_MAX);
	}
	return rc;
}

/* Leading name=value words set shell variables, as in hush. */
static int assign(const struct sh_node *n, unsigned int *first)
{
	struct sh_fields f;
	int rc = 0;

	for (; !rc && *first < n->count; (*first)++) {
		const struct sh_word *w = &n->words[*first];
		size_t name_len = sh_assign_len(w);
		if (!name_len) {
			break;
		}
		struct sh_word value = {w->text + name_len + 1, w->len - name_len - 1};
		rc = fields_init(&f, 1);
		rc = rc ? rc : expand_error(sh_expand(&value, &f, false));
		rc = rc ? rc : sh_var_set(w->text, name_len, f.argc ? f.argv[0] : "");
		free(f.argv);
	}
	return rc;
}

static int exec_cmd(const struct sh_node *n)
{
	struct sh_fields f;
	unsigned int first = 0;
	int rc;

	if (++sh.steps > SHELL_STEPS_MAX) {
		xb_printf("script stopped: more than %d commands\n", SHELL_STEPS_MAX);
		sh.is_aborting = true;
		return -ELOOP;
	}
	rc = assign(n, &first);
	if (rc || first == n->count) {
		return rc;
	}
	rc = fields_init(&f, SHELL_ARGS_MAX);
	for (unsigned int i = first; !rc && i < n->count; i++) {
		rc = expand_error(sh_expand(&n->words[i], &f, true));
	}
	if (!rc && f.argc > 0) {
		f.argv[f.argc] = NULL;
		rc = dispatch(f.argc, f.argv);
	}
	free(f.argv);
	return rc;
}

/* if / elif / else: the elif chain is walked in a loop, not recursively. */
static int exec_if(const struct sh_node *n)
{
	while (n) {
		int rc = sh_exec(n->a);
		if (is_unwinding()) {
			return rc;
		}
		if (rc == 0) {
			return sh_exec(n->b);
		}
		if (n->c && n->c->kind == SH_NODE_IF && !n->c->next) {
			n = n->c;
			continue;
		}
		return n->c ? sh_exec(n->c) : set_status(0);
	}
	return 0;
}

static int exec_for(const struct sh_node *n)
{
	struct sh_fields f;
	int rc = fields_init(&f, SHELL_FOR_MAX);

	for (unsigned int i = 0; !rc && i < n->count; i++) {
		rc = sh_expand(&n->words[i], &f, true);
		if (rc == -E2BIG) {
			xb_printf("for: list longer than %d words or %d bytes\n", SHELL_FOR_MAX,
				  SHELL_EXPANDED_MAX);
		}
	}
	int last = 0;
	for (int i = 0; !rc && i < f.argc && !is_unwinding(); i++) {
		rc = sh_var_set(n->var.text, n->var.len, f.argv[i]);
		if (rc) {
			xb_printf("for: cannot set the loop variable: %s\n", errno_name(rc));
			break;
		}
		/* A failing body does not end the loop; its status is the loop's. */
		last = sh_exec(n->a);
	}
	rc = rc ? rc : last;
	free(f.argv);
	return set_status(rc);
}

int sh_exec(const struct sh_node *n)
{
	int rc = 0;

	for (; n && !is_unwinding(); n = n->next) {
		if ((n->conn == SH_CONN_AND && sh.status != 0) ||
		    (n->conn == SH_CONN_OR && sh.status == 0)) {
			continue;
		}
		switch (n->kind) {
		case SH_NODE_CMD:
			rc = exec_cmd(n);
			break;
		case SH_NODE_IF:
			rc = exec_if(n);
			break;
		case SH_NODE_FOR:
			rc = exec_for(n);
			break;
		}
		set_status(rc);
	}
	return sh.status;
}

static int run_parsed(struct sh_parser *p)
{
	struct sh_node *tree;
	int rc = set_status(0);

	for (;;) {
		int err = sh_parse_next(p, &tree);
		if (err) {
			return set_status(err);
		}
		if (!tree) {
			return rc;
		}
		rc = sh_exec(tree);
		sh_tree_free(tree);
		if (is_unwinding()) {
			return rc;
		}
	}
}

int shell_run_script(const char *text, size_t len)
{
	struct sh_parser *p;
	int rc;

	if (sh.depth >= SHELL_DEPTH_MAX) {
		xb_printf("commands nested too deeply (at most %d)\n", SHELL_DEPTH_MAX);
		return set_status(-ELOOP);
	}
	p = malloc(sizeof(*p));
	if (!p) {
		return set_status(-ENOMEM);
	}
	if (sh.depth++ == 0) {
		sh.steps = 0;
		sh.is_aborting = false;
	}
	rc = sh_parse_init(p, text, len);
	rc = rc ? set_status(rc) : run_parsed(p);
	if (sh.is_exiting) {
		sh.is_exiting = false;
		rc = set_status(sh.exit_rc);
	}
	sh.depth--;
	free(p);
	return rc;
}

int shell_run_line(const char *line)
{
	return shell_run_script(line, strlen(line));
}

int shell_run_var(const char *name)
{
	const char *v = env_get(name);

	if (!v) {
		return -ENOENT;
	}
	/* Copy: the commands may change the variable while they run. */
	char *copy = strdup(v);
	if (!copy) {
		return -ENOMEM;
	}
	int rc = shell_run_line(copy);
	free(copy);
	return rc;
}
