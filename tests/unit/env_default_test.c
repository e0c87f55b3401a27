/* boot/env_default.c: U-Boot's variables with load addresses computed from
 * the RAM layout: the layouts of arm64 guests of 512 MiB, 128 MiB, 64 MiB,
 * a too small one, and 3136 MiB with two banks (xenboot at 0x40080000 with
 * its 16 MiB heap, Xen's DTB at RAM base + 128 MiB or at the top of bank 0),
 * then the whole of env_set_defaults() on the simulated Xen, where every
 * address it gives must pass the load check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include <boot/env_default.h>
#include <fs/fsload.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/sim.h>
#include <stdio.h>
#include <string.h>

#define MIB 0x100000ULL
#define RAM0 0x40000000ULL
#define XENBOOT_END 0x41280000ULL /* image 0x40080000 + ~0.7 MiB + 16 MiB heap */

static struct dtinfo dt;

/* A guest with @mib MiB in bank 0 (and @mib1 in bank 1), the DTB at @fdt. */
static void guest(uint64_t mib, uint64_t mib1, uint64_t fdt)
{
	memset(&dt, 0, sizeof(dt));
	dt.banks[0] = (struct mem_range){RAM0, mib * MIB};
	dt.bank_count = 1;
	if (mib1) {
		/* Listed first: bank 0 is the lowest, not the first in the DT. */
		dt.banks[1] = dt.banks[0];
		dt.banks[0] = (struct mem_range){0x200000000ULL, mib1 * MIB};
		dt.bank_count = 2;
	}
	dtinfo_set(&dt);
	memmap_reset();
	assert_int_equal(memmap_add(0x40080000ULL, XENBOOT_END - 0x40080000ULL, MEMMAP_XENBOOT), 0);
	assert_int_equal(memmap_add(fdt, 0x2000, MEMMAP_FDT), 0);
}

static void assert_env(const char *name, uint64_t want)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)want);
	if (!env_get(name) || strcmp(env_get(name), hex) != 0) {
		fail_msg("%s is %s, want %s", name, env_get(name) ? env_get(name) : "(unset)", hex);
	}
}

static void test_512(void **state)
{
	struct env_layout l;

	guest(512, 0, RAM0 + 128 * MIB);
	assert_int_equal(env_set_defaults(), 0);
	assert_env("fdt_addr_r", 0x48200000);
	assert_env("scriptaddr", 0x48400000);
	assert_env("pxefile_addr_r", 0x48500000);
	assert_env("fdtoverlay_addr_r", 0x48600000);
	assert_env("kernel_addr_r", 0x48a00000);
	assert_env("loadaddr", 0x48a00000);
	assert_env("ramdisk_addr_r", 0x4ca00000);
	assert_int_equal(env_default_layout(&l), 0);
	assert_int_equal(l.kernel_size, 64 * MIB);
	assert_int_equal(l.ramdisk_size, 0x60000000ULL - 0x4ca00000ULL);
	assert_string_equal(env_get("bootdelay"), "1");
	assert_string_equal(env_get("bootcmd"), "run distro_bootcmd");
	assert_string_equal(env_get("distro_bootcmd"), "distroboot");
	assert_string_equal(env_get("boot_prefixes"), "/ /boot/");
	assert_string_equal(env_get("boot_scripts"), "boot.scr.uimg boot.scr");
	assert_null(env_get("fdtfile")); /* none on Xen: booti uses Xen's DT */
#ifdef CONFIG_NET
	/* No disks probed yet: only the network's targets. */
	assert_string_equal(env_get("boot_targets"), "pxe dhcp");
	assert_string_equal(env_get("bootcmd_pxe"), "dhcp; pxe get && pxe boot");
#else
	assert_null(env_get("boot_targets")); /* no disks probed yet */
#endif
}

/* 128 MiB: the DTB sits at the top of bank 0; the range between the heap
 * and the DTB still holds the full layout, with ~36 MiB for the initrd. */
static void test_128(void **state)
{
	struct env_layout l;

	guest(128, 0, 0x47ffe000ULL);
	assert_int_equal(env_set_defaults(), 0);
	assert_env("fdt_addr_r", 0x41400000);
	assert_env("kernel_addr_r", 0x41c00000);
	assert_env("ramdisk_addr_r", 0x45c00000);
	assert_int_equal(env_default_layout(&l), 0);
	assert_int_equal(l.ramdisk + l.ramdisk_size, 0x47ffe000ULL);
	assert_true(l.ramdisk_size > 30 * MIB);
}

/* 64 MiB: the kernel slot shrinks to half of what is left. */
static void test_64(void **state)
{
	struct env_layout l;

	guest(64, 0, 0x43ffe000ULL);
	assert_int_equal(env_default_layout(&l), 0);
	assert_int_equal(l.fdt, 0x41400000ULL);
	assert_int_equal(l.kernel, 0x41c00000ULL);
	/* (0x43ffe000 - 0x41c00000) / 2 = 17.99 MiB, 2 MiB aligned down. */
	assert_int_equal(l.kernel_size, 16 * MIB);
	assert_int_equal(l.ramdisk, 0x42c00000ULL);
	assert_int_equal(env_set_defaults(), 0);
	assert_env("ramdisk_addr_r", 0x42c00000ULL);
}

/* No room: clear, unset addresses (and stale ones removed), not bad ones. */
static void test_too_small(void **state)
{
	struct env_layout l;

	guest(32, 0, 0x41ffe000ULL);
	assert_int_equal(env_set("kernel_addr_r", "0x12345"), 0);
	assert_int_equal(env_default_layout(&l), -ENOMEM);
	assert_int_equal(env_set_defaults(), 0);
	assert_null(env_get("kernel_addr_r"));
	assert_null(env_get("ramdisk_addr_r"));
	assert_null(env_get("loadaddr"));
	assert_string_equal(env_get("bootcmd"), "run distro_bootcmd");
}

static void test_3136_two_banks(void **state)
{
	struct env_layout l;

	guest(3072, 64, RAM0 + 128 * MIB);
	assert_int_equal(env_set_defaults(), 0);
	assert_env("fdt_addr_r", 0x48200000);
	assert_env("kernel_addr_r", 0x48a00000);
	assert_env("ramdisk_addr_r", 0x4ca00000);
	assert_int_equal(env_default_layout(&l), 0);
	assert_int_equal(l.ramdisk + l.ramdisk_size, 0x100000000ULL); /* the end of bank 0 */
	/* A region lost to a backend splits the range: the larger part wins. */
	assert_int_equal(memmap_add(0x60000000ULL, PAGE_SIZE, MEMMAP_LOST), 0);
	assert_int_equal(env_default_layout(&l), 0);
	assert_int_equal(l.fdt, 0x60200000ULL);
}

/* On the simulated Xen: the real DT, xenboot's own regions, and the load
 * check agreeing that every default address is free. */
static void test_sim(void **state)
{
	struct sim_config cfg = {.bootargs = "console=hvc0 root=/dev/xvda2"};
	struct dtinfo sdt;
	struct env_layout l;

	assert_int_equal(guest_world_start(&cfg, &sdt), 0);
	assert_int_equal(env_set_defaults(), 0);
	assert_env("fdtcontroladdr", sim_fdt_gpa());
	assert_string_equal(env_get("bootargs"), "console=hvc0 root=/dev/xvda2");
	assert_int_equal(env_default_layout(&l), 0);
	assert_env("kernel_addr_r", l.kernel);
	assert_int_equal(fsload_check(NULL, l.fdt, l.kernel - l.fdt), 0);
	assert_int_equal(fsload_check(NULL, l.kernel, l.kernel_size), 0);
	assert_int_equal(fsload_check(NULL, l.ramdisk, l.ramdisk_size), 0);
	assert_int_equal(fsload_check(NULL, l.ramdisk, l.ramdisk_size + 1), -EFAULT);
	sim_reset();
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_512),
	    cmocka_unit_test(test_128),
	    cmocka_unit_test(test_64),
	    cmocka_unit_test(test_too_small),
	    cmocka_unit_test(test_3136_two_banks),
	    cmocka_unit_test(test_sim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
