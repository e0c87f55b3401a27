/* pxe get / pxe boot and the distro-boot fallback to the network, end to
 * end on the simulated wire (the world: netapps_world.h), after a lease. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netapps_world.h"

/* The world, and a lease (ipaddr, serverip, bootfile) as after `dhcp`. */
static int group_setup(void **state)
{
	if (world_setup(state) || env_set("autoload", "no") || run("dhcp")) {
		return -1;
	}
	return env_set("autoload", NULL) ? -1 : 0;
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
	assert_int_equal(run("pxe"), USAGE);
	assert_int_equal(run("pxe put"), USAGE);
}

/* pxe boot <addr>: includes, a config that includes itself, a path that
 * names no file. */
static void test_pxe_boot_addr(void **state)
{
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
	    cmocka_unit_test(test_pxe),
	    cmocka_unit_test(test_pxe_boot_addr),
	    cmocka_unit_test(test_pxe_get_stops),
	    cmocka_unit_test(test_pxe_boot_ctrl_c),
	    cmocka_unit_test(test_fallback_no_dhcp),
	    cmocka_unit_test(test_fallback),
	};
	return cmocka_run_group_tests(tests, group_setup, world_teardown);
}
