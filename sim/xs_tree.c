/* The node tree of the simulated xenstored: a flat list of absolute paths
 * with their values. Small and slow on purpose: a test world has a few
 * dozen nodes, and a flat list makes transaction snapshots a plain copy. */
#include "xs_internal.h"

#include <string.h>

static struct sim_xs_node *find(struct sim_xs_tree *t, const char *path)
{
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->nodes[i].path, path) == 0) {
			return &t->nodes[i];
		}
	}
	return NULL;
}

bool sim_xs_tree_has(struct sim_xs_tree *t, const char *path)
{
	return strcmp(path, "/") == 0 || find(t, path) != NULL;
}

static int add_node(struct sim_xs_tree *t, const char *path)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct sim_xs_node *n = realloc(t->nodes, cap * sizeof(*n));
		if (!n) {
			return -XEN_ENOMEM;
		}
		t->nodes = n;
		t->cap = cap;
	}
	char *p = strdup(path);
	if (!p) {
		return -XEN_ENOMEM;
	}
	t->nodes[t->count++] = (struct sim_xs_node){ .path = p };
	return 0;
}

/* Create @path and every missing parent, as xenstored does on write. */
static int make_path(struct sim_xs_tree *t, const char *path)
{
	char buf[SIM_XS_PATH_MAX];

	if (strlen(path) >= sizeof(buf) || path[0] != '/') {
		return -XEN_EINVAL;
	}
	strcpy(buf, path);
	for (char *s = buf + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (!find(t, buf)) {
				int rc = add_node(t, buf);
				if (rc) {
					return rc;
				}
			}
			*s = c;
		}
		if (*s == '\0') {
			return 0;
		}
	}
}

int sim_xs_tree_write(struct sim_xs_tree *t, const char *path, const char *value, size_t len)
{
	int rc = make_path(t, path);

	if (rc) {
		return rc;
	}
	struct sim_xs_node *n = find(t, path);
	char *v = malloc(len + 1);
	if (!v) {
		return -XEN_ENOMEM;
	}
	memcpy(v, value, len);
	v[len] = '\0';
	free(n->value);
	n->value = v;
	n->len = len;
	return 0;
}

int sim_xs_tree_mkdir(struct sim_xs_tree *t, const char *path)
{
	return make_path(t, path);
}

const char *sim_xs_tree_read(struct sim_xs_tree *t, const char *path, size_t *len)
{
	struct sim_xs_node *n = find(t, path);

	if (!n) {
		return NULL;
	}
	*len = n->len;
	return n->value ? n->value : "";
}

/* True if @path is @dir itself or below it. */
static bool is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0) {
		return true;
	}
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int sim_xs_tree_rm(struct sim_xs_tree *t, const char *path)
{
	if (!find(t, path)) {
		return -XEN_ENOENT;
	}
	for (size_t i = 0; i < t->count;) {
		if (is_under(t->nodes[i].path, path)) {
			free(t->nodes[i].path);
			free(t->nodes[i].value);
			t->nodes[i] = t->nodes[--t->count];
		} else {
			i++;
		}
	}
	return 0;
}

int sim_xs_tree_children(struct sim_xs_tree *t, const char *path, char *out, size_t size,
			 size_t *len)
{
	size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
	size_t n = 0;

	if (!sim_xs_tree_has(t, path)) {
		return -XEN_ENOENT;
	}
	for (size_t i = 0; i < t->count; i++) {
		const char *p = t->nodes[i].path;
		if (strncmp(p, path, plen) || p[plen] != '/' || strchr(p + plen + 1, '/')) {
			continue;
		}
		size_t l = strlen(p + plen + 1) + 1;
		if (n + l > size) {
			return -XEN_E2BIG;
		}
		memcpy(out + n, p + plen + 1, l);
		n += l;
	}
	*len = n;
	return 0;
}

int sim_xs_tree_copy(struct sim_xs_tree *dst, struct sim_xs_tree *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->count; i++) {
		struct sim_xs_node *s = &src->nodes[i];
		int rc = add_node(dst, s->path);
		if (!rc && s->value) {
			rc = sim_xs_tree_write(dst, s->path, s->value, s->len);
		}
		if (rc) {
			sim_xs_tree_free(dst);
			return rc;
		}
	}
	return 0;
}

void sim_xs_tree_free(struct sim_xs_tree *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->nodes[i].path);
		free(t->nodes[i].value);
	}
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}
