/* lib/dtinfo.c: what xenboot reads from the DT Xen hands over. The DTs come
 * from the sim's libxl-shaped builder, plus hand-made and broken ones: the
 * blob is untrusted input (STYLE U5, U6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libfdt.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/dt.h>
#include <sim/sim.h>
#include <string.h>

static unsigned char blob[65536];

static int build(struct sim_config *cfg)
{
	int len = sim_dt_build(cfg, blob, sizeof(blob));

	assert_true(len > 0);
	return len;
}

static void test_one_bank(void **state)
{
	struct sim_config cfg = { 0 };
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), 0);
	assert_ptr_equal(dt.fdt, blob);
	assert_int_equal(dt.fdt_size, len);
	assert_int_equal(dt.bank_count, 1);
	assert_true(dt.banks[0].base == SIM_RAM0_BASE);
	assert_true(dt.banks[0].size == 0x10000000);
	assert_true(dt.has_hypervisor);
	assert_string_equal(dt.xen_compatible, "xen,xen-4.17");
	assert_true(dt.gnttab.base == SIM_GNTTAB_BASE);
	assert_true(dt.gnttab.size == SIM_GNTTAB_SIZE);
	assert_int_equal(dt.ext_region_count, 2);
	/* Extended regions never overlap RAM. */
	assert_true(dt.ext_regions[0].base >= SIM_RAM0_BASE + 0x10000000);
	assert_int_equal(dt.evtchn_intid, 31);
	assert_int_equal(dt.gic_version, 2);
	assert_true(dt.gicd.base == SIM_GICD_BASE);
	assert_true(dt.gicc.base == SIM_GICC_BASE);
	assert_int_equal(dt.vtimer_intid, 27);
	assert_null(dt.bootargs);
	assert_false(dt.has_initrd);
}

static void test_two_banks_chosen(void **state)
{
	struct sim_config cfg = {
		.bank_count = 2,
		.banks = { { SIM_RAM0_BASE, 0xC0000000ULL }, { SIM_RAM1_BASE, 0x40000000ULL } },
		.bootargs = "root=/dev/xvda1 quiet",
		.initrd_start = 0x48000000,
		.initrd_end = 0x48800000,
		.no_ext_regions = true,
	};
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), 0);
	assert_int_equal(dt.bank_count, 2);
	assert_true(dt.banks[0].base == SIM_RAM0_BASE && dt.banks[0].size == 0xC0000000ULL);
	assert_true(dt.banks[1].base == SIM_RAM1_BASE && dt.banks[1].size == 0x40000000ULL);
	assert_int_equal(dt.ext_region_count, 0);
	assert_string_equal(dt.bootargs, "root=/dev/xvda1 quiet");
	assert_true(dt.has_initrd);
	assert_true(dt.initrd_start == 0x48000000 && dt.initrd_end == 0x48800000);
}

static void test_no_hypervisor(void **state)
{
	struct sim_config cfg = { .dt_mode = SIM_DT_NO_HYPERVISOR };
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), 0);
	assert_false(dt.has_hypervisor);
	assert_true(dt.gnttab.size == 0);
	assert_int_equal(dt.bank_count, 1);
}

static void test_no_memory(void **state)
{
	struct sim_config cfg = { .dt_mode = SIM_DT_NO_MEMORY };
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -ENOENT);
}

static void test_gic_v3(void **state)
{
	struct sim_config cfg = { .dt_mode = SIM_DT_GIC_V3 };
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), 0);
	assert_int_equal(dt.gic_version, 3);
	assert_true(dt.gicd.base == SIM_GICD_BASE);
}

static void test_garbage_and_null(void **state)
{
	struct sim_config cfg = { .dt_mode = SIM_DT_GARBAGE };
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -EINVAL);
	assert_int_equal(dtinfo_parse(NULL, 4096, &dt), -EINVAL);
	memset(blob, 0, 64);
	assert_int_equal(dtinfo_parse(blob, 64, &dt), -EINVAL);
}

/* Every shorter readable size is refused: the header's totalsize is the
 * blob's claim, max_size is the truth. */
static void test_truncated(void **state)
{
	struct sim_config cfg = { .bootargs = "a" };
	struct dtinfo dt;
	int len = build(&cfg);

	for (int n = 0; n < len; n += 7) {
		assert_int_equal(dtinfo_parse(blob, (uint64_t)n, &dt), -EINVAL);
	}
	/* A header that claims more than the buffer holds. */
	fdt_set_totalsize(blob, (uint32_t)len + 4096);
	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -EINVAL);
}

/* libfdt's full check dereferences NULL on versions before 16 (found by
 * the dtinfo fuzzer) and Xen writes 17: older blobs are refused before it runs. */
static void test_old_version(void **state)
{
	struct sim_config cfg = { 0 };
	struct dtinfo dt;
	int len = build(&cfg);

	fdt_set_version(blob, 16);
	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -EINVAL);
	fdt_set_version(blob, 15);
	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -EINVAL);
	fdt_set_version(blob, 8);
	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), -EINVAL);
}

/* Single corrupted bytes anywhere: any result but a crash (ASan watches). */
static void test_corrupted_bytes(void **state)
{
	struct sim_config cfg = { .bootargs = "console=hvc0" };
	struct dtinfo dt;
	int len = build(&cfg);
	static unsigned char copy[65536];

	for (int i = 0; i < len; i++) {
		memcpy(copy, blob, (size_t)len);
		copy[i] ^= 0xff;
		int rc = dtinfo_parse(copy, (uint64_t)len, &dt);
		assert_true(rc == 0 || rc == -EINVAL || rc == -ENOENT || rc == -E2BIG);
		if (rc == 0 && dt.bootargs) {
			assert_true(strnlen(dt.bootargs, (size_t)len) < (size_t)len);
		}
	}
}

/* More banks than we keep: reported, and the first ones still filled in. */
static void test_too_many_banks(void **state)
{
	fdt64_t reg[2 * (DTINFO_MAX_BANKS + 2)];
	struct dtinfo dt;

	for (unsigned int i = 0; i < DTINFO_MAX_BANKS + 2; i++) {
		reg[2 * i] = cpu_to_fdt64(SIM_RAM0_BASE + i * 0x1000000ULL);
		reg[2 * i + 1] = cpu_to_fdt64(0x100000);
	}
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_property_u32(blob, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(blob, "#size-cells", 2), 0);
	assert_int_equal(fdt_begin_node(blob, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(blob, "device_type", "memory"), 0);
	assert_int_equal(fdt_property(blob, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	assert_int_equal(dtinfo_parse(blob, fdt_totalsize(blob), &dt), -E2BIG);
	assert_int_equal(dt.bank_count, DTINFO_MAX_BANKS);
	assert_true(dt.banks[7].base == SIM_RAM0_BASE + 7 * 0x1000000ULL);
}

static void test_is_ram(void **state)
{
	struct sim_config cfg = {
		.bank_count = 2,
		.banks = { { SIM_RAM0_BASE, 0x1000000 }, { SIM_RAM1_BASE, 0x1000000 } },
	};
	struct dtinfo dt;
	int len = build(&cfg);

	assert_int_equal(dtinfo_parse(blob, (uint64_t)len, &dt), 0);
	assert_true(dtinfo_is_ram(&dt, SIM_RAM0_BASE, 0x1000000));
	assert_true(dtinfo_is_ram(&dt, SIM_RAM1_BASE + 0x10, 0x100));
	assert_false(dtinfo_is_ram(&dt, SIM_RAM0_BASE + 0xfff000, 0x2000));
	assert_false(dtinfo_is_ram(&dt, ~0ULL - 10, 100));
	assert_false(dtinfo_is_ram(NULL, SIM_RAM0_BASE, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_bank),
		cmocka_unit_test(test_two_banks_chosen),
		cmocka_unit_test(test_no_hypervisor),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_gic_v3),
		cmocka_unit_test(test_garbage_and_null),
		cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupted_bytes),
		cmocka_unit_test(test_too_many_banks),
		cmocka_unit_test(test_is_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
