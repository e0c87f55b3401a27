/* The boot manager (efi/bootmgr.c) end to end: a PV disk holding
 * tests/unit/images' "disk" (GPT, p1 FAT12) with the synthetic PE of
 * pe_build.h as /XENTEST.EFI, Boot#### options naming it by the
 * short form efibootmgr writes (HD(...)/File(...)), each with its own
 * OptionalData, so the LoadOptions the image sees tell which one booted.
 * Checked: BootOrder's first active valid option boots, inactive ones are
 * skipped, garbage is refused with a message, BootNext is taken once,
 * BootCurrent names what booted, a BootOrder longer than 64 entries and an
 * option larger than 4 KiB still work, an option named again and again is
 * tried once. A hook (sandbox/image.h) stands in
 * for the AArch64 code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest_world.h"

#include "console_out.h"
#include "images/image.h"
#include "pe_build.h"
#include <arch/arch.h>
#include <cmd/shell.h>
#include <efi/bootmgr.h>
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/image.h>
#include <efi/varstore.h>
#include <lib/errno.h>
#include <sandbox/image.h>
#include <sim/blkback.h>

#define XVDA 51712u
#define PE_GPA 0x49000000ULL
#define BS_RT (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static struct dtinfo dt;
static uint8_t *disk;
static size_t disk_size;

static struct {
	int calls;
	uint32_t options_size;
	char options[64];
} seen;

static uint64_t image_hook(void *entry, void *a0, void *a1)
{
	struct efi_system_table *st = a1;
	struct efi_loaded_image *li = NULL;

	seen.calls++;
	memset(seen.options, 0, sizeof(seen.options));
	seen.options_size = 0;
	if (st->boot_services->handle_protocol(a0, &efi_guid_loaded_image, (void **)&li) ==
		EFI_SUCCESS &&
	    li->load_options) {
		seen.options_size = li->load_options_size;
		memcpy(seen.options, li->load_options,
		       MIN(li->load_options_size, sizeof(seen.options) - 1));
	}
	return strcmp(seen.options, "fail") ? EFI_SUCCESS : EFI_LOAD_ERROR;
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static int setup(void **state)
{
	struct sim_blkback_config cfg = {.vdev = XVDA, .max_ring_order = 4};
	uint8_t pe[PB_FILE];

	disk = img_load("disk", &disk_size, NULL, 0);
	cfg.image = disk;
	cfg.image_size = disk_size;
	if (!disk || guest_world_start(NULL, &dt) || guest_world_xen(&dt) ||
	    !sim_blkback_add(&cfg)) {
		return -1;
	}
	sandbox_image_hook_set(image_hook);
	pe_build(pe);
	memcpy(arch_phys_to_virt(PE_GPA), pe, sizeof(pe));
	if (run("save pvblock 0:1 49000000 /XENTEST.EFI a00")) {
		return -1;
	}
	return efi_start();
}

static int teardown(void **state)
{
	sandbox_image_hook_set(NULL);
	guest_world_stop();
	free(disk);
	return 0;
}

/* The FAT partition's hard drive node (42 bytes), from its handle's path. */
static const uint8_t *fat_hd_node(void)
{
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		const uint8_t *b = efi_protocol_of(o, &efi_guid_device_path);
		if (b && efi_protocol_find(o, &efi_guid_simple_file_system) &&
		    b[24] == EFI_DP_TYPE_MEDIA && b[25] == EFI_DP_MEDIA_HARD_DRIVE && b[28] == 1) {
			return b + 24;
		}
	}
	return NULL;
}

/* HD(<p1>)/File(\XENTEST.EFI)/End, as @out bytes. */
static size_t short_path(uint8_t *out)
{
	static const char name[] = "\\XENTEST.EFI";
	const uint8_t *hd = fat_hd_node();
	size_t n = sizeof(name), len = 4 + 2 * n;

	assert_non_null(hd);
	memcpy(out, hd, 42);
	out[42] = EFI_DP_TYPE_MEDIA;
	out[43] = EFI_DP_MEDIA_FILE_PATH;
	out[44] = (uint8_t)len;
	out[45] = 0;
	for (size_t i = 0; i < n; i++) {
		out[46 + 2 * i] = (uint8_t)name[i];
		out[47 + 2 * i] = 0;
	}
	memcpy(out + 42 + len, (uint8_t[]){0x7f, 0xff, 4, 0}, 4);
	return 42 + len + 4;
}

/* Boot#### @n: an EFI_LOAD_OPTION of @attr, @desc, the short path, @opt. */
static void set_option(uint16_t n, uint32_t attr, const char *desc, const void *opt, size_t opt_len)
{
	static uint8_t b[8192];
	efi_char16_t name[9];
	char s[9];
	size_t off = 6;

	memcpy(b, &attr, 4);
	for (size_t i = 0; i <= strlen(desc); i++, off += 2) {
		b[off] = (uint8_t)desc[i];
		b[off + 1] = 0;
	}
	size_t path_len = short_path(b + off);
	b[4] = (uint8_t)path_len;
	b[5] = (uint8_t)(path_len >> 8);
	off += path_len;
	assert_true(off + opt_len <= sizeof(b));
	memcpy(b + off, opt, opt_len);
	snprintf(s, sizeof(s), "Boot%04X", n);
	assert_true(efi_utf8_to_ucs2(name, 9, s) > 0);
	assert_true(efi_get()->rt.set_variable(name, &efi_guid_global_variable, BS_RT,
					       off + opt_len, b) == EFI_SUCCESS);
}

static void set_var(const efi_char16_t *name, const void *data, size_t size)
{
	assert_true(efi_get()->rt.set_variable((efi_char16_t *)name, &efi_guid_global_variable,
					       size ? BS_RT : 0, size,
					       (void *)data) == EFI_SUCCESS);
}

static uint16_t boot_current(void)
{
	uint16_t v = 0xffff;
	uint64_t size = sizeof(v);

	assert_true(efi_get()->rt.get_variable(u"BootCurrent", &efi_guid_global_variable, NULL,
					       &size, &v) == EFI_SUCCESS);
	return v;
}

static void boot(int want_rc)
{
	sim_console_output_clear();
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(efi_bootmgr_run(), want_rc);
}

static void test_boot_order(void **state)
{
	static const uint8_t garbage[] = {1, 0, 0, 0, 0xff, 0x7f, 'x', 0, 0, 0, 1, 2};
	uint16_t order[] = {1, 2, 7, 3, 4};

	set_option(1, 0, "One", "one", 4); /* inactive */
	set_var(u"Boot0002", garbage, sizeof(garbage)); /* FilePathListLength past the end */
	set_option(3, LOAD_OPTION_ACTIVE, "Three", "three", 6);
	set_option(4, LOAD_OPTION_ACTIVE, "Four", "four", 5);
	set_var(u"BootOrder", order, sizeof(order));
	boot(0);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.options, "three");
	assert_int_equal(seen.options_size, 6);
	assert_int_equal(boot_current(), 3);
	assert_out_has("Boot0002: not a valid load option\n");
	assert_out_has("Booting: Three\n");
	assert_true(strstr(out(), "One") == NULL);
	/* Boot0007 does not exist: said, and skipped. */
	assert_out_has("Boot0007");
}

static void test_boot_next_once(void **state)
{
	uint16_t next = 4, order[] = {3};
	uint64_t size = sizeof(next);

	set_var(u"BootOrder", order, sizeof(order));
	set_var(u"BootNext", &next, sizeof(next));
	boot(0);
	assert_string_equal(seen.options, "four");
	assert_int_equal(boot_current(), 4);
	assert_true(efi_get()->rt.get_variable(u"BootNext", &efi_guid_global_variable, NULL, &size,
					       &next) == EFI_NOT_FOUND);
	boot(0);
	assert_string_equal(seen.options, "three");
	assert_int_equal(boot_current(), 3);
	/* A BootNext of the wrong size is ignored (and BootOrder runs). */
	set_var(u"BootNext", "\4", 1);
	boot(0);
	assert_string_equal(seen.options, "three");
}

/* Nothing bootable: -ENOENT and no image run. */
static void test_nothing(void **state)
{
	uint16_t order[] = {1, 0x1234};

	set_var(u"BootOrder", order, sizeof(order));
	boot(-ENOENT);
	assert_int_equal(seen.calls, 0);
	set_var(u"BootOrder", NULL, 0);
	boot(-ENOENT);
	assert_int_equal(seen.calls, 0);
	/* An odd size is not a list: said, nothing tried. */
	set_var(u"BootOrder", "\3\0\3", 3);
	boot(-ENOENT);
	assert_int_equal(seen.calls, 0);
	assert_out_has("BootOrder of 3 bytes: not a list of options\n");
	set_var(u"BootOrder", NULL, 0);
}

/* More than 64 entries (the ones before missing): the last one still boots. */
static void test_long_boot_order(void **state)
{
	uint16_t order[100];

	for (unsigned int i = 0; i < 99; i++) {
		order[i] = (uint16_t)(0x100 + i);
	}
	order[99] = 3;
	set_var(u"BootOrder", order, sizeof(order));
	boot(0);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.options, "three");
}

/* An option above 4 KiB: a long kernel command line as OptionalData. */
static void test_big_option(void **state)
{
	static char opt[6000];
	uint16_t order[] = {5};

	memset(opt, 'a', sizeof(opt) - 1);
	set_option(5, LOAD_OPTION_ACTIVE, "Big", opt, sizeof(opt));
	set_var(u"BootOrder", order, sizeof(order));
	boot(0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.options_size, sizeof(opt));
	set_var(u"Boot0005", NULL, 0);
}

/* A BootOrder naming a failing option over and over: tried once, not
 * 30000 times (each a file read and a start) before the next one. */
static void test_repeated_option(void **state)
{
	static uint16_t order[30001];

	set_option(6, LOAD_OPTION_ACTIVE, "Fails", "fail", 5);
	for (unsigned int i = 0; i < 30000; i++) {
		order[i] = 6;
	}
	order[30000] = 3;
	set_var(u"BootOrder", order, sizeof(order));
	boot(0);
	assert_int_equal(seen.calls, 2);
	assert_string_equal(seen.options, "three");
	set_var(u"Boot0006", NULL, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boot_order), cmocka_unit_test(test_boot_next_once),
	    cmocka_unit_test(test_nothing),    cmocka_unit_test(test_long_boot_order),
	    cmocka_unit_test(test_big_option), cmocka_unit_test(test_repeated_option),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
