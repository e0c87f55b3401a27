/* The shell's parser (include/cmd/script.h): tokens to a tree of commands,
 * one complete command at a time. The grammar, as U-Boot's hush reads it:
 *
 *   list    := { ';' | NL } [ and_or { (';' | NL) { ';' | NL } and_or } ]
 *   and_or  := command { ('&&' | '||') { NL } command }
 *   command := if | for | word { word }
 *   if      := 'if' list 'then' list { 'elif' list 'then' list }
 *              [ 'else' list ] 'fi'
 *   for     := 'for' NAME { NL } 'in' { word } (';' | NL) { ';' | NL }
 *              'do' list 'done'
 *
 * Keywords are recognised only unquoted and where a command starts. Bounds:
 * nesting (SHELL_NEST_MAX), words per command (SHELL_ARGS_MAX) and the
 * memory of one tree (SHELL_PARSE_MAX), so any input parses in bounded
 * stack, memory and time. */
#include <cmd/script.h>
#include <cmd/shell.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

/* Keywords that end a list: the ones its caller waits for. */
static const char *const stop_then[] = {"then", NULL};
static const char *const stop_if_body[] = {"elif", "else", "fi", NULL};
static const char *const stop_fi[] = {"fi", NULL};
static const char *const stop_done[] = {"done", NULL};
static const char *const reserved[] = {"then", "elif", "else", "fi", "do", "done", NULL};

static void print_token(const struct sh_token *tok)
{
	char text[33];
	size_t n;

	switch (tok->kind) {
	case SH_TOK_EOF:
		xb_printf("end of script");
		return;
	case SH_TOK_NL:
		xb_printf("newline");
		return;
	case SH_TOK_SEMI:
		xb_printf("';'");
		return;
	case SH_TOK_AND:
		xb_printf("'&&'");
		return;
	case SH_TOK_OR:
		xb_printf("'||'");
		return;
	case SH_TOK_WORD:
		n = MIN(tok->word.len, sizeof(text) - 1);
		memcpy(text, tok->word.text, n);
		text[n] = '\0';
		xb_printf("'%pE'", text);
		return;
	}
}

/* Reports the first error only: later ones are consequences. */
static int fail(struct sh_parser *p, int rc, const char *what)
{
	if (!p->error) {
		p->error = rc;
		if (p->is_quiet) {
			return rc;
		}
		xb_printf("syntax error at line %u: %s", p->tok.line, what);
		if (rc == -EINVAL) {
			xb_printf(" (found ");
			print_token(&p->tok);
			xb_printf(")");
		}
		xb_printf("\n");
	}
	return p->error;
}

static int advance(struct sh_parser *p)
{
	if (sh_lex_next(&p->lx, &p->tok)) {
		p->tok.kind = SH_TOK_EOF;
		if (!p->error && !p->is_quiet) {
			xb_printf("syntax error at line %u: unterminated quote\n", p->tok.line);
		}
		p->error = p->error ? p->error : -EINVAL;
		return p->error;
	}
	return 0;
}

static bool is_kw(const struct sh_parser *p, const char *kw)
{
	return p->tok.kind == SH_TOK_WORD && sh_is_keyword(&p->tok.word, kw);
}

static bool is_one_of(const struct sh_parser *p, const char *const *kws)
{
	for (; kws && *kws; kws++) {
		if (is_kw(p, *kws)) {
			return true;
		}
	}
	return false;
}

static int expect(struct sh_parser *p, const char *kw, const char *msg)
{
	if (!is_kw(p, kw)) {
		return fail(p, -EINVAL, msg);
	}
	return advance(p);
}

/* Counts memory against SHELL_PARSE_MAX before allocating it. */
static void *parse_alloc(struct sh_parser *p, size_t size)
{
	if (size > SHELL_PARSE_MAX - p->bytes) {
		fail(p, -E2BIG, "script block too large");
		return NULL;
	}
	void *mem = calloc(1, size);
	if (!mem) {
		fail(p, -ENOMEM, "out of memory");
		return NULL;
	}
	p->bytes += size;
	return mem;
}

static struct sh_node *new_node(struct sh_parser *p, enum sh_node_kind kind)
{
	struct sh_node *n = parse_alloc(p, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->line = p->tok.line;
	}
	return n;
}

static int skip_separators(struct sh_parser *p, bool semi_too)
{
	int rc = 0;

	while (!rc && (p->tok.kind == SH_TOK_NL || (semi_too && p->tok.kind == SH_TOK_SEMI))) {
		rc = advance(p);
	}
	return rc;
}

/* Words up to the next operator into a new array of at most SHELL_ARGS_MAX. */
static int parse_words(struct sh_parser *p, struct sh_word **out, unsigned int *count)
{
	struct sh_word words[SHELL_ARGS_MAX];
	unsigned int n = 0;

	while (p->tok.kind == SH_TOK_WORD) {
		if (n == SHELL_ARGS_MAX) {
			if (!p->is_quiet) {
				xb_printf("too many arguments (at most %d)\n", SHELL_ARGS_MAX);
			}
			p->error = -E2BIG;
			return p->error;
		}
		words[n++] = p->tok.word;
		int rc = advance(p);
		if (rc) {
			return rc;
		}
	}
	*count = n;
	*out = NULL;
	if (n) {
		*out = parse_alloc(p, n * sizeof(words[0]));
		if (!*out) {
			return p->error;
		}
		memcpy(*out, words, n * sizeof(words[0]));
	}
	return 0;
}

static int parse_and_or(struct sh_parser *p, struct sh_node **out);

/* A list ends at EOF or at one of @stops (not consumed). */
static int parse_list(struct sh_parser *p, struct sh_node **out, const char *const *stops)
{
	struct sh_node **tail = out;
	int rc;

	*out = NULL;
	for (;;) {
		rc = skip_separators(p, true);
		if (rc || p->tok.kind == SH_TOK_EOF || is_one_of(p, stops)) {
			return rc;
		}
		rc = parse_and_or(p, tail);
		if (rc) {
			return rc;
		}
		while (*tail) {
			tail = &(*tail)->next;
		}
	}
}

static int enter(struct sh_parser *p)
{
	if (++p->depth > SHELL_NEST_MAX) {
		if (!p->is_quiet) {
			xb_printf(
			    "syntax error at line %u: blocks nested too deeply (at most %d)\n",
			    p->tok.line, SHELL_NEST_MAX);
		}
		p->error = -ELOOP;
		return p->error;
	}
	return advance(p);
}

/* 'if' is the current token. elif clauses chain through ->c without
 * nesting deeper, so a long elif chain is not a deep tree on the stack. */
static int parse_if(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n = new_node(p, SH_NODE_IF);
	int rc;

	*out = n;
	if (!n || (rc = enter(p))) {
		return p->error;
	}
	for (;;) {
		if ((rc = parse_list(p, &n->a, stop_then)) ||
		    (rc = expect(p, "then", "'if' without 'then'")) ||
		    (rc = parse_list(p, &n->b, stop_if_body))) {
			return rc;
		}
		if (!is_kw(p, "elif")) {
			break;
		}
		n->c = new_node(p, SH_NODE_IF);
		if (!n->c || (rc = advance(p))) {
			return p->error;
		}
		n = n->c;
	}
	if (is_kw(p, "else")) {
		if ((rc = advance(p)) || (rc = parse_list(p, &n->c, stop_fi))) {
			return rc;
		}
	}
	p->depth--;
	return expect(p, "fi", "'if' without 'fi'");
}

/* 'for' is the current token. */
static int parse_for(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n = new_node(p, SH_NODE_FOR);
	int rc;

	*out = n;
	if (!n || (rc = enter(p))) {
		return p->error;
	}
	if (p->tok.kind != SH_TOK_WORD || !env_name_is_valid(p->tok.word.text, p->tok.word.len)) {
		return fail(p, -EINVAL, "'for' needs a variable name");
	}
	n->var = p->tok.word;
	if ((rc = advance(p)) || (rc = skip_separators(p, false)) ||
	    (rc = expect(p, "in", "'for' without 'in'")) ||
	    (rc = parse_words(p, &n->words, &n->count))) {
		return rc;
	}
	if (p->tok.kind != SH_TOK_SEMI && p->tok.kind != SH_TOK_NL) {
		return fail(p, -EINVAL, "'for' list not ended by ';' or a newline");
	}
	if ((rc = skip_separators(p, true)) || (rc = expect(p, "do", "'for' without 'do'")) ||
	    (rc = parse_list(p, &n->a, stop_done))) {
		return rc;
	}
	p->depth--;
	return expect(p, "done", "'for' without 'done'");
}

static int parse_command(struct sh_parser *p, struct sh_node **out)
{
	int rc;

	*out = NULL;
	if (p->tok.kind != SH_TOK_WORD || is_one_of(p, reserved)) {
		return fail(p, -EINVAL, "a command was expected");
	}
	if (is_kw(p, "if") || is_kw(p, "for")) {
		rc = is_kw(p, "if") ? parse_if(p, out) : parse_for(p, out);
		/* After fi/done: an operator, a separator or a keyword. */
		if (!rc && p->tok.kind == SH_TOK_WORD && !is_one_of(p, reserved)) {
			rc = fail(p, -EINVAL, "';' or a newline was expected after the block");
		}
		return rc;
	}
	struct sh_node *n = new_node(p, SH_NODE_CMD);
	*out = n;
	return n ? parse_words(p, &n->words, &n->count) : p->error;
}

static int parse_and_or(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n;
	int rc = parse_command(p, out);

	for (n = *out; !rc;) {
		enum sh_conn conn;
		if (p->tok.kind == SH_TOK_AND) {
			conn = SH_CONN_AND;
		} else if (p->tok.kind == SH_TOK_OR) {
			conn = SH_CONN_OR;
		} else {
			break;
		}
		if ((rc = advance(p)) || (rc = skip_separators(p, false)) ||
		    (rc = parse_command(p, &n->next))) {
			break;
		}
		n = n->next;
		n->conn = conn;
	}
	return rc;
}

int sh_parse_init(struct sh_parser *p, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	sh_lex_init(&p->lx, text, len);
	return advance(p);
}

int sh_parse_next(struct sh_parser *p, struct sh_node **out)
{
	int rc;

	*out = NULL;
	if (p->error) {
		return p->error;
	}
	p->bytes = 0;
	rc = skip_separators(p, true);
	if (rc || p->tok.kind == SH_TOK_EOF) {
		return rc;
	}
	rc = parse_and_or(p, out);
	if (!rc && p->tok.kind != SH_TOK_EOF && p->tok.kind != SH_TOK_SEMI &&
	    p->tok.kind != SH_TOK_NL) {
		rc = fail(p, -EINVAL, "unexpected keyword");
	}
	if (!rc && p->tok.kind != SH_TOK_EOF) {
		rc = advance(p);
	}
	if (rc) {
		sh_tree_free(*out);
		*out = NULL;
	}
	return rc;
}

bool sh_is_incomplete(const char *text, size_t len)
{
	struct sh_parser *p = malloc(sizeof(*p));
	struct sh_node *tree;
	bool is_incomplete = false;

	if (!p) {
		return false;
	}
	memset(p, 0, sizeof(*p));
	p->is_quiet = true;
	sh_lex_init(&p->lx, text, len);
	if (advance(p) == 0) {
		while (sh_parse_next(p, &tree) == 0 && tree) {
			sh_tree_free(tree);
		}
	}
	/* An error where the text ends: more lines would complete it. */
	is_incomplete = p->error == -EINVAL && p->tok.kind == SH_TOK_EOF;
	free(p);
	return is_incomplete;
}

/* Iterative along ->next; an else list (->c) is spliced into the work
 * list instead of recursing, so elif chains of any length are freed in
 * constant stack. ->a and ->b recurse at most SHELL_NEST_MAX deep. */
void sh_tree_free(struct sh_node *n)
{
	while (n) {
		struct sh_node *next = n->next;
		if (n->c) {
			struct sh_node *last = n->c;
			while (last->next) {
				last = last->next;
			}
			last->next = next;
			next = n->c;
		}
		sh_tree_free(n->a);
		sh_tree_free(n->b);
		free(n->words);
		free(n);
		n = next;
	}
}
