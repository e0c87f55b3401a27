/* HTTP over TCP over the real netfront and sim/netback, to the simulated
 * HTTP server on sim/netpeer: the lab's whole path in the sandbox, a 2 MiB
 * file checked byte for byte, on a clean wire and a lossy one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include <arch/arch.h>
#include <drivers/netfront.h>
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <lib/units.h>
#include <net/http.h>
#include <net/net.h>
#include <net/tcp.h>
#include <sim/netback.h>
#include <sim/netpeer.h>
#include <sim/netpeer_tcp.h>
#include <stdlib.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct dtinfo dt;
static struct sim_netpeer *peer;
static struct sim_netback *nb;
static struct net_stack ns;
static struct sim_tcp_server *srv;

#define FILE_LEN (2u << 20)
static uint8_t *file_data, *dst;
static struct sim_http_file files[] = {{.path = "/big.bin"}};

static int setup_with(const struct sim_netpeer_config *pc, const struct sim_tcp_server_config *sc)
{
	struct sim_netpeer_config peer_cfg = *pc;
	struct sim_tcp_server_config srv_cfg = *sc;

	uint64_t size;
	struct sim_netback_config cfg = {.mac = {0x00, 0x16, 0x3e, 1, 2, 3}};
	struct sim_nethost_config hc = {.ip = IP4(10, 0, 0, 1), .mac = {0x52, 0x54, 0, 0, 0, 1}};

	if (sim_init(NULL)) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt)) {
		return -1;
	}
	dtinfo_set(&dt);
	memmap_reset();
	if (pvcons_init_from_hvm() || guest_world_xen(&dt)) {
		return -1;
	}
	peer = sim_netpeer_new(&peer_cfg);
	struct sim_nethost *h = sim_netpeer_add_host(peer, &hc);
	srv_cfg.files = files;
	srv_cfg.file_count = 1;
	srv = sim_tcp_server_add(h, &srv_cfg);
	if (!srv) {
		return -1;
	}
	nb = sim_netback_add(&cfg);
	sim_netpeer_attach_netback(peer, nb);
	if (netfront_probe_all() != 1 || net_start(&ns, netdev_find("eth0"))) {
		return -1;
	}
	ns.ip = IP4(10, 0, 0, 2);
	ns.netmask = IP4(255, 255, 255, 0);
	return 0;
}

static int teardown(void **state)
{
	unsigned int reset, failed;

	int rc = netfront_shutdown_report(&reset, &failed);

	(void)rc;
	guest_world_stop();
	return 0;
}

static int setup_clean(void **state)
{
	static const struct sim_netpeer_config pc = {0};
	static const struct sim_tcp_server_config sc = {.max_flight = 256 << 10};

	return setup_with(&pc, &sc);
}

static int setup_lossy(void **state)
{
	static const struct sim_netpeer_config pc = {
	    .seed = 5,
	    .to_guest = {.loss_pct = 2, .dup_pct = 2, .reorder_pct = 5},
	    .from_guest = {.loss_pct = 2},
	};
	static const struct sim_tcp_server_config sc = {0};

	return setup_with(&pc, &sc);
}

static void test_get(void **state)
{
	struct sim_http_file *f = &files[0];
	size_t len;

	f->data = file_data;
	f->len = FILE_LEN;
	memset(dst, 0xee, FILE_LEN + 1);
	assert_int_equal(http_get(&ns, "http://10.0.0.1/big.bin", dst, FILE_LEN, &len), 0);
	assert_int_equal(len, FILE_LEN);
	assert_memory_equal(dst, file_data, FILE_LEN);
	assert_int_equal(dst[FILE_LEN], 0xee);
	assert_null(ns.tcp_conns);
	assert_int_equal(sim_netpeer_stats(peer)->from_guest_bad, 0);
	assert_int_equal(sim_tcp_server_stats(srv)->bad_sacks, 0);
	assert_int_equal(sim_tcp_server_stats(srv)->closed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_get, setup_clean, teardown),
	    cmocka_unit_test_setup_teardown(test_get, setup_lossy, teardown),
	};
	uint32_t x = 99;
	int rc;

	file_data = malloc(FILE_LEN);
	dst = malloc(FILE_LEN + 1);
	for (size_t i = 0; i < FILE_LEN; i++) {
		x = x * 1103515245 + 12345;
		file_data[i] = (uint8_t)(x >> 16);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(file_data);
	free(dst);
	return rc;
}
