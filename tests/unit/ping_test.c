/* The ping command and the shell's stack (net_acquire, the address
 * variables) on a registered sim_netwire: U-Boot's messages for a live
 * host, a silent one, no ipaddr, a bad argument and no device. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "console_out.h"
#include "net_world.h"
#include <cmd/shell.h>
#include <lib/env.h>

static int setup(void **state)
{
	if (world_up(state) || netdev_register(&w.wire.dev)) {
		return -1;
	}
	env_clear();
	return 0;
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

static void test_alive(void **state)
{
	set("ipaddr", "10.0.0.2");
	set("netmask", "255.255.255.0");
	assert_int_equal(run("ping 10.0.0.1"), 0);
	assert_out_has("Using eth0 device\nhost 10.0.0.1 is alive\n");
	/* The stack wrote our MAC for fw_printenv and scripts. */
	assert_string_equal(env_get("ethaddr"), "00:16:3e:12:34:56");
	assert_string_equal(env_get("ethact"), "eth0");
	assert_int_equal(peer_stats()->echo_replies, 1);
}

static void test_not_alive(void **state)
{
	uint64_t t0 = arch_time_ns();

	set("ipaddr", "10.0.0.2");
	set("netmask", "255.255.255.0");
	assert_int_not_equal(run("ping 10.0.0.99"), 0);
	assert_out_has("ping failed; host 10.0.0.99 is not alive\n");
	uint64_t ms = (arch_time_ns() - t0) / NS_PER_MS;

	assert_true(ms >= 10000 && ms < 13000);
}

static void test_refusals(void **state)
{
	assert_int_not_equal(run("ping 10.0.0.1"), 0);
	assert_out_has("*** ERROR: `ipaddr' not set\n");
	set("ipaddr", "10.0.0.300");
	assert_int_not_equal(run("ping 10.0.0.1"), 0);
	assert_out_has("ipaddr: not an IPv4 address: \"10.0.0.300\"\n");
	set("ipaddr", "10.0.0.2");
	assert_int_not_equal(run("ping 10.0.0"), 0);
	assert_out_has("ping: not an IPv4 address: \"10.0.0\"\n");
	assert_int_not_equal(run("ping '10.0.0.1\x1b[2J'"), 0);
	assert_out_has("ping: not an IPv4 address: \"10.0.0.1\\x1b[2J\"\n");
	assert_int_not_equal(run("ping"), 0);
	assert_int_equal(peer_stats()->from_guest, 0);
	netdev_unregister(&w.wire.dev);
	assert_int_not_equal(run("ping 10.0.0.1"), 0);
	assert_out_has("No ethernet found.\n");
}

/* A malformed variable ping does not need (here $dnsip) is reported, as
 * U-Boot would ignore it, and ping still runs. */
static void test_other_bad_variable(void **state)
{
	set("ipaddr", "10.0.0.2");
	set("netmask", "255.255.255.0");
	set("dnsip", "bogus");
	assert_int_equal(run("ping 10.0.0.1"), 0);
	assert_out_has("dnsip: not an IPv4 address: \"bogus\"\n");
	assert_out_has("host 10.0.0.1 is alive\n");
}

static void test_config_env(void **state)
{
	struct net_stack *ns = &w.ns;

	set("ipaddr", "10.1.2.3");
	set("netmask", "255.255.0.0");
	set("gatewayip", "10.1.0.1");
	set("serverip", "10.1.0.5");
	set("dnsip", "bogus");
	sim_console_output_clear();
	assert_int_equal(net_config_from_env(ns), -EINVAL);
	assert_out_has("dnsip: not an IPv4 address: \"bogus\"\n");
	assert_null(strstr(out(), "Warning"));
	assert_int_equal(ns->ip, IP4(10, 1, 2, 3));
	assert_int_equal(ns->netmask, IP4(255, 255, 0, 0));
	assert_int_equal(ns->gateway, IP4(10, 1, 0, 1));
	assert_int_equal(ns->server, IP4(10, 1, 0, 5));
	assert_int_equal(ns->dns, 0);
	ns->dns = IP4(8, 8, 4, 4);
	ns->ip = IP4(192, 168, 1, 10);
	assert_int_equal(net_config_to_env(ns), 0);
	assert_string_equal(env_get("ipaddr"), "192.168.1.10");
	assert_string_equal(env_get("dnsip"), "8.8.4.4");
	assert_string_equal(env_get("ethaddr"), "00:16:3e:12:34:56");
	/* Another MAC in the environment: warned about, not used. */
	set("ethaddr", "00:16:3e:99:99:99");
	sim_console_output_clear();
	assert_int_equal(net_config_from_env(ns), 0);
	assert_out_has("Warning: eth0 MAC addresses don't match:\n"
		       "Address in ROM is          00:16:3e:12:34:56\n"
		       "Address in environment is  00:16:3e:99:99:99\n");
	assert_memory_equal(ns->mac, guest_mac, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_alive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_alive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_bad_variable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_env, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
