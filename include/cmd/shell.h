/* The command shell: line editor, script language (U-Boot hush syntax:
 * quotes, $variables, ;, &&, ||, if/elif/else/fi, for/do/done) and the
 * command dispatcher. The language's insides are in <cmd/script.h>. */
#ifndef CMD_SHELL_H
#define CMD_SHELL_H

#include <lib/compiler.h>
#include <stddef.h>

#define SHELL_PROMPT "=> "
#define SHELL_PROMPT_MORE "> " /* the block typed so far is not finished */
#define SHELL_LINE_MAX 512
#define SHELL_ARGS_MAX 32 /* words of one command, after expansion */
#define SHELL_DEPTH_MAX 8 /* run / source nesting */
#define SHELL_NEST_MAX 16 /* if / for nesting in one script */
#define SHELL_EXPANDED_MAX 4096 /* bytes of one command after expansion */
#define SHELL_FOR_MAX 128 /* words of a for list after expansion */
#define SHELL_VARS_MAX 32 /* shell variables (name=value, for) */
#define SHELL_PARSE_MAX (256 * 1024) /* memory of one parsed block */
#define SHELL_STEPS_MAX 100000 /* commands one script may run */
#define SHELL_SCRIPT_MAX (256 * 1024) /* bytes of a `source` script */
#define SHELL_SCRIPT_LINES_MAX 4096 /* bytes of a block typed at the prompt */
#define SHELL_READ_CANCELLED (-2) /* shell_readline(): Ctrl-C */

/**
 * shell_run_script() - parse and run the script @text (@len bytes, or up to
 * a NUL; untrusted): commands separated by ';' or newlines, if/for blocks
 * over several lines. Each complete command runs before the next is parsed;
 * a syntax error stops the script with one line naming the line number.
 * `exit` ends this script only. Returns the last command's result: 0,
 * CMD_RET_USAGE, CMD_RET_FAILURE or -errno (-EINVAL syntax, -ELOOP nested too
 * deeply or too many commands, -E2BIG a command too long).
 */
int shell_run_script(const char *text, size_t len);

/** shell_run_line() - shell_run_script() on a NUL-terminated line. */
int shell_run_line(const char *line);
/**
 * shell_run_var() - run the script in environment variable @name (bootcmd,
 * localcmd, ...), whole, from a copy. -ENOENT if it is not set; otherwise
 * the script's result.
 */
int shell_run_var(const char *name);

/** shell_exit() - end the innermost running script with result @rc (`exit`). */
void shell_exit(int rc);

/**
 * shell_readline() - read and edit one line with echo into @buf. Returns its
 * length, -1 if input timed out, SHELL_READ_CANCELLED on Ctrl-C.
 */
int shell_readline(char *buf, size_t size, unsigned long long deadline_ns);

/**
 * shell_prompt_once() - print the prompt ("> " inside an unfinished if/for
 * block, quote or && chain), read one line and run what was typed once it
 * is complete, as hush does. Returns 0 (ran, or nothing to run), 1 (waiting
 * for more lines) or -1 (timed out).
 */
int shell_prompt_once(unsigned long long deadline_ns);

/** shell_loop() - prompt, read, run, forever. */
__noreturn void shell_loop(void);

#endif
