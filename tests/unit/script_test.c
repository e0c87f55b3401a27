/* The shell's script language (cmd/shell_*.c, test/true/false/exit/run),
 * run through shell_run_script() on the simulated console: split then
 * expand, if/for/&&/||, $?, U-Boot's test, run of several variables, exit,
 * and the bounds on nesting and loops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_out.h"
#include <cmd/cmd.h>
#include <cmd/script.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	if (sim_init(NULL)) {
		return -1;
	}
	return pvcons_init_from_hvm();
}

static int teardown(void **state)
{
	for (unsigned int i = env_count(); i > 0; i--) {
		const char *name, *value;
		env_at(i - 1, &name, &value);
		char copy[ENV_NAME_MAX + 1];
		snprintf(copy, sizeof(copy), "%s", name);
		assert_int_equal(env_set(copy, NULL), 0);
	}
	sh_var_clear();
	sim_reset();
	return 0;
}

/* Runs @script after dropping the output so far; returns its result. */
static int run(const char *script)
{
	sim_console_output_clear();
	return shell_run_script(script, strlen(script));
}

static void assert_out(const char *want)
{
	if (strcmp(out(), want) != 0) {
		fail_msg("output is:\n%s\nwanted:\n%s", out(), want);
	}
}

static void set(const char *name, const char *value)
{
	assert_int_equal(env_set(name, value), 0);
}

/* The bug of issue 7: a ';' (or a quote, &&, a keyword) inside a value
 * must stay text. Before the fix the shell expanded the whole line first,
 * so `echo $x` ran a second command. */
static void test_value_is_never_syntax(void **state)
{
	set("x", "a; echo INJECTED");
	assert_int_equal(run("echo $x"), 0);
	assert_out("a; echo INJECTED\n");
	set("x", "b && echo INJECTED || echo INJECTED");
	assert_int_equal(run("echo ${x}"), 0);
	assert_out("b && echo INJECTED || echo INJECTED\n");
	set("x", "'");
	assert_int_equal(run("echo $x"), 0);
	assert_out("'\n");
	set("x", "fi");
	assert_int_equal(run("if true; then echo $x; fi"), 0);
	assert_out("fi\n");
	set("x", "$y");
	set("y", "INJECTED");
	assert_int_equal(run("echo $x"), 0);
	assert_out("$y\n");
	/* A command name from a variable is only a name. */
	set("x", "echo;echo");
	assert_int_equal(run("$x"), -ENOENT);
	assert_out_has("Unknown command 'echo;echo'");
}

static void test_expansion(void **state)
{
	set("a", "1");
	set("v", "x  y");
	assert_int_equal(run("echo $a ${a}b '$a' \"$a\" \"${a}c\" $a$a \\$a $ ${ $none."), 0);
	assert_out("1 1b $a 1 1c 11 $a $ ${ .\n");
	/* Unquoted values split on blanks, quoted ones do not. */
	assert_int_equal(run("for i in $v; do echo [$i]; done; echo \"[$v]\""), 0);
	assert_out("[x]\n[y]\n[x  y]\n");
	/* An empty unquoted value is no word at all; "" is an empty word. */
	assert_int_equal(run("echo [$none] '' \"\" $none x"), 0);
	assert_out("[]   x\n");
	assert_int_equal(run("setenv e \"\"; test -z \"$e\" && echo empty"), 0);
	assert_out("empty\n");
	/* Double quotes: \" \\ \$ escape, other backslashes stay. */
	assert_int_equal(run("echo \"q\\\"q \\\\ \\$a \\n\""), 0);
	assert_out("q\"q \\ $a \\n\n");
}

static void test_and_or_status(void **state)
{
	assert_int_equal(run("true && echo A || echo B"), 0);
	assert_out("A\n");
	assert_int_equal(run("false && echo A || echo B"), 0);
	assert_out("B\n");
	assert_int_equal(run("false || false && echo C"), CMD_RET_FAILURE);
	assert_out("");
	assert_int_equal(run("true || echo X && echo D"), 0);
	assert_out("D\n");
	assert_int_equal(run("false; echo $?; true; echo $?"), 0);
	assert_out("1\n0\n");
	assert_int_equal(run("nosuch; echo $?"), 0);
	assert_out_has("\n1\n");
	/* && and || may end a line. */
	assert_int_equal(run("true &&\n  echo E ||\n echo F"), 0);
	assert_out("E\n");
}

static void test_if(void **state)
{
	static const char script[] = "if test $n = 1; then\n"
				     "  echo one\n"
				     "elif test $n = 2\n"
				     "then echo two\n"
				     "elif test $n = 3; then echo three; else\n"
				     "  echo other; fi\n"
				     "echo end\n";
	const char *want[] = {"one\nend\n", "two\nend\n", "three\nend\n", "other\nend\n"};

	for (int n = 1; n <= 4; n++) {
		char value[2] = {(char)('0' + n), 0};
		set("n", value);
		assert_int_equal(run(script), 0);
		assert_out(want[n - 1]);
	}
	/* Nested, one line; the status of an if without a branch taken is 0. */
	assert_int_equal(run("if true; then if false; then echo X; else echo Y; fi; fi"), 0);
	assert_out("Y\n");
	assert_int_equal(run("if false; then echo X; fi; echo $?"), 0);
	assert_out("0\n");
	assert_int_equal(run("if false; then true; fi && echo ok"), 0);
	assert_out("ok\n");
	/* Keywords count only where a command starts and unquoted. */
	assert_int_equal(run("echo if then fi; 'if' true"), -ENOENT);
	assert_out_has("if then fi\n");
}

static void test_for(void **state)
{
	set("boot_prefixes", "/ /boot/");
	assert_int_equal(run("for p in ${boot_prefixes}; do echo ${p}extlinux/extlinux.conf; done"),
			 0);
	assert_out("/extlinux/extlinux.conf\n/boot/extlinux/extlinux.conf\n");
	/* The list is expanded once, before the loop; a body failing does not
	 * stop it; an empty list runs nothing. */
	assert_int_equal(run("for x in a \"b c\" $none\ndo\n echo $x\n false\ndone"),
			 CMD_RET_FAILURE);
	assert_out("a\nb c\n");
	assert_int_equal(run("for x in; do echo never; done"), 0);
	assert_out("");
	assert_int_equal(run("for i in 1 2; do for j in a b; do echo $i$j; done; done"), 0);
	assert_out("1a\n1b\n2a\n2b\n");
	/* The loop variable is a shell variable, not an environment one. */
	assert_null(env_get("i"));
}

static void test_assignment(void **state)
{
	assert_int_equal(run("devnum=3; devtype=\"blk x\"; echo ${devtype}:${devnum}"), 0);
	assert_out("blk x:3\n");
	assert_null(env_get("devnum"));
	/* A shell variable hides an environment one of the same name. */
	set("devnum", "9");
	assert_int_equal(run("echo $devnum"), 0);
	assert_out("3\n");
	/* Not an assignment: a quoted name, a bad name. */
	assert_int_equal(run("'a'=1"), -ENOENT);
	assert_int_equal(run("1a=1"), -ENOENT);
}

struct test_case {
	const char *expr;
	bool is_true;
};

static void test_test_command(void **state)
{
	static const struct test_case cases[] = {
	    {"test -n x", true},
	    {"test -n ''", false},
	    {"test -z ''", true},
	    {"test -z x", false},
	    {"test a = a", true},
	    {"test a = b", false},
	    {"test a != b", true},
	    {"test a '<' b", true},
	    {"test b '>' a", true},
	    {"test 16 -eq 0x10", true},
	    {"test 010 -eq 8", true},
	    {"test -1 -lt 0", true},
	    {"test 2 -le 2", true},
	    {"test 3 -gt 2", true},
	    {"test 2 -ge 3", false},
	    {"test 1 -ne 1", false},
	    {"test 12abc -eq 12", true},
	    {"test ! -n x", false},
	    {"test ! ! -n x", true},
	    {"test -n x -a -z x", false},
	    {"test -n x -o -z x", true},
	    /* Left to right without precedence, as U-Boot. */
	    {"test -n x -o -n x -a -z x", false},
	    {"test", false},
	    {"test x", false},
	    {"test -n", false},
	    {"test foo bar", false},
	    {"test -n = -n", true},
	    {"true", true},
	    {"false", false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run(cases[i].expr);
		if ((rc == 0) != cases[i].is_true) {
			fail_msg("'%s' returned %d", cases[i].expr, rc);
		}
		/* A false test prints nothing: it is an answer, not an error. */
		assert_out("");
	}
}

static void test_run_several(void **state)
{
	set("a", "echo A");
	set("b", "echo B; false");
	set("c", "echo C");
	set("multi", "if true; then\necho M1\nfi\necho M2");
	assert_int_equal(run("run a c"), 0);
	assert_out("A\nC\n");
	/* Stops at the first failure. */
	assert_int_equal(run("run a b c"), CMD_RET_FAILURE);
	assert_out("A\nB\n");
	assert_int_equal(run("run a none c"), CMD_RET_FAILURE);
	assert_out("A\n## Error: \"none\" not defined\n");
	assert_int_equal(run("run multi"), 0);
	assert_out("M1\nM2\n");
	/* A run'd variable may set what the caller then uses. */
	set("setter", "setenv got yes; x=local");
	assert_int_equal(run("run setter && echo $got $x"), 0);
	assert_out("yes local\n");
}

static void test_exit(void **state)
{
	assert_int_equal(run("echo 1; exit; echo 2"), 0);
	assert_out("1\n");
	assert_int_equal(run("echo 1\nif true; then\n exit 1\nfi\necho 2"), CMD_RET_FAILURE);
	assert_out("1\n");
	/* exit ends the run'd script only. */
	set("e", "for i in a b; do echo $i; exit; done; echo never");
	assert_int_equal(run("run e; echo after"), 0);
	assert_out("a\nafter\n");
	assert_int_equal(run("exit x"), CMD_RET_USAGE);
}

static void test_syntax_errors(void **state)
{
	static const char *const bad[] = {
	    "if true; then echo x",
	    "if true; echo x; fi",
	    "fi",
	    "for 1x in a; do true; done",
	    "for x a; do true; done",
	    "for x in a; true; done",
	    "then",
	    "&& echo x",
	    "echo x ||",
	    "if true; then echo; fi echo",
	    "echo 'open",
	    "done",
	    "for x in a; do echo; done x",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run(bad[i]);
		if (rc != -EINVAL) {
			fail_msg("'%s' returned %d", bad[i], rc);
		}
		assert_out_has("syntax error at line 1: ");
		/* Nothing of an incomplete block ran. */
		assert_null(strstr(out(), "x\n"));
	}
	/* Commands before the error ran; after it, nothing does. */
	assert_int_equal(run("echo a\necho b; fi\necho c"), -EINVAL);
	assert_out("a\nb\nsyntax error at line 2: a command was expected (found 'fi')\n");
}

static void test_multiline_script(void **state)
{
	static const char script[] = "# a comment\r\n"
				     "setenv bootargs \"root=/dev/xvda1\"   # trailing comment\r\n"
				     "if test -n \"${bootargs}\"; then\r\n"
				     "  setenv bootargs \"${bootargs} console=hvc0\"\r\n"
				     "fi\r\n"
				     "echo one \\\n"
				     "  two \\\n"
				     "  && echo three\n"
				     "echo a#b '#c'\n";

	assert_int_equal(run(script), 0);
	assert_out("one two\nthree\na#b #c\n");
	assert_string_equal(env_get("bootargs"), "root=/dev/xvda1 console=hvc0");
	/* A script stops at a NUL byte, as a C string would. */
	assert_int_equal(shell_run_script("echo x\0echo y", 13), 0);
	assert_out_has("x\n");
	assert_null(strstr(out(), "y"));
}

static void test_nesting_bounded(void **state)
{
	char deep[1024] = "";

	/* run of itself: bounded depth, one clear line. */
	set("r", "run r");
	assert_int_not_equal(run("run r"), 0);
	assert_out_has("commands nested too deeply (at most 8)");
	/* if nested more than SHELL_NEST_MAX: refused before anything runs. */
	for (int i = 0; i <= SHELL_NEST_MAX; i++) {
		strcat(deep, "if true; then ");
	}
	strcat(deep, "echo deep;");
	for (int i = 0; i <= SHELL_NEST_MAX; i++) {
		strcat(deep, " fi;");
	}
	assert_int_equal(run(deep), -ELOOP);
	assert_out_has("blocks nested too deeply (at most 16)");
	assert_null(strstr(out(), "deep\n"));
	/* At the limit it runs. */
	strcpy(deep, "");
	for (int i = 0; i < SHELL_NEST_MAX; i++) {
		strcat(deep, "for x in a; do ");
	}
	strcat(deep, "echo deep;");
	for (int i = 0; i < SHELL_NEST_MAX; i++) {
		strcat(deep, " done;");
	}
	assert_int_equal(run(deep), 0);
	assert_out("deep\n");
}

/* Loops that multiply end after SHELL_STEPS_MAX commands, not hours later. */
static void test_steps_bounded(void **state)
{
	set("l", "0 1 2 3 4 5 6 7 8 9 a b c d e f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d");
	assert_int_equal(run("for a in $l; do for b in $l; do for c in $l; do for d in $l; do "
			     "true; done; done; done; done; echo after"),
			 -ELOOP);
	assert_out("script stopped: more than 100000 commands\n");
	/* Through run, too, and the next script starts afresh. */
	set("t1", "for a in $l; do for b in $l; do true; done; done");
	set("t2", "run t1 t1 t1 t1 t1 t1 t1 t1 t1 t1");
	set("t3", "run t2 t2 t2 t2 t2 t2 t2 t2 t2 t2");
	assert_int_equal(run("run t3; echo t3 ran"), 0);
	assert_out("t3 ran\n");
	assert_int_not_equal(run("run t3 t3; echo after"), 0);
	assert_out("script stopped: more than 100000 commands\n");
	assert_int_equal(run("echo fine"), 0);
	assert_out("fine\n");
}

static void test_limits(void **state)
{
	char line[SHELL_EXPANDED_MAX + 64] = "echo ";
	char big[ENV_VALUE_MAX];

	/* A value that expands past the per-command buffer. */
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	set("big", big);
	for (int i = 0; i < 5; i++) {
		strcat(line, "$big");
	}
	assert_int_equal(run(line), -E2BIG);
	assert_out_has("too many arguments (at most 32) or too long after expansion");
	/* A value that splits into more words than a command takes. */
	set("many", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 "
		    "30 31 32 33");
	assert_int_equal(run("echo $many"), -E2BIG);
	/* Too many shell variables. */
	for (int i = 0; i < SHELL_VARS_MAX; i++) {
		snprintf(line, sizeof(line), "v%d=1", i);
		assert_int_equal(run(line), 0);
	}
	assert_int_equal(run("w=1"), -ENOSPC);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_value_is_never_syntax),
	    T(test_expansion),
	    T(test_and_or_status),
	    T(test_if),
	    T(test_for),
	    T(test_assignment),
	    T(test_test_command),
	    T(test_run_several),
	    T(test_exit),
	    T(test_syntax_errors),
	    T(test_multiline_script),
	    T(test_nesting_bounded),
	    T(test_steps_bounded),
	    T(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
