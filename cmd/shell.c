/* The shell: reads a line with simple editing, splits it into words and runs
 * each command. Input is untrusted: overlong lines are cut with a message,
 * control bytes other than the editing keys are ignored. */
#define LOG_PREFIX ""
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/env.h>
#include <cmd/shell.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CTRL_C 0x03
#define KEY_BS 0x08
#define KEY_DEL 0x7f
#define KEY_CTRL_U 0x15

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies one word from *src to *dst (same buffer, dst <= src), handling
 * quotes and escapes. Returns 0, or -EINVAL on an unterminated quote. */
static int lex_word(char **src, char **dst)
{
	char *s = *src, *d = *dst;
	char quote = 0;

	for (; *s; s++) {
		if (quote) {
			if (*s == quote) {
				quote = 0;
			} else if (*s == '\\' && quote == '"' && s[1]) {
				*d++ = *++s;
			} else {
				*d++ = *s;
			}
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
		} else if (*s == '\\' && s[1]) {
			*d++ = *++s;
		} else if (is_blank(*s) || *s == ';') {
			break;
		} else {
			*d++ = *s;
		}
	}
	if (quote) {
		return -EINVAL;
	}
	*src = s;
	*dst = d;
	return 0;
}

int shell_lex(char *line, char *argv[SHELL_ARGS_MAX], char **rest)
{
	char *s = line;
	int argc = 0;

	*rest = NULL;
	for (;;) {
		while (is_blank(*s)) {
			s++;
		}
		if (*s == '\0' || *s == ';') {
			break;
		}
		if (argc == SHELL_ARGS_MAX) {
			return -E2BIG;
		}
		/* The word is written in place; the terminator may overwrite
		 * the blank or ';' that ended it, so remember which it was. */
		char *start = s, *end = s;
		int rc = lex_word(&s, &end);
		if (rc) {
			return rc;
		}
		char stop = *s;
		*end = '\0';
		argv[argc++] = start;
		if (stop == '\0') {
			return argc;
		}
		if (stop == ';') {
			*rest = s + 1;
			return argc;
		}
		s++;
	}
	if (*s == ';') {
		*rest = s + 1;
	}
	return argc;
}

static int run_command(int argc, char *argv[])
{
	const struct cmd *c = cmd_find(argv[0]);

	if (!c) {
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

/* Expands variables, then runs each ';'-separated command. Expansion comes
 * first, as in U-Boot's simple parser, so a variable may hold several
 * commands for `run`. */
int shell_run_line(char *line)
{
	static unsigned int depth;
	char *argv[SHELL_ARGS_MAX];
	int rc = 0;

	/* `run` nests; a variable that runs itself must not exhaust the stack. */
	if (depth >= SHELL_DEPTH_MAX) {
		xb_printf("commands nested too deeply (at most %d)\n", SHELL_DEPTH_MAX);
		return -ELOOP;
	}
	char *expanded = malloc(SHELL_EXPANDED_MAX);
	if (!expanded) {
		return -ENOMEM;
	}
	if (env_expand(line, expanded, SHELL_EXPANDED_MAX)) {
		xb_printf("line too long after variable expansion\n");
		free(expanded);
		return -E2BIG;
	}
	depth++;
	for (line = expanded; line;) {
		char *rest;
		int argc = shell_lex(line, argv, &rest);
		if (argc < 0) {
			xb_printf(argc == -E2BIG ? "too many arguments (at most %d)\n"
						 : "syntax error: unterminated quote\n",
				  SHELL_ARGS_MAX);
			rc = argc;
			break;
		}
		if (argc > 0) {
			rc = run_command(argc, argv);
		}
		line = rest;
	}
	depth--;
	free(expanded);
	return rc;
}

static void erase_chars(size_t n)
{
	while (n--) {
		console_write("\b \b", 3);
	}
}

int shell_readline(char *buf, size_t size, unsigned long long deadline_ns)
{
	size_t len = 0;
	bool overflow = false;

	for (;;) {
		int c = console_getc(deadline_ns);
		if (c < 0) {
			return -1;
		}
		if (c == '\r' || c == '\n') {
			console_write("\n", 1);
			break;
		}
		if (c == KEY_CTRL_C) {
			console_write("^C\n", 3);
			len = 0;
			break;
		}
		if (c == KEY_BS || c == KEY_DEL) {
			if (len) {
				len--;
				erase_chars(1);
			}
		} else if (c == KEY_CTRL_U) {
			erase_chars(len);
			len = 0;
		} else if (c >= 0x20 && c < 0x7f) {
			if (len + 1 < size) {
				buf[len++] = (char)c;
				console_write(buf + len - 1, 1);
			} else {
				overflow = true;
			}
		}
		/* Other control bytes and escape sequences are ignored. */
	}
	if (overflow) {
		/* Running a cut-off command could do something unintended. */
		xb_printf("line too long (at most %zu characters), ignored\n", size - 1);
		len = 0;
	}
	buf[len] = '\0';
	return (int)len;
}

void shell_loop(void)
{
	static char line[SHELL_LINE_MAX];

	for (;;) {
		console_write(SHELL_PROMPT, strlen(SHELL_PROMPT));
		if (shell_readline(line, sizeof(line), UINT64_MAX) < 0) {
			continue;
		}
		shell_run_line(line);
	}
}
