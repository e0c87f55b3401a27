/* The world of the network command tests, netapps_test.c (dhcp, tftpboot,
 * dns) and netapps_pxe_test.c (pxe get / pxe boot, the distro-boot
 * fallback): the commands end to end on the simulated wire, through the real
 * stack (net/) on a sim_netwire, against the simulated DHCP, TFTP and DNS
 * servers (sim/netpeer_*.c), with lost, duplicated and reordered frames and
 * hostile servers. Load addresses outside free RAM are refused before a
 * byte is written, and a file larger than its room stops at the room.
 *
 * Hosts: 10.0.0.1 (router; DHCP with silence, a NAK and rogue replies; an
 * honest TFTP and DNS), 10.0.0.11.. (one hostile TFTP or DNS server each). */
#ifndef TESTS_UNIT_NETAPPS_WORLD_H
#define TESTS_UNIT_NETAPPS_WORLD_H

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

static inline int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static inline int runf(const char *fmt, ...)
{
	char buf[SHELL_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return run(buf);
}

static inline uint64_t env_hex(const char *name)
{
	assert_non_null(env_get(name));
	return strtoull(env_get(name), NULL, 16);
}

static inline struct sim_nethost *add_host(uint8_t last, bool is_router)
{
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, last), .is_router = is_router};
	uint8_t mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, last};

	memcpy(hc.mac, mac, 6);
	return sim_netpeer_add_host(w.peer, &hc);
}

static inline int add_servers(void)
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

static inline void make_files(void)
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

static inline int world_setup(void **state)
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

static inline int world_teardown(void **state)
{
	netdev_unregister(&w.wire.dev);
	sim_reset();
	return 0;
}

#endif
