/* `bootefi` on the simulated Xen: the synthetic PE of pe_build.h (plain and
 * gzip'd) at 0x49000000, run through the shell. The sandbox cannot execute
 * AArch64 code, so a hook (sandbox/image.h) stands in for the image: it
 * checks what the image would get (its entry point in the relocated copy,
 * its handle and the system table, its Loaded Image with $bootargs as
 * LoadOptions) and returns or calls Exit() as an image would. Pages come
 * from a counting test allocator over guest RAM. */
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

#include "console_out.h"
#include "pe_build.h"
#include <arch/arch.h>
#include <cmd/bootefi.h>
#include <cmd/shell.h>
#include <efi/abi/block_io.h>
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/event.h>
#include <efi/image.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <libfdt.h>
#include <sandbox/image.h>
#include <sim/sim.h>
#include <zlib.h>

#define IMAGE_GPA 0x49000000ULL
#define PAGES_GPA 0x4c000000ULL

static struct dtinfo dt;

struct test_mem {
	uint64_t next;
	int live_pages;
};
static struct test_mem mem;

static efi_status_t t_allocate_pages(uint32_t type, uint32_t memory_type, uint64_t pages,
				     efi_physical_addr_t *memory)
{
	if (type != AllocateAnyPages || !pages || pages > 0x8000) {
		return EFI_OUT_OF_RESOURCES;
	}
	*memory = mem.next;
	mem.next += pages * EFI_PAGE_SIZE;
	mem.live_pages++;
	return EFI_SUCCESS;
}

static efi_status_t t_free_pages(efi_physical_addr_t memory, uint64_t pages)
{
	mem.live_pages--;
	return EFI_SUCCESS;
}

static efi_status_t t_allocate_pool(uint32_t type, uint64_t size, void **buffer)
{
	*buffer = malloc(size ? size : 1);
	return EFI_SUCCESS;
}

static efi_status_t t_free_pool(void *buffer)
{
	free(buffer);
	return EFI_SUCCESS;
}

/* What the stand-in image saw, and what it does. */
struct seen {
	int calls;
	void *entry;
	efi_handle_t handle;
	struct efi_system_table *st;
	uint64_t image_base;
	char options[128];
	uint8_t file_path[24]; /* the first node of the Loaded Image's FilePath */
	uint64_t initrd_size; /* what LoadFile2 on the initrd path says, or 0 */
	uint64_t watchdog_ns; /* the watchdog's deadline while it ran (0: off) */
	efi_status_t exit_with; /* 0: return EFI_SUCCESS */
};
static struct seen seen;

/* The Linux stub's question: an initrd behind LINUX_EFI_INITRD_MEDIA? */
static uint64_t initrd_size(struct efi_boot_services *b)
{
	struct {
		struct efi_dp_vendor node;
		struct efi_device_path end;
	} __packed media = {{{4, 3, {20, 0}}, efi_guid_linux_initrd_media}, {0x7f, 0xff, {4, 0}}};
	struct efi_device_path *p = &media.node.hdr;
	struct efi_load_file2 *lf2;
	efi_handle_t h;
	uint64_t size = 0;

	if (b->locate_device_path(&efi_guid_load_file2, &p, &h) != EFI_SUCCESS ||
	    b->handle_protocol(h, &efi_guid_load_file2, (void **)&lf2) != EFI_SUCCESS ||
	    lf2->load_file(lf2, p, false, &size, NULL) != EFI_BUFFER_TOO_SMALL) {
		return 0;
	}
	return size;
}

static efi_char16_t exit_text[] = {'n', 'o', ' ', 'k', 'e', 'r', 'n', 'e', 'l', 0};

static uint64_t image_hook(void *entry, void *a0, void *a1)
{
	struct efi_loaded_image *li = NULL;

	seen.calls++;
	seen.entry = entry;
	seen.handle = a0;
	seen.st = a1;
	if (seen.st->boot_services->handle_protocol(a0, &efi_guid_loaded_image, (void **)&li) ==
	    EFI_SUCCESS) {
		seen.image_base = arch_virt_to_phys(li->image_base);
		if (li->file_path) {
			memcpy(seen.file_path, li->file_path, sizeof(seen.file_path));
		}
		if (li->load_options) {
			(void)efi_ucs2_to_utf8(seen.options, sizeof(seen.options), li->load_options,
					       li->load_options_size / 2);
		}
	}
	seen.initrd_size = initrd_size(seen.st->boot_services);
	seen.watchdog_ns = efi_get()->watchdog ? efi_get()->watchdog->deadline_ns : 0;
	if (seen.exit_with) {
		efi_char16_t *data;
		assert_true(seen.st->boot_services->allocate_pool(EfiLoaderData, sizeof(exit_text),
								  (void **)&data) == EFI_SUCCESS);
		memcpy(data, exit_text, sizeof(exit_text));
		seen.st->boot_services->exit(a0, seen.exit_with, sizeof(exit_text), data);
		fail_msg("Exit() returned");
	}
	return EFI_SUCCESS;
}

static uint8_t file[PB_FILE];

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || efi_start()) {
		return -1;
	}
	struct efi *e = efi_get();
	e->bs.allocate_pages = t_allocate_pages;
	e->bs.free_pages = t_free_pages;
	e->bs.allocate_pool = t_allocate_pool;
	e->bs.free_pool = t_free_pool;
	sandbox_image_hook_set(image_hook);
	return 0;
}

static int teardown(void **state)
{
	sandbox_image_hook_set(NULL);
	sim_reset();
	return 0;
}

static int per_test(void **state)
{
	memset(&seen, 0, sizeof(seen));
	mem.next = PAGES_GPA;
	pe_build(file);
	memcpy(arch_phys_to_virt(IMAGE_GPA), file, sizeof(file));
	bootefi_note_load("pvblock", "0:9", "/nowhere", 0, 0);
	return env_set("filesize", "a00") || env_set("bootargs", NULL) ||
	       env_set("fdtcontroladdr", NULL);
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

/* The image ran once from its relocated copy, and everything went back. */
static void assert_ran(void)
{
	assert_int_equal(seen.calls, 1);
	assert_true(seen.image_base >= PAGES_GPA && seen.image_base % EFI_PAGE_SIZE == 0);
	assert_ptr_equal(seen.entry, arch_phys_to_virt(seen.image_base + PB_ENTRY));
	assert_ptr_equal(seen.st, &efi_get()->systab);
	assert_null(efi_image_of(seen.handle)); /* an application is unloaded */
	assert_int_equal(mem.live_pages, 0);
	assert_null(efi_get()->running);
	/* The watchdog ran with it, 5 minutes from the start, and is off again. */
	assert_true(seen.watchdog_ns > arch_time_ns() &&
		    seen.watchdog_ns <= arch_time_ns() + 300 * 1000000000ULL);
	assert_int_equal(efi_get()->watchdog->deadline_ns, 0);
}

static void test_run_from_memory(void **state)
{
	assert_int_equal(env_set("bootargs", "console=hvc0 root=/dev/xvda2"), 0);
	assert_int_equal(run("bootefi 49000000"), 0);
	assert_out_has("Booting image at 0x49000000\n");
	assert_out_has("Application returned: EFI_SUCCESS\n");
	assert_ran();
	assert_string_equal(seen.options, "console=hvc0 root=/dev/xvda2");
	/* From memory: a memory-mapped node over the file's bytes. */
	struct efi_dp_memmap mm;
	memcpy(&mm, seen.file_path, sizeof(mm));
	assert_int_equal(mm.hdr.type, EFI_DP_TYPE_HARDWARE);
	assert_int_equal(mm.hdr.sub_type, EFI_DP_HW_MEMMAP);
	assert_int_equal(mm.start, IMAGE_GPA);
	assert_int_equal(mm.end, IMAGE_GPA + PB_FILE - 1);
	assert_int_equal(seen.initrd_size, 0);
	/* Relocated for where it went: the DIR64 target moved with it. */
	const uint8_t *img = arch_phys_to_virt(seen.image_base);
	assert_int_equal(get_le64((const le64 *)(img + PB_PTR_DATA)),
			 PB_PTR_VALUE - PB_BASE + seen.image_base);
}

static void test_explicit_size_and_load_name(void **state)
{
	/* The file `load` put there: U-Boot prints its path. */
	bootefi_note_load("pvblock", "0:1", "/EFI/BOOT/BOOTAA64.EFI", IMAGE_GPA, PB_FILE);
	assert_int_equal(env_set("filesize", NULL), 0);
	assert_int_equal(run("bootefi 49000000:a00"), 0);
	assert_out_has("Booting /EFI/BOOT/BOOTAA64.EFI\n");
	assert_ran();
	assert_string_equal(seen.options, "");
	/* Without a size and without $filesize: refused before anything runs. */
	assert_int_not_equal(run("bootefi 49000000"), 0);
	assert_out_has("no image size");
	assert_int_equal(seen.calls, 1);
}

static void test_exit_status(void **state)
{
	seen.exit_with = EFI_NOT_FOUND;
	assert_int_not_equal(run("bootefi 49000000"), 0);
	assert_out_has("Application returned: EFI_NOT_FOUND\n");
	assert_out_has("exit data: no kernel\n");
	assert_ran();
	/* No stand-in: the sandbox never jumps into AArch64 code in guest RAM. */
	sandbox_image_hook_set(NULL);
	assert_int_not_equal(run("bootefi 49000000"), 0);
	sandbox_image_hook_set(image_hook);
	assert_out_has("Application returned: EFI_UNSUPPORTED\n");
	assert_int_equal(mem.live_pages, 0);
}

static void test_gzip(void **state)
{
	z_stream zs = {0};
	uint8_t *dst = arch_phys_to_virt(IMAGE_GPA);

	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = file;
	zs.avail_in = sizeof(file);
	zs.next_out = dst;
	zs.avail_out = 0x10000;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	char line[64];
	snprintf(line, sizeof(line), "bootefi 49000000:%lx", (unsigned long)zs.total_out);
	deflateEnd(&zs);
	assert_int_equal(run(line), 0);
	assert_out_has("Application returned: EFI_SUCCESS\n");
	assert_ran(); /* the inflated copy's pages went back too */
	/* A corrupt stream: nothing runs, nothing is kept. */
	dst[20] ^= 0xff;
	assert_int_not_equal(run(line), 0);
	assert_out_has("not loaded: EFI_LOAD_ERROR");
	assert_int_equal(seen.calls, 1);
	assert_int_equal(mem.live_pages, 0);
}

static void test_initrd(void **state)
{
	assert_int_equal(run("bootefi 49000000 4e000000:1234"), 0);
	assert_ran();
	assert_int_equal(seen.initrd_size, 0x1234);
	/* Withdrawn once the image returned. */
	assert_int_equal(initrd_size(efi_get()->systab.boot_services), 0);
	/* Not in RAM: refused before anything runs. */
	assert_int_not_equal(run("bootefi 49000000 10000:1000"), 0);
	assert_int_not_equal(run("bootefi 49000000 4e000000:1000 48000000 9"), 0);
	assert_int_equal(seen.calls, 1);
}

/* The DT named on the command line is what the image finds as a config table. */
static void test_explicit_fdt(void **state)
{
	struct efi_system_table *st = &efi_get()->systab;

	assert_int_equal(run("bootefi 49000000 48000000"), 0);
	assert_ran();
	const void *fdt = NULL;
	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		if (efi_guid_eq(&st->configuration_table[i].vendor_guid, &efi_guid_fdt_table)) {
			fdt = st->configuration_table[i].vendor_table;
		}
	}
	assert_non_null(fdt);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "xen,xen") >= 0);
}

static void test_refused(void **state)
{
	uint8_t *img = arch_phys_to_virt(IMAGE_GPA);

	img[PB_COFF] = 0x64; /* machine 0xaa64 -> 0xaa64 & ~0xff | 0x64: not ours */
	img[PB_COFF + 1] = 0x86;
	assert_int_not_equal(run("bootefi 49000000"), 0);
	assert_out_has("not loaded: EFI_LOAD_ERROR");
	assert_int_equal(seen.calls, 0);
	assert_int_equal(mem.live_pages, 0);
	/* Not RAM, not a number, too many words, an initrd without its size. */
	assert_int_not_equal(run("bootefi 10000"), 0);
	assert_int_not_equal(run("bootefi 0x49000000xyz"), 0);
	assert_int_not_equal(run("bootefi 49000000 1:2 3 4"), 0);
	assert_int_not_equal(run("bootefi 49000000 4c000000 48000000"), 0);
	assert_int_not_equal(run("bootefi 49000000 4c000000:10:3"), 0);
	assert_int_not_equal(run("bootefi"), 0);
	/* A device tree address with no device tree there. */
	assert_int_not_equal(run("bootefi 49000000 4d000000"), 0);
	assert_out_has("no valid device tree at 0x4d000000");
	assert_int_equal(seen.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_run_from_memory, per_test),
	    cmocka_unit_test_setup(test_explicit_size_and_load_name, per_test),
	    cmocka_unit_test_setup(test_exit_status, per_test),
	    cmocka_unit_test_setup(test_gzip, per_test),
	    cmocka_unit_test_setup(test_initrd, per_test),
	    cmocka_unit_test_setup(test_explicit_fdt, per_test),
	    cmocka_unit_test_setup(test_refused, per_test),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
