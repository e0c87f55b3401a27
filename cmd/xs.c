/* xs read|ls|write|rm <path> [value]: look at XenStore from the shell, for
 * debugging PV devices. Values come from the toolstack or a backend, so
 * they are printed escaped. */
#include <cmd/cmd.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>
#include <xen/xs.h>

/* A directory listing may be long; values are at most a payload. */
static char xs_buf[XENSTORE_PAYLOAD_MAX_TEXT];

static int xs_ls(const char *path)
{
	unsigned int count;
	int rc = xs_directory(0, path, xs_buf, sizeof(xs_buf), &count);

	if (rc) {
		return rc;
	}
	const char *p = xs_buf;
	for (unsigned int i = 0; i < count; i++, p += strlen(p) + 1) {
		xb_printf("%pE\n", p);
	}
	return 0;
}

static int do_xs(int argc, char *argv[])
{
	int rc;

	if (argc < 3) {
		return CMD_RET_USAGE;
	}
	const char *op = argv[1], *path = argv[2];
	if (!strcmp(op, "read") && argc == 3) {
		rc = xs_read(0, path, xs_buf, sizeof(xs_buf));
		if (!rc) {
			xb_printf("%pE\n", xs_buf);
		}
	} else if (!strcmp(op, "ls") && argc == 3) {
		rc = xs_ls(path);
	} else if (!strcmp(op, "write") && argc == 4) {
		rc = xs_write(0, path, argv[3]);
	} else if (!strcmp(op, "rm") && argc == 3) {
		rc = xs_rm(0, path);
	} else {
		return CMD_RET_USAGE;
	}
	return rc;
}

const struct cmd cmd_xs = {
    .name = "xs",
    .usage = "read|ls|rm <path> | write <path> <value>",
    .help = "XenStore: read, list, write or remove a node",
    .run = do_xs,
};
