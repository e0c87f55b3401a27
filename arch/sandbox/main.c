/* build/sandbox/xenboot: xenboot on the host, inside the simulated Xen,
 * with the PV console on this terminal. Time is real here (the unit tests
 * use simulated time), so timeouts feel as they would on Xen.
 *
 *   xenboot [-m SIZE] [-2] [-b BOOTARGS] [-n] [-d FILE[,ro][,4k]]...
 *     -m SIZE   RAM of bank 0 (default 256M)
 *     -2        add a second bank of 64M at 0x200000000
 *     -b ARGS   /chosen/bootargs
 *     -n        no /hypervisor node in the DT
 *     -d FILE   attach image FILE as the next PV disk (xvda, xvdb, ...), served
 *               by the simulated blkback; writes go to the file. Options:
 *               ro (read-only disk), 4k (4096-byte logical sectors),
 *               nodata (a broken backend: reads are answered OKAY but move
 *               nothing; the bench's self-test needs one).
 *     -N        a vif (MAC 00:16:3e:00:00:01) on a simulated LAN where host
 *               10.0.0.1 answers ARP and ping (sim/netpeer.c), offers
 *               10.0.0.2 by DHCP, resolves xenboot.test by DNS, serves
 *               test.bin (1 MiB) by TFTP (sim/netpeer_{dhcp,dns,tftp}.c)
 *               and by HTTP with /hello.txt and an 8 MiB /big.bin
 *               (sim/netpeer_tcp.c) */
#include <init/main.h>
#include <sandbox/os.h>
#include <sim/blkback.h>
#include <sim/console.h>
#include <sim/netback.h>
#include <sim/netpeer.h>
#include <sim/netpeer_apps.h>
#include <sim/netpeer_tcp.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>

/* After standard input ends, give the guest this long to finish. */
#define EOF_GRACE_NS 300000000ULL
/* As many as the frontend takes (BLKFRONT_MAX_DEVICES). */
#define MAX_DISKS 4
/* virtual-device of xvda; xvdb is 16 higher (xen-vbd-interface(7)). */
#define XVDA_VDEV 51712u
#define PATH_MAX_LEN 4096

static const char *disk_specs[MAX_DISKS];
static unsigned int disk_count;
static bool has_net;

static int is_stdin_eof;
static uint64_t eof_idle_ns;

/* A backend that moves keystrokes from the terminal into the console. */
static int stdin_step(void *ctx)
{
	char buf[256];
	long n;

	(void)ctx;
	if (is_stdin_eof || sim_console_pending_input()) {
		return 0;
	}
	n = host_read_in(buf, sizeof(buf), 0);
	if (n < 0) {
		is_stdin_eof = 1;
		return 0;
	}
	sim_console_input(buf, (size_t)n);
	return n > 0;
}

static const struct sim_backend_ops stdin_ops = {.name = "stdin", .step = stdin_step};

/* Nothing to do: block on the terminal instead of spinning. */
static void host_idle(uint64_t ns)
{
	char buf[256];

	if (is_stdin_eof) {
		eof_idle_ns += ns;
		if (eof_idle_ns > EOF_GRACE_NS && !sim_console_pending_input()) {
			host_exit(0);
		}
		host_sleep_ns(ns);
		return;
	}
	long n = host_read_in(buf, sizeof(buf), ns);
	if (n < 0) {
		is_stdin_eof = 1;
	} else if (n > 0) {
		sim_console_input(buf, (size_t)n);
	}
}

static void on_shutdown(unsigned int reason, void *ctx)
{
	static const char *const names[] = {"poweroff", "reboot", "suspend", "crash", "watchdog"};

	(void)ctx;
	host_print_err("\nsandbox: guest shut down (%s)\n",
		       reason < ARRAY_SIZE(names) ? names[reason] : "unknown");
	host_exit(reason == 0 ? 0 : 10 + (int)reason);
}

/* The options after FILE in "FILE[,ro][,4k]"; -1 on an unknown one. */
static int parse_disk_options(const char *opt, struct sim_blkback_config *bb)
{
	while (opt) {
		const char *next = strchr(opt + 1, ',');
		size_t len = next ? (size_t)(next - opt - 1) : strlen(opt + 1);
		if (len == 2 && !strncmp(opt + 1, "ro", 2)) {
			bb->is_read_only = true;
		} else if (len == 2 && !strncmp(opt + 1, "4k", 2)) {
			bb->sector_size = 4096;
		} else if (len == 6 && !strncmp(opt + 1, "nodata", 6)) {
			bb->is_dataless = true;
		} else {
			return -1;
		}
		opt = next;
	}
	return 0;
}

/* Attach -d @spec as disk @index, with what Linux blkback offers by default. */
static int attach_disk(const char *spec, unsigned int index)
{
	struct sim_blkback_config bb = {
	    .vdev = XVDA_VDEV + 16 * index,
	    .sector_size = 512,
	    .max_ring_order = 4,
	    .max_indirect_segs = 256,
	    .has_persistent = true,
	    .has_flush = true,
	};
	const char *opt = strchr(spec, ',');
	size_t len = opt ? (size_t)(opt - spec) : strlen(spec);
	char path[PATH_MAX_LEN];
	uint64_t size;

	if (!len || len >= sizeof(path) || parse_disk_options(opt, &bb)) {
		host_print_err("sandbox: -d %s: want FILE[,ro][,4k][,nodata]\n", spec);
		return -1;
	}
	memcpy(path, spec, len);
	path[len] = '\0';
	if (host_file_map(path, bb.is_read_only, &bb.image, &size)) {
		return -1;
	}
	/* The disk is whole sectors; a ragged tail is left out, as losetup would. */
	bb.image_size = size - size % bb.sector_size;
	if (!bb.image_size) {
		host_print_err("sandbox: %s: smaller than one sector\n", path);
		return -1;
	}
	if (!sim_blkback_add(&bb)) {
		host_print_err("sandbox: %s: cannot add the simulated blkback\n", path);
		return -1;
	}
	return 0;
}

/* What -N's host serves by HTTP too: a line and 8 MiB of a pattern. */
static uint8_t http_big[8 << 20];

/* -N's services on 10.0.0.1: enough for dhcp, dns, tftpboot and wget by hand. */
static int add_net_services(struct sim_nethost *h)
{
	static uint8_t test_bin[1 << 20];
	static struct sim_http_file http_files[] = {
	    {.path = "/test.bin", .data = test_bin, .len = sizeof(test_bin)},
	    {.path = "/hello.txt", .data = "hello over http\n", .len = 16},
	    {.path = "/big.bin", .data = http_big, .len = sizeof(http_big)},
	};
	const struct sim_tcp_server_config http = {.files = http_files, .file_count = 3};
	static const struct sim_tftp_file file = {"test.bin", test_bin, sizeof(test_bin)};
	static const struct sim_tftp_config tftp = {.files = &file, .file_count = 1};
	static const struct sim_dns_record rec = {"xenboot.test", 0x0a000001, NULL};
	const struct sim_dns_config dns = {.records = &rec, .record_count = 1};
	const struct sim_dhcp_config dhcp = {.offer_ip = 0x0a000002,
					     .netmask = 0xffffff00,
					     .router = 0x0a000001,
					     .dns = 0x0a000001,
					     .next_server = 0x0a000001,
					     .bootfile = "test.bin"};

	for (size_t i = 0; i < sizeof(test_bin); i++) {
		test_bin[i] = (uint8_t)(i * 7);
	}
	for (size_t i = 0; i < sizeof(http_big); i++) {
		http_big[i] = (uint8_t)(i * 31 + (i >> 12));
	}
	return sim_dhcp_add(h, &dhcp, NULL) || sim_dns_add(h, &dns, NULL) ||
	       sim_tftp_add(h, &tftp, NULL) || !sim_tcp_server_add(h, &http);
}

/* -N: one vif through sim/netback to a peer with host 10.0.0.1. */
static int attach_net(void)
{
	struct sim_netback_config vif = {.mac = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x01}};
	struct sim_nethost_config host = {
	    .mac = {0x52, 0x54, 0x00, 0x00, 0x00, 0x01}, .ip = 0x0a000001, .is_router = true};
	struct sim_netpeer *peer = sim_netpeer_new(NULL);
	struct sim_netback *nb = sim_netback_add(&vif);
	struct sim_nethost *h = nb ? sim_netpeer_add_host(peer, &host) : NULL;

	if (!h || add_net_services(h)) {
		host_print_err("sandbox: cannot add the simulated network\n");
		return -1;
	}
	sim_netpeer_attach_netback(peer, nb);
	return 0;
}

static int parse_args(int argc, char **argv, struct sim_config *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-m") && v && host_parse_size(v)) {
			cfg->banks[0].size = host_parse_size(v);
			i++;
		} else if (!strcmp(a, "-2")) {
			cfg->bank_count = 2;
			cfg->banks[1].base = SIM_RAM1_BASE;
			cfg->banks[1].size = 64ULL << 20;
		} else if (!strcmp(a, "-b") && v) {
			cfg->bootargs = v;
			i++;
		} else if (!strcmp(a, "-n")) {
			cfg->dt_mode = SIM_DT_NO_HYPERVISOR;
		} else if (!strcmp(a, "-N")) {
			has_net = true;
		} else if (!strcmp(a, "-d") && v && disk_count < MAX_DISKS) {
			disk_specs[disk_count++] = v;
			i++;
		} else {
			host_print_err("usage: %s [-m SIZE] [-2] [-b BOOTARGS] [-n] "
				       "[-d FILE[,ro][,4k][,nodata]] [-N] (up to %u -d)\n",
				       argv[0], MAX_DISKS);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_config cfg = {
	    .bank_count = 1,
	    .banks = {{SIM_RAM0_BASE, 256ULL << 20}},
	    .host_time_ns = host_time_ns,
	    .host_idle = host_idle,
	};
	uint64_t size;

	if (parse_args(argc, argv, &cfg)) {
		return 2;
	}
	if (sim_init(&cfg)) {
		host_print_err("sandbox: cannot set up the simulated Xen\n");
		return 1;
	}
	if (sim_xs_start()) {
		host_print_err("sandbox: cannot start the simulated xenstored\n");
		return 1;
	}
	for (unsigned int i = 0; i < disk_count; i++) {
		if (attach_disk(disk_specs[i], i)) {
			return 1;
		}
	}
	if (has_net && attach_net()) {
		return 1;
	}
	sim_set_shutdown_hook(on_shutdown, NULL);
	sim_console_set_sink(host_write_out);
	if (sim_backend_add(&stdin_ops, NULL)) {
		return 1;
	}
	host_term_raw();
	const void *fdt = sim_fdt(&size);
	xenboot_main(fdt, size);
}
