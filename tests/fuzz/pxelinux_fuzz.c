/* A PXELINUX config from the network (STYLE U6), parsed as pxe boot parses
 * it: extlinux_parse_at() with the TFTP prefix as the base directory, and
 * includes that read the input again. The first input line is the prefix
 * (what $bootfile's directory would be). Invariants: no crash or hang,
 * strings terminated, includes bounded, and every resolved path absolute
 * and normalised (no "." or ".." component left, so a config cannot climb
 * out of the TFTP root by a relative path). */
#include <boot/extlinux.h>
#include <fuzz.h>
#include <string.h>

static const uint8_t *input;
static size_t input_size;
static unsigned int reads;

static int self_read(void *ctx, const char *path, const char **text, size_t *len)
{
	fuzz_check(path[0] == '/' && strlen(path) < EXTLINUX_PATH_MAX);
	reads++;
	*text = (const char *)input;
	*len = input_size;
	return 0;
}

static void check_path(const char *p, size_t size)
{
	fuzz_check(memchr(p, 0, size));
	if (!p[0]) {
		return;
	}
	fuzz_check(p[0] == '/');
	fuzz_check(!strstr(p, "/../") && !strstr(p, "/./") && !strstr(p, "//"));
	size_t n = strlen(p);
	fuzz_check(!(n >= 3 && !strcmp(p + n - 3, "/..")) && !(n >= 2 && !strcmp(p + n - 2, "/.")));
}

static void pxelinux_fuzz(const uint8_t *data, size_t size)
{
	static struct extlinux_conf conf;
	const struct extlinux_reader rd = {.read = self_read};
	char dir[EXTLINUX_PATH_MAX];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t dl = nl ? (size_t)(nl - data) : 0;

	if (dl >= sizeof(dir) - 1 || memchr(data, 0, dl)) {
		return;
	}
	dir[0] = '/';
	memcpy(dir + 1, data, dl);
	dir[dl + 1] = '\0';
	input = data;
	input_size = size;
	reads = 0;
	int rc =
	    extlinux_parse_at((const char *)data, size, "/pxelinux.cfg/default", dir, &rd, &conf);
	fuzz_check(rc <= 0 && reads < EXTLINUX_FILES_MAX);
	fuzz_check(conf.label_count <= EXTLINUX_LABELS_MAX);
	fuzz_check(memchr(conf.error, 0, sizeof(conf.error)));
	if (rc == 0) {
		size_t n = strlen(conf.dir);
		fuzz_check(n && conf.dir[0] == '/' && conf.dir[n - 1] == '/');
	}
	for (unsigned int i = 0; i < conf.label_count; i++) {
		const struct extlinux_label *l = &conf.labels[i];
		check_path(l->kernel, sizeof(l->kernel));
		check_path(l->initrd, sizeof(l->initrd));
		check_path(l->fdt, sizeof(l->fdt));
		fuzz_check(memchr(l->append, 0, sizeof(l->append)));
	}
}

FUZZ_TARGET(pxelinux_fuzz)
