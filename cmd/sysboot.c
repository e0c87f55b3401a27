/* sysboot [-p] [<interface> <dev[:part]>] <any|ext2|ext4|fat> [<addr> [<path>]]
 * boots through an extlinux.conf, as U-Boot's sysboot: the config is loaded
 * to <addr> (default $pxefile_addr_r; path default $bootfile), parsed with
 * its includes read from the same partition (boot/extlinux.c), a menu is
 * shown when the config asks for one (`prompt 1`, or a timeout, with several
 * labels: pick by number or label name, the default on timeout, any key
 * stops the countdown), then the chosen label's files are loaded and booti
 * runs through the command table (boot/extlinux_boot.c builds its command
 * line). A failing label prints one line; then, as U-Boot, the `fallback`
 * label and every label not tried yet are tried in order. Without the
 * interface and device, $devtype and $devnum:$distro_bootpart (set by the
 * distro-boot scan) name the partition. -p only prints the parsed config.
 * The menu and the label loop are shared with pxe boot (cmd/extlinux_menu.c). */
#include <arch/arch.h>
#include <boot/extlinux.h>
#include <boot/extlinux_boot.h>
#include <cmd/cmd.h>
#include <cmd/extlinux_menu.h>
#include <fs/fsload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

#define WHO "sysboot"

struct sysboot {
	bool is_print_only;
	const char *iface, *dev, *type, *addr, *path;
	char dev_buf[48];
	struct fs *fs;
	struct extlinux_conf *conf;
};

static bool is_fs_type(const char *s)
{
	return !strcmp(s, "any") || !strcmp(s, "ext2") || !strcmp(s, "ext4") || !strcmp(s, "fat");
}

static int parse_args(int argc, char *argv[], struct sysboot *sb)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-p")) {
		sb->is_print_only = true;
		i++;
	}
	if (argc - i >= 3 && !is_fs_type(argv[i])) {
		sb->iface = argv[i++];
		sb->dev = argv[i++];
	} else {
		const char *num = env_get("devnum"), *part = env_get("distro_bootpart");

		sb->iface = env_get("devtype");
		xb_snprintf(sb->dev_buf, sizeof(sb->dev_buf), "%s:%s", num ? num : "",
			    part ? part : "1");
		sb->dev = num ? sb->dev_buf : NULL;
	}
	if (i >= argc || !is_fs_type(argv[i]) || argc - i > 3 || !sb->iface || !sb->dev) {
		return CMD_RET_USAGE;
	}
	sb->type = argv[i++];
	sb->addr = i < argc ? argv[i++] : env_get("pxefile_addr_r");
	sb->path = i < argc ? argv[i] : env_get("bootfile");
	return sb->addr && sb->path ? 0 : CMD_RET_USAGE;
}

static int include_read(void *ctx, const char *path, const char **text, size_t *len)
{
	struct fs *fs = ctx;
	uint64_t size;
	size_t got;
	char *buf;
	int rc;

	xb_printf("Retrieving file: %pE\n", path);
	rc = fs_size(fs, path, &size);
	if (rc) {
		return rc;
	}
	if (size > EXTLINUX_FILE_MAX) {
		return -EFBIG;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		return -ENOMEM;
	}
	rc = fs_read(fs, path, buf, 0, (size_t)size, &got);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = got;
	return 0;
}

static void include_release(void *ctx, const char *text)
{
	free((void *)text);
}

/* Mount, check the type, load the config to addr and parse it into sb->conf. */
static int read_config(struct sysboot *sb)
{
	struct extlinux_reader rd = {.read = include_read, .release = include_release};
	enum fs_kind want = !strcmp(sb->type, "fat")  ? FS_KIND_FAT
			    : strcmp(sb->type, "any") ? FS_KIND_EXT4
						      : FS_KIND_NONE;
	uint64_t addr, size;
	int rc = fsload_mount(WHO, sb->iface, sb->dev, &sb->fs);

	if (rc) {
		return rc;
	}
	if (want != FS_KIND_NONE && sb->fs->kind != want) {
		xb_printf(WHO ": %s %pE holds %s\n", sb->iface, sb->dev, fs_type(sb->fs));
		return -EINVAL;
	}
	if (cmd_parse_num(sb->addr, &addr)) {
		return CMD_RET_USAGE;
	}
	rc = fs_size(sb->fs, sb->path, &size);
	if (!rc && size > EXTLINUX_FILE_MAX) {
		xb_printf(WHO ": %pE: %llu bytes, too big for a config\n", sb->path,
			  (unsigned long long)size);
		return -EFBIG;
	}
	xb_printf("Retrieving file: %pE\n", sb->path);
	rc = fsload_file(WHO, sb->fs, sb->path, addr, 0, 0, &size);
	if (rc) {
		return rc;
	}
	rd.ctx = sb->fs;
	rc = extlinux_parse(arch_phys_to_virt(addr), (size_t)size, sb->path, &rd, sb->conf);
	if (rc) {
		xb_printf(WHO ": %pE\n", sb->conf->error);
	}
	return rc;
}

static int do_sysboot(int argc, char *argv[])
{
	struct sysboot sb = {0};
	int rc = parse_args(argc, argv, &sb);

	if (rc) {
		return rc;
	}
	sb.conf = malloc(sizeof(*sb.conf));
	if (!sb.conf) {
		return -ENOMEM;
	}
	rc = read_config(&sb);
	if (!rc && sb.is_print_only) {
		extlinux_menu_print(sb.conf);
	} else if (!rc && !sb.conf->label_count) {
		xb_printf(WHO ": %pE: no label to boot\n", sb.path);
		rc = -ENOENT;
	} else if (!rc) {
		struct extlinux_files files = extlinux_fs_files(sb.fs);
		struct extlinux_menu m = {.who = WHO, .conf = sb.conf, .files = &files};

		rc = extlinux_menu_boot(&m);
	}
	free(sb.conf);
	/* Every failure was reported in its own line. */
	return rc < 0 && rc != -ENOMEM ? CMD_RET_FAILURE : rc;
}

const struct cmd cmd_sysboot = {
    .name = "sysboot",
    .usage = "[-p] [<interface> <dev[:part]>] <any|ext2|ext4|fat> [<addr> [<path>]]",
    .help = "boot through an extlinux.conf (menu, kernel, initrd, fdt, append)",
    .run = do_sysboot,
};
