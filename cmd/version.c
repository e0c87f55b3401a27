/* version: xenboot's version and the hypervisor's. */
#include <cmd/cmd.h>
#include <lib/printf.h>
#include <xen/xen.h>

static int do_version(int argc, char *argv[])
{
	unsigned int major, minor;
	char extra[32];

	if (argc != 1) {
		return CMD_RET_USAGE;
	}
	xb_printf("xenboot %s\n", XENBOOT_VERSION);
	int rc = xen_version_get(&major, &minor, extra, sizeof(extra));
	if (rc) {
		xb_printf("Xen version unknown\n");
		return rc;
	}
	xb_printf("Xen %u.%u%s\n", major, minor, extra);
	return 0;
}

const struct cmd cmd_version = {
    .name = "version",
    .usage = "",
    .help = "print xenboot's and Xen's versions",
    .run = do_version,
};
