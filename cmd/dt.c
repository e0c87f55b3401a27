/* dt print <path> [property]: show part of the device tree Xen gave us. */
#include <cmd/cmd.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <libfdt.h>
#include <string.h>

/* Long values are cut: a DT can hold a multi-KiB blob. */
#define DT_VALUE_MAX 256

/* NUL-separated printable strings, as "compatible" and "bootargs" are. */
static bool is_string_list(const char *v, int len)
{
	if (len <= 0 || v[len - 1] != '\0' || v[0] == '\0') {
		return false;
	}
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '\0') {
			if (i + 1 < len && v[i + 1] == '\0') {
				return false;
			}
		} else if (c < 0x20 || c >= 0x7f) {
			return false;
		}
	}
	return true;
}

static void print_value(const char *v, int len)
{
	int shown = len > DT_VALUE_MAX ? DT_VALUE_MAX : len;

	if (len == 0) {
		return;
	}
	xb_printf(" = ");
	if (is_string_list(v, len)) {
		for (int i = 0; i < len; i += (int)strlen(v + i) + 1) {
			xb_printf("%s\"%pE\"", i ? ", " : "", v + i);
		}
	} else if (len % 4 == 0) {
		xb_printf("<");
		for (int i = 0; i < shown; i += 4) {
			xb_printf("%s0x%08x", i ? " " : "", fdt32_ld((const fdt32_t *)(v + i)));
		}
		xb_printf("%s>", shown < len ? " ..." : "");
	} else {
		xb_printf("[");
		for (int i = 0; i < shown; i++) {
			xb_printf("%s%02x", i ? " " : "", (unsigned char)v[i]);
		}
		xb_printf("%s]", shown < len ? " ..." : "");
	}
}

static void print_prop(const void *fdt, int offset)
{
	int len;
	const char *name;
	const char *v = fdt_getprop_by_offset(fdt, offset, &name, &len);

	if (!v) {
		return;
	}
	xb_printf("\t%pE", name);
	print_value(v, len);
	xb_printf(";\n");
}

static int print_node(const void *fdt, int node, const char *path)
{
	int prop, child;

	xb_printf("%pE {\n", path);
	fdt_for_each_property_offset (prop, fdt, node) {
		print_prop(fdt, prop);
	}
	fdt_for_each_subnode (child, fdt, node) {
		xb_printf("\t%pE { ... };\n", fdt_get_name(fdt, child, NULL));
	}
	xb_printf("};\n");
	return 0;
}

static int do_dt(int argc, char *argv[])
{
	const struct dtinfo *dt = dtinfo_get();

	if (argc < 3 || argc > 4 || strcmp(argv[1], "print") != 0) {
		return CMD_RET_USAGE;
	}
	if (!dt) {
		xb_printf("dt: no device tree\n");
		return -ENODEV;
	}
	int node = fdt_path_offset(dt->fdt, argv[2]);
	if (node < 0) {
		xb_printf("dt: no node '%pE'\n", argv[2]);
		return -ENOENT;
	}
	if (argc == 3) {
		return print_node(dt->fdt, node, argv[2]);
	}
	int len;
	const char *v = fdt_getprop(dt->fdt, node, argv[3], &len);
	if (!v) {
		xb_printf("dt: no property '%pE' in '%pE'\n", argv[3], argv[2]);
		return -ENOENT;
	}
	xb_printf("%pE", argv[3]);
	print_value(v, len);
	xb_printf("\n");
	return 0;
}

const struct cmd cmd_dt = {
    .name = "dt",
    .usage = "print <path> [property]",
    .help = "print a device-tree node or property",
    .run = do_dt,
};
