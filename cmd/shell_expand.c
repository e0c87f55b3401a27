/* Word expansion and the shell's own variables (include/cmd/script.h).
 *
 * A raw word is read once, left to right: quotes are removed, backslashes
 * escape, $name / ${name} / $? are replaced. What a variable holds is copied
 * as data and never read again as a word: a ';', a quote or a '$' in a value
 * stays text. Unquoted values are split into fields on blanks, as hush and
 * sh do (`for p in ${boot_prefixes}`); quoted ones ("${bootargs} quiet")
 * are not. */
#include <cmd/script.h>
#include <cmd/shell.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- variables */

struct sh_var {
	char *name, *value;
};

static struct sh_var vars[SHELL_VARS_MAX];
static char status_text[12] = "0";

void sh_status_set(int status)
{
	xb_snprintf(status_text, sizeof(status_text), "%d", status);
}

static struct sh_var *var_find(const char *name, size_t len)
{
	for (unsigned int i = 0; i < SHELL_VARS_MAX; i++) {
		if (vars[i].name && strlen(vars[i].name) == len &&
		    !memcmp(vars[i].name, name, len)) {
			return &vars[i];
		}
	}
	return NULL;
}

const char *sh_var_get(const char *name)
{
	if (strcmp(name, "?") == 0) {
		return status_text;
	}
	struct sh_var *v = var_find(name, strlen(name));
	return v ? v->value : env_get(name);
}

int sh_var_set(const char *name, size_t name_len, const char *value)
{
	struct sh_var *v = var_find(name, name_len);

	if (!env_name_is_valid(name, name_len)) {
		return -EINVAL;
	}
	if (strlen(value) > ENV_VALUE_MAX) {
		return -E2BIG;
	}
	for (unsigned int i = 0; !v && i < SHELL_VARS_MAX; i++) {
		if (!vars[i].name) {
			v = &vars[i];
		}
	}
	if (!v) {
		return -ENOSPC;
	}
	char *copy = strdup(value);
	if (!copy) {
		return -ENOMEM;
	}
	if (!v->name) {
		v->name = strndup(name, name_len);
		if (!v->name) {
			free(copy);
			return -ENOMEM;
		}
	}
	free(v->value);
	v->value = copy;
	return 0;
}

void sh_var_clear(void)
{
	for (unsigned int i = 0; i < SHELL_VARS_MAX; i++) {
		free(vars[i].name);
		free(vars[i].value);
		vars[i].name = vars[i].value = NULL;
	}
	sh_status_set(0);
}

/* ---------------------------------------------------------------- fields */

static bool is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool sh_is_keyword(const struct sh_word *w, const char *kw)
{
	return strlen(kw) == w->len && memcmp(w->text, kw, w->len) == 0;
}

size_t sh_assign_len(const struct sh_word *w)
{
	size_t n = 0;

	while (n < w->len && is_name_char(w->text[n], n == 0)) {
		n++;
	}
	return n > 0 && n < w->len && w->text[n] == '=' && n <= ENV_NAME_MAX ? n : 0;
}

/* Appends one byte to the open field, opening it if needed. */
static int put(struct sh_fields *f, char c)
{
	if (!f->open) {
		if (f->argc >= f->max) {
			return -E2BIG;
		}
		f->argv[f->argc++] = f->buf + f->used;
		f->open = true;
	}
	if (f->used + 2 > f->size) { /* this byte and the field's NUL */
		return -E2BIG;
	}
	f->buf[f->used++] = c;
	return 0;
}

static void end_field(struct sh_fields *f)
{
	if (f->open) {
		f->buf[f->used++] = '\0';
		f->open = false;
	}
}

/* An empty quoted string still makes a field: "" is an argument. */
static int open_field(struct sh_fields *f)
{
	int rc = put(f, 'x');

	if (!rc) {
		f->used--;
	}
	return rc;
}

static int put_value(struct sh_fields *f, const char *v, bool split)
{
	int rc = 0;

	for (; v && *v && !rc; v++) {
		if (split && is_blank(*v)) {
			end_field(f);
		} else {
			rc = put(f, *v);
		}
	}
	return rc;
}

/* At a '$' at w[*i]: if a reference follows, appends its value and moves
 * *i past it; otherwise the '$' is a plain character. */
static int put_ref(struct sh_fields *f, const struct sh_word *w, size_t *i, bool split)
{
	const char *s = w->text + *i + 1;
	size_t left = w->len - *i - 1, n = 0;
	bool braced = left > 0 && s[0] == '{';
	char name[ENV_NAME_MAX + 1];

	if (left > 0 && s[0] == '?') {
		*i += 2;
		return put_value(f, sh_var_get("?"), split);
	}
	if (braced) {
		s++;
		left--;
	}
	while (n < left && n < ENV_NAME_MAX && is_name_char(s[n], n == 0)) {
		n++;
	}
	if (n == 0 || (braced && (n >= left || s[n] != '}')) ||
	    (n < left && is_name_char(s[n], false))) {
		(*i)++;
		return put(f, '$');
	}
	memcpy(name, s, n);
	name[n] = '\0';
	*i += 1 + n + (braced ? 2 : 0);
	return put_value(f, sh_var_get(name), split);
}

int sh_expand(const struct sh_word *w, struct sh_fields *f, bool split)
{
	char quote = 0;
	int rc = 0;

	for (size_t i = 0; i < w->len && !rc;) {
		char c = w->text[i];
		if (c == '\\' && quote != '\'' && i + 1 < w->len) {
			char next = w->text[i + 1];
			i += 2;
			if (next == '\n') {
				continue; /* a line continuation */
			}
			if (quote == '"' && next != '"' && next != '\\' && next != '$') {
				rc = put(f, '\\');
			}
			rc = rc ? rc : put(f, next);
		} else if (c == '$' && quote != '\'') {
			rc = put_ref(f, w, &i, split && !quote);
		} else if ((c == '\'' || c == '"') && (!quote || quote == c)) {
			quote = quote ? 0 : c;
			rc = open_field(f);
			i++;
		} else {
			rc = put(f, c);
			i++;
		}
	}
	end_field(f);
	return rc;
}
