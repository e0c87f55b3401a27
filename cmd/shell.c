/* The shell's prompt: reads a line with simple editing and runs it as a
 * script (cmd/shell_exec.c). Input is untrusted: overlong lines are dropped
 * with a message, control bytes other than the editing keys are ignored. */
#define LOG_PREFIX ""
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/env.h>
#include <cmd/script.h>
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
			buf[0] = '\0';
			return SHELL_READ_CANCELLED;
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

int shell_prompt_once(unsigned long long deadline_ns)
{
	static char line[SHELL_LINE_MAX];
	static char script[SHELL_SCRIPT_LINES_MAX];
	static size_t len;
	const char *prompt = len ? SHELL_PROMPT_MORE : SHELL_PROMPT;

	console_write(prompt, strlen(prompt));
	int n = shell_readline(line, sizeof(line), deadline_ns);
	if (n == SHELL_READ_CANCELLED) {
		len = 0; /* Ctrl-C also drops the lines of an unfinished block */
		return 0;
	}
	if (n < 0) {
		return n;
	}
	if (len + (size_t)n + 1 > sizeof(script)) {
		xb_printf("script too long (at most %zu bytes), ignored\n", sizeof(script));
		len = 0;
		return 0;
	}
	memcpy(script + len, line, (size_t)n);
	len += (size_t)n;
	script[len++] = '\n';
	if (sh_is_incomplete(script, len)) {
		return 1;
	}
	shell_run_script(script, len);
	len = 0;
	return 0;
}

void shell_loop(void)
{
	for (;;) {
		shell_prompt_once(UINT64_MAX);
	}
}
