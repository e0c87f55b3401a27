/* size <interface> <dev[:part]> <path>: set filesize to the file's size in
 * hex, printing nothing, as U-Boot's `size` (scripts test $filesize). */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <fs/fsload.h>

static int do_size(int argc, char *argv[])
{
	struct fs *fs;
	uint64_t size;
	int rc;

	if (argc != 4) {
		return CMD_RET_USAGE;
	}
	rc = fsload_mount(argv[0], argv[1], argv[2], &fs);
	if (rc) {
		return rc;
	}
	rc = fs_size(fs, argv[3], &size);
	if (rc) {
		return fsload_error(argv[0], argv[3], rc);
	}
	return env_set_u64("filesize", size);
}

const struct cmd cmd_size = {
    .name = "size",
    .usage = "<interface> <dev[:part]> <path>",
    .help = "set filesize to the size of a file (hex)",
    .run = do_size,
};
