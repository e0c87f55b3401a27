/* The file commands (ls, load, size, fstype, save, part and their U-Boot
 * aliases) run through shell_run_line() against a RAM disk on the block
 * layer: the GPT test disk of images/mkimg.sh (p1 FAT12 "boot", p2 ext4
 * "rootfs"). Checks the text printed on the simulated console, the bytes
 * that land in guest RAM, $filesize, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include "console_out.h"

#include "images/image.h"
#include <arch/arch.h>
#include <lib/env.h>
#include <cmd/shell.h>
#include <disk/blk.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/memmap.h>
#include <lib/errno.h>
#include <sim/console.h>
#include <sim/sim.h>

/* Guest RAM is 0x40000000..0x50000000; xenboot and its heap end at the DT
 * (0x48000000, 64 KiB), so loads go above. */
#define LOAD_GPA 0x49000000ULL

static struct blk_ram ram;
static struct dtinfo dt;
static uint8_t *disk;
static size_t disk_size;

/* The guest's clock: it moves by clock_step at every reading, so a test can
 * make a load look slow without the sim's blkback or real waiting. */
static uint64_t clock_ns = SIM_TIME_ORIGIN_NS;
static uint64_t clock_step = 100;

static uint64_t test_clock(void)
{
	clock_ns += clock_step;
	return clock_ns;
}

static int setup(void **state)
{
	struct sim_config cfg = {.host_time_ns = test_clock};

	if (guest_world_start(&cfg, &dt)) {
		return -1;
	}
	return guest_world_ramdisk(&ram, "disk", &disk, &disk_size);
}

static int teardown(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	sim_reset();
	return 0;
}

/* Run @line (copied: the shell writes into it) and return its result; the
 * console output collected so far is dropped first. */
static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static uint8_t *guest(uint64_t gpa)
{
	return arch_phys_to_virt(gpa);
}

static void assert_filesize(uint64_t want)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)want);
	assert_non_null(env_get("filesize"));
	assert_string_equal(env_get("filesize"), hex);
}

static void test_ls(void **state)
{
	assert_int_equal(run("ls blk 0:1 /"), 0);
	assert_out_has("       15   hello.txt\n");
	assert_out_has("            dir/\n");
	assert_out_has("   700000   big.bin\n");
	assert_out_has("A long file name.text");
	assert_out_has(" dir(s)\n");
	/* ext4, by name and by label: symlinks are marked, "." is a directory. */
	assert_int_equal(run("ls blk ram0:PARTLABEL=rootfs"), 0);
	assert_out_has("    <SYM>   abs_link\n");
	assert_out_has("            ./\n");
	assert_int_equal(run("ext4ls blk PARTLABEL=rootfs /dir/sub"), 0);
	assert_out_has("   100000   nested.bin\n");
	assert_out_has("1 file(s), 2 dir(s)");
	assert_int_equal(run("fatls blk 0 /dir"), 0); /* no part: the first one */
	assert_out_has("            sub/\n");
}

static void test_ls_errors(void **state)
{
	assert_int_equal(run("ls blk 0:2 /nope"), -ENOENT);
	assert_out_has("ls: /nope: no such file or directory\n");
	assert_int_equal(run("ls blk 0:2 /hello.txt"), -ENOTDIR);
	assert_out_has("not a directory");
	assert_int_equal(run("ext4ls blk 0:1 /"), -EINVAL);
	assert_out_has("ext4ls: blk 0:1 holds fat12\n");
	assert_int_equal(run("ls mmc 0:1 /"), -ENODEV);
	assert_out_has("unknown interface 'mmc'");
	assert_int_equal(run("ls blk 7:1 /"), -ENODEV);
	assert_out_has("no blk device '7'");
	assert_int_equal(run("ls blk 0:3 /"), -ENOENT);
	assert_out_has("ls: no partition 0:3\n");
	assert_int_equal(run("ls blk 0:zz /"), -EINVAL);
	assert_out_has("bad partition 'zz'");
	assert_int_equal(run("ls blk 0:0 /"), -ENODEV);
	assert_out_has("no ext2/3/4 or FAT filesystem");
	assert_int_equal(run("ls blk"), 1);
	assert_out_has("Usage: ls <interface> <dev[:part]> [path]");
	/* No PV disks in this world: a clear error, not a crash. */
	assert_int_equal(run("ls pvblock 0:1 /"), -ENODEV);
	assert_out_has("no pvblock device '0'");
}

static void check_load(const char *line, const char *tree, const char *src, uint64_t pos,
		       uint64_t len)
{
	size_t size;
	uint8_t *want = img_src(tree, src, &size);

	assert_non_null(want);
	memset(guest(LOAD_GPA), 0xa5, size + 16);
	assert_int_equal(run(line), 0);
	assert_memory_equal(guest(LOAD_GPA), want + pos, len);
	assert_int_equal(guest(LOAD_GPA)[len], 0xa5); /* not a byte more */
	assert_filesize(len);
	free(want);
}

static void test_load(void **state)
{
	uint64_t calls = ram.read_calls;

	check_load("load blk 0:2 0x49000000 /big.bin", "src", "big.bin", 0, 700000);
	assert_out_has("700000 bytes read in ");
	/* Simulated time stands still without waits: no rate is printed. */
	assert_out_has("700000 bytes read in 0 ms\n");
	/* Contiguous extents stay large: a handful of driver calls (the data
	 * in one or two runs, plus inode and directory blocks), not 171 4 KiB
	 * blocks' worth. */
	assert_true(ram.read_calls - calls < 8);
	check_load("load blk 0:1 49000000 big.bin", "srcfat", "big.bin", 0, 700000);
	/* bytes and pos, hex as in U-Boot. */
	check_load("ext4load blk 0:2 0x49000000 /dir/sub/nested.bin 0x100 0x1001", "src",
		   "dir/sub/nested.bin", 0x1001, 0x100);
	check_load("fatload blk 0:1 0x49000000 /big.bin 0 0xaae60", "srcfat", "big.bin", 0xaae60,
		   700000 - 0xaae60);
	/* Through a symlink, and bytes beyond the end clamp to the file. */
	check_load("load blk 0:2 0x49000000 /abs_link 0x100000", "src", "dir/sub/nested.bin", 0,
		   100000);
	/* pos at the very end: nothing read, filesize 0. */
	assert_int_equal(run("load blk 0:2 0x49000000 /hello.txt 0 0xf"), 0);
	assert_filesize(0);
}

/* Past a second, a load reports progress once a second between its 32 MiB
 * chunks, then the result line replaces it. huge.bin is sparse, so its
 * 96 MiB cost no disk image space. */
static void test_load_progress(void **state)
{
	clock_step = 600000000; /* 0.6 s per clock reading */
	memset(guest(LOAD_GPA), 0xa5, 16);
	int rc = run("load blk 0:2 0x49000000 /huge.bin 0x6000000");
	clock_step = 100;
	assert_int_equal(rc, 0);
	assert_memory_equal(guest(LOAD_GPA), "HEAD", 4);
	assert_filesize(0x6000000);
	assert_out_has("\rload: 64 of 96 MiB");
	assert_out_has("\r100663296 bytes read in ");
	assert_out_has(" MiB/s)\n");
}

static void test_load_defaults(void **state)
{
	assert_int_equal(env_set("loadaddr", "0x49000000"), 0);
	assert_int_equal(env_set("bootfile", "/hello.txt"), 0);
	assert_int_equal(run("load blk 0:2"), 0);
	assert_memory_equal(guest(LOAD_GPA), "hello, xenboot\n", 15);
	assert_filesize(15);
	assert_int_equal(env_set("bootfile", NULL), 0);
	assert_int_equal(run("load blk 0:2"), 1);
	assert_out_has("Usage: load ");
	assert_int_equal(env_set("loadaddr", NULL), 0);
}

static void test_load_refused(void **state)
{
	/* Outside RAM, over xenboot, over the DT, past the end of RAM. */
	assert_int_equal(run("load blk 0:2 0x10000000 /big.bin"), -EFAULT);
	assert_out_has("load: 0x10000000..+0xaae60 is not inside a RAM bank\n");
	assert_int_equal(run("load blk 0:2 0x40100000 /hello.txt"), -EFAULT);
	assert_out_has("overlaps xenboot");
	assert_int_equal(run("load blk 0:2 0x47fffff0 /big.bin"), -EFAULT);
	assert_out_has("overlaps xenboot");
	assert_int_equal(run("load blk 0:2 0x48000004 /hello.txt"), -EFAULT);
	assert_out_has("overlaps device tree (0x48000000-");
	assert_int_equal(run("load blk 0:2 0x4fff0000 /big.bin"), -EFAULT);
	assert_out_has("not inside a RAM bank");
	assert_int_equal(run("load blk 0:2 0xffffffffffffff00 /big.bin"), -EFAULT);
	/* Bad numbers and positions. */
	assert_int_equal(run("load blk 0:2 0x4900zz /big.bin"), 1);
	assert_int_equal(run("load blk 0:2 0x49000000 /hello.txt 0 0x10"), -EINVAL);
	assert_out_has("position 0x10 is beyond the end of /hello.txt (0xf bytes)");
	assert_int_equal(run("load blk 0:2 0x49000000 /dir"), -EISDIR);
	assert_out_has("load: /dir: is a directory\n");
	assert_int_equal(run("fatload blk 0:2 0x49000000 /hello.txt"), -EINVAL);
	assert_out_has("holds ext4");
}

static void test_size_fstype(void **state)
{
	assert_int_equal(run("size blk 0:2 /dir/sub/nested.bin"), 0);
	assert_filesize(100000);
	assert_string_equal(out(), "");
	assert_int_equal(run("size blk 0:1 /missing"), -ENOENT);
	assert_int_equal(run("size blk 0:1"), 1);
	assert_int_equal(run("fstype blk 0:1"), 0);
	assert_string_equal(out(), "fat\n");
	assert_int_equal(run("fstype blk 0:2 t"), 0);
	assert_string_equal(env_get("t"), "ext4");
	assert_int_equal(run("fstype blk 0:2 1bad"), -EINVAL);
}

static void test_save(void **state)
{
	memcpy(guest(LOAD_GPA + 0x100000), "saved by xenboot\n", 17);
	assert_int_equal(run("save blk 0:1 0x49100000 /saved.txt 0x11"), 0);
	assert_out_has("17 bytes written in ");
	memset(guest(LOAD_GPA), 0, 32);
	assert_int_equal(run("load blk 0:1 0x49000000 /saved.txt"), 0);
	assert_memory_equal(guest(LOAD_GPA), "saved by xenboot\n", 17);
	/* fatwrite replaces it; an empty file is allowed. */
	assert_int_equal(run("fatwrite blk 0:1 0x49100000 /saved.txt 0"), 0);
	assert_int_equal(run("size blk 0:1 /saved.txt"), 0);
	assert_filesize(0);
	assert_int_equal(run("save blk 0:2 0x49100000 /x 1"), -EROFS);
	assert_out_has("save: /x: filesystem is read-only (only FAT can be written)\n");
	assert_int_equal(run("save blk 0:1 0x49100000 /x 1 1"), -EOPNOTSUPP);
	assert_int_equal(run("save blk 0:1 0x10000000 /x 1"), -EFAULT);
	assert_int_equal(run("save blk 0:1 0x49100000 /x 0x100000000"), -EFBIG);
	assert_int_equal(run("save blk 0:1 0x49100000 /nodir/x 1"), -ENOENT);
	assert_int_equal(run("save blk 0:1 0x49100000 /x"), 1);
}

static void test_part(void **state)
{
	assert_int_equal(run("part list blk 0"), 0);
	assert_out_has("Partition Map for blk device 0 (ram0)  --   Partition Type: EFI\n");
	assert_out_has("  1\t0x00000800\t0x000017ff\t\"boot\"\n");
	assert_out_has("\ttype:\tc12a7328-f81f-11d2-ba4b-00a0c93ec93b\n");
	assert_out_has("\"rootfs\"");
	assert_int_equal(run("part list blk ram0 parts"), 0);
	assert_string_equal(env_get("parts"), "1 2");
	assert_int_equal(run("part uuid blk 0:2 uuid"), 0);
	/* What `part uuid` stores is a spelling `ls` accepts. */
	char line[128];
	snprintf(line, sizeof(line), "ls blk PARTUUID=%s /dir", env_get("uuid"));
	assert_int_equal(run(line), 0);
	assert_out_has("sub/");
	assert_int_equal(run("part uuid blk 0:0"), -ENOENT);
	assert_int_equal(run("part list blk 5"), -ENODEV);
	assert_int_equal(run("part frob blk 0"), 1);
	assert_out_has("Usage: part ");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ls),
	    cmocka_unit_test(test_ls_errors),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_load_progress),
	    cmocka_unit_test(test_load_defaults),
	    cmocka_unit_test(test_load_refused),
	    cmocka_unit_test(test_size_fstype),
	    cmocka_unit_test(test_save),
	    cmocka_unit_test(test_part),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
