/* ls <interface> <dev[:part]> [path]: list a directory, as U-Boot's `ls`
 * (ext4ls and fatls are the same, limited to one filesystem). One line per
 * entry: size and name for files, "<SYM>" for symlinks, a trailing '/' for
 * directories, then "N file(s), M dir(s)". Names come from the disk and are
 * printed escaped (STYLE G3). */
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <lib/errno.h>
#include <lib/printf.h>

struct ls_count {
	unsigned int files, dirs;
};

static int ls_entry(void *arg, const struct fs_dirent *ent)
{
	struct ls_count *c = arg;

	switch (ent->type) {
	case FS_NODE_DIR:
		xb_printf("            %pE/\n", ent->name);
		c->dirs++;
		break;
	case FS_NODE_SYMLINK:
		xb_printf("    <SYM>   %pE\n", ent->name);
		c->files++;
		break;
	default:
		xb_printf(" %8llu   %pE\n", (unsigned long long)ent->size, ent->name);
		c->files++;
		break;
	}
	return 0;
}

static int do_ls_kind(int argc, char *argv[], enum fs_kind kind)
{
	const char *path = argc > 3 ? argv[3] : "/";
	struct ls_count count = {0};
	struct fs *fs;
	int rc;

	if (argc < 3 || argc > 4) {
		return CMD_RET_USAGE;
	}
	rc = fsload_mount(argv[0], argv[1], argv[2], &fs);
	if (rc) {
		return rc;
	}
	if (kind != FS_KIND_NONE && fs->kind != kind) {
		xb_printf("%s: %s %pE holds %s\n", argv[0], argv[1], argv[2], fs_type(fs));
		return -EINVAL;
	}
	rc = fs_ls(fs, path, ls_entry, &count);
	if (rc) {
		return fsload_error(argv[0], path, rc);
	}
	xb_printf("\n%u file(s), %u dir(s)\n\n", count.files, count.dirs);
	return 0;
}

static int do_ls(int argc, char *argv[])
{
	return do_ls_kind(argc, argv, FS_KIND_NONE);
}

static int do_ext4ls(int argc, char *argv[])
{
	return do_ls_kind(argc, argv, FS_KIND_EXT4);
}

static int do_fatls(int argc, char *argv[])
{
	return do_ls_kind(argc, argv, FS_KIND_FAT);
}

#define LS_USAGE "<interface> <dev[:part]> [path]"

const struct cmd cmd_ls = {
    .name = "ls",
    .usage = LS_USAGE,
    .help = "list a directory (ext2/3/4 or FAT)",
    .run = do_ls,
};

const struct cmd cmd_ext4ls = {
    .name = "ext4ls",
    .usage = LS_USAGE,
    .help = "list a directory of an ext2/3/4 filesystem",
    .run = do_ext4ls,
};

const struct cmd cmd_fatls = {
    .name = "fatls",
    .usage = LS_USAGE,
    .help = "list a directory of a FAT filesystem",
    .run = do_fatls,
};
