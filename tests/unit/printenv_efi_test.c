/* printenv -e (cmd/printenv_efi.c): the UEFI variables with their GUID,
 * attributes, size and data, one by name, and the errors. */
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
#include <efi/efi.h>
#include <efi/varstore.h>
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

static const char *run(const char *line, int want_rc)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	int rc = shell_run_line(buf);
	if (want_rc == 0) {
		assert_int_equal(rc, 0);
	} else {
		assert_int_not_equal(rc, 0);
	}
	pvcons_flush(arch_time_ns() + 1000000000ULL);
	return sim_console_output(NULL);
}

static void assert_has(const char *out, const char *text)
{
	if (!strstr(out, text)) {
		fail_msg("output lacks \"%s\":\n%s", text, out);
	}
}

static void test_printenv_e(void **state)
{
	static const efi_char16_t name[] = {'L', 'a', 'b', 'V', 'a', 'r', 0};
	static const efi_guid_t guid =
	    EFI_GUID(0x6c61622d, 0x7661, 0x7200, 0x80, 0x00, 0x78, 0x65, 0x6e, 0x62, 0x6f, 0x6f);
	static const char data[] = "hello-from-a-test";

	assert_int_equal(efi_start(), 0);
	assert_true(efi_get()->rt.set_variable(
			name, &guid, EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS,
			sizeof(data) - 1, data) == EFI_SUCCESS);
	const char *out = run("printenv -e", 0);
	assert_has(out, "LabVar:");
	assert_has(out, "    6c61622d-7661-7200-8000-78656e626f6f");
	assert_has(out, "    BS|RT, DataSize = 0x11");
	assert_has(
	    out, "    00000000: 68 65 6c 6c 6f 2d 66 72 6f 6d 2d 61 2d 74 65 73  hello-from-a-tes");
	assert_has(out, "    00000010: 74");
	out = run("printenv -e -n LabVar", 0);
	assert_has(out, "LabVar:");
	assert_null(strstr(out, "VarToFile"));
	assert_null(strstr(out, "00000000:"));
	out = run("printenv -e NoSuchVar", -1);
	assert_has(out, "## Error: \"NoSuchVar\" not defined");
	run("printenv -e -q", -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_printenv_e, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
