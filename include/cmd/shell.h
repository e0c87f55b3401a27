/* The command shell: line editor, lexer and dispatcher. */
#ifndef CMD_SHELL_H
#define CMD_SHELL_H

#include <lib/compiler.h>
#include <stddef.h>

#define SHELL_PROMPT "=> "
#define SHELL_LINE_MAX 512
#define SHELL_ARGS_MAX 32
#define SHELL_DEPTH_MAX 8
#define SHELL_EXPANDED_MAX 4096

/**
 * shell_lex() - split one command out of @line in place (untrusted input).
 * Words are separated by blanks; '...' and "..." quote; \ escapes the next
 * byte outside single quotes; ';' ends a command. @argv receives at most
 * SHELL_ARGS_MAX pointers into @line; *@rest points after the ';' or is NULL
 * at the end of the line. Returns argc (0 for an empty command), or -E2BIG
 * (too many words) / -EINVAL (unterminated quote).
 */
int __must_check shell_lex(char *line, char *argv[SHELL_ARGS_MAX], char **rest);

/** shell_run_line() - expand and run every command in @line. Returns the last result. */
int shell_run_line(char *line);

/** shell_readline() - read and edit one line with echo; -1 if input timed out. */
int shell_readline(char *buf, size_t size, unsigned long long deadline_ns);

/** shell_loop() - prompt, read, run, forever. */
__noreturn void shell_loop(void);

#endif
