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
 * distro-boot scan) name the partition. -p only prints the parsed config. */
#include <arch/arch.h>
#include <boot/extlinux.h>
#include <boot/extlinux_boot.h>
#include <cmd/cmd.h>
#include <cmd/shell.h>
#include <fs/fsload.h>
#include <lib/console.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

#define WHO "sysboot"
#define KEY_CTRL_C 0x03
#define NS_PER_TENTH 100000000ULL

struct sysboot {
	bool is_print_only;
	const char *iface, *dev, *type, *addr, *path;
	char dev_buf[48];
	struct fs *fs;
	struct extlinux_conf *conf;
	bool attempted[EXTLINUX_LABELS_MAX];
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

static const char *label_text(const struct extlinux_label *l)
{
	return l->menu[0] ? l->menu : l->name;
}

/* One line typed at the menu; the first key waits until @deadline only. */
static int read_choice(char *buf, size_t size, uint64_t deadline)
{
	size_t n = 0;
	int c = console_getc(deadline);

	if (c < 0) {
		return -ETIMEDOUT;
	}
	for (;; c = console_getc(UINT64_MAX)) {
		if (c < 0) {
			return -EIO; /* no console any more */
		}
		if (c == '\r' || c == '\n') {
			console_write("\n", 1);
			buf[n] = '\0';
			return 0;
		}
		if (c == KEY_CTRL_C) {
			console_write("^C\n", 3);
			return -EINTR;
		}
		if ((c == 0x08 || c == 0x7f) && n) {
			n--;
			console_write("\b \b", 3);
		} else if (c >= 0x20 && c < 0x7f && n + 1 < size) {
			buf[n++] = (char)c;
			console_write(buf + n - 1, 1);
		}
	}
}

/* The menu: the label to boot, or -EINTR (Ctrl-C) / -EIO. */
static int menu(const struct extlinux_conf *c)
{
	uint64_t deadline = c->timeout ? arch_time_ns() + c->timeout * NS_PER_TENTH : UINT64_MAX;
	char typed[EXTLINUX_NAME_MAX];

	if (c->title[0]) {
		xb_printf("%pE\n", c->title);
	}
	for (unsigned int i = 0; i < c->label_count; i++) {
		xb_printf("%u:\t%pE\n", i + 1, label_text(&c->labels[i]));
	}
	for (;;) {
		if (deadline != UINT64_MAX) {
			xb_printf(
			    "Enter choice (1-%u or a label; %d in %lu.%lu s): ", c->label_count,
			    extlinux_on_timeout(c) + 1, c->timeout / 10, c->timeout % 10);
		} else {
			xb_printf("Enter choice (1-%u or a label; Enter: %d): ", c->label_count,
				  extlinux_default(c) + 1);
		}
		int rc = read_choice(typed, sizeof(typed), deadline);
		if (rc == -ETIMEDOUT) {
			xb_printf("\n");
			return extlinux_on_timeout(c);
		}
		if (rc) {
			return rc;
		}
		deadline = UINT64_MAX; /* a key stopped the countdown */
		int i = extlinux_choice(c, typed);
		if (i >= 0) {
			return i;
		}
		xb_printf(WHO ": no label '%pE'\n", typed);
	}
}

static int localboot(const struct extlinux_label *l)
{
	if (!env_get("localcmd")) {
		xb_printf(WHO ": label %pE: localboot, but $localcmd is not set\n", l->name);
		return -ENOENT;
	}
	return shell_run_var("localcmd");
}

/* Boot label @i; returns only when it failed (or booti returned 0 in the sandbox). */
static int boot_label(struct sysboot *sb, int i)
{
	const struct extlinux_label *l = &sb->conf->labels[i];
	struct extlinux_plan plan;
	struct extlinux_loaded ld;
	const struct cmd *booti;
	int rc;

	sb->attempted[i] = true;
	xb_printf("%d:\t%pE\n", i + 1, label_text(l));
	rc = extlinux_plan(WHO, l, &plan);
	if (rc == -ENOENT) {
		return localboot(l);
	}
	if (!rc) {
		rc = extlinux_load(WHO, sb->fs, &plan, &ld);
	}
	if (rc) {
		return rc;
	}
	booti = cmd_find("booti");
	if (!booti) {
		xb_printf(WHO ": booti: unknown command\n");
		return -ENOENT;
	}
	rc = booti->run(ld.argc, ld.argv);
	return rc == CMD_RET_USAGE ? -EINVAL : rc;
}

/* The chosen label, then `fallback`, then every label not tried, as U-Boot. */
static int boot_labels(struct sysboot *sb, int first)
{
	int fallback = sb->conf->fallback[0] ? extlinux_find(sb->conf, sb->conf->fallback) : -1;
	int rc = boot_label(sb, first);

	if (rc && fallback >= 0 && !sb->attempted[fallback]) {
		rc = boot_label(sb, fallback);
	}
	for (unsigned int i = 0; rc && i < sb->conf->label_count; i++) {
		if (!sb->attempted[i]) {
			rc = boot_label(sb, (int)i);
		}
	}
	return rc;
}

static void print_conf(const struct extlinux_conf *c)
{
	xb_printf("title '%pE', default '%pE', timeout %lu, prompt %d\n", c->title,
		  c->default_label, c->timeout, c->has_prompt);
	for (unsigned int i = 0; i < c->label_count; i++) {
		const struct extlinux_label *l = &c->labels[i];

		xb_printf("%u:\t%pE\n\tkernel %pE\n\tinitrd %pE\n\tfdt %pE%s%pE\n\tappend %pE\n",
			  i + 1, label_text(l), l->kernel, l->initrd, l->fdt,
			  l->fdtdir[0] ? " fdtdir " : "", l->fdtdir, l->append);
	}
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
	if (!rc && sb.conf->labels_dropped) {
		xb_printf(WHO ": %u labels beyond the first %u ignored\n", sb.conf->labels_dropped,
			  EXTLINUX_LABELS_MAX);
	}
	if (!rc && sb.is_print_only) {
		print_conf(sb.conf);
	} else if (!rc && !sb.conf->label_count) {
		xb_printf(WHO ": %pE: no label to boot\n", sb.path);
		rc = -ENOENT;
	} else if (!rc) {
		int first = extlinux_has_menu(sb.conf) ? menu(sb.conf) : extlinux_default(sb.conf);
		rc = first < 0 ? first : boot_labels(&sb, first);
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
