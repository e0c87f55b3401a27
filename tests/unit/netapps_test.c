/* dhcp, tftpboot and dns end to end on the simulated wire against the
 * simulated servers, hostile ones too (the world: netapps_world.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netapps_world.h"

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
	assert_out_has("TFTP error: 'File not found' (1)\n");
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
	assert_out_has("TFTP error: 'disk on fire' (0)\n");
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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dhcp),	cmocka_unit_test(test_tftpboot),
	    cmocka_unit_test(test_tftp_faults), cmocka_unit_test(test_tftp_hostile),
	    cmocka_unit_test(test_tftp_room),	cmocka_unit_test(test_dns),
	};
	return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
