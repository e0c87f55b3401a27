/* The shell's lexer on arbitrary lines: quotes, escapes, ';' and too many
 * words (STYLE U6). Only the lexer runs: executing commands from fuzz input
 * would poke memory (md) or shut the domain down. */
#include <cmd/shell.h>
#include <fuzz.h>
#include <stdlib.h>
#include <string.h>

static void shell_fuzz(const uint8_t *data, size_t size)
{
	char *argv[SHELL_ARGS_MAX];
	char *line = malloc(size + 1);

	if (!line) {
		return;
	}
	memcpy(line, data, size);
	line[size] = '\0';
	/* Walk every ';'-separated command, as shell_run_line() does. */
	for (char *s = line, *rest; s; s = rest) {
		int argc = shell_lex(s, argv, &rest);
		if (argc < 0) {
			break;
		}
		fuzz_check(argc <= SHELL_ARGS_MAX);
		for (int i = 0; i < argc; i++) {
			fuzz_check(argv[i] >= line && argv[i] <= line + size);
			fuzz_check(strlen(argv[i]) <= size);
		}
		fuzz_check(!rest || (rest > s && rest <= line + size + 1));
	}
	free(line);
}

FUZZ_TARGET(shell_fuzz)
