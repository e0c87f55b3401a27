/* extlinux.conf from a disk (STYLE U6): any bytes parse without a crash or
 * a hang, every string of the result is terminated within its field, and
 * includes stay bounded. Every include reads the input itself, so loops
 * ("include x" in x) and deep chains ("include a", "include b", ...) come
 * from the data. */
#include <boot/extlinux.h>
#include <fuzz.h>
#include <stdlib.h>
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

static void check_label(const struct extlinux_label *l)
{
	fuzz_check(memchr(l->name, 0, sizeof(l->name)));
	fuzz_check(memchr(l->menu, 0, sizeof(l->menu)));
	fuzz_check(memchr(l->kernel, 0, sizeof(l->kernel)));
	fuzz_check(memchr(l->initrd, 0, sizeof(l->initrd)));
	fuzz_check(memchr(l->fdt, 0, sizeof(l->fdt)));
	fuzz_check(memchr(l->fdtdir, 0, sizeof(l->fdtdir)));
	fuzz_check(memchr(l->fdtoverlays, 0, sizeof(l->fdtoverlays)));
	fuzz_check(memchr(l->append, 0, sizeof(l->append)));
	fuzz_check(!l->kernel[0] || l->kernel[0] == '/');
	fuzz_check(!l->initrd[0] || l->initrd[0] == '/');
}

static void extlinux_fuzz(const uint8_t *data, size_t size)
{
	static struct extlinux_conf conf;
	const struct extlinux_reader rd = {.read = self_read};

	input = data;
	input_size = size;
	reads = 0;
	int rc =
	    extlinux_parse((const char *)data, size, "/boot/extlinux/extlinux.conf", &rd, &conf);
	fuzz_check(reads < EXTLINUX_FILES_MAX);
	fuzz_check(conf.label_count <= EXTLINUX_LABELS_MAX);
	fuzz_check(memchr(conf.error, 0, sizeof(conf.error)));
	fuzz_check(rc <= 0 && (rc == 0) == (conf.error[0] == '\0'));
	fuzz_check(memchr(conf.title, 0, sizeof(conf.title)));
	for (unsigned int i = 0; i < conf.label_count; i++) {
		check_label(&conf.labels[i]);
	}
	int d = extlinux_default(&conf), t = extlinux_on_timeout(&conf);
	fuzz_check(d < (int)conf.label_count && t < (int)conf.label_count);
	fuzz_check((d < 0) == (conf.label_count == 0));
	(void)extlinux_choice(&conf, conf.label_count ? conf.labels[0].name : "");
}

FUZZ_TARGET(extlinux_fuzz)
