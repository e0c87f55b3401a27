/* load <interface> <dev[:part]> [addr [path [bytes [pos]]]]: read a file into
 * memory, as U-Boot's `load` (ext4load and fatload are the same, limited to
 * one filesystem). Numbers are hex; addr defaults to $loadaddr and path to
 * $bootfile; bytes 0 or absent means to the end of the file. Sets filesize
 * and prints "N bytes read in M ms (X MiB/s)". The reading itself is
 * fsload_file() (include/fs/fsload.h), shared with sysboot and booti. */
#include <cmd/bootefi.h>
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>

struct load_args {
	const char *path;
	uint64_t addr, bytes, pos;
};

/* The address and path, from the arguments or U-Boot's default variables. */
static int load_args(int argc, char *argv[], struct load_args *a)
{
	const char *addr = argc > 3 ? argv[3] : env_get("loadaddr");

	a->path = argc > 4 ? argv[4] : env_get("bootfile");
	a->bytes = 0;
	a->pos = 0;
	if (argc < 3 || argc > 7 || !addr || !a->path || cmd_parse_num(addr, &a->addr) ||
	    (argc > 5 && cmd_parse_num(argv[5], &a->bytes)) ||
	    (argc > 6 && cmd_parse_num(argv[6], &a->pos))) {
		return CMD_RET_USAGE;
	}
	return 0;
}

static int do_load_kind(int argc, char *argv[], enum fs_kind kind)
{
	struct load_args a;
	struct fs *fs;
	uint64_t done;
	int rc = load_args(argc, argv, &a);

	if (rc) {
		return rc;
	}
	rc = fsload_mount(argv[0], argv[1], argv[2], &fs);
	if (rc) {
		return rc;
	}
	if (kind != FS_KIND_NONE && fs->kind != kind) {
		xb_printf("%s: %s %pE holds %s\n", argv[0], argv[1], argv[2], fs_type(fs));
		return -EINVAL;
	}
	rc = fsload_file(argv[0], fs, a.path, a.addr, a.bytes, a.pos, &done);
	if (rc) {
		return rc;
	}
#ifdef CONFIG_EFI
	if (a.pos == 0) {
		bootefi_note_load(argv[1], argv[2], a.path, a.addr, done); /* the whole file */
	}
#endif
	return env_set_u64("filesize", done);
}

static int do_load(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_NONE);
}

static int do_ext4load(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_EXT4);
}

static int do_fatload(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_FAT);
}

#define LOAD_USAGE "<interface> <dev[:part]> [addr [path [bytes [pos]]]]"

const struct cmd cmd_load = {
    .name = "load",
    .usage = LOAD_USAGE,
    .help = "read a file into memory (ext2/3/4 or FAT; hex numbers)",
    .run = do_load,
};

const struct cmd cmd_ext4load = {
    .name = "ext4load",
    .usage = LOAD_USAGE,
    .help = "load from an ext2/3/4 filesystem",
    .run = do_ext4load,
};

const struct cmd cmd_fatload = {
    .name = "fatload",
    .usage = LOAD_USAGE,
    .help = "load from a FAT filesystem",
    .run = do_fatload,
};
