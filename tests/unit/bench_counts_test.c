/* What make bench relies on (issue 8, "benchmarks that can fail"): blkfront
 * counts the bytes the backend answered OKAY for, `pvblock read` reports that
 * count rather than the size asked, and `mw` poisons a buffer so that a pass
 * whose backend moved nothing shows in the CRC. A backend that answers OKAY
 * without data (SIM_BB_NO_DATA) is counted like an honest one: only the
 * poison and the CRC catch it, which is why the bench needs both. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"
#include <lib/memmap.h>

static char out[1 << 14];
static size_t out_len;

static void capture_write(const char *buf, size_t len)
{
	len = len < sizeof(out) - 1 - out_len ? len : sizeof(out) - 1 - out_len;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

static size_t capture_read(char *buf, size_t size, uint64_t deadline_ns)
{
	return 0;
}

static const struct console_ops capture_ops = {.write = capture_write, .read = capture_read};

/* Run one command line (space-separated words); its output is in out. */
static int run(const char *text)
{
	char line[160], *argv[8];
	int argc = 0;
	const struct cmd *c;

	snprintf(line, sizeof(line), "%s", text);
	for (char *w = strtok(line, " "); w && argc < 8; w = strtok(NULL, " ")) {
		argv[argc++] = w;
	}
	out_len = 0;
	out[0] = '\0';
	c = cmd_find(argv[0]);
	assert_non_null(c);
	return c->run(argc, argv);
}

static int setup(void **state)
{
	memmap_reset();
	return 0;
}

static int done(void **state)
{
	console_set(NULL);
	memmap_reset();
	return teardown(state);
}

static uint64_t read_bytes(void)
{
	struct blkfront_stats s;

	blkfront_stats_get(&s);
	return s.read_bytes;
}

static uint64_t written_bytes(void)
{
	struct blkfront_stats s;

	blkfront_stats_get(&s);
	return s.written_bytes;
}

static void test_counts_what_the_backend_answered(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);
	uint64_t r0 = read_bytes(), w0 = written_bytes();

	assert_int_equal(blkfront_read(dev, 3, 1000, guest_buf(1)), 0);
	assert_true(read_bytes() - r0 == 1000 * 512);
	assert_int_equal(blkfront_write(dev, 8, 16, guest_buf(0)), 0);
	assert_true(written_bytes() - w0 == 16 * 512);
	/* A request answered with an error moved nothing. */
	sim_blkback_fault(bb, SIM_BB_IO_ERROR, 0, 1000);
	r0 = read_bytes();
	assert_int_equal(blkfront_read(dev, 0, 2048, guest_buf(0)), -EIO);
	assert_true(read_bytes() == r0);
}

/* Direct grants too (no pool copy): the count is per answered segment. */
static void test_counts_direct_grants(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);
	uint64_t r0;

	cfg.has_persistent = false;
	one_disk(cfg);
	r0 = read_bytes();
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 4096, guest_buf(0)), 0);
	assert_true(read_bytes() - r0 == 4096 * 512);
	assert_memory_equal(guest_buf(0), image, 4096 * 512);
}

/* pvblock read prints the driver's count; stats shows the totals. */
static void test_pvblock_reports_driver_bytes(void **state)
{
	one_disk(full_cfg(XVDA, NULL));
	dtinfo_set(&dt);
	console_set(&capture_ops);
	assert_int_equal(run("pvblock read 0x49000000 0x10 0x800"), 0);
	assert_non_null(strstr(out, "2048 blocks read: OK"));
	assert_non_null(strstr(out, "\n1048576 bytes in "));
	assert_null(strstr(out, "the driver moved"));
	assert_int_equal(run("pvblock stats"), 0);
	char want[64];
	/* Totals since the program started: earlier tests count too. */
	snprintf(want, sizeof(want), "read %llu bytes, written %llu bytes",
		 (unsigned long long)read_bytes(), (unsigned long long)written_bytes());
	if (!strstr(out, want)) {
		fail_msg("no \"%s\" in:\n%s", want, out);
	}
}

/* The poison is what catches a backend that answers OKAY and moves nothing:
 * the command and the driver's count look like an honest pass. */
static void test_nodata_backend_caught_by_poison_only(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);
	struct sim_blkback *bb;

	cfg.has_persistent = false;
	bb = one_disk(cfg);
	dtinfo_set(&dt);
	console_set(&capture_ops);
	assert_int_equal(run("pvblock read 0x49000000 0 0x1000"), 0);
	assert_memory_equal(guest_buf(0), image, 0x1000 * 512);
	sim_blkback_fault(bb, SIM_BB_NO_DATA, 0, 1000);
	/* Without the poison the stale buffer still holds the right bytes. */
	assert_int_equal(run("pvblock read 0x49000000 0 0x1000"), 0);
	assert_non_null(strstr(out, "2097152 bytes in "));
	assert_memory_equal(guest_buf(0), image, 0x1000 * 512);
	/* With it, the buffer shows the pass moved nothing. */
	assert_int_equal(run("mw.q 0x49000000 0xdeadbeefdeadbeef 0x40000"), 0);
	assert_int_equal(run("pvblock read 0x49000000 0 0x1000"), 0);
	assert_non_null(strstr(out, "2097152 bytes in "));
	for (size_t i = 0; i < 0x1000 * 512; i += 8) {
		uint64_t v;
		memcpy(&v, guest_buf(i), 8);
		assert_true(v == 0xdeadbeefdeadbeefULL);
	}
}

static void test_mw_sizes(void **state)
{
	static const uint8_t want[16] = {0x88, 0xab, 0xab, 0xab, 0x44, 0x33, 0x22, 0x11,
					 0x34, 0x12, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12};

	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt);
	console_set(&capture_ops);
	assert_int_equal(run("mw.q 0x49000000 0x1122334455667788 2"), 0);
	assert_int_equal(run("mw.b 0x49000001 ab 3"), 0);
	assert_int_equal(run("mw.w 0x49000008 0x1234 2"), 0);
	assert_int_equal(run("mw 0x4900000c 0x12345678"), 0);
	assert_memory_equal(guest_buf(0), want, sizeof(want));
	/* Unaligned starts and odd lengths: every byte in phase, none past the end. */
	memset(guest_buf(0x100), 0, 64);
	assert_int_equal(run("mw.l 0x49000104 0xa1b2c3d4 5"), 0);
	for (unsigned int i = 0; i < 64; i++) {
		static const uint8_t le[4] = {0xd4, 0xc3, 0xb2, 0xa1};
		uint8_t b = *guest_buf(0x100 + i);
		assert_int_equal(b, i >= 4 && i < 24 ? le[i % 4] : 0);
	}
	assert_int_equal(run("mw.b 0x49000203 0x1ff 0"), 0);
	assert_int_equal(*guest_buf(0x203), 0);
}

static void test_mw_refusals(void **state)
{
	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt);
	console_set(&capture_ops);
	assert_int_equal(run("mw.l 0x49000002 1"), -EINVAL);
	assert_non_null(strstr(out, "4-byte aligned"));
	assert_int_equal(run("mw.x 0x49000000 1"), CMD_RET_USAGE);
	assert_int_equal(run("mw.qq 0x49000000 1"), CMD_RET_USAGE);
	assert_int_equal(run("mw 0x49000000"), CMD_RET_USAGE);
	assert_int_equal(run("mw.q 0x49000000 1 0x2000000000000000"), -EINVAL);
	/* Not RAM, and RAM that is xenboot's. */
	assert_int_equal(run("mw.b 0x1000 1 1"), -EFAULT);
	assert_int_equal(memmap_add(0x49100000, 0x1000, MEMMAP_XENBOOT), 0);
	*guest_buf(0x100ff8) = 7;
	assert_int_equal(run("mw.q 0x490ffff8 0 2"), -EFAULT);
	assert_non_null(strstr(out, "overlaps xenboot"));
	assert_int_equal(*guest_buf(0x100ff8), 7);
	/* The suffix is only for commands that take one. */
	assert_null(cmd_find("md.b"));
	assert_ptr_equal(cmd_find("mw.b"), cmd_find("mw"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_counts_what_the_backend_answered, setup, done),
	    cmocka_unit_test_setup_teardown(test_counts_direct_grants, setup, done),
	    cmocka_unit_test_setup_teardown(test_pvblock_reports_driver_bytes, setup, done),
	    cmocka_unit_test_setup_teardown(test_nodata_backend_caught_by_poison_only, setup, done),
	    cmocka_unit_test_setup_teardown(test_mw_sizes, setup, done),
	    cmocka_unit_test_setup_teardown(test_mw_refusals, setup, done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
