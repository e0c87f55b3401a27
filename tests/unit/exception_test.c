/* cmd/exception.c: `exception undefined` crashes on purpose (the lab's
 * console1-crash case watches the arm64 report); anything else is a usage
 * error that leaves the guest running. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <signal.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void test_usage(void **state)
{
	char none[] = "exception";
	char other[] = "exception sigsegv";
	char extra[] = "exception undefined now";

	assert_int_equal(shell_run_line(none), 1);
	assert_non_null(strstr(sim_console_output(NULL), "Usage: exception undefined"));
	assert_int_equal(shell_run_line(other), 1);
	assert_int_equal(shell_run_line(extra), 1);
	assert_int_equal(sim_stats()->shutdown_count, 0);
}

/* The host's trap kills the process, as the instruction crashes the guest. */
static void test_undefined_traps(void **state)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		char line[] = "exception undefined";

		setrlimit(RLIMIT_CORE, &no_core);
		/* cmocka catches these signals to report a failed test. */
		signal(SIGILL, SIG_DFL);
		signal(SIGTRAP, SIG_DFL);
		shell_run_line(line);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_true(WTERMSIG(status) == SIGILL || WTERMSIG(status) == SIGTRAP);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_usage),
	    T(test_undefined_traps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
