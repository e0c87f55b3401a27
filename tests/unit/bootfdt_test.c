/* boot/fdt.c: the DTB handed to Linux, checked with libfdt. The source is
 * the sim's libxl-like tree (with /hypervisor, /chosen bootargs and initrd
 * properties) plus a /memreserve/ entry added here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <boot/fdt.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <libfdt.h>
#include <sim/sim.h>

#define SRC_SIZE 0x10000

static uint8_t *src, *dst;

static int setup(void **state)
{
	struct sim_config cfg = {.bootargs = "console=hvc0 from-xen",
				 .initrd_start = 0x4c000000,
				 .initrd_end = 0x4c100000};
	uint64_t size;
	const void *fdt;

	if (sim_init(&cfg)) {
		return -1;
	}
	fdt = sim_fdt(&size);
	src = calloc(1, SRC_SIZE);
	dst = calloc(1, BOOTFDT_MAX_SIZE);
	if (!src || !dst || fdt_open_into(fdt, src, SRC_SIZE) ||
	    fdt_add_mem_rsv(src, 0x4f000000, 0x2000) || fdt_pack(src)) {
		return -1;
	}
	memmap_reset();
	return 0;
}

static int teardown(void **state)
{
	free(src);
	free(dst);
	sim_reset();
	return 0;
}

/* Both trees' property @name of node @path, byte for byte. */
static void assert_same_prop(const void *a, const void *b, const char *path, const char *name)
{
	int la, lb;
	const void *pa = fdt_getprop(a, fdt_path_offset(a, path), name, &la);
	const void *pb = fdt_getprop(b, fdt_path_offset(b, path), name, &lb);

	assert_non_null(pa);
	assert_non_null(pb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
}

static uint64_t prop_u64(const void *fdt, const char *name)
{
	int len;
	const fdt64_t *p = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, &len);

	assert_non_null(p);
	assert_int_equal(len, 8);
	return fdt64_ld(p);
}

static uint32_t prepare(const struct bootfdt_params *p)
{
	uint32_t size = 0;

	assert_int_equal(bootfdt_check(src, SRC_SIZE, &size), 0);
	assert_int_equal(size, fdt_totalsize(src));
	uint32_t copy = bootfdt_copy_size(size, p->bootargs);
	assert_true(copy > size && copy % 4096 == 0);
	assert_int_equal(bootfdt_prepare(src, dst, copy, p), 0);
	assert_int_equal(fdt_check_full(dst, copy), 0);
	return copy;
}

static void test_chosen(void **state)
{
	struct bootfdt_params p = {"root=/dev/xvda2 ro quiet", true, 0x48400000, 0x48c00000};
	uint8_t before[SRC_SIZE];

	memcpy(before, src, SRC_SIZE);
	prepare(&p);
	assert_string_equal(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "bootargs", NULL),
			    "root=/dev/xvda2 ro quiet");
	assert_int_equal(prop_u64(dst, "linux,initrd-start"), 0x48400000);
	assert_int_equal(prop_u64(dst, "linux,initrd-end"), 0x48c00000);
	/* The source is never written. */
	assert_memory_equal(before, src, SRC_SIZE);
}

/* No $bootargs: the tree's stays. No initrd: Xen's properties go. */
static void test_keep_bootargs_drop_initrd(void **state)
{
	struct bootfdt_params p = {NULL, false, 0, 0};
	int node;

	prepare(&p);
	node = fdt_path_offset(dst, "/chosen");
	assert_string_equal(fdt_getprop(dst, node, "bootargs", NULL), "console=hvc0 from-xen");
	assert_null(fdt_getprop(dst, node, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dst, node, "linux,initrd-end", NULL));
}

/* /hypervisor, /memory and /memreserve/ pass unchanged. */
static void test_rest_unchanged(void **state)
{
	struct bootfdt_params p = {"x", true, 1, 2};
	uint64_t addr, size;

	prepare(&p);
	assert_true(bootfdt_has_hypervisor(dst));
	assert_same_prop(src, dst, "/hypervisor", "reg");
	assert_same_prop(src, dst, "/hypervisor", "compatible");
	assert_same_prop(src, dst, "/hypervisor", "interrupts");
	assert_int_equal(fdt_num_mem_rsv(dst), 1);
	assert_int_equal(fdt_get_mem_rsv(dst, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x4f000000);
	assert_int_equal(size, 0x2000);
}

/* Lost pages become /memreserve/ entries, page-rounded; other kinds do not. */
static void test_lost_pages(void **state)
{
	struct bootfdt_params p = {"x", false, 0, 0};
	uint64_t addr, size;

	assert_int_equal(memmap_add(0x40080000, 0x1000000, MEMMAP_XENBOOT), 0);
	assert_int_equal(memmap_add(0x40200000, 0x3000, MEMMAP_LOST), 0);
	assert_int_equal(memmap_add(0x40300800, 0x100, MEMMAP_LOST), 0);
	prepare(&p);
	assert_int_equal(bootfdt_reserve_lost(dst), 0);
	assert_int_equal(fdt_num_mem_rsv(dst), 3);
	assert_int_equal(fdt_get_mem_rsv(dst, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x4f000000);
	assert_int_equal(fdt_get_mem_rsv(dst, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x40200000);
	assert_int_equal(size, 0x3000);
	assert_int_equal(fdt_get_mem_rsv(dst, 2, &addr, &size), 0);
	assert_int_equal(addr, 0x40300000);
	assert_int_equal(size, 0x1000);
}

/* Room for a memreserve entry per memmap region, whatever is in the table. */
static void test_room_for_every_region(void **state)
{
	struct bootfdt_params p = {"console=hvc0", true, 0x48400000, 0x48c00000};

	for (unsigned int i = 0; i < MEMMAP_MAX; i++) {
		assert_int_equal(memmap_add(0x41000000 + i * 0x2000, 0x1000, MEMMAP_LOST), 0);
	}
	prepare(&p);
	assert_int_equal(bootfdt_reserve_lost(dst), 0);
	assert_int_equal(fdt_num_mem_rsv(dst), MEMMAP_MAX + 1);
}

/* A tree without /chosen gets one. */
static void test_no_chosen(void **state)
{
	struct bootfdt_params p = {"quiet", true, 0x100000, 0x200000};

	assert_int_equal(fdt_del_node(src, fdt_path_offset(src, "/chosen")), 0);
	prepare(&p);
	assert_int_equal(prop_u64(dst, "linux,initrd-end"), 0x200000);
	assert_string_equal(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "bootargs", NULL),
			    "quiet");
}

static void test_refusals(void **state)
{
	struct bootfdt_params p = {NULL, false, 0, 0};
	uint32_t size;
	uint8_t *big;

	/* Shorter than it says, not a DT, corrupt structure. */
	assert_int_equal(bootfdt_check(src, fdt_totalsize(src) - 1, &size), -EILSEQ);
	assert_int_equal(bootfdt_check("not a device tree at all, no", 40, &size), -EINVAL);
	memcpy(dst, src, fdt_totalsize(src));
	/* The root's first property: its name offset points past the strings. */
	((uint8_t *)dst)[fdt_off_dt_struct(dst) + 16] = 0x7f;
	assert_int_equal(bootfdt_check(dst, SRC_SIZE, &size), -EILSEQ);
	/* Over 2 MiB. */
	big = calloc(1, BOOTFDT_MAX_SIZE + 4096);
	assert_non_null(big);
	assert_int_equal(fdt_open_into(src, big, BOOTFDT_MAX_SIZE + 4096), 0);
	assert_int_equal(bootfdt_check(big, BOOTFDT_MAX_SIZE + 4096, &size), -EFBIG);
	free(big);
	/* A copy too small, and bootargs that cannot fit in 2 MiB. */
	assert_int_equal(bootfdt_prepare(src, dst, 64, &p), -ENOSPC);
	assert_int_equal(bootfdt_copy_size(BOOTFDT_MAX_SIZE - 100, NULL), 0);
}

static void test_no_hypervisor(void **state)
{
	assert_true(bootfdt_has_hypervisor(src));
	assert_int_equal(fdt_del_node(src, fdt_path_offset(src, "/hypervisor")), 0);
	assert_false(bootfdt_has_hypervisor(src));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_chosen),
	    T(test_keep_bootargs_drop_initrd),
	    T(test_rest_unchanged),
	    T(test_lost_pages),
	    T(test_room_for_every_region),
	    T(test_no_chosen),
	    T(test_refusals),
	    T(test_no_hypervisor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
