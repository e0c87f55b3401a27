/* cmd/shell.c: the lexer and line editor on untrusted input, and commands
 * run through the real console on the sim (poweroff returns into the test
 * through the sim's shutdown hook). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arch/arch.h>
#include <cmd/script.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <lib/errno.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/abi/sched.h>

static int setup(void **state)
{
	if (sim_init(NULL)) {
		return -1;
	}
	return pvcons_init_from_hvm();
}

static int teardown(void **state)
{
	sim_reset();
	return 0;
}

/* The first command of @src split and expanded as the shell does: words
 * from the lexer, each expanded into argv; *@rest is the text after the
 * ';' that ended it, or NULL at the end. Returns argc or -errno. */
static char fields_buf[SHELL_EXPANDED_MAX];

static int split_first(const char *src, char *argv[SHELL_ARGS_MAX], const char **rest)
{
	struct sh_lexer lx;
	struct sh_token tok;
	struct sh_fields f = {fields_buf, sizeof(fields_buf), 0, argv, 0, SHELL_ARGS_MAX, false};

	sh_lex_init(&lx, src, strlen(src));
	*rest = NULL;
	for (;;) {
		int rc = sh_lex_next(&lx, &tok);
		if (rc) {
			return rc;
		}
		if (tok.kind != SH_TOK_WORD) {
			break;
		}
		rc = sh_expand(&tok.word, &f, true);
		if (rc) {
			return rc;
		}
	}
	if (tok.kind == SH_TOK_SEMI) {
		*rest = src + lx.pos;
	}
	return f.argc;
}

/* Split @src; the words are checked against @want (NULL-ended). */
static void lex_expect(const char *src, const char *const *want, const char *rest_want)
{
	char *argv[SHELL_ARGS_MAX];
	const char *rest;
	int n = 0;

	int argc = split_first(src, argv, &rest);
	while (want[n]) {
		n++;
	}
	assert_int_equal(argc, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(argv[i], want[i]);
	}
	if (rest_want) {
		assert_non_null(rest);
		assert_string_equal(rest, rest_want);
	} else {
		assert_null(rest);
	}
}

static void test_lex_words_and_quotes(void **state)
{
	lex_expect("echo a  b\tc", (const char *const[]){"echo", "a", "b", "c", NULL}, NULL);
	lex_expect("echo 'a b' \"c d\"", (const char *const[]){"echo", "a b", "c d", NULL}, NULL);
	lex_expect("x 'it\\s'", (const char *const[]){"x", "it\\s", NULL}, NULL);
	lex_expect("x \"q\\\"q\"", (const char *const[]){"x", "q\"q", NULL}, NULL);
	lex_expect("x a\\ b", (const char *const[]){"x", "a b", NULL}, NULL);
	lex_expect("x ab'cd'ef", (const char *const[]){"x", "abcdef", NULL}, NULL);
	lex_expect("x ''", (const char *const[]){"x", "", NULL}, NULL);
	lex_expect("a 1; b 2", (const char *const[]){"a", "1", NULL}, " b 2");
	lex_expect("x ';'", (const char *const[]){"x", ";", NULL}, NULL);
}

static void test_lex_empty(void **state)
{
	lex_expect("", (const char *const[]){NULL}, NULL);
	lex_expect("   \t ", (const char *const[]){NULL}, NULL);
	lex_expect(";", (const char *const[]){NULL}, "");
	lex_expect(" ; a", (const char *const[]){NULL}, " a");
}

static void test_lex_errors(void **state)
{
	char line[512];
	char *argv[SHELL_ARGS_MAX];
	const char *rest;

	assert_int_equal(split_first("echo 'open", argv, &rest), -EINVAL);
	assert_int_equal(split_first("echo \"open\\\"", argv, &rest), -EINVAL);
	/* SHELL_ARGS_MAX words fit, one more does not. */
	line[0] = '\0';
	for (int i = 0; i < SHELL_ARGS_MAX; i++) {
		strcat(line, "w ");
	}
	assert_int_equal(split_first(line, argv, &rest), SHELL_ARGS_MAX);
	strcat(line, "x");
	assert_int_equal(split_first(line, argv, &rest), -E2BIG);
	/* A trailing backslash is a literal. */
	assert_int_equal(split_first("x \\", argv, &rest), 2);
	assert_string_equal(argv[1], "\\");
}

static void test_unknown_command(void **state)
{
	char line[] = "frobnicate now";

	assert_int_equal(shell_run_line(line), -ENOENT);
	assert_non_null(strstr(sim_console_output(NULL), "Unknown command 'frobnicate'"));
}

static void test_unknown_command_escaped(void **state)
{
	char line[] = "\"\x1b[2J\"";

	assert_int_equal(shell_run_line(line), -ENOENT);
	/* The terminal escape is shown escaped, never sent raw (STYLE G3). */
	assert_null(strchr(sim_console_output(NULL), '\x1b'));
}

static void test_run_errors(void **state)
{
	char quote[] = "echo 'x";
	char many[512] = "echo";

	assert_int_equal(shell_run_line(quote), -EINVAL);
	assert_non_null(strstr(sim_console_output(NULL), "unterminated quote"));
	for (int i = 0; i < SHELL_ARGS_MAX; i++) {
		strcat(many, " a");
	}
	assert_int_equal(shell_run_line(many), -E2BIG);
	assert_non_null(strstr(sim_console_output(NULL), "too many arguments"));
}

static void test_readline_editing(void **state)
{
	char buf[64];
	const char keys[] = "helx\bp\x01 me\x15"
			    "echo hi\r";

	assert_int_equal(sim_console_input(keys, sizeof(keys) - 1), sizeof(keys) - 1);
	assert_int_equal(shell_readline(buf, sizeof(buf), arch_time_ns() + 1000000000ULL), 7);
	assert_string_equal(buf, "echo hi");
	/* Empty line, then timeout. */
	assert_int_equal(sim_console_input("\n", 1), 1);
	assert_int_equal(shell_readline(buf, sizeof(buf), arch_time_ns() + 1000000000ULL), 0);
	assert_string_equal(buf, "");
	assert_int_equal(shell_readline(buf, sizeof(buf), arch_time_ns() + 1000000000ULL), -1);
}

static void test_readline_overlong(void **state)
{
	char buf[16];
	char keys[40];

	memset(keys, 'a', sizeof(keys));
	keys[sizeof(keys) - 1] = '\r';
	assert_int_equal(sim_console_input(keys, sizeof(keys)), sizeof(keys));
	/* Cut-off lines are dropped whole, never run half. */
	assert_int_equal(shell_readline(buf, sizeof(buf), arch_time_ns() + 1000000000ULL), 0);
	assert_string_equal(buf, "");
	assert_non_null(strstr(sim_console_output(NULL), "line too long"));
}

static int prompt_once(void)
{
	return shell_prompt_once(arch_time_ns() + 1000000000ULL);
}

/* A block typed over several lines runs once it is complete, as in hush;
 * Ctrl-C drops an unfinished one. */
static void test_prompt_continuation(void **state)
{
	const char keys[] = "if true\rthen echo A\r\rfi\r";

	assert_int_equal(sim_console_input(keys, sizeof(keys) - 1), sizeof(keys) - 1);
	assert_int_equal(prompt_once(), 1);
	assert_int_equal(prompt_once(), 1);
	assert_int_equal(prompt_once(), 1);
	assert_null(strstr(sim_console_output(NULL), "\nA\r\n"));
	assert_int_equal(prompt_once(), 0);
	assert_non_null(
	    strstr(sim_console_output(NULL), "=> if true\r\n> then echo A\r\n> \r\n> fi\r\nA\r\n"));
	sim_console_output_clear();
	const char cancel[] = "for x in a\r\x03"
			      "echo 'x\ry'\r";
	assert_int_equal(sim_console_input(cancel, sizeof(cancel) - 1), sizeof(cancel) - 1);
	assert_int_equal(prompt_once(), 1);
	assert_int_equal(prompt_once(), 0);
	assert_int_equal(prompt_once(), 1);
	assert_int_equal(prompt_once(), 0);
	assert_non_null(strstr(sim_console_output(NULL), "^C\r\n=> echo 'x\r\n> y'\r\nx\r\ny\r\n"));
	/* A syntax error is not a reason to wait: it is reported at once. */
	assert_int_equal(sim_console_input("fi\r", 3), 3);
	assert_int_equal(prompt_once(), 0);
	assert_non_null(strstr(sim_console_output(NULL), "syntax error at line 1"));
	assert_int_equal(prompt_once(), -1);
}

static void test_help_lists_script_commands(void **state)
{
	assert_int_equal(shell_run_line("help"), 0);
	const char *o = sim_console_output(NULL);
	assert_non_null(strstr(o, "source     - run a boot script image"));
	assert_non_null(strstr(o, "test       - check a condition"));
	assert_non_null(strstr(o, "Scripts: ; && ||"));
}

static unsigned int hook_reason = ~0U;

/* Returning from the hook makes SCHEDOP_shutdown return 0 into the guest.
 * (A longjmp out of shell_run_line() would leak its expansion buffer and
 * leave its nesting depth raised, which LeakSanitizer reports.) */
static void on_shutdown(unsigned int reason, void *ctx)
{
	hook_reason = reason;
}

static void test_poweroff(void **state)
{
	char line[] = "poweroff";
	char bad[] = "poweroff now";

	assert_int_equal(shell_run_line(bad), 1);
	assert_non_null(strstr(sim_console_output(NULL), "Usage: poweroff"));
	assert_int_equal(sim_stats()->shutdown_count, 0);
	sim_set_shutdown_hook(on_shutdown, NULL);
	/* Xen never returns from a shutdown; when it does, that is an error. */
	assert_int_equal(shell_run_line(line), -EIO);
	assert_int_equal(sim_stats()->shutdown_count, 1);
	assert_int_equal(sim_stats()->shutdown_reason, SHUTDOWN_poweroff);
	assert_int_equal(hook_reason, SHUTDOWN_poweroff);
	/* The goodbye reached the backend before the shutdown request. */
	assert_non_null(strstr(sim_console_output(NULL), "powering off"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lex_words_and_quotes),
	    cmocka_unit_test(test_lex_empty),
	    cmocka_unit_test(test_lex_errors),
	    T(test_unknown_command),
	    T(test_unknown_command_escaped),
	    T(test_run_errors),
	    T(test_readline_editing),
	    T(test_readline_overlong),
	    T(test_poweroff),
	    T(test_prompt_continuation),
	    T(test_help_lists_script_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
