/* The wget command on a registered sim_netwire with the simulated HTTP
 * server: U-Boot's syntax and variables, the bytes in guest RAM, the
 * messages, and loads refused before and after the transfer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "console_out.h"
#include "net_world.h"
#include <cmd/shell.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/memmap.h>
#include <lib/units.h>
#include <sim/netpeer_tcp.h>
#include <stdlib.h>

/* Guest RAM is 0x40000000..0x50000000; xenboot and the DT end near 0x48010000. */
#define LOAD_GPA 0x49000000ULL
#define FILE_LEN 300000

static struct dtinfo dt;
static uint8_t file_data[FILE_LEN];
static struct sim_http_file files[] = {
    {.path = "/boot/Image", .data = file_data, .len = FILE_LEN},
    {.path = "/pxe/cfg", .data = "default linux\n", .len = 14},
};
static struct sim_tcp_server *srv;

static int setup_with(const struct sim_netpeer_config *pc, struct sim_tcp_server_config sc)
{
	uint64_t size;
	const void *fdt;

	if (world_up_with(pc) || netdev_register(&w.wire.dev)) {
		return -1;
	}
	fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt)) {
		return -1;
	}
	dtinfo_set(&dt);
	memmap_reset();
	xenboot_reserve_own_memory(&dt);
	env_clear();
	for (size_t i = 0; i < FILE_LEN; i++) {
		file_data[i] = (uint8_t)(i * 7 + (i >> 9));
	}
	sc.files = files;
	sc.file_count = ARRAY_SIZE(files);
	srv = sim_tcp_server_add(w.host, &sc);
	return srv ? 0 : -1;
}

static int setup(void **state)
{
	return setup_with(NULL, (struct sim_tcp_server_config){0});
}

/* A lossy wire and a server that sends one segment at a time: slow enough for progress. */
static int setup_slow(void **state)
{
	static const struct sim_netpeer_config pc = {.seed = 3, .to_guest = {.loss_pct = 20}};

	return setup_with(&pc, (struct sim_tcp_server_config){.max_flight = 1460});
}

/* A server on port 8080 only. */
static int setup_port(void **state)
{
	return setup_with(NULL, (struct sim_tcp_server_config){.port = 8080});
}

static int teardown(void **state)
{
	netdev_unregister(&w.wire.dev);
	return world_down(state);
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static void set(const char *name, const char *value)
{
	assert_int_equal(env_set(name, value), 0);
}

static uint8_t *guest(uint64_t gpa)
{
	return arch_phys_to_virt(gpa);
}

static void configure(void)
{
	set("ipaddr", "10.0.0.2");
	set("netmask", "255.255.255.0");
	set("serverip", "10.0.0.1");
}

static void test_wget(void **state)
{
	configure();
	memset(guest(LOAD_GPA), 0, FILE_LEN + 16);
	assert_int_equal(run("wget 0x49000000 /boot/Image"), 0);
	assert_out_has("Using eth0 device\n");
	assert_out_has("HTTP from http://10.0.0.1/boot/Image; our IP address is 10.0.0.2\n");
	assert_out_has("Load address: 0x49000000\n");
	assert_out_has("300000 bytes transferred in ");
	assert_out_has("Bytes transferred = 300000 (493e0 hex)\n");
	assert_memory_equal(guest(LOAD_GPA), file_data, FILE_LEN);
	assert_int_equal(guest(LOAD_GPA)[FILE_LEN], 0);
	assert_string_equal(env_get("filesize"), "493e0");
	assert_string_equal(env_get("fileaddr"), "49000000");

	/* A malformed variable wget does not need is only reported. */
	set("dnsip", "bogus");
	assert_int_equal(run("wget 0x49000000 /boot/Image"), 0);
	assert_out_has("dnsip: not an IPv4 address");

	/* host:path, a full URL, and $loadaddr as the default address. */
	set("loadaddr", "0x4a000000");
	assert_int_equal(run("wget 10.0.0.1:pxe/cfg"), 0);
	assert_memory_equal(guest(0x4a000000), "default linux\n", 14);
	assert_string_equal(env_get("filesize"), "e");
	assert_string_equal(env_get("fileaddr"), "4a000000");
	set("bootfile", "pxe/cfg");
	assert_int_equal(run("wget 0x4c000000"), 0); /* a lone address: $bootfile */
	assert_memory_equal(guest(0x4c000000), "default linux\n", 14);
	assert_string_equal(env_get("fileaddr"), "4c000000");
	assert_int_equal(run("wget 0x4b000000 http://10.0.0.1/redirect/1/pxe/cfg"), 0);
	assert_out_has("redirected to http://10.0.0.1:80/redirect/0/pxe/cfg\n");
	assert_memory_equal(guest(0x4b000000), "default linux\n", 14);
	assert_string_equal(sim_tcp_server_stats(srv)->last_path, "/pxe/cfg");
}

static void test_refused(void **state)
{
	assert_int_not_equal(run("wget 0x49000000 /boot/Image"), 0);
	assert_out_has("*** ERROR: `serverip' not set\n");
	configure();
	set("filesize", "1234");
	/* Over xenboot's own memory, outside RAM: refused before anything is sent. */
	assert_int_not_equal(run("wget 0x48000000 /boot/Image"), 0);
	assert_out_has("wget: 0x48000000..+0x1 overlaps");
	assert_int_not_equal(run("wget 0x90000000 /boot/Image"), 0);
	assert_out_has("is not inside a RAM bank");
	assert_int_equal(sim_tcp_server_stats(srv)->connections, 0);
	/* Near the end of RAM: the body does not fit and nothing is written past it. */
	memset(guest(0x4fff0000), 0x5a, 0x10000);
	assert_int_not_equal(run("wget 0x4fff0000 /boot/Image"), 0);
	assert_out_has("http: body of 300000 bytes is larger than the room (65536)\n");
	assert_int_not_equal(run("wget 0x49000000 /nope"), 0);
	assert_out_has("http: server answered 404 Not Found\n");
	assert_int_not_equal(run("wget 0x49000000 https://10.0.0.1/x"), 0);
	assert_out_has("only http:// URLs");
	assert_int_not_equal(run("wget 0x49000000 http://dom0.lab/x"), 0);
	assert_out_has("http: dom0.lab: no DNS server (set dnsip)\n");
	assert_string_equal(env_get("filesize"), "1234"); /* untouched on failure */
	assert_int_not_equal(run("wget /boot/Image"), 0); /* no $loadaddr */
	assert_out_has("wget: $loadaddr is not set\n");
	set("loadaddr", "0x49000000");
	assert_int_not_equal(run("wget 0x4a000000"), 0); /* a lone address: $bootfile */
	assert_out_has("wget: $bootfile is not set\n");
	assert_int_not_equal(run("wget"), 0);
	assert_out_has("wget: $bootfile is not set\n");
	assert_int_equal(run("wget a b c"), 1);
	assert_int_equal(run("wget zz /boot/Image"), 1);
}

static void test_progress(void **state)
{
	uint64_t t0 = arch_time_ns();

	configure();
	assert_int_equal(run("wget 0x49000000 /boot/Image"), 0);
	assert_true(arch_time_ns() - t0 > 2 * NS_PER_SEC);
	assert_out_has(" of 292 KiB\rhttp: ");
	assert_out_has("\r                                        \rBytes transferred = 300000");
	assert_memory_equal(guest(LOAD_GPA), file_data, FILE_LEN);
}

#include <sim/netpeer_apps.h>

/* A URL by name: the address from $dnsip's server. */
static void test_by_name(void **state)
{
	static const struct sim_dns_record rec[] = {{.name = "dom0.lab", .ip = HOST_IP}};
	static const struct sim_dns_config dc = {.records = rec, .record_count = 1};
	unsigned int queries = 0;

	assert_int_equal(sim_dns_add(w.host, &dc, &queries), 0);
	configure();
	set("dnsip", "10.0.0.1");
	assert_int_equal(run("wget 0x4a000000 http://dom0.lab/pxe/cfg"), 0);
	assert_memory_equal(guest(0x4a000000), "default linux\n", 14);
	assert_int_equal(queries, 1);
	assert_int_not_equal(run("wget 0x4a000000 http://nosuch.lab/pxe/cfg"), 0);
	assert_out_has("http: nosuch.lab: unknown host\n");
}

/* U-Boot's $httpdstp: the server's port for the "[host:]path" form (a URL
 * names its own). Before, it was ignored and wget knocked on port 80. */
static void test_httpdstp(void **state)
{
	configure();
	set("httpdstp", "8080");
	assert_int_equal(run("wget 0x4a000000 pxe/cfg"), 0);
	assert_out_has("HTTP from http://10.0.0.1:8080/pxe/cfg; our IP address is 10.0.0.2\n");
	assert_memory_equal(guest(0x4a000000), "default linux\n", 14);
	assert_int_equal(run("wget 0x4b000000 10.0.0.1:/pxe/cfg"), 0);
	assert_memory_equal(guest(0x4b000000), "default linux\n", 14);
	assert_int_equal(run("wget 0x4c000000 http://10.0.0.1:8080/pxe/cfg"), 0);
	set("httpdstp", "80x");
	assert_int_not_equal(run("wget 0x4a000000 pxe/cfg"), 0);
	assert_out_has("wget: $httpdstp is not a port number\n");
	set("httpdstp", "0");
	assert_int_not_equal(run("wget 0x4a000000 pxe/cfg"), 0);
	assert_out_has("wget: $httpdstp is not a port number\n");
	assert_int_equal(sim_tcp_server_stats(srv)->requests, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_wget, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_progress, setup_slow, teardown),
	    cmocka_unit_test_setup_teardown(test_by_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_httpdstp, setup_port, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
