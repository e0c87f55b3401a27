/* fstype <interface> <dev[:part]> [var]: the filesystem on a partition under
 * U-Boot's names, "ext4" (for ext2/3/4 alike) or "fat", printed or stored
 * in @var, so scripts written for U-Boot pick the same branch. */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <fs/fsload.h>
#include <lib/printf.h>

static int do_fstype(int argc, char *argv[])
{
	const char *name;
	struct fs *fs;
	int rc;

	if (argc < 3 || argc > 4) {
		return CMD_RET_USAGE;
	}
	rc = fsload_mount(argv[0], argv[1], argv[2], &fs);
	if (rc) {
		return rc;
	}
	name = fs->kind == FS_KIND_EXT4 ? "ext4" : "fat";
	if (argc == 4) {
		return env_set(argv[3], name);
	}
	xb_printf("%s\n", name);
	return 0;
}

const struct cmd cmd_fstype = {
    .name = "fstype",
    .usage = "<interface> <dev[:part]> [var]",
    .help = "print the filesystem type (ext4 or fat), or set var to it",
    .run = do_fstype,
};
