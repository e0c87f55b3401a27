/* The shell's script language, inside: the lexer (text -> tokens), the
 * parser (tokens -> a tree of commands), word expansion (a word's quotes
 * removed, $name, ${name} and $? replaced) and the shell's own variables.
 * Users go through <cmd/shell.h>; this header is for the shell's files, its
 * tests and its fuzz target.
 *
 * The order of the steps is the point: a script is split into words and
 * parsed first, and only then is each word expanded. A value that comes from
 * a variable (the disk, the network, the user) is never read as syntax: a ';',
 * a quote, "&&" or "fi" inside it stays text. Unquoted expansions are split
 * into fields on blanks (so `for p in ${boot_prefixes}` loops over prefixes);
 * quoted ones are not. */
#ifndef CMD_SCRIPT_H
#define CMD_SCRIPT_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>

/* ------------------------------------------------------------------ lexer */

enum sh_tok {
	SH_TOK_EOF,
	SH_TOK_WORD,
	SH_TOK_SEMI, /* ; */
	SH_TOK_NL, /* a newline */
	SH_TOK_AND, /* && */
	SH_TOK_OR, /* || */
};

/* A word is kept raw (quotes and $ included) until it is expanded. */
struct sh_word {
	const char *text;
	size_t len;
};

struct sh_token {
	enum sh_tok kind;
	struct sh_word word; /* SH_TOK_WORD only */
	unsigned int line; /* 1-based line where the token starts */
};

/* The text is untrusted and need not be NUL-terminated: it ends at @len
 * bytes or at a NUL byte, whichever comes first. */
struct sh_lexer {
	const char *text;
	size_t len, pos;
	unsigned int line;
};

void sh_lex_init(struct sh_lexer *lx, const char *text, size_t len);
/**
 * sh_lex_next() - the next token. Blanks, a backslash-newline and comments
 * (# at the start of a word, to the end of the line) are skipped; a word
 * runs to an unquoted blank, ';', newline, "&&" or "||". Returns 0, or
 * -EINVAL for a quote left open at the end of the text.
 */
int __must_check sh_lex_next(struct sh_lexer *lx, struct sh_token *tok);

/* ----------------------------------------------------------------- parser */

enum sh_node_kind {
	SH_NODE_CMD, /* words[0..count) */
	SH_NODE_IF, /* if a then b else c (elif: c is one SH_NODE_IF) */
	SH_NODE_FOR, /* for var in words; do a */
};

/* How a node joins the one before it in its list. */
enum sh_conn {
	SH_CONN_SEQ, /* ; or newline: always runs */
	SH_CONN_AND, /* &&: runs if the previous status is 0 */
	SH_CONN_OR, /* ||: runs if the previous status is not 0 */
};

struct sh_node {
	enum sh_node_kind kind;
	enum sh_conn conn;
	struct sh_node *next; /* the next node of the same list */
	unsigned int line;
	struct sh_word *words; /* SH_NODE_CMD: argv; SH_NODE_FOR: the list */
	unsigned int count;
	struct sh_word var; /* SH_NODE_FOR */
	struct sh_node *a, *b, *c; /* condition / body / else (see kind) */
};

struct sh_parser {
	struct sh_lexer lx;
	struct sh_token tok; /* the current, not yet consumed, token */
	unsigned int depth; /* if/for nesting */
	size_t bytes; /* memory held by the tree being built */
	int error; /* first error, reported once */
	bool is_quiet; /* report nothing (sh_is_incomplete()) */
};

/**
 * sh_parse_init() - start parsing @text (@len bytes, untrusted; the text
 * must outlive the trees, whose words point into it).
 */
int __must_check sh_parse_init(struct sh_parser *p, const char *text, size_t len);

/**
 * sh_parse_next() - parse the next complete command (an and-or list such as
 * `a && b || c`, or a whole if/for block, up to the next ';' or newline at
 * the top level) into *@out, to be run before the next one is parsed, as
 * U-Boot's hush does. *@out is NULL at the end of the text. The tree is
 * freed with sh_tree_free(). Returns 0, or -EINVAL (syntax error, printed
 * with its line), -ELOOP (nested deeper than SHELL_NEST_MAX), -E2BIG (a
 * command with more than SHELL_ARGS_MAX words, a block over SHELL_PARSE_MAX
 * bytes), -ENOMEM.
 */
int __must_check sh_parse_next(struct sh_parser *p, struct sh_node **out);

void sh_tree_free(struct sh_node *n);

/**
 * sh_is_incomplete() - does @text (@len bytes) end inside a block, a quote
 * or after && / ||, so that the prompt should read another line? Prints
 * nothing; a syntax error before the end is "complete" (running it reports
 * the error).
 */
bool sh_is_incomplete(const char *text, size_t len);

/* -------------------------------------------------------------- expansion */

/* The words a command expands to, in one bounded buffer. */
struct sh_fields {
	char *buf;
	size_t size, used;
	char **argv;
	int argc, max;
	bool open; /* a field has started but is not finished */
};

/**
 * sh_expand() - append the fields of raw word @w to @f: quotes removed,
 * backslash escapes applied, variables replaced; unquoted variable values are
 * split on blanks (an empty one gives no field), quoted ones never are.
 * With @split false the word gives exactly one field (assignments).
 * Returns 0, or -E2BIG (more than @f->max fields or @f->size bytes).
 */
int __must_check sh_expand(const struct sh_word *w, struct sh_fields *f, bool split);

/** sh_is_keyword() - is the raw word @w exactly @kw (unquoted)? */
bool sh_is_keyword(const struct sh_word *w, const char *kw);

/** sh_assign_len() - for a word "name=..." with a valid name, the length of name; else 0. */
size_t sh_assign_len(const struct sh_word *w);

/* -------------------------------------------------------------- variables */

/**
 * sh_var_get() - the value of @name as $name sees it: "?" is the last exit
 * status, then the shell's own variables (set by `name=value` and `for`),
 * then the environment. NULL if unset. Valid until the next set.
 */
const char *sh_var_get(const char *name);
/** sh_var_set() - set a shell variable (not the environment, as hush). */
int __must_check sh_var_set(const char *name, size_t name_len, const char *value);
/** sh_var_clear() - forget every shell variable (tests). */
void sh_var_clear(void);
/** sh_status_set() - record the last exit status ($?). */
void sh_status_set(int status);

/* -------------------------------------------------------------- execution */

/** sh_exec() - run the list that starts at @n. Returns the last command's result. */
int sh_exec(const struct sh_node *n);

/**
 * shell_set_command_filter() - only commands for which @is_allowed returns
 * true run; others are unknown. For the fuzz target, which must not run
 * commands that read arbitrary memory or end the domain. NULL: all.
 */
void shell_set_command_filter(bool (*is_allowed)(const char *name));

#endif
