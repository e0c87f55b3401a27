/* pxe get / pxe boot [addr], as U-Boot's pxe after a `dhcp`:
 *
 * `pxe get` fetches the PXELINUX config by TFTP into $pxefile_addr_r,
 * trying pxelinux.cfg/$pxeuuid (when set), pxelinux.cfg/01-<mac> (lower-case, dashes), then our
 * address in hex from 8 digits down to 1 (C0A80164, C0A8016, ..., C), then `default`, each below
 * the directory of $bootfile (as PXELINUX: the boot program's directory is the TFTP prefix). The
 * text (at most 256 KiB, what the parser reads) is ended with a NUL there. The walk ends at the
 * first name found, at Ctrl-C, and at a server that does not answer (each further name would
 * wait as long).
 *
 * `pxe boot` parses the config at $pxefile_addr_r (or [addr]) with the
 * extlinux grammar of sysboot (boot/extlinux.c), includes fetched by TFTP
 * (at most 256 KiB each too), and runs the same menu and label loop
 * (cmd/extlinux_menu.c); kernel, initrd, fdt and overlays come by TFTP,
 * relative to the same prefix.
 * `ipappend 1|2|3` adds ip=... and BOOTIF=01-<mac> to the command line. */
#include <arch/arch.h>
#include <boot/extlinux.h>
#include <cmd/cmd.h>
#include <cmd/extlinux_menu.h>
#include <cmd/netload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <net/net.h>
#include <stdlib.h>
#include <string.h>

#define WHO "pxe"
#define CFG_DIR "pxelinux.cfg/"

struct pxe {
	struct net_stack *ns;
	char prefix[EXTLINUX_PATH_MAX]; /* "" or "dir/" of $bootfile */
	char path[EXTLINUX_PATH_MAX];
	uint64_t cfg_addr; /* pxe boot: the config's text; includes land after it */
};

/* The TFTP prefix: $bootfile up to its last '/'. */
static void set_prefix(struct pxe *p)
{
	const char *bf = env_get("bootfile");
	const char *slash = bf ? strrchr(bf, '/') : NULL;
	size_t n = slash ? (size_t)(slash - bf) + 1 : 0;

	if (n >= sizeof(p->prefix)) {
		n = 0; /* too long to be a prefix: none, and the root is tried */
	}
	memcpy(p->prefix, bf ? bf : "", n);
	p->prefix[n] = '\0';
}

/* Load @path to @addr. The parser's paths are absolute from the TFTP root
 * (the prefix already applied as its base directory); TFTP names have no
 * leading slash (servers chrooted or not read them the same way). */
static int fetch(struct pxe *p, const char *path, uint64_t addr, uint64_t max, uint64_t *size)
{
	while (path[0] == '/') {
		path++;
	}
	if (!path[0]) {
		/* netload_tftp() would take $bootfile for "": not this file. */
		xb_printf(WHO ": no file name\n");
		return -ENOENT;
	}
	return netload_tftp(p->ns, 0, path, addr, max, size);
}

/* pxelinux.cfg/<name> to @addr, NUL-terminated. */
static int try_config(struct pxe *p, const char *name, uint64_t addr)
{
	char rel[64];
	uint64_t size, room;
	int rc;

	xb_snprintf(rel, sizeof(rel), CFG_DIR "%s", name);
	xb_snprintf(p->path, sizeof(p->path), "%s%s", p->prefix, rel);
	xb_printf("Retrieving file: %pE\n", p->path);
	rc = fetch(p, p->path, addr, EXTLINUX_FILE_MAX, &size);
	if (rc) {
		return rc;
	}
	if (netload_room(WHO, addr, &room) || size >= room) {
		xb_printf(WHO ": no room for the config's end at 0x%llx\n",
			  (unsigned long long)(addr + size));
		return -EFBIG;
	}
	*(char *)arch_phys_to_virt(addr + size) = '\0';
	xb_printf("Config file '%pE' found\n", rel);
	return 0;
}

/* After a failed name: is the next one worth asking for? Not after Ctrl-C,
 * a server that did not answer (the next name would wait as long), or
 * without our address or the server's (each name would say so again). */
static bool is_final(const struct pxe *p, int rc)
{
	return !rc || rc == -EINTR || rc == -ETIMEDOUT || !p->ns->ip || !p->ns->server;
}

static int pxe_get(struct pxe *p, uint64_t addr)
{
	const uint8_t *m = p->ns->mac;
	const char *uuid = env_get("pxeuuid");
	char name[40];
	uint64_t room;
	int rc;

	if (netload_room(WHO, addr, &room)) {
		return -EFAULT; /* said once, not once per name */
	}

	/* U-Boot asks for $pxeuuid first when it is set (a short, plain name only). */
	if (uuid && strlen(uuid) < sizeof(name) && !strpbrk(uuid, "/.\\")) {
		xb_snprintf(name, sizeof(name), "%s", uuid);
		rc = try_config(p, name, addr);
		if (is_final(p, rc)) {
			return rc;
		}
	}
	xb_snprintf(name, sizeof(name), "01-%02x-%02x-%02x-%02x-%02x-%02x", m[0], m[1], m[2], m[3],
		    m[4], m[5]);
	rc = try_config(p, name, addr);
	if (is_final(p, rc)) {
		return rc;
	}
	xb_snprintf(name, sizeof(name), "%08X", p->ns->ip);
	for (size_t n = 8; n > 0; n--) {
		name[n] = '\0';
		rc = try_config(p, name, addr);
		if (is_final(p, rc)) {
			return rc;
		}
	}
	return try_config(p, "default", addr);
}

static int include_read(void *ctx, const char *path, const char **text, size_t *len)
{
	struct pxe *p = ctx;
	uint64_t addr = p->cfg_addr + EXTLINUX_FILE_MAX, size;
	char *buf;
	int rc;

	/* Through a scratch area after the config being parsed (not after
	 * $pxefile_addr_r: `pxe boot <addr>` may have its text there), as
	 * TFTP writes guest RAM only. */
	xb_printf("Retrieving file: %pE\n", path);
	rc = fetch(p, path, addr, EXTLINUX_FILE_MAX, &size);
	if (rc) {
		return rc;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		return -ENOMEM;
	}
	memcpy(buf, arch_phys_to_virt(addr), (size_t)size);
	*text = buf;
	*len = (size_t)size;
	return 0;
}

static void include_release(void *ctx, const char *text)
{
	free((void *)text);
}

static int file_load(void *ctx, const char *who, const char *path, uint64_t addr, uint64_t *size)
{
	return fetch(ctx, path, addr, 0, size);
}

/* PXELINUX's `ipappend`: bit 0 adds ip=<ip>:<server>:<gateway>:<netmask>,
 * bit 1 BOOTIF=01-<mac>, to the label's append line. */
static void ipappend(const struct pxe *p, struct extlinux_label *l)
{
	const uint8_t *m = p->ns->mac;
	char a[16], s[16], g[16], n[16], add[96] = "";
	size_t len = strlen(l->append);

	if (l->ipappend & 1) {
		xb_snprintf(add, sizeof(add), " ip=%s:%s:%s:%s", net_ip_format(p->ns->ip, a),
			    net_ip_format(p->ns->server, s), net_ip_format(p->ns->gateway, g),
			    net_ip_format(p->ns->netmask, n));
	}
	if (l->ipappend & 2) {
		xb_snprintf(add + strlen(add), sizeof(add) - strlen(add),
			    " BOOTIF=01-%02x-%02x-%02x-%02x-%02x-%02x", m[0], m[1], m[2], m[3],
			    m[4], m[5]);
	}
	if (len + strlen(add) >= sizeof(l->append)) {
		l->bad = "append too long with ipappend";
		return;
	}
	/* Nothing to append to: the options alone, without the leading blank. */
	strcpy(l->append + len, len ? add : add + (add[0] == ' '));
	l->has_append = l->has_append || add[0];
}

/* Parse the config at @addr (NUL-ended, at most EXTLINUX_FILE_MAX) and boot it. */
static int pxe_boot(struct pxe *p, uint64_t addr, bool is_print_only)
{
	struct extlinux_reader rd = {.read = include_read, .release = include_release, .ctx = p};
	struct extlinux_files files = {.load = file_load, .ctx = p};
	struct extlinux_conf *conf;
	char dir[EXTLINUX_PATH_MAX + 1];
	uint64_t room;
	int rc;

	if (netload_room(WHO, addr, &room)) {
		return -EFAULT;
	}
	p->cfg_addr = addr;
	const char *text = arch_phys_to_virt(addr);
	size_t len = strnlen(text, (size_t)MIN(room, (uint64_t)EXTLINUX_FILE_MAX));
	conf = malloc(sizeof(*conf));
	if (!conf) {
		return -ENOMEM;
	}
	xb_snprintf(dir, sizeof(dir), "/%s", p->prefix);
	rc = extlinux_parse_at(text, len, "/" CFG_DIR "config", dir, &rd, conf);
	if (rc) {
		xb_printf(WHO ": %pE\n", conf->error);
	} else if (is_print_only) {
		extlinux_menu_print(conf);
	} else {
		for (unsigned int i = 0; i < conf->label_count; i++) {
			ipappend(p, &conf->labels[i]);
		}
		struct extlinux_menu m = {.who = WHO, .conf = conf, .files = &files};

		rc = extlinux_menu_boot(&m);
	}
	free(conf);
	return rc;
}

static int do_pxe(int argc, char *argv[])
{
	struct pxe p = {0};
	bool is_get = argc >= 2 && !strcmp(argv[1], "get");
	bool is_print = argc >= 3 && !strcmp(argv[2], "-p");
	const char *addr_text =
	    argc >= 3 + is_print ? argv[2 + is_print] : env_get("pxefile_addr_r");
	uint64_t addr;
	int rc;

	if (argc < 2 || (!is_get && strcmp(argv[1], "boot")) || argc > (is_get ? 2 : 4)) {
		return CMD_RET_USAGE;
	}
	if (!addr_text || cmd_parse_num(addr_text, &addr)) {
		xb_printf(WHO ": $pxefile_addr_r is %s\n", addr_text ? "not a number" : "not set");
		return CMD_RET_FAILURE;
	}
	rc = net_acquire(&p.ns);
	if (!p.ns) {
		return CMD_RET_FAILURE;
	}
	set_prefix(&p);
	if (is_get) {
		rc = pxe_get(&p, addr);
		if (rc) {
			xb_printf(WHO ": no config file found\n");
		}
	} else {
		rc = pxe_boot(&p, addr, is_print);
	}
	/* Every failure was reported in its own line. */
	return rc < 0 && rc != -ENOMEM ? CMD_RET_FAILURE : rc;
}

const struct cmd cmd_pxe = {
    .name = "pxe",
    .usage = "get | boot [-p] [pxefile_addr_r]",
    .help = "get and boot from a PXELINUX config by TFTP (after dhcp)",
    .run = do_pxe,
};
