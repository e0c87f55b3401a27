/* sysboot, the distro-boot scan and autoboot on the simulated Xen with two
 * PV disks (tests/unit/images/mkimg.sh):
 *   xvda "distro":    GPT, p1 ext4 without boot files, p2 FAT12 holding
 *                     /extlinux/extlinux.conf (a 3-label menu), /one.conf, a
 *                     kernel, an initrd, a DTB and an overlay (written here);
 *   xvdb "distrombr": MBR, p1 FAT12 with /boot.scr, p2 FAT12 marked bootable
 *                     with /extlinux/extlinux.conf whose label has no kernel.
 * /Image is not an arm64 Image, so booti refuses it and sysboot goes on to
 * the next label; the last test boots a real (made-up) Image through booti,
 * whose jump the sandbox records, and the handoff ends the PV world.
 * Console input comes from the simulated console; time is simulated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "console_out.h"

#include "images/image.h"
#include <arch/arch.h>
#include <boot/env_default.h>
#include <boot/image.h>
#include <boot/extlinux_boot.h>
#include <cmd/shell.h>
#include <disk/disk.h>
#include <drivers/blkfront.h>
#include <drivers/pvcons.h>
#include <fs/fsload.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/console.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <lib/memmap.h>
#include <libfdt.h>
#include <sandbox/jump.h>
#include <sim/blkback.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#define FAILED 2 /* CMD_RET_FAILURE: reported, no extra line */
#define NS_PER_S 1000000000ULL

static struct dtinfo dt;
static uint8_t *disk_a, *disk_b;
static size_t size_a, size_b;
static uint8_t kernel[200000], initrd[50000];

static const char menu_conf[] = "menu title Test menu\n"
				"prompt 1\n"
				"timeout 20\n"
				"default second\n"
				"label first\n"
				"\tmenu label First entry\n"
				"\tkernel /missing-kernel\n"
				"label second\n"
				"\tmenu label Second entry\n"
				"\tkernel /Image\n"
				"\tappend two\n"
				"label third\n"
				"\tkernel ../Image\n"
				"\tappend three\n";

static const char one_conf[] = "label only\n"
			       "\tkernel /Image\n"
			       "\tinitrd /initrd.img\n"
			       "\tfdt /dtbs/test.dtb\n"
			       "\tfdtoverlays /overlays/add.dtbo /overlays/missing.dtbo\n"
			       "\tappend console=hvc0 k=${kernel_addr_r}\n";

/* Run @line and return its result; the output collected so far is dropped. */
static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

/* @a appears in the output before @b. */
static void assert_order(const char *a, const char *b)
{
	const char *pa = strstr(out(), a), *pb = strstr(out(), b);

	if (!pa || !pb || pa > pb) {
		fail_msg("want \"%s\" before \"%s\":\n%s", a, b, out());
	}
}

static uint64_t env_hex(const char *name)
{
	assert_non_null(env_get(name));
	return strtoull(env_get(name), NULL, 16);
}

static void put(const char *spec, const char *path, const void *data, size_t len)
{
	struct fs *fs;

	assert_int_equal(fsload_mount("test", "pvblock", spec, &fs), 0);
	assert_int_equal(fs_write(fs, path, data, len), 0);
}

static void put_text(const char *spec, const char *path, const char *text)
{
	put(spec, path, text, strlen(text));
}

static size_t make_dtb(void *buf, size_t size, bool is_overlay)
{
	int rc =
	    fdt_create(buf, (int)size) || fdt_finish_reservemap(buf) || fdt_begin_node(buf, "");

	if (is_overlay) {
		rc = rc || fdt_begin_node(buf, "fragment@0") ||
		     fdt_property_string(buf, "target-path", "/") ||
		     fdt_begin_node(buf, "__overlay__") || fdt_begin_node(buf, "added") ||
		     fdt_property_string(buf, "compatible", "test,overlay") || fdt_end_node(buf) ||
		     fdt_end_node(buf) || fdt_end_node(buf);
	} else {
		rc = rc || fdt_property_string(buf, "compatible", "test,board");
	}
	rc = rc || fdt_end_node(buf) || fdt_finish(buf);
	assert_int_equal(rc, 0);
	return fdt_totalsize(buf);
}

static struct sim_blkback_config disk_cfg(uint32_t vdev, uint8_t *img, size_t size)
{
	return (struct sim_blkback_config){.vdev = vdev,
					   .image = img,
					   .image_size = size,
					   .max_ring_order = 4,
					   .max_indirect_segs = 256,
					   .has_persistent = true,
					   .has_flush = true};
}

static void write_files(void)
{
	static uint8_t dtb[4096], dtbo[4096];
	static const char script[] = "not really a script image";
	static const char nokernel[] = "label broken\n\tappend x\n";

	for (size_t i = 0; i < sizeof(kernel); i++) {
		kernel[i] = (uint8_t)(i * 7 + 3);
	}
	for (size_t i = 0; i < sizeof(initrd); i++) {
		initrd[i] = (uint8_t)(i * 13 + 1);
	}
	put("0:2", "/extlinux/extlinux.conf", menu_conf, strlen(menu_conf));
	put("0:2", "/one.conf", one_conf, strlen(one_conf));
	put("0:2", "/Image", kernel, sizeof(kernel));
	put("0:2", "/initrd.img", initrd, sizeof(initrd));
	put("0:2", "/dtbs/test.dtb", dtb, make_dtb(dtb, sizeof(dtb), false));
	put("0:2", "/overlays/add.dtbo", dtbo, make_dtb(dtbo, sizeof(dtbo), true));
	put_text("0:2", "/xenfdt.conf", "label x\nkernel /Image\nfdtoverlays /overlays/add.dtbo\n");
	put_text("0:2", "/fdtdir.conf", "label d\nkernel /Image\nfdtdir /dtbs/\n");
	put("1:1", "/boot.scr", script, sizeof(script));
	put("1:2", "/extlinux/extlinux.conf", nokernel, strlen(nokernel));
}

static int group_setup(void **state)
{
	uint64_t size;
	const void *fdt;

	if (sim_init(NULL) || pvcons_init_from_hvm()) {
		return -1;
	}
	fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt)) {
		return -1;
	}
	dtinfo_set(&dt);
	evtchn_init();
	if (gnttab_init(&dt) || sim_xs_start() || xs_init()) {
		return -1;
	}
	memmap_reset();
	xenboot_reserve_own_memory(&dt);
	disk_a = img_load("distro", &size_a, NULL, 0);
	disk_b = img_load("distrombr", &size_b, NULL, 0);
	struct sim_blkback_config a = disk_cfg(51712, disk_a, size_a);
	struct sim_blkback_config b = disk_cfg(51728, disk_b, size_b);
	if (!disk_a || !disk_b || !sim_blkback_add(&a) || !sim_blkback_add(&b)) {
		return -1;
	}
	if (env_set_defaults()) {
		return -1;
	}
	write_files();
	return 0;
}

static int group_teardown(void **state)
{
	(void)blkfront_shutdown_all();
	free(disk_a);
	free(disk_b);
	return 0;
}

/* The network's targets follow the disks (boot/env_default.c). */
#ifdef CONFIG_NET
#define NET_TARGETS " pxe dhcp"
#else
#define NET_TARGETS ""
#endif

/* Probing set boot_targets and one bootcmd_<target> per disk. */
static void test_targets(void **state)
{
	assert_int_equal(disk_probe(), 2);
	assert_string_equal(env_get("boot_targets"), "pvblock0 pvblock1" NET_TARGETS);
	assert_string_equal(env_get("bootcmd_pvblock1"), "distroboot pvblock1");
	/* A value the user set survives a rescan. */
	assert_int_equal(env_set("boot_targets", "pvblock1"), 0);
	assert_int_equal(disk_rescan(), 2);
	assert_string_equal(env_get("boot_targets"), "pvblock1");
	assert_int_equal(env_set_defaults(), 0); /* env default -a: computed again */
	assert_string_equal(env_get("boot_targets"), "pvblock0 pvblock1" NET_TARGETS);
	/* Quiet lookups print nothing. */
	struct fs *fs;
	sim_console_output_clear();
	assert_int_equal(fsload_mount(NULL, "pvblock", "0:7", &fs), -ENOENT);
	assert_int_equal(fsload_mount(NULL, "mmc", "0:1", &fs), -ENODEV);
	assert_string_equal(out(), "");
}

static void test_plan(void **state)
{
	static struct extlinux_conf conf;
	static const char text[] = "label a\nkernel /k\ninitrd /i\nfdtdir /dtbs/\n"
				   "label b\nkernel /k\nfdtoverlays x.dtbo\n"
				   "label c\nlocalboot 1\n"
				   "label d\ninitrd /i\n";
	struct extlinux_plan p;
	struct extlinux_loaded ld = {.initrd_size = 0xc350};

	assert_int_equal(extlinux_parse(text, strlen(text), "/extlinux/extlinux.conf", NULL, &conf),
			 0);
	assert_int_equal(extlinux_plan("t", &conf.labels[0], &p), 0);
	assert_int_equal(p.kernel_addr, env_hex("kernel_addr_r"));
	assert_int_equal(p.initrd_addr, env_hex("ramdisk_addr_r"));
	assert_string_equal(p.fdt, ""); /* fdtdir without $fdtfile: Xen's DT */
	extlinux_booti_argv(&p, &ld);
	assert_int_equal(ld.argc, 3);
	assert_string_equal(ld.argv[0], "booti");
	assert_int_equal(strtoull(ld.argv[1], NULL, 16), env_hex("kernel_addr_r"));
	char want[64];
	snprintf(want, sizeof(want), "%s:c350", env_get("ramdisk_addr_r"));
	assert_string_equal(ld.argv[2], want);
	assert_null(ld.argv[3]);
	/* With $fdtfile, fdtdir names the DTB (optional: missing means Xen's). */
	assert_int_equal(env_set("fdtfile", "vendor/board.dtb"), 0);
	assert_int_equal(extlinux_plan("t", &conf.labels[0], &p), 0);
	assert_string_equal(p.fdt, "/dtbs/vendor/board.dtb");
	assert_true(p.is_fdt_optional);
	assert_int_equal(p.fdt_addr, env_hex("fdt_addr_r"));
	assert_int_equal(env_set("fdtfile", NULL), 0);
	/* Overlays without a DTB: onto a copy of Xen's at $fdt_addr_r. */
	assert_int_equal(extlinux_plan("t", &conf.labels[1], &p), 0);
	assert_true(p.has_overlays);
	assert_int_equal(p.overlay_addr, env_hex("fdtoverlay_addr_r"));
	assert_int_equal(p.fdt_addr, env_hex("fdt_addr_r"));
	ld = (struct extlinux_loaded){.has_fdt = true};
	extlinux_booti_argv(&p, &ld);
	assert_int_equal(ld.argc, 4);
	assert_string_equal(ld.argv[2], "-");
	assert_int_equal(strtoull(ld.argv[3], NULL, 16), env_hex("fdt_addr_r"));
	assert_int_equal(extlinux_plan("t", &conf.labels[2], &p), -ENOENT); /* localboot */
	sim_console_output_clear();
	assert_int_equal(extlinux_plan("t", &conf.labels[3], &p), -EINVAL);
	assert_string_equal(out(), "t: label d: no kernel\n");
	char saved[32];
	snprintf(saved, sizeof(saved), "%s", env_get("kernel_addr_r"));
	assert_int_equal(env_set("kernel_addr_r", NULL), 0);
	assert_int_equal(extlinux_plan("t", &conf.labels[0], &p), -EINVAL);
	assert_out_has("t: $kernel_addr_r is not set\n");
	assert_int_equal(env_set("kernel_addr_r", saved), 0);
}

/* One label with everything: files land where the plan says, the overlay
 * is applied, bootargs is append expanded; then booti is missing. */
static void test_sysboot_loads(void **state)
{
	uint64_t kaddr = env_hex("kernel_addr_r"), raddr = env_hex("ramdisk_addr_r");
	const void *fdt = arch_phys_to_virt(env_hex("fdt_addr_r"));

	memset(arch_phys_to_virt(kaddr), 0, sizeof(kernel) + 16);
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /one.conf"), FAILED);
	assert_out_has("Retrieving file: /one.conf\n");
	assert_out_has("1:\tonly\nRetrieving file: /Image\n200000 bytes read in ");
	assert_out_has("Retrieving file: /initrd.img\n50000 bytes read in ");
	assert_out_has("Retrieving file: /overlays/missing.dtbo\n");
	assert_out_has("sysboot: overlay /overlays/missing.dtbo skipped: ENOENT\n");
	assert_out_has("booti: no arm64 Image at 0x");
	assert_memory_equal(arch_phys_to_virt(kaddr), kernel, sizeof(kernel));
	assert_int_equal(((uint8_t *)arch_phys_to_virt(kaddr))[sizeof(kernel)], 0);
	assert_memory_equal(arch_phys_to_virt(raddr), initrd, sizeof(initrd));
	assert_int_equal(fdt_check_full(fdt, EXTLINUX_FDT_ROOM), 0);
	assert_string_equal(fdt_getprop(fdt, 0, "compatible", NULL), "test,board");
	int node = fdt_path_offset(fdt, "/added");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "compatible", NULL), "test,overlay");
	char want[64];
	snprintf(want, sizeof(want), "console=hvc0 k=%s", env_get("kernel_addr_r"));
	assert_string_equal(env_get("bootargs"), want);
	/* The interface and device from the scan's variables; ext4 refused. */
	assert_int_equal(env_set("devtype", "pvblock"), 0);
	assert_int_equal(env_set("devnum", "0"), 0);
	assert_int_equal(env_set("distro_bootpart", "2"), 0);
	assert_int_equal(run("sysboot ext4 ${pxefile_addr_r} /one.conf"), FAILED);
	assert_out_has("sysboot: pvblock 0:2 holds fat12\n");
	assert_int_equal(run("sysboot fat ${pxefile_addr_r} /nope.conf"), FAILED);
	assert_out_has("sysboot: /nope.conf: no such file or directory\n");
	assert_int_equal(run("sysboot pvblock 0:2"), 1);
	assert_out_has("Usage: sysboot ");
	/* An initrd slot too close to the kernel: the overlap is refused. */
	char saved[32], close[64];
	snprintf(saved, sizeof(saved), "%s", env_get("ramdisk_addr_r"));
	snprintf(close, sizeof(close), "%llx", (unsigned long long)(kaddr + 0x1000));
	assert_int_equal(env_set("ramdisk_addr_r", close), 0);
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /one.conf"), FAILED);
	assert_out_has(") overlap: move $ramdisk_addr_r\n");
	if (strstr(out(), "booti")) {
		fail_msg("booted despite the overlap:\n%s", out());
	}
	assert_int_equal(env_set("ramdisk_addr_r", saved), 0);
	assert_int_equal(run("sysboot -p pvblock 0:2 any ${pxefile_addr_r} /one.conf"), 0);
	assert_out_has("1:\tonly\n\tkernel /Image\n\tinitrd /initrd.img\n");
}

/* Overlays onto a copy of Xen's DT; fdtdir with $fdtfile, and without a
 * usable one (skipped, as U-Boot: Xen's DT). */
static void test_sysboot_fdt_sources(void **state)
{
	const void *fdt = arch_phys_to_virt(env_hex("fdt_addr_r"));

	memset((void *)fdt, 0, 64);
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /xenfdt.conf"), FAILED);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_true(fdt_path_offset(fdt, "/hypervisor") >= 0); /* Xen's */
	assert_true(fdt_path_offset(fdt, "/added") >= 0);
	memset((void *)fdt, 0, 64);
	assert_int_equal(env_set("fdtfile", "test.dtb"), 0);
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /fdtdir.conf"), FAILED);
	assert_out_has("Retrieving file: /dtbs/test.dtb\n");
	assert_string_equal(fdt_getprop(fdt, 0, "compatible", NULL), "test,board");
	assert_int_equal(env_set("fdtfile", "nope.dtb"), 0);
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /fdtdir.conf"), FAILED);
	assert_out_has("sysboot: skipping fdtdir /dtbs: ENOENT\n");
	assert_int_equal(env_set("fdtfile", NULL), 0);
}

/* The menu, the number typed: that label first, then the others (U-Boot
 * tries every label not tried yet), each failure in one line. */
static void test_menu_typed(void **state)
{
	const char *conf = "sysboot pvblock 0:2 any ${pxefile_addr_r} /extlinux/extlinux.conf";

	assert_int_equal(sim_console_input("x\b3\r", 4), 4);
	assert_int_equal(run(conf), FAILED);
	assert_out_has("Test menu\n1:\tFirst entry\n2:\tSecond entry\n3:\tthird\n");
	assert_out_has("Enter choice (1-3 or a label; 2 in 2.0 s): ");
	assert_out_has("3\n3:\tthird\nRetrieving file: /Image\n");
	assert_order("3:\tthird\n", "1:\tFirst entry\nRetrieving file: /missing-kernel\n");
	assert_out_has("sysboot: /missing-kernel: no such file or directory\n");
	assert_order("1:\tFirst entry\nRetrieving", "2:\tSecond entry\nRetrieving");
	assert_string_equal(env_get("bootargs"), "two"); /* the last label tried */
	/* A name; an unknown choice asks again. */
	assert_int_equal(sim_console_input("9\rfirst\r", 8), 8);
	assert_int_equal(run(conf), FAILED);
	assert_out_has("sysboot: no label '9'\n");
	assert_out_has("Enter choice (1-3 or a label; Enter: 2): first\n1:\tFirst entry\n");
	/* Ctrl-C: nothing is tried. */
	assert_int_equal(sim_console_input("\x03", 1), 1);
	assert_int_equal(run(conf), FAILED);
	assert_out_has("^C\n");
	if (strstr(out(), "Retrieving file: /Image")) {
		fail_msg("a label was tried after Ctrl-C:\n%s", out());
	}
}

static void test_menu_timeout(void **state)
{
	const char *conf = "sysboot pvblock 0:2 any ${pxefile_addr_r} /extlinux/extlinux.conf";
	uint64_t t0 = arch_time_ns();

	assert_int_equal(run(conf), FAILED);
	assert_true(arch_time_ns() - t0 >= 2 * NS_PER_S); /* timeout 20: 2.0 s */
	assert_order("Enter choice", "\n2:\tSecond entry\nRetrieving file: /Image\n");
	/* Enter at once: the default, without waiting for the countdown. */
	assert_int_equal(sim_console_input("\r", 1), 1);
	t0 = arch_time_ns();
	assert_int_equal(run(conf), FAILED);
	assert_true(arch_time_ns() - t0 < NS_PER_S);
	assert_out_has("): \n2:\tSecond entry\n");
}

/* The scan: targets in order, partitions bootable first, each prefix, the
 * variables U-Boot's scripts rely on; a failure is one line and it goes on. */
static void test_distro_scan(void **state)
{
	assert_int_equal(run("distroboot"), FAILED);
	assert_order("Scanning pvblock 0:1...\n", "Scanning pvblock 0:2...\n");
	assert_order("Scanning pvblock 0:2...\nFound /extlinux/extlinux.conf\n"
		     "Retrieving file: /extlinux/extlinux.conf\n",
		     "EXTLINUX FAILED: continuing...\n");
	/* pvblock1: the bootable p2 first, its label without a kernel. */
	assert_order("EXTLINUX FAILED", "Scanning pvblock 1:2...\n");
	assert_order("Scanning pvblock 1:2...\n", "sysboot: label broken: no kernel\n");
	assert_order("sysboot: label broken: no kernel\n", "Scanning pvblock 1:1...\n");
	assert_order("Scanning pvblock 1:1...\nFound U-Boot script /boot.scr\n",
		     "SCRIPT FAILED: continuing...\n");
	assert_out_has("distroboot: no extlinux.conf, boot script or EFI binary booted\n");
	/* ext4 p1 was only scanned, never reported. */
	if (strstr(out(), "0:1...\nFound")) {
		fail_msg("found something on 0:1:\n%s", out());
	}
	assert_string_equal(env_get("devtype"), "pvblock");
	assert_string_equal(env_get("devnum"), "1");
	assert_string_equal(env_get("distro_bootpart"), "1");
	assert_string_equal(env_get("prefix"), "/boot/");
	assert_string_equal(env_get("script"), "boot.scr");
	/* One target, through U-Boot's per-target variable. */
	assert_int_equal(run("run bootcmd_pvblock1"), FAILED);
	if (strstr(out(), "pvblock 0:")) {
		fail_msg("scanned pvblock0:\n%s", out());
	}
	/* boot_targets unset (a saved environment without it): every disk. */
	assert_int_equal(env_set("boot_targets", NULL), 0);
	assert_int_equal(run("distroboot"), FAILED);
	assert_order("Scanning pvblock 0:2...\n", "Scanning pvblock 1:1...\n");
	assert_int_equal(disk_rescan(), 2); /* and the next probe sets it again */
	assert_string_equal(env_get("boot_targets"), "pvblock0 pvblock1" NET_TARGETS);
	assert_int_equal(run("distroboot pvblock7"), FAILED);
	assert_out_has("distroboot: pvblock7: no such disk\n");
}

static void test_autoboot(void **state)
{
	uint64_t t0 = arch_time_ns();

	assert_int_equal(env_set("bootcmd", "echo booting"), 0);
	assert_int_equal(env_set("bootdelay", "2"), 0);
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), 0);
	assert_string_equal(out(),
			    "Hit any key to stop autoboot:  2 \b\b\b 1 \b\b\b 0 \nbooting\n");
	assert_true(arch_time_ns() - t0 >= 2 * NS_PER_S);
	/* A key stops it, is consumed, and bootcmd does not run. */
	assert_int_equal(sim_console_input("q", 1), 1);
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), 1);
	assert_string_equal(out(), "Hit any key to stop autoboot:  2 \b\b\b 0 \n");
	assert_int_equal(console_getc(arch_time_ns()), -1);
	/* 0: one look for a key. */
	assert_int_equal(env_set("bootdelay", "0"), 0);
	assert_int_equal(sim_console_input("q", 1), 1);
	assert_int_equal(xenboot_autoboot(), 1);
	sim_console_output_clear();
	t0 = arch_time_ns();
	assert_int_equal(xenboot_autoboot(), 0);
	assert_true(arch_time_ns() - t0 < NS_PER_S / 10);
	assert_string_equal(out(), "Hit any key to stop autoboot:  0 \nbooting\n");
	/* -2: no look at all (the key stays); -1: no autoboot. */
	assert_int_equal(env_set("bootdelay", "-2"), 0);
	assert_int_equal(sim_console_input("q", 1), 1);
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), 0);
	assert_string_equal(out(), "booting\n");
	assert_int_equal(console_getc(arch_time_ns()), 'q');
	assert_int_equal(env_set("bootdelay", "-1"), 0);
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), 1);
	assert_string_equal(out(), "");
	/* A bootcmd longer than a typed line runs whole. */
	char long_cmd[700];
	snprintf(long_cmd, sizeof(long_cmd), "echo %0600d; echo tail", 0);
	assert_int_equal(env_set("bootcmd", long_cmd), 0);
	assert_int_equal(env_set("bootdelay", "-2"), 0);
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), 0);
	assert_out_has("tail\n");
	assert_int_equal(env_set("bootcmd", "echo booting"), 0);
	assert_int_equal(env_set("bootdelay", "-1"), 0);
	/* `boot` at the prompt: what autoboot would have run. */
	assert_int_equal(run("boot"), 0);
	assert_string_equal(out(), "booting\n");
	assert_int_equal(env_set("bootcmd", "false"), 0);
	assert_int_not_equal(run("boot"), 0);
}

/* The default bootcmd on disks without a bootable config ends at the
 * prompt: nothing hangs, and it is quick (simulated time). */
static void test_autoboot_default_scan(void **state)
{
	assert_int_equal(env_set_defaults(), 0);
	assert_int_equal(env_set("boot_targets", "pvblock0"), 0);
	put("0:2", "/extlinux/extlinux.conf", "", 0); /* no label */
	uint64_t t0 = arch_time_ns();
	sim_console_output_clear();
	assert_int_equal(xenboot_autoboot(), FAILED);
	assert_true(arch_time_ns() - t0 < 2 * NS_PER_S); /* 1 s countdown + the scan */
	assert_out_has("Hit any key to stop autoboot:  1 \b\b\b 0 \n");
	assert_out_has("sysboot: /extlinux/extlinux.conf: no label to boot\n");
	assert_out_has("distroboot: no extlinux.conf, boot script or EFI binary booted\n");
	put("0:2", "/extlinux/extlinux.conf", menu_conf, strlen(menu_conf));
}

static uint64_t chosen_u64(const void *fdt, const char *name)
{
	int len, node = fdt_path_offset(fdt, "/chosen");
	const void *v = fdt_getprop(fdt, node, name, &len);

	assert_non_null(v);
	return len == 8 ? fdt64_ld(v) : fdt32_ld(v);
}

/* Last (the handoff closes the PV disks): a label through booti to the
 * recorded jump, with the initrd, the label's DTB, the overlay and append. */
static void test_sysboot_boots(void **state)
{
	static uint8_t img[64 << 10];
	static const char good[] = "label good\n\tkernel /Image.ok\n\tinitrd /initrd.img\n"
				   "\tfdt /dtbs/test.dtb\n\tfdtoverlays /overlays/add.dtbo\n"
				   "\tappend console=hvc0 root=/dev/xvda1\n";
	struct image_header h = {0};

	for (size_t i = 0; i < sizeof(img); i++) {
		img[i] = (uint8_t)(i * 11 + 5);
	}
	put_le32(&h.code0, 0x14000010);
	put_le64(&h.image_size, 1 << 20);
	put_le64(&h.flags, 0xa);
	put_le32(&h.magic, IMAGE_MAGIC);
	memcpy(img, &h, sizeof(h));
	put("0:2", "/Image.ok", img, sizeof(img));
	put("0:2", "/good.conf", good, strlen(good));
	sandbox_jump_reset();
	assert_int_equal(run("sysboot pvblock 0:2 any ${pxefile_addr_r} /good.conf"), 0);
	assert_out_has("## sandbox: jump to the kernel recorded");
	const struct sandbox_jump *j = sandbox_jump_last();
	assert_int_equal(j->count, 1);
	assert_memory_equal(arch_phys_to_virt(j->entry), img, sizeof(img));
	const void *fdt = arch_phys_to_virt(j->x[0]);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_string_equal(fdt_getprop(fdt, 0, "compatible", NULL), "test,board");
	assert_true(fdt_path_offset(fdt, "/added") >= 0);
	int chosen = fdt_path_offset(fdt, "/chosen");
	assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL),
			    "console=hvc0 root=/dev/xvda1");
	uint64_t start = chosen_u64(fdt, "linux,initrd-start");
	assert_int_equal(chosen_u64(fdt, "linux,initrd-end") - start, sizeof(initrd));
	assert_memory_equal(arch_phys_to_virt(start), initrd, sizeof(initrd));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_targets),
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_sysboot_loads),
	    cmocka_unit_test(test_sysboot_fdt_sources),
	    cmocka_unit_test(test_menu_typed),
	    cmocka_unit_test(test_menu_timeout),
	    cmocka_unit_test(test_distro_scan),
	    cmocka_unit_test(test_autoboot),
	    cmocka_unit_test(test_autoboot_default_scan),
	    cmocka_unit_test(test_sysboot_boots),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
