/* The extlinux.conf parser (include/boot/extlinux.h). The text is untrusted:
 * it is read as spans of the buffer (never copied whole, never written),
 * every value is bounded by its field, includes are bounded in depth and
 * count and a file that includes itself (directly or not) is refused. */
#include <boot/extlinux.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

enum keyword {
	KW_UNKNOWN,
	KW_DEFAULT,
	KW_LABEL,
	KW_MENU,
	KW_TIMEOUT,
	KW_PROMPT,
	KW_ONTIMEOUT,
	KW_FALLBACK,
	KW_INCLUDE,
	KW_KERNEL,
	KW_INITRD,
	KW_APPEND,
	KW_FDT,
	KW_FDTDIR,
	KW_FDTOVERLAYS,
	KW_LOCALBOOT,
	KW_IPAPPEND,
	KW_TITLE, /* after `menu` only */
};

/* Arrays, not pointers: no relocation per entry in the image. */
static const struct {
	char word[14];
	unsigned char kw;
} keywords[] = {
    {"default", KW_DEFAULT},
    {"label", KW_LABEL},
    {"menu", KW_MENU},
    {"timeout", KW_TIMEOUT},
    {"prompt", KW_PROMPT},
    {"ontimeout", KW_ONTIMEOUT},
    {"fallback", KW_FALLBACK},
    {"include", KW_INCLUDE},
    {"kernel", KW_KERNEL},
    {"linux", KW_KERNEL},
    {"initrd", KW_INITRD},
    {"append", KW_APPEND},
    {"fdt", KW_FDT},
    {"devicetree", KW_FDT},
    {"fdtdir", KW_FDTDIR},
    {"devicetreedir", KW_FDTDIR},
    {"fdtoverlays", KW_FDTOVERLAYS},
    {"localboot", KW_LOCALBOOT},
    {"ipappend", KW_IPAPPEND},
    {"title", KW_TITLE},
};

struct parser {
	struct extlinux_conf *conf;
	const struct extlinux_reader *rd;
	struct extlinux_label *cur; /* the label being filled, or NULL */
	unsigned int depth; /* files open: open[0..depth) */
	char open[EXTLINUX_DEPTH_MAX + 1][EXTLINUX_PATH_MAX];
	unsigned int line; /* in the innermost file */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static struct span trim(struct span s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1])) {
		s.n--;
	}
	return s;
}

/* The first word of @s (returned) and what follows it, trimmed (*@rest). */
static struct span first_word(struct span s, struct span *rest)
{
	struct span w = {s.p, 0};

	while (w.n < s.n && !is_blank(s.p[w.n])) {
		w.n++;
	}
	*rest = trim((struct span){s.p + w.n, s.n - w.n});
	return w;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static enum keyword keyword_of(struct span w)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		const char *k = keywords[i].word;
		size_t j = 0;

		while (j < w.n && k[j] && lower(w.p[j]) == k[j]) {
			j++;
		}
		if (j == w.n && !k[j]) {
			return (enum keyword)keywords[i].kw;
		}
	}
	return KW_UNKNOWN;
}

/* Copy @s into @dst; -E2BIG (dst empty) when it does not fit. */
static int copy_span(char *dst, size_t size, struct span s)
{
	if (s.n >= size) {
		dst[0] = '\0';
		return -E2BIG;
	}
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return 0;
}

static int fail(struct parser *ps, int rc, const char *why, const char *what)
{
	const char *file = ps->depth ? ps->open[ps->depth - 1] : "?";

	xb_snprintf(ps->conf->error, sizeof(ps->conf->error), "%s:%u: %s%s%s", file, ps->line, why,
		    what ? ": " : "", what ? what : "");
	return rc;
}

int extlinux_path(const char *dir, const char *path, char *out, size_t size)
{
	const char *parts[2] = {path[0] == '/' ? "" : dir, path};
	size_t n = 1;

	if (size < 2) {
		return -ENAMETOOLONG;
	}
	out[0] = '/';
	for (unsigned int i = 0; i < 2; i++) {
		for (const char *s = parts[i]; *s;) {
			while (*s == '/') {
				s++;
			}
			size_t len = strcspn(s, "/");

			if (len == 2 && s[0] == '.' && s[1] == '.') {
				while (n > 1 && out[n - 1] != '/') {
					n--;
				}
				n = n > 1 ? n - 1 : 1; /* drop the slash too, but keep the root */
			} else if (len && !(len == 1 && s[0] == '.')) {
				if (n + (n > 1) + len + 1 > size) {
					return -ENAMETOOLONG;
				}
				if (n > 1) {
					out[n++] = '/';
				}
				memcpy(out + n, s, len);
				n += len;
			}
			s += len;
		}
	}
	out[n] = '\0';
	return 0;
}

/* A path value of the current label, resolved from the config's directory. */
static int label_path(struct parser *ps, char *dst, struct span v, const char *what)
{
	char raw[EXTLINUX_PATH_MAX];

	if (v.n == 0) {
		dst[0] = '\0'; /* a keyword without a value: as if absent */
		return 0;
	}
	if (copy_span(raw, sizeof(raw), v) ||
	    extlinux_path(ps->conf->dir, raw, dst, EXTLINUX_PATH_MAX)) {
		dst[0] = '\0';
		ps->cur->bad = what;
		return -E2BIG;
	}
	return 0;
}

/* fdtoverlays: every blank-separated path, resolved, joined by one space. */
static void label_overlays(struct parser *ps, struct span v)
{
	char *dst = ps->cur->fdtoverlays, one[EXTLINUX_PATH_MAX];
	size_t n = 0;

	dst[0] = '\0';
	while (v.n) {
		struct span w = first_word(v, &v);

		if (label_path(ps, one, w, "fdtoverlays path too long")) {
			return;
		}
		size_t len = strlen(one);
		if (n + (n > 0) + len + 1 > EXTLINUX_LIST_MAX) {
			ps->cur->bad = "fdtoverlays too long";
			dst[0] = '\0';
			return;
		}
		if (n) {
			dst[n++] = ' ';
		}
		memcpy(dst + n, one, len + 1);
		n += len;
	}
}

/* U-Boot's rule: without an `initrd` line, the first initrd= word of append. */
static void label_append(struct parser *ps, struct span v)
{
	struct extlinux_label *l = ps->cur;

	l->has_append = true;
	if (copy_span(l->append, sizeof(l->append), v)) {
		l->bad = "append too long";
		return;
	}
	for (struct span rest = v; rest.n && !l->has_initrd_line;) {
		struct span w = first_word(rest, &rest);
		size_t n = 7;

		if (w.n > 7 && strncmp(w.p, "initrd=", 7) == 0) {
			while (n < w.n && w.p[n] != ',') {
				n++; /* several initrds: U-Boot loads one, the first */
			}
			(void)label_path(ps, l->initrd, (struct span){w.p + 7, n - 7},
					 "initrd= path too long");
			return;
		}
	}
}

static int number(struct span v, unsigned long *out)
{
	uint64_t n;

	if (v.n == 0 || parse_u64_n(v.p, v.n, 10, &n) || n > 0x7fffffff) {
		return -EINVAL;
	}
	*out = (unsigned long)n;
	return 0;
}

static void new_label(struct parser *ps, struct span v)
{
	struct extlinux_conf *c = ps->conf;

	if (c->label_count == EXTLINUX_LABELS_MAX) {
		c->labels_dropped++;
		ps->cur = NULL;
		return;
	}
	ps->cur = &c->labels[c->label_count++];
	memset(ps->cur, 0, sizeof(*ps->cur));
	if (copy_span(ps->cur->name, sizeof(ps->cur->name), v)) {
		ps->cur->bad = "label name too long";
	}
}

/* `menu <word> ...`: title and include anywhere, label and default in a label. */
static int menu_line(struct parser *ps, struct span v);
static int include_file(struct parser *ps, struct span v);

static void label_line(struct parser *ps, enum keyword kw, struct span v)
{
	struct extlinux_label *l = ps->cur;
	bool is_negative;
	unsigned long n;

	switch (kw) {
	case KW_KERNEL:
		(void)label_path(ps, l->kernel, v, "kernel path too long");
		break;
	case KW_INITRD:
		l->has_initrd_line = true;
		(void)label_path(ps, l->initrd, v, "initrd path too long");
		break;
	case KW_APPEND:
		label_append(ps, v);
		break;
	case KW_FDT:
		(void)label_path(ps, l->fdt, v, "fdt path too long");
		break;
	case KW_FDTDIR:
		(void)label_path(ps, l->fdtdir, v, "fdtdir path too long");
		break;
	case KW_FDTOVERLAYS:
		label_overlays(ps, v);
		break;
	case KW_LOCALBOOT:
		l->is_localboot = true;
		is_negative = v.n && v.p[0] == '-';
		if (number((struct span){v.p + is_negative, v.n - is_negative}, &n)) {
			l->bad = "bad localboot value";
			n = 0;
		}
		l->localboot = is_negative ? -(long)n : (long)n;
		break;
	case KW_IPAPPEND:
		l->ipappend = number(v, &n) ? 0 : (unsigned int)n;
		break;
	default:
		break;
	}
}

static int top_line(struct parser *ps, enum keyword kw, struct span v)
{
	struct extlinux_conf *c = ps->conf;
	unsigned long n;

	switch (kw) {
	case KW_DEFAULT:
		(void)copy_span(c->default_label, sizeof(c->default_label), v);
		return 0;
	case KW_ONTIMEOUT:
		(void)copy_span(c->ontimeout, sizeof(c->ontimeout), v);
		return 0;
	case KW_FALLBACK:
		(void)copy_span(c->fallback, sizeof(c->fallback), v);
		return 0;
	case KW_TIMEOUT:
		if (!number(v, &n)) {
			c->timeout = n;
		}
		return 0;
	case KW_PROMPT:
		if (!number(v, &n)) {
			c->has_prompt = n != 0;
		}
		return 0;
	case KW_LABEL:
		new_label(ps, v);
		return 0;
	case KW_MENU:
		return menu_line(ps, v);
	case KW_INCLUDE:
		return include_file(ps, v);
	default:
		if (ps->cur) {
			label_line(ps, kw, v);
		}
		return 0; /* label keywords outside a label, unknown keywords */
	}
}

static int menu_line(struct parser *ps, struct span v)
{
	struct span rest;
	struct span w = first_word(v, &rest);
	struct extlinux_conf *c = ps->conf;

	switch (keyword_of(w)) {
	case KW_TITLE:
		(void)copy_span(c->title, sizeof(c->title), rest);
		return 0;
	case KW_INCLUDE:
		return include_file(ps, rest);
	case KW_LABEL:
		if (ps->cur) {
			(void)copy_span(ps->cur->menu, sizeof(ps->cur->menu), rest);
		}
		return 0;
	case KW_DEFAULT:
		if (ps->cur) {
			memcpy(c->default_label, ps->cur->name, sizeof(c->default_label));
		}
		return 0;
	default:
		return 0; /* menu colors, backgrounds, ...: ignored */
	}
}

static int parse_text(struct parser *ps, const char *text, size_t len)
{
	size_t end = strnlen(text, len);

	ps->line = 0;
	for (size_t at = 0; at < end;) {
		const char *nl = memchr(text + at, '\n', end - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : end - at;
		struct span line = trim((struct span){text + at, n}), v;

		at += n + (nl != NULL);
		ps->line++;
		if (!line.n || line.p[0] == '#') {
			continue;
		}
		int rc = top_line(ps, keyword_of(first_word(line, &v)), v);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static int include_file(struct parser *ps, struct span v)
{
	struct extlinux_conf *c = ps->conf;
	char raw[EXTLINUX_PATH_MAX], *path = ps->open[ps->depth];
	const char *text;
	size_t len;
	int rc;

	ps->cur = NULL; /* an include ends the label, as in U-Boot */
	if (copy_span(raw, sizeof(raw), v) || extlinux_path(c->dir, raw, path, EXTLINUX_PATH_MAX)) {
		return fail(ps, -ENAMETOOLONG, "include path too long", NULL);
	}
	for (unsigned int i = 0; i < ps->depth; i++) {
		if (strcmp(ps->open[i], path) == 0) {
			return fail(ps, -ELOOP, "include loop", path);
		}
	}
	if (ps->depth == EXTLINUX_DEPTH_MAX || c->files_read == EXTLINUX_FILES_MAX) {
		return fail(ps, -E2BIG, "too many includes", path);
	}
	if (!ps->rd || !ps->rd->read) {
		return fail(ps, -ENOENT, "cannot include", path);
	}
	rc = ps->rd->read(ps->rd->ctx, path, &text, &len);
	if (rc) {
		char why[32];

		xb_snprintf(why, sizeof(why), "cannot include (%s)", errno_name(rc));
		return fail(ps, rc, why, path);
	}
	unsigned int line = ps->line;
	c->files_read++;
	ps->depth++;
	rc = parse_text(ps, text, MIN(len, (size_t)EXTLINUX_FILE_MAX));
	if (ps->rd->release) {
		ps->rd->release(ps->rd->ctx, text);
	}
	if (!rc) {
		ps->depth--;
		ps->line = line;
	}
	ps->cur = NULL;
	return rc; /* on an error, depth stays so fail() named the inner file */
}

int extlinux_parse_at(const char *text, size_t len, const char *path, const char *dir,
		      const struct extlinux_reader *rd, struct extlinux_conf *out)
{
	static struct parser ps; /* 2.3 KiB of open paths: not on the stack */
	char *slash;

	memset(out, 0, sizeof(*out));
	ps = (struct parser){.conf = out, .rd = rd, .depth = 1};
	if (extlinux_path("/", path, ps.open[0], EXTLINUX_PATH_MAX) ||
	    (dir && extlinux_path("/", dir, out->dir, EXTLINUX_PATH_MAX - 1))) {
		return fail(&ps, -ENAMETOOLONG, "config path too long", NULL);
	}
	if (!dir) {
		memcpy(out->dir, ps.open[0], EXTLINUX_PATH_MAX);
	}
	slash = strrchr(out->dir, '/');
	if (dir && slash[1]) {
		slash = out->dir + strlen(out->dir); /* "/boot" is the directory /boot/ */
		slash[0] = '/';
	}
	slash[1] = '\0'; /* the directory, with its slash ("/" at the root) */
	out->files_read = 1;
	return parse_text(&ps, text, MIN(len, (size_t)EXTLINUX_FILE_MAX));
}

int extlinux_parse(const char *text, size_t len, const char *path, const struct extlinux_reader *rd,
		   struct extlinux_conf *out)
{
	return extlinux_parse_at(text, len, path, NULL, rd, out);
}

int extlinux_find(const struct extlinux_conf *conf, const char *name)
{
	for (unsigned int i = 0; i < conf->label_count; i++) {
		if (strcmp(conf->labels[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

int extlinux_default(const struct extlinux_conf *conf)
{
	int i = conf->default_label[0] ? extlinux_find(conf, conf->default_label) : -1;

	return i >= 0 ? i : conf->label_count ? 0 : -1;
}

int extlinux_on_timeout(const struct extlinux_conf *conf)
{
	int i = conf->ontimeout[0] ? extlinux_find(conf, conf->ontimeout) : -1;

	return i >= 0 ? i : extlinux_default(conf);
}

int extlinux_choice(const struct extlinux_conf *conf, const char *typed)
{
	uint64_t n;

	if (!typed[0]) {
		return extlinux_default(conf);
	}
	if (parse_u64(typed, 10, &n) == 0) {
		return n >= 1 && n <= conf->label_count ? (int)n - 1 : -1;
	}
	return extlinux_find(conf, typed);
}

bool extlinux_has_menu(const struct extlinux_conf *conf)
{
	/* As U-Boot: without `prompt 1` the default label boots at once, and
	 * u-boot-menu's `prompt 0` + `timeout 50` costs no wait. */
	return conf->has_prompt && conf->label_count > 1;
}
