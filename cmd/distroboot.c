/* distroboot [<target>...]: U-Boot's distro-boot scan as one command, the
 * default $distro_bootcmd (bootcmd=run distro_bootcmd). For each target
 * (default $boot_targets, "pvblock0 pvblock1 ...": interface and device
 * number), every partition with a filesystem, bootable ones first (or the
 * whole disk when it has no table), and each prefix of $boot_prefixes:
 *   <prefix>$boot_syslinux_conf (extlinux/extlinux.conf) -> sysboot, then
 *   <prefix><script> for each of $boot_scripts -> load to $scriptaddr, source,
 * then (with EFI built in) the UEFI boot manager once per scan (bootefi
 * bootmgr: BootNext, BootOrder) and the partition's removable-media
 * binary efi/boot/bootaa64.efi -> load to $kernel_addr_r, bootefi,
 * with devtype, devnum, distro_bootpart (hex, as U-Boot), prefix and script
 * set as U-Boot's scripts set them, so flash-kernel's boot.scr runs
 * unchanged. Both commands run through the command table; a failure prints
 * one line and the scan goes on. A target that is not a disk ("pxe",
 * "dhcp") runs $bootcmd_<target>, as U-Boot's distro_bootcmd does for every
 * target; it booted when that returned 0. Returns only when nothing booted. */
#include <cmd/cmd.h>
#include <cmd/shell.h>
#include <disk/disk.h>
#include <fs/fsload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

#define WHO "distroboot"
#define PATH_MAX_LEN 256
#define WORD_MAX 64

struct scan {
	const char *iface;
	char devnum[8], part[8], spec[24];
	bool has_booted;
	bool has_tried_bootmgr; /* bootefi bootmgr runs once per scan */
	/* The partition's filesystem while nothing else used the mount the
	 * commands share (NULL after a command ran: it may have mounted
	 * another), so looking for each file costs no new mount. */
	struct fs *fs;
};

/* A copy of $name ("" when unset): env_get()'s pointer dies at the next
 * env_set(), and the commands the scan runs set variables. */
static void env_copy(const char *name, char *out, size_t size)
{
	const char *v = env_get(name);

	xb_snprintf(out, size, "%s", v ? v : "");
}

/* The next blank-separated word of *@s into @out; false at the end. */
static bool next_word(const char **s, char *out, size_t size)
{
	size_t n;

	*s += strspn(*s, " \t");
	n = strcspn(*s, " \t");
	if (!n) {
		return false;
	}
	xb_snprintf(out, size, "%.*s", (int)MIN(n, size - 1), *s);
	*s += n;
	return true;
}

/* Does the partition hold the file @path? (quiet) */
static bool has_file(struct scan *sc, const char *path)
{
	uint64_t size;

	if (!sc->fs && fsload_mount(NULL, sc->iface, sc->spec, &sc->fs)) {
		sc->fs = NULL;
		return false;
	}
	return fs_size(sc->fs, path, &size) == 0;
}

static int run(struct scan *sc, int argc, char *argv[])
{
	const struct cmd *c = cmd_find(argv[0]);

	if (!c) {
		xb_printf(WHO ": %s: unknown command\n", argv[0]);
		return -ENOENT;
	}
	sc->fs = NULL;
	int rc = c->run(argc, argv);
	return rc == CMD_RET_USAGE ? -EINVAL : rc;
}

static void try_extlinux(struct scan *sc, const char *prefix)
{
	char conf[WORD_MAX], addr[WORD_MAX], path[PATH_MAX_LEN];

	env_copy("boot_syslinux_conf", conf, sizeof(conf));
	env_copy("scriptaddr", addr, sizeof(addr));
	xb_snprintf(path, sizeof(path), "%s%s", prefix, conf[0] ? conf : "extlinux/extlinux.conf");
	if (!has_file(sc, path)) {
		return;
	}
	xb_printf("Found %pE\n", path);
	char *argv[] = {"sysboot", (char *)sc->iface, sc->spec, "any", addr, path, NULL};
	if (!addr[0]) {
		xb_printf(WHO ": $scriptaddr is not set\n");
	} else if (run(sc, 6, argv) == 0) {
		sc->has_booted = true;
		return;
	}
	xb_printf("EXTLINUX FAILED: continuing...\n");
}

static void try_scripts(struct scan *sc, const char *prefix)
{
	char scripts[ENV_VALUE_MAX], addr[WORD_MAX], script[WORD_MAX], path[PATH_MAX_LEN];
	const char *list = scripts;

	env_copy("boot_scripts", scripts, sizeof(scripts));
	env_copy("scriptaddr", addr, sizeof(addr));
	while (addr[0] && !sc->has_booted && next_word(&list, script, sizeof(script))) {
		xb_snprintf(path, sizeof(path), "%s%s", prefix, script);
		if (!has_file(sc, path)) {
			continue;
		}
		xb_printf("Found U-Boot script %pE\n", path);
		char *load[] = {"load", (char *)sc->iface, sc->spec, addr, path, NULL};
		char *source[] = {"source", addr, NULL};
		if (env_set("script", script) == 0 && run(sc, 5, load) == 0 &&
		    run(sc, 2, source) == 0) {
			sc->has_booted = true;
			return;
		}
		xb_printf("SCRIPT FAILED: continuing...\n");
	}
}

#ifdef CONFIG_EFI
/* The UEFI steps, after every prefix's extlinux.conf and scripts. */
static void try_efi(struct scan *sc)
{
	char addr[WORD_MAX], fdt[WORD_MAX], path[] = "efi/boot/bootaa64.efi";

	if (!sc->has_tried_bootmgr) {
		sc->has_tried_bootmgr = true;
		char *argv[] = {"bootefi", "bootmgr", NULL};
		if (run(sc, 2, argv) == 0) {
			sc->has_booted = true;
			return;
		}
	}
	if (!has_file(sc, path)) {
		return;
	}
	xb_printf("Found EFI removable media binary %s\n", path);
	env_copy("kernel_addr_r", addr, sizeof(addr));
	env_copy("fdtcontroladdr", fdt, sizeof(fdt));
	char *load[] = {"load", (char *)sc->iface, sc->spec, addr, path, NULL};
	char *boot[] = {"bootefi", addr, fdt, NULL};
	if (!addr[0]) {
		xb_printf(WHO ": $kernel_addr_r is not set\n");
	} else if (run(sc, 5, load) == 0 && run(sc, fdt[0] ? 3 : 2, boot) == 0) {
		sc->has_booted = true;
		return;
	}
	xb_printf("EFI LOAD FAILED: continuing...\n");
}
#endif

/* One partition: set U-Boot's variables, then every prefix. */
static void scan_part(struct scan *sc, unsigned int part)
{
	char prefixes[ENV_VALUE_MAX], prefix[WORD_MAX];

	xb_snprintf(sc->part, sizeof(sc->part), "%x", part);
	xb_snprintf(sc->spec, sizeof(sc->spec), "%s:%s", sc->devnum, sc->part);
	if (fsload_mount(NULL, sc->iface, sc->spec, &sc->fs)) {
		sc->fs = NULL;
		return; /* no filesystem here: nothing to say */
	}
	xb_printf("Scanning %s %s...\n", sc->iface, sc->spec);
	if (env_set("devtype", sc->iface) || env_set("devnum", sc->devnum) ||
	    env_set("distro_bootpart", sc->part)) {
		xb_printf(WHO ": cannot set the scan's variables\n");
		return;
	}
	env_copy("boot_prefixes", prefixes, sizeof(prefixes));
	for (const char *s = prefixes[0] ? prefixes : "/";
	     !sc->has_booted && next_word(&s, prefix, sizeof(prefix));) {
		if (env_set("prefix", prefix)) {
			continue;
		}
		try_extlinux(sc, prefix);
		if (!sc->has_booted) {
			try_scripts(sc, prefix);
		}
	}
#ifdef CONFIG_EFI
	if (!sc->has_booted) {
		try_efi(sc);
	}
#endif
}

/* A target without a device number: its $bootcmd_<target>, if any. */
static bool run_bootcmd(struct scan *sc, const char *target)
{
	char var[ENV_NAME_MAX];

	if ((size_t)xb_snprintf(var, sizeof(var), "bootcmd_%s", target) >= sizeof(var) ||
	    !env_get(var)) {
		return false;
	}
	sc->fs = NULL;
	sc->has_booted = shell_run_var(var) == 0;
	return true;
}

/* "pvblock1" -> interface "pvblock", device "1"; every partition of it. */
static void scan_target(struct scan *sc, const char *target, struct part_table *table)
{
	size_t n = strcspn(target, "0123456789");
	char iface[16];
	struct blk_dev *dev;

	if (!target[n] && run_bootcmd(sc, target)) {
		return;
	}

	xb_snprintf(iface, sizeof(iface), "%.*s", (int)MIN(n, sizeof(iface) - 1), target);
	xb_snprintf(sc->devnum, sizeof(sc->devnum), "%s", target + n);
	sc->iface = iface;
	dev = target[n] && n < sizeof(iface) ? disk_dev(NULL, iface, sc->devnum) : NULL;
	if (!dev || part_scan(dev, table)) {
		xb_printf(WHO ": %pE: %s\n", target,
			  dev ? "unreadable partition table" : "no such disk");
		return;
	}
	if (table->count == 0) {
		scan_part(sc, 0); /* no table: the whole disk */
	}
	for (int pass = 0; pass < 2 && !sc->has_booted; pass++) {
		for (unsigned int i = 0; i < table->count && !sc->has_booted; i++) {
			if (table->entries[i].is_bootable == (pass == 0)) {
				scan_part(sc, table->entries[i].number);
			}
		}
	}
	sc->iface = NULL;
}

static int do_distroboot(int argc, char *argv[])
{
	struct part_table *table = malloc(sizeof(*table));
	struct scan sc = {0};
	char targets[ENV_VALUE_MAX], target[WORD_MAX];
	const char *list = targets;

	if (!table) {
		return -ENOMEM;
	}
	unsigned int disks = disk_probe(); /* boot_targets follows the disks found */
	env_copy("boot_targets", targets, sizeof(targets));
	/* Unset (an imported environment without it): every PV disk. */
	size_t n = strlen(targets);
	for (unsigned int i = 0; n == 0 && i < disks; i++) {
		xb_snprintf(targets + strlen(targets), sizeof(targets) - strlen(targets),
			    "%spvblock%u", i ? " " : "", i);
	}
	if (argc == 1 && !targets[0]) {
		xb_printf(WHO ": no boot targets ($boot_targets is empty: no disk)\n");
	}
	for (int i = 1; i < argc && !sc.has_booted; i++) {
		scan_target(&sc, argv[i], table);
	}
	while (argc == 1 && !sc.has_booted && next_word(&list, target, sizeof(target))) {
		scan_target(&sc, target, table);
	}
	free(table);
	if (!sc.has_booted && (argc > 1 || targets[0])) {
		xb_printf(WHO ": no extlinux.conf, boot script or EFI binary booted\n");
	}
	return sc.has_booted ? 0 : CMD_RET_FAILURE;
}

const struct cmd cmd_distroboot = {
    .name = "distroboot",
    .usage = "[<target>...]   (targets such as pvblock0; default $boot_targets)",
    .help = "distro boot: scan disks for extlinux/extlinux.conf and boot scripts",
    .run = do_distroboot,
};
