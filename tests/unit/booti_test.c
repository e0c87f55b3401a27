/* `booti` end to end on the simulated Xen: a made-up arm64 Image (plain and
 * gzip'd with the host zlib), raw and mkimage-wrapped initrds, Xen's DTB or
 * an explicit one. The sandbox's arch records the jump, so each test checks
 * the registers the kernel would get (entry = placed kernel, x0 = a DTB
 * that libfdt reads back with our /chosen) and, for every refusal, that
 * nothing was written and no jump happened.
 * RAM: 0x40000000..0x50000000; xenboot and its heap up to the DT at
 * 0x48000000 (64 KiB); free from 0x48010000. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest_world.h"

#include "uimage_build.h"
#include <arch/arch.h>
#include <boot/image.h>
#include <cmd/cmd.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <libfdt.h>
#include <sandbox/jump.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <zlib.h>

#define MIB (1ULL << 20)
#define KERNEL_GPA 0x49000000ULL /* 2 MiB-aligned */
#define FILE_SIZE (2 * MIB) /* the Image file */
#define IMAGE_SIZE (6 * MIB) /* its image_size (file + bss) */
#define FIRST_FREE_2M 0x48200000ULL /* first 2 MiB boundary above the DT */
#define INITRD_GPA 0x4c000000ULL
#define INITRD_SIZE 0x123456ULL

static struct dtinfo dt;
static uint8_t *image; /* FILE_SIZE bytes */

static uint8_t *guest(uint64_t gpa)
{
	return arch_phys_to_virt(gpa);
}

static void make_image(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	struct image_header h = {0};

	for (size_t i = 0; i < FILE_SIZE; i++) {
		image[i] = (uint8_t)((i * 7) ^ (i >> 11));
	}
	put_le32(&h.code0, 0x14000010);
	put_le64(&h.text_offset, text_offset);
	put_le64(&h.image_size, image_size);
	put_le64(&h.flags, flags);
	put_le32(&h.magic, IMAGE_MAGIC);
	memcpy(image, &h, sizeof(h));
}

/* The Image gzip'd by the host zlib at @gpa; returns its length. */
static size_t put_gzip(uint64_t gpa)
{
	z_stream zs = {0};

	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = image;
	zs.avail_in = FILE_SIZE;
	zs.next_out = guest(gpa);
	zs.avail_out = 4 * MIB;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt)) {
		return -1;
	}
	sandbox_jump_reset();
	image = malloc(FILE_SIZE);
	make_image(0, IMAGE_SIZE, 0xa);
	return image ? 0 : -1;
}

/* A guest over 3 GiB has a second bank at 0x200000000 (here 512 MiB). */
static int setup_two_banks(void **state)
{
	struct sim_config cfg = {.bank_count = 2,
				 .banks = {{SIM_RAM0_BASE, 256 * MIB}, {SIM_RAM1_BASE, 512 * MIB}}};

	if (guest_world_start(&cfg, &dt)) {
		return -1;
	}
	sandbox_jump_reset();
	image = malloc(FILE_SIZE);
	make_image(0, 200 * MIB, 0xa);
	return image ? 0 : -1;
}

static int teardown(void **state)
{
	free(image);
	if (env_set("bootargs", NULL)) {
		fail();
	}
	sim_reset();
	return 0;
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static void assert_out_has(const char *text)
{
	const char *out = sim_console_output(NULL);

	if (!strstr(out, text)) {
		fail_msg("output lacks \"%s\":\n%s", text, out);
	}
}

/* The jump happened once, to @entry, with x0 a valid DTB and x1..x3 zero. */
static const void *assert_jumped(uint64_t entry)
{
	const struct sandbox_jump *j = sandbox_jump_last();

	assert_int_equal(j->count, 1);
	assert_int_equal(j->entry, entry);
	assert_int_equal(j->x[1] | j->x[2] | j->x[3], 0);
	assert_true(j->x[0] % 8 == 0);
	assert_true(dtinfo_is_ram(&dt, j->x[0], 4096));
	const void *fdt = guest(j->x[0]);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	assert_true(fdt_totalsize(fdt) <= 2 * MIB);
	/* Not over xenboot or the DT it came from. */
	assert_int_equal(memmap_check(j->x[0], fdt_totalsize(fdt), NULL), 0);
	return fdt;
}

static uint64_t chosen_u64(const void *fdt, const char *name)
{
	int len;
	const fdt64_t *p = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, &len);

	assert_non_null(p);
	assert_int_equal(len, 8);
	return fdt64_ld(p);
}

static void test_plain_in_place(void **state)
{
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_int_equal(env_set("bootargs", "console=hvc0 root=/dev/xvda2"), 0);
	assert_int_equal(run("booti 49000000 - "), 0);
	assert_out_has("## Flattened Device Tree blob at 48000000");
	assert_out_has("Kernel at 0x49000000..0x49600000 (in place), no initrd, DTB at 0x");
	assert_out_has("Starting kernel ...");
	const void *fdt = assert_jumped(KERNEL_GPA);
	int chosen = fdt_path_offset(fdt, "/chosen");
	assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL),
			    "console=hvc0 root=/dev/xvda2");
	assert_null(fdt_getprop(fdt, chosen, "linux,initrd-start", NULL));
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "xen,xen") >= 0);
	assert_memory_equal(guest(KERNEL_GPA), image, FILE_SIZE);
}

/* Not on a 2 MiB boundary: moved to the lowest free one. */
static void test_plain_moved(void **state)
{
	memcpy(guest(KERNEL_GPA + 0x1000), image, FILE_SIZE);
	assert_int_equal(run("booti 0x49001000"), 0);
	assert_out_has("Moving Image from 0x49001000 to 0x48200000");
	assert_jumped(FIRST_FREE_2M);
	assert_memory_equal(guest(FIRST_FREE_2M), image, FILE_SIZE);
}

/* text_offset 0x80000 and a kernel without flags bit 3. */
static void test_plain_text_offset(void **state)
{
	make_image(0x80000, IMAGE_SIZE, 0x2);
	memcpy(guest(0x4a080000), image, FILE_SIZE);
	assert_int_equal(run("booti 4a080000"), 0);
	/* As low as possible: from the first 2 MiB base above the DT. */
	assert_jumped(FIRST_FREE_2M + 0x80000);
	assert_memory_equal(guest(FIRST_FREE_2M + 0x80000), image, FILE_SIZE);
}

static void test_gzip(void **state)
{
	size_t n = put_gzip(KERNEL_GPA);

	assert_true(n < FILE_SIZE);
	assert_int_equal(run("booti 49000000"), 0);
	assert_out_has("Uncompressing Kernel Image");
	assert_out_has("(inflated)");
	assert_jumped(FIRST_FREE_2M);
	assert_memory_equal(guest(FIRST_FREE_2M), image, FILE_SIZE);
}

static void test_initrd_raw(void **state)
{
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	memset(guest(INITRD_GPA), 0x3c, INITRD_SIZE);
	assert_int_equal(run("booti 49000000 4c000000:123456"), 0);
	const void *fdt = assert_jumped(KERNEL_GPA);
	assert_int_equal(chosen_u64(fdt, "linux,initrd-start"), INITRD_GPA);
	assert_int_equal(chosen_u64(fdt, "linux,initrd-end"), INITRD_GPA + INITRD_SIZE);
}

/* An initrd inside the kernel's image_size: the kernel moves, not the initrd. */
static void test_initrd_over_bss(void **state)
{
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	memset(guest(KERNEL_GPA + FILE_SIZE), 0x3c, INITRD_SIZE);
	assert_int_equal(run("booti 49000000 49200000:123456"), 0);
	const void *fdt = assert_jumped(FIRST_FREE_2M);
	assert_memory_equal(guest(FIRST_FREE_2M), image, FILE_SIZE);
	assert_int_equal(chosen_u64(fdt, "linux,initrd-start"), KERNEL_GPA + FILE_SIZE);
	assert_int_equal(guest(KERNEL_GPA + FILE_SIZE)[INITRD_SIZE - 1], 0x3c);
}

static void test_initrd_legacy(void **state)
{
	static uint8_t img[64 + 0x10000];
	static uint8_t payload[0x10000];

	memset(payload, 0x5a, sizeof(payload));
	size_t len = ub_image(img, 3, 0, "initramfs", payload, sizeof(payload));
	memcpy(guest(INITRD_GPA), img, len);
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_int_equal(run("booti 49000000 4c000000"), 0);
	const void *fdt = assert_jumped(KERNEL_GPA);
	assert_int_equal(chosen_u64(fdt, "linux,initrd-start"), INITRD_GPA + 64);
	assert_int_equal(chosen_u64(fdt, "linux,initrd-end"), INITRD_GPA + 64 + sizeof(payload));
	/* A script image is not a ramdisk; a bad CRC is refused. */
	ub_script(guest(INITRD_GPA), 0, "echo hi", 7);
	sandbox_jump_reset();
	assert_int_not_equal(run("booti 49000000 4c000000"), 0);
	assert_out_has("booti: no ramdisk image at 0x4c000000: wrong image type");
	memcpy(guest(INITRD_GPA), img, len);
	guest(INITRD_GPA)[100] ^= 1;
	assert_int_not_equal(run("booti 49000000 4c000000"), 0);
	assert_out_has("bad CRC");
	assert_int_equal(sandbox_jump_last()->count, 0);
}

/* An explicit DTB: used as given, with a warning when /hypervisor is missing. */
static void test_explicit_fdt(void **state)
{
	void *fdt = guest(0x4e000000);

	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_int_equal(fdt_open_into(dt.fdt, fdt, 0x10000), 0);
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/"), "model", "mine"), 0);
	assert_int_equal(run("booti 49000000 - 4e000000"), 0);
	assert_out_has("## Flattened Device Tree blob at 4e000000");
	const void *out = assert_jumped(KERNEL_GPA);
	assert_string_equal(fdt_getprop(out, 0, "model", NULL), "mine");
	assert_null(strstr(sim_console_output(NULL), "no /hypervisor"));

	assert_int_equal(fdt_del_node(fdt, fdt_path_offset(fdt, "/hypervisor")), 0);
	sandbox_jump_reset();
	assert_int_equal(run("booti 49000000 - 4e000000"), 0);
	assert_out_has("warning: device tree at 0x4e000000 has no /hypervisor node");
}

/* A refusal found while planning prints its reason and nothing else of booti's. */
static void assert_one_line(void)
{
	const char *out = sim_console_output(NULL);
	const char *nl = strchr(out, '\n');

	assert_non_null(nl);
	assert_true(strncmp(nl + 1, "booti: failed: ", 15) == 0 || nl[1] == '\r');
	assert_null(strstr(out, "## Flattened"));
}

/* Run a refused booti: one "booti: ..." line, no jump, memory unchanged, shell fine. */
static void assert_refused(const char *line, const char *why, uint64_t watch, size_t len,
			   bool is_planning)
{
	uint8_t *before = malloc(len);

	assert_non_null(before);
	memcpy(before, guest(watch), len);
	assert_int_not_equal(run(line), 0);
	assert_out_has(why);
	assert_null(strstr(sim_console_output(NULL), "Starting kernel"));
	assert_int_equal(sandbox_jump_last()->count, 0);
	assert_memory_equal(before, guest(watch), len);
	free(before);
	if (is_planning) {
		assert_one_line();
	}
	assert_int_equal(run("echo still here"), 0);
	assert_out_has("still here");
}

static void test_refusals(void **state)
{
	memset(guest(KERNEL_GPA), 0, FILE_SIZE);
	assert_refused("booti 49000000", "booti: no arm64 Image at 0x49000000: bad magic",
		       0x48010000, 0x7ff0000, true);
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_refused("booti 49000000 40100000:1000",
		       "booti: initrd at 0x40100000..0x40101000 "
		       "overlaps xenboot",
		       0x48010000, 0x7ff0000, true);
	assert_refused("booti 49000000 - 4e000000", "booti: no valid device tree at 0x4e000000",
		       0x48010000, 0x7ff0000, true);
	assert_refused("booti 30000000",
		       "booti: kernel at 0x30000000..+0x40 is not inside a "
		       "RAM bank",
		       0x48010000, 0x7ff0000, true);
	/* A kernel bigger than RAM. */
	make_image(0, 300 * MIB, 0xa);
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_refused("booti 49000000", "booti: no room for the kernel in RAM (300 MiB",
		       0x48010000, 0x7ff0000, true);
	assert_int_equal(run("booti"), CMD_RET_USAGE);
	assert_int_equal(run("booti zz"), CMD_RET_USAGE);
}

/* A truncated Image.gz: the rest of RAM is not gzip data. Only free RAM
 * (where it was being inflated) changes; the source stays. */
static void test_gzip_truncated(void **state)
{
	size_t n = put_gzip(KERNEL_GPA);

	memset(guest(KERNEL_GPA + n / 2), 0, 0x10000000 - (KERNEL_GPA + n / 2 - 0x40000000));
	assert_refused("booti 49000000", "booti: Image.gz at 0x49000000: truncated or corrupt",
		       KERNEL_GPA, n / 2, false);
	/* Too big for its header's image_size. */
	make_image(0, FILE_SIZE / 2, 0xa);
	n = put_gzip(KERNEL_GPA);
	assert_refused("booti 49000000", "truncated or corrupt (inflates past its image_size)",
		       KERNEL_GPA, n, false);
}

/* 200 MiB do not fit in bank 0's free part: bank 1. One already there stays. */
static void test_two_banks(void **state)
{
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_int_equal(run("booti 49000000"), 0);
	assert_jumped(SIM_RAM1_BASE);
	assert_memory_equal(guest(SIM_RAM1_BASE), image, FILE_SIZE);
	sandbox_jump_reset();
	memcpy(guest(SIM_RAM1_BASE + 256 * MIB), image, FILE_SIZE);
	assert_int_equal(run("booti 210000000 4c000000:1000"), 0);
	const void *fdt = assert_jumped(SIM_RAM1_BASE + 256 * MIB);
	/* The initrd in bank 0 shares the kernel's 32 GiB window: it stays. */
	assert_int_equal(chosen_u64(fdt, "linux,initrd-start"), INITRD_GPA);
}

/* Pages lost to a backend: never under the kernel, reserved in the DTB. */
static void test_lost_pages(void **state)
{
	uint64_t addr, size;

	assert_int_equal(memmap_add(0x48300000, 0x2000, MEMMAP_LOST), 0);
	memcpy(guest(KERNEL_GPA + 0x1000), image, FILE_SIZE);
	assert_int_equal(run("booti 49001000"), 0);
	const void *fdt = assert_jumped(0x48400000);
	assert_int_equal(fdt_num_mem_rsv(fdt), 1);
	assert_int_equal(fdt_get_mem_rsv(fdt, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x48300000);
	assert_int_equal(size, 0x2000);
}

/*
 * Pages an EFI application allocated and left behind (the page allocator's
 * map): the kernel, the initrd and the DTB go around them, in whole pages,
 * and booti leaves the map as it found it.
 */
static void test_allocated_pages(void **state)
{
	struct memmap_desc before[32], after[32];
	unsigned int n = 0, m = 0;
	uint64_t top = 0;

	assert_int_equal(memmap_alloc_at(FIRST_FREE_2M + 0x1ff000, 0x1000, 4), 0);
	/* 17 bytes across the two pages after where the kernel's 6 MiB go. */
	assert_int_equal(memmap_add(0x48a00ff0, 0x11, MEMMAP_LOST), 0);
	assert_int_equal(memmap_alloc(&top, 3 * MIB, 0, 0, UINT64_MAX, true, 0x80000001), 0);
	assert_int_equal(memmap_describe(before, 32, &n), 0);
	memcpy(guest(KERNEL_GPA + 0x1000), image, FILE_SIZE);
	memset(guest(INITRD_GPA), 0x5a, INITRD_SIZE);
	assert_int_equal(run("booti 49001000 4c000000:123456"), 0);
	const void *fdt = assert_jumped(0x48400000);
	uint64_t initrd = chosen_u64(fdt, "linux,initrd-start");
	assert_int_equal(initrd, INITRD_GPA); /* free where it is: stays */
	assert_int_equal(memmap_check(initrd, INITRD_SIZE, NULL), 0);
	assert_int_equal(memmap_describe(after, 32, &m), 0);
	assert_int_equal(m, n);
	assert_memory_equal(after, before, n * sizeof(after[0]));
	/* The DTB: the lowest free page above the kernel, past the lost byte's two pages. */
	assert_int_equal(sandbox_jump_last()->x[0], 0x48a02000);
}

/* Many allocations of different types side by side (what an EFI application
 * may leave): one busy run for booti, not one each (48 at most). */
static void test_many_allocations(void **state)
{
	uint64_t a;

	for (uint32_t i = 0; i < 200; i++) {
		assert_int_equal(memmap_alloc(&a, 4096, 0, 0, UINT64_MAX, true, i % 7), 0);
	}
	/* And 40 lone pages with free ones between. */
	for (uint64_t i = 0; i < 40; i++) {
		assert_int_equal(memmap_alloc_at(0x4d000000 + 2 * i * 4096, 4096, 2), 0);
	}
	memcpy(guest(KERNEL_GPA), image, FILE_SIZE);
	assert_int_equal(run("booti 49000000"), 0);
	const void *fdt = assert_jumped(KERNEL_GPA);
	assert_int_equal(memmap_check(sandbox_jump_last()->x[0], fdt_totalsize(fdt), NULL), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_plain_in_place),
	    T(test_plain_moved),
	    T(test_plain_text_offset),
	    T(test_gzip),
	    T(test_initrd_raw),
	    T(test_initrd_over_bss),
	    T(test_initrd_legacy),
	    T(test_explicit_fdt),
	    T(test_refusals),
	    T(test_gzip_truncated),
	    T(test_lost_pages),
	    T(test_allocated_pages),
	    T(test_many_allocations),
	    cmocka_unit_test_setup_teardown(test_two_banks, setup_two_banks, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
