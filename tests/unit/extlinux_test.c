/* boot/extlinux.c: the extlinux.conf grammar (every keyword, case, comments,
 * blank and lone-tab lines, unknown keywords), relative paths, includes
 * (nesting, loops, bounds), the label limits, and choosing a label. The
 * u-boot-menu case reads the fuzz seed written exactly as Debian's
 * u-boot-update 4.2.2 writes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "images/image.h"
#include <boot/extlinux.h>
#include <lib/errno.h>

static struct extlinux_conf conf;

/* Includes come from this table: {path, text}; NULL text = -EIO. */
struct file {
	const char *path, *text;
};
static const struct file *files;
static unsigned int reads, releases;

static int table_read(void *ctx, const char *path, const char **text, size_t *len)
{
	for (const struct file *f = files; f && f->path; f++) {
		if (strcmp(f->path, path) == 0) {
			if (!f->text) {
				return -EIO;
			}
			*text = f->text;
			*len = strlen(f->text);
			reads++;
			return 0;
		}
	}
	return -ENOENT;
}

static void table_release(void *ctx, const char *text)
{
	releases++;
}

static const struct extlinux_reader table = {.read = table_read, .release = table_release};

static int parse(const char *text)
{
	reads = releases = 0;
	return extlinux_parse(text, strlen(text), "/boot/extlinux/extlinux.conf", &table, &conf);
}

static void test_u_boot_menu(void **state)
{
	size_t len;
	char *text =
	    (char *)img_read_file("tests/fuzz/corpus/extlinux/u-boot-menu-debian12.conf", &len);

	assert_non_null(text);
	assert_int_equal(extlinux_parse(text, len, "/boot/extlinux/extlinux.conf", NULL, &conf), 0);
	free(text);
	assert_string_equal(conf.title, "U-Boot menu");
	assert_string_equal(conf.default_label, "l0");
	assert_int_equal(conf.timeout, 50);
	assert_false(conf.has_prompt);
	assert_false(extlinux_has_menu(&conf)); /* prompt 0: l0 boots at once, as in U-Boot */
	assert_int_equal(conf.label_count, 2);
	assert_string_equal(conf.dir, "/boot/extlinux/");
	const struct extlinux_label *l = &conf.labels[0], *r = &conf.labels[1];
	assert_string_equal(l->name, "l0");
	assert_string_equal(l->menu, "Debian GNU/Linux 12 (bookworm) 6.1.0-18-arm64");
	assert_string_equal(l->kernel, "/boot/vmlinuz-6.1.0-18-arm64");
	assert_string_equal(l->initrd, "/boot/initrd.img-6.1.0-18-arm64");
	assert_string_equal(l->fdtdir, "/usr/lib/linux-image-6.1.0-18-arm64");
	assert_string_equal(l->fdt, "");
	assert_string_equal(l->append, "root=/dev/xvda2 ro quiet");
	assert_null(l->bad);
	assert_string_equal(r->name, "l0r");
	assert_string_equal(r->menu,
			    "Debian GNU/Linux 12 (bookworm) 6.1.0-18-arm64 (rescue target)");
	assert_string_equal(r->append, "root=/dev/xvda2 ro single");
	assert_int_equal(extlinux_default(&conf), 0);
}

static void test_every_keyword(void **state)
{
	assert_int_equal(parse("# a comment\r\n"
			       "   # indented comment\n"
			       "MENU TITLE  My  menu  \r\n"
			       "Timeout 30\n"
			       "PROMPT 1\n"
			       "ontimeout second\n"
			       "FallBack first\n"
			       "Default first\n"
			       "say hello (unknown: ignored)\n"
			       "LABEL first\n"
			       "\tMENU LABEL First entry\n"
			       "\tKERNEL /Image\n"
			       "\tInitRD initrd.img\n"
			       "\tAPPEND console=hvc0  root=/dev/xvda1\r\n"
			       "\tFDT dtbs/board.dtb\n"
			       "\tmenu color title 1;36;44 (ignored)\n"
			       "\tFdtOverlays a.dtbo  ../b.dtbo\t/c.dtbo\n"
			       "\tfrobnicate 1 (ignored, the label goes on)\n"
			       "\tIPAPPEND 3\n"
			       "label second\n"
			       "\tLinux vmlinuz\n"
			       "\tDeviceTree /x.dtb\n"
			       "\tdevicetreedir /dtbs/\n"
			       "\tMenu Default\n"
			       "label third\n"
			       "\tfdtdir ../dtbs\n"
			       "\tLOCALBOOT -1\n"),
			 0);
	assert_string_equal(conf.title, "My  menu");
	assert_int_equal(conf.timeout, 30);
	assert_true(conf.has_prompt);
	assert_string_equal(conf.ontimeout, "second");
	assert_string_equal(conf.fallback, "first");
	/* `menu default` came after `default`: it wins. */
	assert_string_equal(conf.default_label, "second");
	assert_int_equal(conf.label_count, 3);
	const struct extlinux_label *a = &conf.labels[0], *b = &conf.labels[1],
				    *c = &conf.labels[2];
	assert_string_equal(a->menu, "First entry");
	assert_string_equal(a->kernel, "/Image");
	assert_string_equal(a->initrd, "/boot/extlinux/initrd.img");
	assert_true(a->has_initrd_line);
	assert_string_equal(a->append, "console=hvc0  root=/dev/xvda1");
	assert_string_equal(a->fdt, "/boot/extlinux/dtbs/board.dtb");
	assert_string_equal(a->fdtoverlays, "/boot/extlinux/a.dtbo /boot/b.dtbo /c.dtbo");
	assert_int_equal(a->ipappend, 3);
	assert_false(a->is_localboot);
	assert_string_equal(b->kernel, "/boot/extlinux/vmlinuz");
	assert_string_equal(b->fdt, "/x.dtb");
	assert_string_equal(b->fdtdir, "/dtbs");
	assert_false(b->has_append);
	assert_string_equal(c->fdtdir, "/boot/dtbs");
	assert_true(c->is_localboot);
	assert_int_equal(c->localboot, -1);
	assert_int_equal(extlinux_default(&conf), 1);
	assert_int_equal(extlinux_on_timeout(&conf), 1);
}

static void test_initrd_in_append(void **state)
{
	assert_int_equal(parse("label a\n append ro initrd=/boot/i1,/boot/i2 quiet\n"
			       "label b\n initrd /boot/line\n append initrd=/boot/other\n"
			       "label c\n append initrd=/boot/other\n initrd /boot/line\n"
			       "label d\n append initrd= x\n"),
			 0);
	assert_string_equal(conf.labels[0].initrd, "/boot/i1");
	/* append keeps initrd= (U-Boot passes it on unchanged). */
	assert_string_equal(conf.labels[0].append, "ro initrd=/boot/i1,/boot/i2 quiet");
	assert_string_equal(conf.labels[1].initrd, "/boot/line");
	assert_string_equal(conf.labels[2].initrd, "/boot/line");
	assert_string_equal(conf.labels[3].initrd, ""); /* "initrd=" alone names nothing */
}

static void test_paths(void **state)
{
	char out[32];

	assert_int_equal(extlinux_path("/boot/extlinux/", "../vmlinuz", out, sizeof(out)), 0);
	assert_string_equal(out, "/boot/vmlinuz");
	assert_int_equal(extlinux_path("/boot/", "//a//./b/", out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b");
	assert_int_equal(extlinux_path("/", "../../..", out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(extlinux_path("/x/", "y/../../z", out, sizeof(out)), 0);
	assert_string_equal(out, "/z");
	assert_int_equal(extlinux_path("/", "0123456789012345678901234567890", out, sizeof(out)),
			 -ENAMETOOLONG);
	assert_int_equal(extlinux_path("/", "012345678901234567890123456789", out, sizeof(out)), 0);
	/* The config at the root: relative paths are from the root. */
	assert_int_equal(
	    extlinux_parse("label x\nkernel Image\n", 21, "extlinux.conf", NULL, &conf), 0);
	assert_string_equal(conf.dir, "/");
	assert_string_equal(conf.labels[0].kernel, "/Image");
}

static const struct file tree[] = {
    {"/boot/extlinux/common.conf", "timeout 20\nlabel inc1\nkernel k1\ninclude sub/more.conf\n"
				   "label inc3\n"},
    {"/boot/extlinux/sub/more.conf", "label inc2\nkernel ../k2\n"},
    {"/boot/extlinux/loop-a.conf", "label la\ninclude loop-b.conf\n"},
    {"/boot/extlinux/loop-b.conf", "\n\nmenu include /boot/extlinux/loop-a.conf\n"},
    {"/boot/extlinux/self.conf", "include ./self.conf\n"},
    {"/boot/extlinux/d0", "include d1\n"},
    {"/boot/extlinux/d1", "include d2\n"},
    {"/boot/extlinux/d2", "include d3\n"},
    {"/boot/extlinux/d3", "include d4\n"},
    {"/boot/extlinux/d4", "include d5\n"},
    {"/boot/extlinux/d5", "include d6\n"},
    {"/boot/extlinux/d6", "label deep\n"},
    {"/boot/extlinux/d7", "include d8\n"},
    {"/boot/extlinux/d8", "include d9\n"},
    {"/boot/extlinux/d9", "label deeper\n"},
    {"/boot/extlinux/leaf", "label leaf\n"},
    {"/boot/extlinux/broken", NULL},
    {NULL, NULL},
};

static void test_include(void **state)
{
	files = tree;
	assert_int_equal(parse("label top\nkernel k0\ninclude common.conf\nlabel last\n"), 0);
	assert_int_equal(conf.label_count, 5);
	assert_string_equal(conf.labels[0].name, "top");
	assert_string_equal(conf.labels[1].name, "inc1");
	assert_string_equal(conf.labels[1].kernel, "/boot/extlinux/k1");
	assert_string_equal(conf.labels[2].name, "inc2");
	/* Relative to the top config's directory, not the include's. */
	assert_string_equal(conf.labels[2].kernel, "/boot/k2");
	assert_string_equal(conf.labels[3].name, "inc3");
	assert_string_equal(conf.labels[4].name, "last");
	assert_int_equal(conf.timeout, 20);
	assert_int_equal(conf.files_read, 3);
	assert_int_equal(releases, reads);
	/* Eight files open at once (the config and seven includes): the limit. */
	assert_int_equal(parse("include d0\n"), 0);
	assert_string_equal(conf.labels[0].name, "deep");
}

static void test_include_errors(void **state)
{
	files = tree;
	assert_int_equal(parse("label x\ninclude loop-a.conf\n"), -ELOOP);
	assert_string_equal(
	    conf.error, "/boot/extlinux/loop-b.conf:3: include loop: /boot/extlinux/loop-a.conf");
	assert_int_equal(releases, reads);
	assert_int_equal(parse("include self.conf\n"), -ELOOP);
	assert_int_equal(parse("include /boot/extlinux/extlinux.conf\n"), -ELOOP);
	assert_string_equal(conf.error, "/boot/extlinux/extlinux.conf:1: include loop: "
					"/boot/extlinux/extlinux.conf");
	/* d0 .. d9 is eleven files deep: more than EXTLINUX_DEPTH_MAX. */
	static const struct file chain[] = {
	    {"/boot/extlinux/d6", "include d7\n"},
	};
	struct file deep[ARRAY_SIZE(tree)];
	memcpy(deep, tree, sizeof(tree));
	deep[11] = chain[0];
	files = deep;
	assert_int_equal(parse("include d0\n"), -E2BIG);
	assert_non_null(strstr(conf.error, "too many includes"));
	files = tree;
	assert_int_equal(parse("\ninclude missing.conf\n"), -ENOENT);
	assert_string_equal(conf.error, "/boot/extlinux/extlinux.conf:2: cannot include (ENOENT): "
					"/boot/extlinux/missing.conf");
	assert_int_equal(parse("include broken\n"), -EIO);
	/* No reader: an include is an error, not silently skipped. */
	assert_int_equal(extlinux_parse("include x\n", 10, "/e.conf", NULL, &conf), -ENOENT);
	/* Many includes of a leaf: bounded by EXTLINUX_FILES_MAX. */
	char many[40 * 13 + 1] = "";
	for (int i = 0; i < 40; i++) {
		strcat(many, "include leaf\n");
	}
	assert_int_equal(parse(many), -E2BIG);
	assert_int_equal(reads, EXTLINUX_FILES_MAX - 1);
}

static void test_bounds(void **state)
{
	static char text[64 << 10];
	char *p = text;

	for (int i = 0; i < 40; i++) {
		p += sprintf(p, "label l%d\nkernel /k%d\n", i, i);
	}
	assert_int_equal(parse(text), 0);
	assert_int_equal(conf.label_count, EXTLINUX_LABELS_MAX);
	assert_int_equal(conf.labels_dropped, 40 - EXTLINUX_LABELS_MAX);
	assert_string_equal(conf.labels[31].kernel, "/k31");
	/* An overlong value marks its label; the others still boot. */
	p = text + sprintf(text, "label ok\nkernel /k\nlabel long\nappend ");
	memset(p, 'a', EXTLINUX_APPEND_MAX);
	strcpy(p + EXTLINUX_APPEND_MAX, "\nkernel /k2\nlabel ok2\nkernel /k3\n");
	assert_int_equal(parse(text), 0);
	assert_int_equal(conf.label_count, 3);
	assert_null(conf.labels[0].bad);
	assert_string_equal(conf.labels[1].bad, "append too long");
	assert_string_equal(conf.labels[1].append, "");
	assert_string_equal(conf.labels[1].kernel, "/k2");
	assert_null(conf.labels[2].bad);
	p = text + sprintf(text, "label ");
	memset(p, 'n', EXTLINUX_NAME_MAX);
	strcpy(p + EXTLINUX_NAME_MAX, "\nkernel /k\nlabel b\nlocalboot x\n");
	assert_int_equal(parse(text), 0);
	assert_string_equal(conf.labels[0].bad, "label name too long");
	assert_string_equal(conf.labels[1].bad, "bad localboot value");
	/* A NUL ends the text; bad numbers at the top level are ignored. */
	assert_int_equal(
	    extlinux_parse("timeout 7\ntimeout x\n\0label hidden\n", 32, "/a", NULL, &conf), 0);
	assert_int_equal(conf.timeout, 7);
	assert_int_equal(conf.label_count, 0);
	assert_int_equal(extlinux_default(&conf), -1);
	assert_false(extlinux_has_menu(&conf));
	assert_int_equal(parse(""), 0);
}

static void test_choice(void **state)
{
	assert_int_equal(parse("default nope\nlabel a\nlabel b\nlabel 7\n"), 0);
	assert_int_equal(extlinux_default(&conf), 0); /* unknown default: the first */
	assert_false(extlinux_has_menu(&conf)); /* no prompt, no timeout */
	assert_int_equal(extlinux_choice(&conf, ""), 0);
	assert_int_equal(extlinux_choice(&conf, "2"), 1);
	assert_int_equal(extlinux_choice(&conf, "3"), 2);
	assert_int_equal(extlinux_choice(&conf, "4"), -1);
	assert_int_equal(extlinux_choice(&conf, "0"), -1);
	assert_int_equal(extlinux_choice(&conf, "b"), 1);
	assert_int_equal(extlinux_choice(&conf, "7"), -1); /* numbers are positions */
	assert_int_equal(extlinux_choice(&conf, "B"), -1); /* names are exact */
	assert_int_equal(parse("prompt 1\nontimeout b\nlabel a\nlabel b\n"), 0);
	assert_true(extlinux_has_menu(&conf));
	assert_int_equal(extlinux_on_timeout(&conf), 1);
	assert_int_equal(extlinux_default(&conf), 0);
	assert_int_equal(parse("timeout 50\nlabel a\nlabel b\n"), 0);
	assert_false(extlinux_has_menu(&conf)); /* no prompt: the timeout alone shows nothing */
	assert_int_equal(parse("prompt 1\nlabel only\n"), 0);
	assert_false(extlinux_has_menu(&conf)); /* one label: nothing to choose */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_u_boot_menu),	     cmocka_unit_test(test_every_keyword),
	    cmocka_unit_test(test_initrd_in_append), cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_include),	     cmocka_unit_test(test_include_errors),
	    cmocka_unit_test(test_bounds),	     cmocka_unit_test(test_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
