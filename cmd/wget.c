/* wget [addr] [url or [host:]path]: U-Boot's wget. An http:// URL, or a
 * path (default $bootfile) on $serverip or on the host before the colon
 * (port $httpdstp, default 80), loaded at addr (default $loadaddr) by
 * HTTP/1.1 GET (net/http.c). The
 * body may fill the RAM from addr up to the next region in use (xenboot,
 * the DT, lost pages) or the end of its bank (netload_room(), as tftpboot),
 * and is checked again with memmap_check() once its length is known. Sets
 * fileaddr and filesize; prints U-Boot's lines and "N bytes transferred in
 * M ms (X MiB/s)". */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <cmd/netload.h>
#include <fs/fsload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <net/http.h>
#include <net/net.h>
#include <string.h>

#define WGET_URL_MAX (HTTP_HOST_MAX + HTTP_PATH_MAX + 16)

/* U-Boot's $httpdstp, the port of the "[host:]path" form: ":N", or "" for 80. */
static int wget_port(char port[8])
{
	const char *s = env_get("httpdstp");
	uint64_t v;

	port[0] = '\0';
	if (!s) {
		return 0;
	}
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5 || parse_u64(s, 10, &v) ||
	    v == 0 || v > 0xffff) {
		xb_printf("wget: $httpdstp is not a port number\n");
		return -EINVAL;
	}
	xb_snprintf(port, 8, ":%u", (unsigned int)v);
	return 0;
}

/* "http://..." as it is; "[host:]path" on host or $serverip, port $httpdstp. */
static int wget_url(const char *arg, char *url, size_t size)
{
	const char *colon = strchr(arg, ':'), *path = arg, *host = NULL;
	char port[8];
	int hlen = 0, n;

	if (strstr(arg, "://")) {
		n = xb_snprintf(url, size, "%s", arg);
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
	}
	if (colon && !memchr(arg, '/', (size_t)(colon - arg))) {
		host = arg;
		hlen = (int)(colon - arg);
		path = colon + 1;
	} else {
		host = env_get("serverip");
		if (!host) {
			xb_printf("*** ERROR: `serverip' not set\n");
			return -EINVAL;
		}
		hlen = (int)strlen(host);
	}
	if (wget_port(port)) {
		return -EINVAL;
	}
	n = xb_snprintf(url, size, "http://%.*s%s%s%s", hlen, host, port, path[0] == '/' ? "" : "/",
			path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int wget_report(uint64_t addr, size_t len, uint64_t ns)
{
	int rc = fsload_check("wget", addr, len); /* the body stayed inside the room */

	if (rc) {
		return rc;
	}
	xb_printf("Bytes transferred = %zu (%zx hex)\n", len, len);
	xb_printf("%zu bytes transferred", len);
	fsload_print_rate(len, ns);
	rc = env_set_u64("filesize", len);
	return rc ? rc : env_set_u64("fileaddr", addr);
}

/* U-Boot's "[addr] [[host:]path]": a lone hex number is the address; without
 * a file, $bootfile; without an address, $loadaddr. */
static int wget_args(int argc, char *argv[], uint64_t *addr, const char **file)
{
	bool has_addr = argc == 3 || (argc == 2 && cmd_parse_num(argv[1], addr) == 0);
	const char *a = env_get("loadaddr");

	if (argc > 3 || (argc == 3 && cmd_parse_num(argv[1], addr))) {
		return CMD_RET_USAGE;
	}
	if (!has_addr && (!a || cmd_parse_num(a, addr))) {
		xb_printf("wget: $loadaddr is %s\n", a ? "not a number" : "not set");
		return -EINVAL;
	}
	*file = argc == 3 || (argc == 2 && !has_addr) ? argv[argc - 1] : env_get("bootfile");
	if (!*file) {
		xb_printf("wget: $bootfile is not set\n");
		return -EINVAL;
	}
	return 0;
}

static int do_wget(int argc, char *argv[])
{
	char url[WGET_URL_MAX], ip[16];
	struct net_stack *ns = NULL;
	const char *file;
	uint64_t addr, room, t0;
	size_t len;
	int rc = wget_args(argc, argv, &addr, &file);

	if (rc) {
		return rc;
	}
	rc = wget_url(file, url, sizeof(url));
	if (!rc) {
		rc = netload_room("wget", addr, &room);
	}
	if (rc) {
		return rc == -ENAMETOOLONG ? rc : CMD_RET_FAILURE;
	}
	rc = net_acquire(&ns);
	/* -EINVAL: a malformed address variable, reported and read as 0, as
	 * U-Boot does; the ones wget needs are checked on their own. */
	if (rc && rc != -EINVAL) {
		return rc == -ENODEV ? CMD_RET_FAILURE : rc;
	}
	if (!ns->ip) {
		xb_printf("*** ERROR: `ipaddr' not set\n");
		return CMD_RET_FAILURE;
	}
	xb_printf("HTTP from %pE; our IP address is %s\n", url, net_ip_format(ns->ip, ip));
	xb_printf("Load address: 0x%llx\n", (unsigned long long)addr);
	t0 = arch_time_ns();
	rc =
	    http_get(ns, url, arch_phys_to_virt(addr), (size_t)MIN(room, (uint64_t)SIZE_MAX), &len);
	if (rc) {
		return CMD_RET_FAILURE; /* http_get() said why */
	}
	return wget_report(addr, len, arch_time_ns() - t0);
}

const struct cmd cmd_wget = {
    .name = "wget",
    .usage = "[addr] [url or [host:]path]",
    .help = "load a file by HTTP (http://host[:port]/path, or a path on $serverip)",
    .run = do_wget,
};
