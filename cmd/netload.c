/* Network loads shared by dhcp, tftpboot and pxe (include/cmd/netload.h). */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <cmd/netload.h>
#include <fs/fsload.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <net/net.h>
#include <string.h>

#define ROOM_LIMIT (1ULL << 40) /* larger than any guest bank */

static int env_hex(const char *who, const char *name, uint64_t *out)
{
	const char *v = env_get(name);

	if (!v || cmd_parse_num(v, out)) {
		xb_printf("%s: $%s is %s\n", who, name, v ? "not a number" : "not set");
		return -EINVAL;
	}
	return 0;
}

static int take_file(const char *who, const char *arg, struct netload_args *a)
{
	const char *colon = strchr(arg, ':');
	char ip[16];

	if (colon && (size_t)(colon - arg) < sizeof(ip)) {
		memcpy(ip, arg, (size_t)(colon - arg));
		ip[colon - arg] = '\0';
		if (net_ip_parse(ip, &a->server)) {
			xb_printf("%s: bad server address '%pE'\n", who, ip);
			return -EINVAL;
		}
		arg = colon + 1;
	}
	if (strlen(arg) >= sizeof(a->file)) {
		xb_printf("%s: file name too long\n", who);
		return -EINVAL;
	}
	strcpy(a->file, arg);
	return 0;
}

int netload_parse_args(const char *who, int argc, char *argv[], struct netload_args *a)
{
	memset(a, 0, sizeof(*a));
	if (argc > 3) {
		return CMD_RET_USAGE;
	}
	if (argc == 3 || (argc == 2 && cmd_parse_num(argv[1], &a->addr) == 0)) {
		if (cmd_parse_num(argv[1], &a->addr)) {
			return CMD_RET_USAGE;
		}
		a->has_addr = true;
	}
	if (argc >= 2 && !(argc == 2 && a->has_addr)) {
		int rc = take_file(who, argv[argc - 1], a);
		if (rc) {
			return rc;
		}
	}
	return a->has_addr ? 0 : env_hex(who, "loadaddr", &a->addr);
}

int netload_start(int argc, char *argv[], struct netload_args *a, struct net_stack **ns)
{
	int rc = netload_parse_args(argv[0], argc, argv, a);

	if (rc) {
		return rc == CMD_RET_USAGE ? rc : CMD_RET_FAILURE; /* the line is printed */
	}
	*ns = NULL;
	/* -EINVAL: a malformed address variable, reported and read as 0. */
	rc = net_acquire(ns);
	return *ns ? 0 : CMD_RET_FAILURE;
}

int netload_room(const char *who, uint64_t addr, uint64_t *room)
{
	uint64_t lo = 0, hi = ROOM_LIMIT;

	if (fsload_check(who, addr, 1)) {
		return -EFAULT;
	}
	/* Writable lengths at @addr are 1..room: search for the largest. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (addr + mid < addr || fsload_check(NULL, addr, mid)) {
			hi = mid - 1;
		} else {
			lo = mid;
		}
	}
	*room = lo;
	return 0;
}

void netload_tftp_opts(struct tftp_opts *o)
{
	const char *bs = env_get("tftpblocksize"), *ws = env_get("tftpwindowsize");
	uint64_t v;

	*o = (struct tftp_opts){
	    .blksize = TFTP_BLKSIZE_MAX, .window = TFTP_WINDOW_DEFAULT, .has_progress = true};
	if (bs && parse_u64(bs, 10, &v) == 0 && v >= 8 && v <= TFTP_BLKSIZE_MAX) {
		o->blksize = (uint16_t)v;
	}
	if (ws && parse_u64(ws, 10, &v) == 0 && v >= 1 && v <= TFTP_WINDOW_MAX) {
		o->window = (uint16_t)v;
	}
}

/* U-Boot's lines before a transfer. */
static void announce(struct net_stack *ns, uint32_t server, const char *file, uint64_t addr)
{
	char s[16], me[16], gw[16];

	xb_printf("TFTP from server %s; our IP address is %s", net_ip_format(server, s),
		  net_ip_format(ns->ip, me));
	if (ns->netmask && ns->gateway && (server & ns->netmask) != (ns->ip & ns->netmask)) {
		xb_printf("; sending through gateway %s", net_ip_format(ns->gateway, gw));
	}
	xb_printf("\nFilename '%pE'.\nLoad address: 0x%llx\n", file, (unsigned long long)addr);
}

static int pick_file(struct net_stack *ns, const char *file, char *out, size_t size)
{
	const char *bf = env_get("bootfile");

	if (file[0]) {
		xb_snprintf(out, size, "%s", file);
	} else if (bf && bf[0]) {
		xb_snprintf(out, size, "%s", bf);
	} else {
		xb_snprintf(out, size, "%08X.img", ns->ip);
		xb_printf("*** Warning: no boot file name; using '%s'\n", out);
	}
	return strlen(out) + 1 < size ? 0 : -ENAMETOOLONG;
}

int netload_tftp(struct net_stack *ns, uint32_t server, const char *file, uint64_t addr,
		 uint64_t max, uint64_t *size)
{
	char name[TFTP_NAME_MAX];
	struct tftp_opts o;
	uint64_t room, len, t0;
	int rc;

	server = server ? server : ns->server;
	if (!ns->ip || !server) {
		xb_printf("*** ERROR: `%s' not set\n", ns->ip ? "serverip" : "ipaddr");
		return -EINVAL;
	}
	if (pick_file(ns, file, name, sizeof(name)) || netload_room("tftp", addr, &room)) {
		return -EINVAL;
	}
	room = max ? MIN(room, max) : room;
	announce(ns, server, name, addr);
	netload_tftp_opts(&o);
	t0 = arch_time_ns();
	rc = tftp_get(ns, server, name, arch_phys_to_virt(addr), room, &len, &o);
	if (size) {
		*size = len;
	}
	if (rc) {
		return rc;
	}
	uint64_t ns_taken = arch_time_ns() - t0;
	xb_printf("Bytes transferred = %llu (%llx hex)\n", (unsigned long long)len,
		  (unsigned long long)len);
	xb_printf("%llu bytes transferred", (unsigned long long)len);
	fsload_print_rate(len, ns_taken);
	if (env_set_u64("fileaddr", addr) || env_set_u64("filesize", len)) {
		return -ENOMEM;
	}
	return 0;
}
