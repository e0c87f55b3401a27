/* The shell's lexer (include/cmd/script.h): cuts a script into words and
 * operators without interpreting the words, which stay raw (quotes and $
 * included) until sh_expand(). Every loop advances through the text by at
 * least one byte and stops at its end, so any input terminates. */
#include <cmd/script.h>
#include <lib/errno.h>
#include <stdbool.h>

void sh_lex_init(struct sh_lexer *lx, const char *text, size_t len)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
}

static int peek(const struct sh_lexer *lx, size_t ahead)
{
	size_t i = lx->pos + ahead;

	if (i >= lx->len || lx->text[i] == '\0') {
		return -1;
	}
	return (unsigned char)lx->text[i];
}

/* '\r' counts as a blank so scripts written with CRLF line ends work. */
static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Skips blanks, backslash-newlines (line continuations) and a comment. */
static void skip_space(struct sh_lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);
		if (is_blank(c)) {
			lx->pos++;
		} else if (c == '\\' && peek(lx, 1) == '\n') {
			lx->pos += 2;
			lx->line++;
		} else if (c == '#') {
			while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n') {
				lx->pos++;
			}
		} else {
			return;
		}
	}
}

static bool ends_word(const struct sh_lexer *lx)
{
	int c = peek(lx, 0);

	return c < 0 || is_blank(c) || c == ';' || c == '\n' || (c == '&' && peek(lx, 1) == '&') ||
	       (c == '|' && peek(lx, 1) == '|');
}

/* Advances over one quoted part that starts at the quote; -EINVAL if the
 * text ends first. Newlines inside quotes belong to the word. */
static int skip_quoted(struct sh_lexer *lx)
{
	int quote = peek(lx, 0);

	lx->pos++;
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0) {
			return -EINVAL;
		}
		lx->pos++;
		if (c == quote) {
			return 0;
		}
		if (c == '\n') {
			lx->line++;
		} else if (c == '\\' && quote == '"' && peek(lx, 0) >= 0) {
			if (peek(lx, 0) == '\n') {
				lx->line++;
			}
			lx->pos++;
		}
	}
}

static int lex_word(struct sh_lexer *lx, struct sh_token *tok)
{
	size_t start = lx->pos;

	while (!ends_word(lx)) {
		int c = peek(lx, 0);
		if (c == '\'' || c == '"') {
			int rc = skip_quoted(lx);
			if (rc) {
				return rc;
			}
		} else if (c == '\\' && peek(lx, 1) >= 0) {
			if (peek(lx, 1) == '\n') {
				lx->line++;
			}
			lx->pos += 2;
		} else {
			lx->pos++;
		}
	}
	tok->kind = SH_TOK_WORD;
	tok->word.text = lx->text + start;
	tok->word.len = lx->pos - start;
	return 0;
}

int sh_lex_next(struct sh_lexer *lx, struct sh_token *tok)
{
	skip_space(lx);
	tok->line = lx->line;
	tok->word.text = NULL;
	tok->word.len = 0;

	int c = peek(lx, 0);
	if (c < 0) {
		tok->kind = SH_TOK_EOF;
		return 0;
	}
	if (c == '\n') {
		lx->pos++;
		lx->line++;
		tok->kind = SH_TOK_NL;
		return 0;
	}
	if (c == ';') {
		lx->pos++;
		tok->kind = SH_TOK_SEMI;
		return 0;
	}
	if ((c == '&' || c == '|') && peek(lx, 1) == c) {
		lx->pos += 2;
		tok->kind = c == '&' ? SH_TOK_AND : SH_TOK_OR;
		return 0;
	}
	return lex_word(lx, tok);
}
