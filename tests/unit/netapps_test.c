/* The network commands end to end on the simulated wire: dhcp, tftpboot,
 * dns, pxe get / pxe boot and the distro-boot fallback, through the real
 * stack (net/) on a sim_netwire, against the simulated DHCP, TFTP and DNS
 * servers (sim/netpeer_*.c), with lost, duplicated and reordered frames and
 * hostile servers. Load addresses outside free RAM are refused before a
 * byte is written, and a file larger than its room stops at the room.
 *
 * Hosts: 10.0.0.1 (router; DHCP with silence, a NAK and rogue replies; an
 * honest TFTP and DNS), 10.0.0.11.. (one hostile TFTP or DNS server each). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "console_out.h"
#include "guest_world.h"
#include <arch/arch.h>
#include <boot/env_default.h>
#include <boot/extlinux.h>
#include <boot/image.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/crc32.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <lib/memmap.h>
#include <lib/units.h>
#include <net/net.h>
#include <sandbox/jump.h>
#include <sim/netpeer.h>
#include <sim/netpeer_apps.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define FAILED 2 /* CMD_RET_FAILURE: reported, no extra line */
#define USAGE 1

static const uint8_t guest_mac[6] = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};

enum { H_MAIN, H_BIG, H_OVERSIZE, H_STRAY, H_LIE, H_STALL, H_ERRMID, H_PLAIN, H_COUNT };

static struct {
	struct dtinfo dt;
	struct sim_netpeer *peer;
	struct sim_netwire wire;
	struct sim_dhcp_stats dhcp;
	struct sim_tftp_config tcs[H_COUNT]; /* read at each request: changeable */
	struct sim_tftp_stats tftp[H_COUNT];
	unsigned int dns_queries[H_COUNT];
} w;

static uint8_t image[3 << 20]; /* a 3 MiB "kernel", not a multiple of any block size */
#define IMAGE_SIZE (sizeof(image) - 1001)
static uint8_t small[3000];
static uint8_t kernel[64 << 10], initrd[40000];
static uint8_t big_cfg[EXTLINUX_FILE_MAX + 4096]; /* comment lines, longer than any config */

static const char pxe_cfg[] = "menu title PXE test\n"
			      "default linux\n"
			      "label linux\n"
			      "  kernel boot/Image\n"
			      "  initrd boot/initrd\n"
			      "  append console=hvc0\n"
			      "  ipappend 3\n"
			      "include pxelinux.cfg/extra\n";
static const char pxe_extra[] = "label rescue\n  kernel rescue/Image\n";
static const char pxe_self[] = "label one\n  kernel boot/Image\ninclude pxelinux.cfg/self\n";

static struct sim_tftp_file files[] = {
    {"Image", image, IMAGE_SIZE},
    {"small", small, sizeof(small)},
    {"empty", small, 0},
    {"exact", small, 1468 * 2},
    {"pxe/pxelinux.cfg/0A00", (const uint8_t *)pxe_cfg, sizeof(pxe_cfg) - 1},
    {"pxe/boot/Image", kernel, sizeof(kernel)},
    {"pxe/boot/initrd", initrd, sizeof(initrd)},
    {"pxe/pxelinux.cfg/extra", (const uint8_t *)pxe_extra, sizeof(pxe_extra) - 1},
    {"pxe/pxelinux.cfg/self", (const uint8_t *)pxe_self, sizeof(pxe_self) - 1},
    {"pxe/pxelinux.cfg/big", big_cfg, sizeof(big_cfg)},
};

static const struct sim_dns_record records[] = {
    {"boot.lan", IP4(10, 0, 0, 7), NULL},
    {"www.lan", 0, "srv.lan"},
    {"srv.lan", IP4(10, 0, 0, 8), NULL},
};

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static int runf(const char *fmt, ...)
{
	char buf[SHELL_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return run(buf);
}

static uint64_t env_hex(const char *name)
{
	assert_non_null(env_get(name));
	return strtoull(env_get(name), NULL, 16);
}

static struct sim_nethost *add_host(uint8_t last, bool is_router)
{
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, last), .is_router = is_router};
	uint8_t mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, last};

	memcpy(hc.mac, mac, 6);
	return sim_netpeer_add_host(w.peer, &hc);
}

static int add_servers(void)
{
	struct sim_nethost *h = add_host(1, true);
	struct sim_dhcp_config dc = {.offer_ip = IP4(10, 0, 0, 2),
				     .netmask = IP4(255, 255, 255, 0),
				     .router = IP4(10, 0, 0, 1),
				     .dns = IP4(10, 0, 0, 1),
				     .next_server = IP4(10, 0, 0, 1),
				     .bootfile = "pxe/pxelinux.0",
				     .ignore_discovers = 1,
				     .naks = 1,
				     .has_rogue_replies = true};
	struct sim_tftp_config tc = {.files = files, .file_count = ARRAY_SIZE(files)};
	struct sim_dns_config nc = {.records = records, .record_count = ARRAY_SIZE(records)};
	static const enum sim_tftp_hostile modes[H_COUNT] = {
	    [H_BIG] = SIM_TFTP_BIG_BLOCKS,  [H_OVERSIZE] = SIM_TFTP_OVERSIZE_DATA,
	    [H_STRAY] = SIM_TFTP_STRAY_TID, [H_LIE] = SIM_TFTP_LIE_TSIZE,
	    [H_STALL] = SIM_TFTP_STALL,	    [H_ERRMID] = SIM_TFTP_ERROR_MID};
	static const enum sim_dns_hostile dns_modes[H_COUNT] = {[H_BIG] = SIM_DNS_WRONG_ID_FIRST,
								[H_OVERSIZE] = SIM_DNS_LOOP,
								[H_STRAY] = SIM_DNS_TRUNCATED,
								[H_LIE] = SIM_DNS_SILENT};

	w.tcs[H_MAIN] = tc;
	if (!h || sim_dhcp_add(h, &dc, &w.dhcp) ||
	    sim_tftp_add(h, &w.tcs[H_MAIN], &w.tftp[H_MAIN]) ||
	    sim_dns_add(h, &nc, &w.dns_queries[H_MAIN])) {
		return -1;
	}
	for (unsigned int i = 1; i < H_COUNT; i++) {
		h = add_host((uint8_t)(10 + i), false);
		w.tcs[i] = tc;
		w.tcs[i].hostile = modes[i];
		w.tcs[i].has_no_options = i == H_PLAIN;
		nc.hostile = dns_modes[i];
		if (!h || sim_tftp_add(h, &w.tcs[i], &w.tftp[i]) ||
		    sim_dns_add(h, &nc, &w.dns_queries[i])) {
			return -1;
		}
	}
	return 0;
}

static void make_files(void)
{
	struct image_header hdr = {0};

	for (size_t i = 0; i < sizeof(image); i++) {
		image[i] = (uint8_t)((i * 2654435761u) >> 13);
	}
	for (size_t i = 0; i < sizeof(small); i++) {
		small[i] = (uint8_t)(i * 3 + 1);
	}
	for (size_t i = 0; i < sizeof(kernel); i++) {
		kernel[i] = (uint8_t)(i * 11 + 5);
	}
	for (size_t i = 0; i < sizeof(initrd); i++) {
		initrd[i] = (uint8_t)(i * 13 + 1);
	}
	for (size_t i = 0; i < sizeof(big_cfg); i++) {
		big_cfg[i] = i % 64 == 63 ? '\n' : '#';
	}
	put_le32(&hdr.code0, 0x14000010);
	put_le64(&hdr.image_size, 1 << 20);
	put_le64(&hdr.flags, 0xa);
	put_le32(&hdr.magic, IMAGE_MAGIC);
	memcpy(kernel, &hdr, sizeof(hdr));
}

static int group_setup(void **state)
{
	if (guest_world_start(NULL, &w.dt) || shinfo_map(&w.dt)) {
		return -1;
	}
	evtchn_init();
	make_files();
	w.peer = sim_netpeer_new(NULL);
	if (!w.peer || add_servers()) {
		return -1;
	}
	sim_netwire_init(&w.wire, w.peer, "eth0", guest_mac);
	return netdev_register(&w.wire.dev) || env_set_defaults();
}

static int group_teardown(void **state)
{
	netdev_unregister(&w.wire.dev);
	sim_reset();
	return 0;
}

/* Silence, a NAK and rogue replies (other xid, other MAC, an option past
 * the end, a broadcast yiaddr, an ACK for another address) are survived. */
static void test_dhcp(void **state)
{
	assert_int_equal(env_set("autoload", "no"), 0);
	assert_int_equal(run("dhcp"), 0);
	assert_out_has("Using eth0 device\n");
	assert_out_has("BOOTP broadcast 2\n");
	assert_out_has("DHCP client bound to address 10.0.0.2 (");
	assert_string_equal(env_get("ipaddr"), "10.0.0.2");
	assert_string_equal(env_get("netmask"), "255.255.255.0");
	assert_string_equal(env_get("gatewayip"), "10.0.0.1");
	assert_string_equal(env_get("dnsip"), "10.0.0.1");
	assert_string_equal(env_get("serverip"), "10.0.0.1");
	assert_string_equal(env_get("bootfile"), "pxe/pxelinux.0");
	assert_true(w.dhcp.has_pxe_class);
	assert_int_equal(w.dhcp.naks, 1);
	assert_int_equal(w.dhcp.acks, 1);
	assert_int_equal(sim_netpeer_stats(w.peer)->from_guest_bad, 0);
	/* No server answers: broadcasts at 0, 1, 3 and 7 s, then one line. */
	const struct sim_netfaults deaf = {.loss_pct = 100}, none = {0};
	uint64_t t0 = arch_time_ns();
	sim_netpeer_set_faults(w.peer, &deaf, &none);
	int rc = run("dhcp");
	sim_netpeer_set_faults(w.peer, &none, &none);
	assert_int_equal(rc, FAILED);
	assert_out_has("BOOTP broadcast 4\n");
	assert_null(strstr(out(), "BOOTP broadcast 5"));
	assert_out_has("dhcp: no lease: no answer from a DHCP server\n");
	assert_true(arch_time_ns() - t0 < 11ULL * 1000000000);
	/* Ctrl-C ends the wait. */
	sim_netpeer_set_faults(w.peer, &deaf, &none);
	t0 = arch_time_ns();
	assert_int_equal(sim_console_input("\x03", 1), 1);
	rc = run("dhcp");
	sim_netpeer_set_faults(w.peer, &none, &none);
	assert_int_equal(rc, FAILED);
	assert_out_has("dhcp: no lease: interrupted\n");
	assert_true(arch_time_ns() - t0 < 2 * NS_PER_SEC);
	assert_int_equal(run("dhcp"), 0); /* and again with the server back */
}

static void check_image(uint64_t addr)
{
	assert_int_equal(env_hex("filesize"), IMAGE_SIZE);
	assert_int_equal(env_hex("fileaddr"), addr);
	assert_memory_equal(arch_phys_to_virt(addr), image, IMAGE_SIZE);
}

/* U-Boot's lines, the variables, the data; 1468-byte blocks in windows of 16. */
static void test_tftpboot(void **state)
{
	uint64_t addr = env_hex("loadaddr");

	assert_int_equal(run("tftpboot Image"), 0);
	assert_out_has("TFTP from server 10.0.0.1; our IP address is 10.0.0.2\n");
	assert_out_has("Filename 'Image'.\n");
	assert_out_has("Loading: #");
	assert_out_has("done\n");
	char line[128];
	snprintf(line, sizeof(line), "Load address: 0x%llx\n", (unsigned long long)addr);
	assert_out_has(line);
	snprintf(line, sizeof(line), "Bytes transferred = %zu (%zx hex)\n", IMAGE_SIZE, IMAGE_SIZE);
	assert_out_has(line);
	snprintf(line, sizeof(line), "%zu bytes transferred in ", IMAGE_SIZE);
	assert_out_has(line);
	assert_out_has(" MiB/s)\n");
	check_image(addr);
	assert_int_equal(w.tftp[H_MAIN].blksize, 1468);
	assert_int_equal(w.tftp[H_MAIN].window, 16);
	assert_true(w.tftp[H_MAIN].is_done);
	/* Empty file, a file of whole blocks (an empty last block ends it). */
	assert_int_equal(runf("tftpboot %llx empty", (unsigned long long)addr + 1), 0);
	assert_int_equal(env_hex("filesize"), 0);
	assert_int_equal(runf("tftp %llx exact", (unsigned long long)addr), 0);
	assert_int_equal(env_hex("filesize"), 1468 * 2);
	/* Block size and window from the variables; server:file. */
	assert_int_equal(env_set("tftpblocksize", "512"), 0);
	assert_int_equal(env_set("tftpwindowsize", "1"), 0);
	memset(arch_phys_to_virt(addr), 0, IMAGE_SIZE);
	assert_int_equal(runf("tftpboot %llx 10.0.0.1:Image", (unsigned long long)addr), 0);
	check_image(addr);
	assert_int_equal(w.tftp[H_MAIN].blksize,
			 512); /* 6142 blocks: past 65535? no; see wrap test */
	assert_int_equal(w.tftp[H_MAIN].window, 1);
	assert_int_equal(env_set("tftpblocksize", NULL), 0);
	assert_int_equal(env_set("tftpwindowsize", NULL), 0);
	/* No such file. */
	assert_int_equal(run("tftpboot nothere"), FAILED);
	assert_out_has("TFTP error: File not found (ENOENT)\n");
	/* A bad argument: its one line, and no "failed: EINVAL" after it. */
	assert_int_equal(run("tftpboot 300.0.0.1:Image"), FAILED);
	assert_out_has("tftpboot: bad server address '300.0.0.1'\n");
	assert_null(strstr(out(), "failed"));
	assert_int_equal(env_set("autoload", "no"), 0);
	assert_int_equal(run("dhcp 300.0.0.1:Image"), FAILED);
	assert_null(strstr(out(), "failed"));
}

/* 5 % of frames lost, duplicated and reordered both ways: the file still
 * arrives whole, and the guest never sent a malformed frame. */
static void test_tftp_faults(void **state)
{
	const struct sim_netfaults f = {.loss_pct = 5, .dup_pct = 5, .reorder_pct = 5};
	const struct sim_netfaults none = {0};
	uint64_t addr = env_hex("loadaddr");

	memset(arch_phys_to_virt(addr), 0, IMAGE_SIZE);
	sim_netpeer_set_faults(w.peer, &f, &f);
	int rc = run("tftpboot Image");
	sim_netpeer_set_faults(w.peer, &none, &none);
	if (rc) {
		fail_msg("tftpboot over a bad wire failed:\n%s", out());
	}
	check_image(addr);
	assert_true(sim_netpeer_stats(w.peer)->lost > 0);
	assert_int_equal(sim_netpeer_stats(w.peer)->from_guest_bad, 0);
}

/* Hostile servers: each fails in one line, or is survived. */
static void test_tftp_hostile(void **state)
{
	uint64_t addr = env_hex("loadaddr");
	uint64_t t0;

	assert_int_equal(run("tftpboot 10.0.0.11:Image"), FAILED); /* OACK blksize too big */
	assert_out_has("TFTP error: unrequested option or value (EBADMSG)\n");
	assert_int_equal(w.tftp[H_BIG].errors_received, 1); /* we told the server */
	assert_int_equal(env_set("tftpblocksize", "1000"), 0); /* room for one byte more */
	assert_int_equal(run("tftpboot 10.0.0.12:Image"), FAILED);
	assert_out_has("block larger than negotiated");
	assert_int_equal(env_set("tftpblocksize", NULL), 0);
	memset(arch_phys_to_virt(addr), 0, IMAGE_SIZE);
	assert_int_equal(run("tftpboot 10.0.0.13:Image"), 0); /* stray-port junk ignored */
	check_image(addr);
	assert_int_equal(run("tftpboot 10.0.0.14:Image"), 0); /* tsize lies low */
	check_image(addr);
	t0 = arch_time_ns();
	assert_int_equal(run("tftpboot 10.0.0.15:Image"), FAILED); /* stalls */
	assert_out_has("TFTP error: no answer from the server (ETIMEDOUT)\n");
	assert_true(arch_time_ns() - t0 < 30ULL * 1000000000);
	/* Ctrl-C ends a transfer at once. */
	t0 = arch_time_ns();
	assert_int_equal(sim_console_input("\x03", 1), 1);
	assert_int_equal(run("tftpboot 10.0.0.15:Image"), FAILED);
	assert_out_has("TFTP error: interrupted (Ctrl-C) (EINTR)\n");
	assert_true(arch_time_ns() - t0 < NS_PER_SEC);
	assert_int_equal(run("tftpboot 10.0.0.16:Image"), FAILED);
	assert_out_has("TFTP error: disk on fire (EIO)\n");
	memset(arch_phys_to_virt(addr), 0, IMAGE_SIZE);
	assert_int_equal(run("tftpboot 10.0.0.17:Image"), 0); /* RFC 1350 only */
	check_image(addr);
	assert_int_equal(w.tftp[H_PLAIN].blksize, 512);
	/* Options refused with ERROR 8: asked again without them. */
	w.tcs[H_MAIN].has_option_error = true;
	memset(arch_phys_to_virt(addr), 0, IMAGE_SIZE);
	unsigned int errors = w.tftp[H_MAIN].errors_sent;
	assert_int_equal(run("tftpboot Image"), 0);
	w.tcs[H_MAIN].has_option_error = false;
	check_image(addr);
	assert_int_equal(w.tftp[H_MAIN].errors_sent, errors + 1);
	assert_int_equal(w.tftp[H_MAIN].blksize, 512);
}

/* The first region xenboot keeps, to aim loads at its edge. */
static const struct memmap_region *kept(void)
{
	assert_true(memmap_count() > 0);
	return memmap_at(0);
}

/* Nothing is written outside free RAM: an address inside xenboot or
 * outside RAM is refused before the request, and a file longer than the
 * room before the next region stops there, the region untouched. */
static void test_tftp_room(void **state)
{
	const struct memmap_region *r = kept();
	uint8_t before[4096];

	assert_int_equal(runf("tftpboot %llx small", (unsigned long long)r->base + 16), FAILED);
	assert_out_has("overlaps");
	assert_int_equal(run("tftpboot 0x1000 small"), FAILED);
	assert_out_has("not inside a RAM bank");
	assert_int_equal(w.tftp[H_MAIN].rrqs > 0, 1);
	unsigned int rrqs = w.tftp[H_MAIN].rrqs;
	/* 1000 bytes of room below the region: tsize 3000 refuses at once. */
	memcpy(before, arch_phys_to_virt(r->base), sizeof(before));
	assert_int_equal(runf("tftpboot %llx small", (unsigned long long)r->base - 1000), FAILED);
	assert_out_has("file too large for the load area");
	assert_int_equal(w.tftp[H_MAIN].rrqs, rrqs + 1);
	/* A server that says 1500 bytes and sends 3000: the data stops at the
	 * room (2000 bytes: one whole block fits, the second does not). */
	assert_int_equal(runf("tftpboot %llx 10.0.0.14:small", (unsigned long long)r->base - 2000),
			 FAILED);
	assert_out_has("file too large for the load area");
	assert_memory_equal(arch_phys_to_virt(r->base), before, sizeof(before));
	assert_memory_equal(arch_phys_to_virt(r->base - 2000), small, 1468);
}

static void test_dns(void **state)
{
	assert_int_equal(run("dns boot.lan"), 0);
	assert_out_has("10.0.0.7\n");
	assert_int_equal(run("dns www.lan addr"), 0); /* through a CNAME */
	assert_string_equal(env_get("addr"), "10.0.0.8");
	assert_int_equal(run("dns nowhere.lan"), FAILED);
	assert_out_has("dns: nowhere.lan: no such host\n");
	assert_int_equal(run("dns bad..name"), FAILED);
	/* Hostile servers: another id first (ignored), a pointer loop, a
	 * truncated answer, silence (bounded). */
	const struct {
		const char *ip;
		int rc;
		const char *line;
	} cases[] = {
	    {"10.0.0.11", 0, "10.0.0.7\n"},
	    {"10.0.0.12", FAILED, "bad name or reply"},
	    {"10.0.0.13", FAILED, "bad name or reply"},
	    {"10.0.0.14", FAILED, "no answer from the DNS server"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t t0 = arch_time_ns();
		assert_int_equal(env_set("dnsip", cases[i].ip), 0);
		assert_int_equal(run("dns boot.lan"), cases[i].rc);
		assert_out_has(cases[i].line);
		assert_true(arch_time_ns() - t0 < 10ULL * 1000000000);
	}
	assert_int_equal(w.dns_queries[H_LIE], 3); /* the silent one: 3 tries */
	assert_int_equal(env_set("dnsip", "10.0.0.1"), 0);
}

/* pxe get walks the names from the most specific; pxe boot loads the label
 * by TFTP below $bootfile's directory and jumps to it. */
static void test_pxe(void **state)
{
	assert_int_equal(env_set("bootfile", "pxe/pxelinux.0"), 0);
	assert_int_equal(env_set("pxeuuid", "6b1d1cbe-0b9e-4e59-a5a4-2b8fd5e8c0a1"), 0);
	assert_int_equal(run("pxe get"), 0);
	assert_int_equal(env_set("pxeuuid", NULL), 0);
	const char *order[] = {"pxe/pxelinux.cfg/6b1d1cbe-0b9e-4e59-a5a4-2b8fd5e8c0a1",
			       "pxe/pxelinux.cfg/01-00-16-3e-12-34-56",
			       "pxe/pxelinux.cfg/0A000002",
			       "pxe/pxelinux.cfg/0A00000",
			       "pxe/pxelinux.cfg/0A0000",
			       "pxe/pxelinux.cfg/0A000",
			       "pxe/pxelinux.cfg/0A00"};
	const char *at = out();
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		char want[96];
		snprintf(want, sizeof(want), "Retrieving file: %s\n", order[i]);
		at = strstr(at, want);
		if (!at) {
			fail_msg("no \"%s\" in order:\n%s", want, out());
		}
	}
	assert_out_has("Config file 'pxelinux.cfg/0A00' found\n");
	assert_null(strstr(out(), "pxelinux.cfg/default"));
	sandbox_jump_reset();
	if (run("pxe boot")) {
		fail_msg("pxe boot failed:\n%s", out());
	}
	assert_out_has("Retrieving file: /pxe/boot/Image\n");
	assert_out_has("Filename 'pxe/boot/initrd'.\n");
	assert_out_has("## sandbox: jump to the kernel recorded");
	const struct sandbox_jump *j = sandbox_jump_last();
	assert_int_equal(j->count, 1);
	assert_memory_equal(arch_phys_to_virt(j->entry), kernel, sizeof(kernel));
	/* ipappend 3: ip=<ip>:<server>:<gateway>:<netmask> and BOOTIF. */
	assert_string_equal(env_get("bootargs"),
			    "console=hvc0 ip=10.0.0.2:10.0.0.1:10.0.0.1:255.255.255.0 "
			    "BOOTIF=01-00-16-3e-12-34-56");
	assert_int_equal(run("pxe boot -p"), 0);
	assert_out_has("kernel /pxe/boot/Image");
	assert_out_has("Retrieving file: /pxe/pxelinux.cfg/extra\n"); /* an include, by TFTP */
	assert_out_has("2:\trescue\n\tkernel /pxe/rescue/Image\n");
	/* pxe boot <addr>: an include lands after that config, not after
	 * $pxefile_addr_r, where it overwrote this one while it was parsed. */
	static const char cfg[] = "include pxelinux.cfg/extra\nlabel after\n  kernel boot/Image\n";
	uint64_t cfg_at = env_hex("pxefile_addr_r") + EXTLINUX_FILE_MAX;
	memcpy(arch_phys_to_virt(cfg_at), cfg, sizeof(cfg));
	assert_int_equal(runf("pxe boot -p %llx", (unsigned long long)cfg_at), 0);
	assert_out_has("1:\trescue\n");
	assert_out_has("2:\tafter\n\tkernel /pxe/boot/Image\n");
	/* A config that includes itself: refused after one fetch of itself
	 * (pxe boot does not know the name pxe get found), nothing booted. */
	unsigned int rrqs = w.tftp[H_MAIN].rrqs;
	sandbox_jump_reset();
	memcpy(arch_phys_to_virt(cfg_at), pxe_self, sizeof(pxe_self));
	assert_int_equal(runf("pxe boot %llx", (unsigned long long)cfg_at), FAILED);
	assert_out_has("include loop");
	assert_int_equal(w.tftp[H_MAIN].rrqs - rrqs, 1);
	assert_int_equal(sandbox_jump_last()->count, 0);
	/* "initrd /" names no file: refused, not $bootfile loaded as the initrd. */
	static const char root[] = "label a\n  kernel boot/Image\n  initrd /\n";
	memcpy(arch_phys_to_virt(cfg_at), root, sizeof(root));
	assert_int_equal(runf("pxe boot %llx", (unsigned long long)cfg_at), FAILED);
	assert_out_has("pxe: no file name\n");
	assert_null(strstr(out(), "Filename 'pxe/pxelinux.0'"));
	assert_int_equal(sandbox_jump_last()->count, 0);
	assert_int_equal(run("pxe"), USAGE);
	assert_int_equal(run("pxe put"), USAGE);
}

/* Counts "Retrieving file: " lines in the output. */
static unsigned int retrievals(void)
{
	unsigned int n = 0;

	for (const char *at = out(); (at = strstr(at, "Retrieving file: ")); at++) {
		n++;
	}
	return n;
}

/* pxe get stops at Ctrl-C, and at a server that does not answer (the next
 * name would wait as long): it used to go on through every name, so a
 * Ctrl-C only skipped one and a silent server cost 10 timeouts of 11 s. */
static void test_pxe_get_stops(void **state)
{
	assert_int_equal(env_set("bootfile", "pxe/pxelinux.0"), 0);
	assert_int_equal(sim_console_input("\x03", 1), 1);
	assert_int_equal(run("pxe get"), FAILED);
	assert_out_has("TFTP error: interrupted (Ctrl-C) (EINTR)\n");
	assert_int_equal(retrievals(), 1);
	assert_null(strstr(out(), "Config file"));

	uint64_t t0 = arch_time_ns();
	unsigned int rrqs = w.tftp[H_STALL].rrqs;
	w.tcs[H_STALL].hostile = SIM_TFTP_SILENT;
	assert_int_equal(env_set("serverip", "10.0.0.15"), 0);
	int rc = run("pxe get");
	assert_int_equal(env_set("serverip", "10.0.0.1"), 0);
	w.tcs[H_STALL].hostile = SIM_TFTP_STALL;
	assert_int_equal(rc, FAILED);
	assert_out_has("TFTP error: no answer from the server (ETIMEDOUT)\n");
	assert_int_equal(retrievals(), 1);
	assert_int_equal(w.tftp[H_STALL].rrqs - rrqs, 11); /* the RRQ and 10 resends */
	assert_true(arch_time_ns() - t0 < 15 * NS_PER_SEC);

	/* A config longer than the parser reads is refused at its tsize, not
	 * streamed into RAM past $pxefile_addr_r's slot; the next name is tried. */
	unsigned int sent = w.tftp[H_MAIN].data_sent;
	assert_int_equal(env_set("pxeuuid", "big"), 0);
	rc = run("pxe get");
	assert_int_equal(env_set("pxeuuid", NULL), 0);
	assert_int_equal(rc, 0);
	assert_out_has("Filename 'pxe/pxelinux.cfg/big'.\n");
	assert_out_has("TFTP error: file too large for the load area (EFBIG)\n");
	assert_out_has("Config file 'pxelinux.cfg/0A00' found\n");
	assert_true(w.tftp[H_MAIN].data_sent - sent < 10);

	/* Without an address: one line, not one per name. */
	assert_int_equal(env_set("ipaddr", NULL), 0);
	rc = run("pxe get");
	assert_int_equal(env_set("ipaddr", "10.0.0.2"), 0);
	assert_int_equal(rc, FAILED);
	assert_int_equal(retrievals(), 1);
}

/* Ctrl-C while a label loads ends pxe boot: the other labels are not tried
 * (they were, and the second one booted). */
static void test_pxe_boot_ctrl_c(void **state)
{
	static const char cfg[] = "label one\n  kernel boot/Image\n"
				  "label two\n  kernel boot/Image\n";
	uint64_t addr = env_hex("pxefile_addr_r");

	assert_int_equal(env_set("bootfile", "pxe/pxelinux.0"), 0);
	memcpy(arch_phys_to_virt(addr), cfg, sizeof(cfg));
	sandbox_jump_reset();
	assert_int_equal(sim_console_input("\x03", 1), 1);
	assert_int_equal(run("pxe boot"), FAILED);
	assert_out_has("TFTP error: interrupted (Ctrl-C) (EINTR)\n");
	assert_null(strstr(out(), "2:\ttwo\n"));
	assert_int_equal(sandbox_jump_last()->count, 0);
}

/* A vif and no DHCP server: the network targets fall through after the two
 * DHCP timeouts (10 s each; U-Boot's distro targets also run dhcp twice),
 * plus one TFTP timeout with a stale $ipaddr (saved after an earlier dhcp);
 * pxe get asks for one name at most. */
static void test_fallback_no_dhcp(void **state)
{
	const struct sim_netfaults deaf = {.loss_pct = 100}, none = {0};

	for (int has_ip = 0; has_ip < 2; has_ip++) {
		assert_int_equal(env_set("ipaddr", has_ip ? "10.0.0.2" : NULL), 0);
		sim_netpeer_set_faults(w.peer, &deaf, &none);
		uint64_t t0 = arch_time_ns();
		int rc = run("distroboot");
		uint64_t took = arch_time_ns() - t0;
		sim_netpeer_set_faults(w.peer, &none, &none);
		print_message("no DHCP server, ipaddr %s: %llu ms\n", has_ip ? "set" : "unset",
			      (unsigned long long)(took / NS_PER_MS));
		assert_int_not_equal(rc, 0);
		assert_true(retrievals() <= 1);
		/* 2 x 10 s of DHCP, and with an address one TFTP timeout (11 s):
		 * 130 s when pxe get waited for every name. */
		assert_true(took < (has_ip ? 35 : 25) * NS_PER_SEC);
	}
	assert_int_equal(env_set("ipaddr", "10.0.0.2"), 0);
}

/* No disk boots: the scan falls back to the network (dhcp, pxe get, pxe boot). */
static void test_fallback(void **state)
{
	assert_string_equal(env_get("boot_targets"), "pxe dhcp");
	assert_int_equal(env_set("autoload", NULL), 0);
	sandbox_jump_reset();
	int rc = run("distroboot");
	if (rc) {
		fail_msg("distroboot did not boot from the network:\n%s", out());
	}
	assert_out_has("DHCP client bound to address 10.0.0.2");
	assert_out_has("Config file 'pxelinux.cfg/0A00' found\n");
	assert_int_equal(sandbox_jump_last()->count, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dhcp),
	    cmocka_unit_test(test_tftpboot),
	    cmocka_unit_test(test_tftp_faults),
	    cmocka_unit_test(test_tftp_hostile),
	    cmocka_unit_test(test_tftp_room),
	    cmocka_unit_test(test_dns),
	    cmocka_unit_test(test_pxe),
	    cmocka_unit_test(test_pxe_get_stops),
	    cmocka_unit_test(test_pxe_boot_ctrl_c),
	    cmocka_unit_test(test_fallback_no_dhcp),
	    cmocka_unit_test(test_fallback),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
