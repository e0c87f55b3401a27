/* meminfo's memory map (cmd/meminfo.c): every bank covered, what holds what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guest_world.h"

#include <arch/arch.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/console.h>

static struct dtinfo dt;

static int setup(void **state)
{
	return guest_world_start(NULL, &dt);
}

static int teardown(void **state)
{
	guest_world_stop();
	return 0;
}

static const char *run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	assert_int_equal(shell_run_line(buf), 0);
	pvcons_flush(arch_time_ns() + 1000000000ULL); /* what is still in the ring */
	return sim_console_output(NULL);
}

static void assert_has(const char *out, const char *text)
{
	if (!strstr(out, text)) {
		fail_msg("output lacks \"%s\":\n%s", text, out);
	}
}

static void test_map(void **state)
{
	uint64_t a;

	assert_int_equal(memmap_add(0x40001800, 0x10, MEMMAP_LOST), 0);
	assert_int_equal(memmap_alloc(&a, 8192, 0, 0, UINT64_MAX, true, 0x80000001), 0);
	const char *out = run("meminfo");
	assert_has(out, "Memory map (9 entries, key ");
	assert_has(out, "  0x0000000040000000-0x0000000040000fff free");
	assert_has(out, "  0x0000000040001000-0x0000000040001fff lost to a backend");
	assert_has(out, "  0x0000000040080000-0x000000004047ffff xenboot");
	assert_has(out, " xenboot heap");
	assert_has(out, " device tree");
	assert_has(out, "  0x000000004fffe000-0x000000004fffffff allocated (type 0x80000001)");
}

/* More entries than one call takes: the rest is counted, not printed. */
static void test_long_map(void **state)
{
	for (uint64_t i = 0; i < 40; i++) {
		assert_int_equal(memmap_alloc_at(0x4c000000 + 2 * i * 4096, 4096, 1), 0);
	}
	const char *out = run("meminfo");
	assert_has(out, "Memory map (86 entries, ");
	assert_has(out, "-0x000000004bffffff free"); /* up to the first one */
	assert_has(out, "  ... 54 more");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_map, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_map, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
