/* Environment storage: a small sorted array of malloc'd strings. */
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

struct env_var {
	char *name;
	char *value;
};

static struct env_var vars[ENV_COUNT_MAX];
static unsigned int var_count;

static int is_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

int env_name_is_valid(const char *name, size_t len)
{
	if (len == 0 || len > ENV_NAME_MAX) {
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char(name[i], i == 0)) {
			return 0;
		}
	}
	return 1;
}

/* Index of @name, or where it would be inserted (negative: -(pos + 1)). */
static int env_find(const char *name)
{
	unsigned int lo = 0, hi = var_count;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = strcmp(vars[mid].name, name);
		if (c == 0) {
			return (int)mid;
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -(int)lo - 1;
}

const char *env_get(const char *name)
{
	int i = env_find(name);

	return i >= 0 ? vars[i].value : NULL;
}

static void env_delete(int i)
{
	free(vars[i].name);
	free(vars[i].value);
	memmove(&vars[i], &vars[i + 1], (var_count - (unsigned int)i - 1) * sizeof(vars[0]));
	var_count--;
}

static int env_insert(int pos, const char *name, char *value)
{
	char *n = strdup(name);

	if (!n) {
		return -ENOMEM;
	}
	if (var_count == ENV_COUNT_MAX) {
		free(n);
		return -ENOSPC;
	}
	memmove(&vars[pos + 1], &vars[pos], (var_count - (unsigned int)pos) * sizeof(vars[0]));
	vars[pos].name = n;
	vars[pos].value = value;
	var_count++;
	return 0;
}

int env_set(const char *name, const char *value)
{
	int i = env_find(name);

	if (!env_name_is_valid(name, strlen(name))) {
		return -EINVAL;
	}
	if (!value || !*value) {
		if (i >= 0) {
			env_delete(i);
		}
		return 0;
	}
	if (strlen(value) > ENV_VALUE_MAX) {
		return -E2BIG;
	}
	char *v = strdup(value);
	if (!v) {
		return -ENOMEM;
	}
	if (i >= 0) {
		free(vars[i].value);
		vars[i].value = v;
		return 0;
	}
	int rc = env_insert(-i - 1, name, v);
	if (rc) {
		free(v);
	}
	return rc;
}

int env_set_u64(const char *name, uint64_t value)
{
	char buf[24];

	/* Hex without 0x, as U-Boot stores filesize. */
	xb_snprintf(buf, sizeof(buf), "%llx", (unsigned long long)value);
	return env_set(name, buf);
}

void env_clear(void)
{
	while (var_count) {
		env_delete((int)var_count - 1);
	}
}

unsigned int env_count(void)
{
	return var_count;
}

void env_at(unsigned int i, const char **name, const char **value)
{
	*name = vars[i].name;
	*value = vars[i].value;
}

/* Parses $name or ${name} at @s; returns its length in @s, or 0 if not a reference. */
static size_t ref_len(const char *s, const char **name, size_t *name_len)
{
	if (s[1] == '{') {
		const char *end = strchr(s + 2, '}');
		if (!end || !env_name_is_valid(s + 2, (size_t)(end - s - 2))) {
			return 0;
		}
		*name = s + 2;
		*name_len = (size_t)(end - s - 2);
		return (size_t)(end - s) + 1;
	}
	size_t n = 0;
	while (is_name_char(s[1 + n], n == 0) && n < ENV_NAME_MAX) {
		n++;
	}
	*name = s + 1;
	*name_len = n;
	return n ? n + 1 : 0;
}

static int append(char *out, size_t size, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= size) {
		return -E2BIG;
	}
	memcpy(out + *pos, s, n);
	*pos += n;
	return 0;
}

int env_expand(const char *in, char *out, size_t size)
{
	size_t pos = 0;
	int in_single = 0;

	for (const char *s = in; *s;) {
		const char *name;
		size_t name_len, len;
		char key[ENV_NAME_MAX + 1];
		if (*s == '\'') {
			in_single = !in_single;
		} else if (*s == '$' && !in_single && (len = ref_len(s, &name, &name_len))) {
			memcpy(key, name, name_len);
			key[name_len] = '\0';
			const char *v = env_get(key);
			if (v && append(out, size, &pos, v, strlen(v))) {
				return -E2BIG;
			}
			s += len;
			continue;
		}
		if (append(out, size, &pos, s, 1)) {
			return -E2BIG;
		}
		s++;
	}
	out[pos] = '\0';
	return 0;
}
