/* dhcp and tftpboot over the whole path the lab uses: the real netfront and
 * sim/netback (copy mode) wired to sim/netpeer with the DHCP and TFTP
 * servers, an 8 MiB file in windows of 16 blocks filling netfront's RX
 * ring, then again with lost, duplicated and reordered frames. The data
 * must arrive whole and every frame the guest sent must be well formed. */
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
#include <cmd/shell.h>
#include <drivers/netfront.h>
#include <lib/console.h>
#include <lib/env.h>
#include <net/net.h>
#include <sim/netback.h>
#include <sim/netpeer.h>
#include <sim/netpeer_apps.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define FILE_SIZE ((8u << 20) - 777)

static struct dtinfo dt;
static struct sim_netpeer *peer;
static struct sim_netback *nb;
static uint8_t *data;
static struct sim_tftp_file file;
static struct sim_tftp_config tftp_cfg;
static struct sim_tftp_stats tftp_stats;

static int add_servers(void)
{
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, 1), .mac = {0x52, 0x54, 0, 0, 0, 1}};
	struct sim_dhcp_config dc = {.offer_ip = IP4(10, 0, 0, 2),
				     .netmask = IP4(255, 255, 255, 0),
				     .router = IP4(10, 0, 0, 1),
				     .next_server = IP4(10, 0, 0, 1),
				     .bootfile = "Image"};
	struct sim_nethost *h = sim_netpeer_add_host(peer, &hc);

	data = malloc(FILE_SIZE);
	if (!h || !data) {
		return -1;
	}
	for (size_t i = 0; i < FILE_SIZE; i++) {
		data[i] = (uint8_t)((i * 2654435761u) >> 11);
	}
	file = (struct sim_tftp_file){"Image", data, FILE_SIZE};
	tftp_cfg = (struct sim_tftp_config){.files = &file, .file_count = 1};
	return sim_dhcp_add(h, &dc, NULL) || sim_tftp_add(h, &tftp_cfg, &tftp_stats);
}

static int setup(void **state)
{
	struct sim_netback_config cfg = {.mac = {0x00, 0x16, 0x3e, 1, 2, 3}};

	if (guest_world_start(NULL, &dt) || guest_world_xen(&dt)) {
		return -1;
	}
	peer = sim_netpeer_new(NULL);
	if (!peer || add_servers()) {
		return -1;
	}
	nb = sim_netback_add(&cfg);
	sim_netpeer_attach_netback(peer, nb);
	if (netfront_probe_all() != 1 || env_set_defaults()) {
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	unsigned int reset, failed;

	int rc = netfront_shutdown_report(&reset, &failed);

	(void)rc;
	guest_world_stop();
	free(data);
	return 0;
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static void check_loaded(void)
{
	uint64_t addr = strtoull(env_get("fileaddr"), NULL, 16);

	assert_int_equal(strtoull(env_get("filesize"), NULL, 16), FILE_SIZE);
	assert_memory_equal(arch_phys_to_virt(addr), data, FILE_SIZE);
	assert_int_equal(sim_netpeer_stats(peer)->from_guest_bad, 0);
}

static void test_dhcp_autoload(void **state)
{
	int rc = run("dhcp");

	if (rc) {
		fail_msg("dhcp over netfront failed:\n%s", out());
	}
	assert_out_has("DHCP client bound to address 10.0.0.2");
	assert_out_has("Filename 'Image'.\n");
	check_loaded();
	assert_int_equal(tftp_stats.window, 16);
	assert_int_equal(tftp_stats.blksize, 1468);
	assert_int_equal(tftp_stats.resends, 0); /* a clean wire: no timeout */
}

static void test_bad_wire(void **state)
{
	const struct sim_netfaults f = {.loss_pct = 2, .dup_pct = 2, .reorder_pct = 2};
	const struct sim_netfaults none = {0};

	assert_int_equal(run("dhcp"), 0);
	memset(arch_phys_to_virt(strtoull(env_get("fileaddr"), NULL, 16)), 0, FILE_SIZE);
	sim_netpeer_set_faults(peer, &f, &f);
	int rc = run("tftpboot Image");
	sim_netpeer_set_faults(peer, &none, &none);
	if (rc) {
		fail_msg("tftpboot over a bad wire failed:\n%s", out());
	}
	check_loaded();
	assert_true(sim_netpeer_stats(peer)->lost > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_dhcp_autoload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_wire, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
