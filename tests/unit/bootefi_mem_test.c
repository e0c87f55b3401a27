/* `bootefi` with the real page allocator: what the command hands the image
 * (the initrd offered through LoadFile2, the image's own source while it is
 * loaded) must not be memory the image can be given by AllocatePages. In a
 * small guest ramdisk_addr_r runs to the top of bank 0, exactly where
 * AllocateAnyPages (top-down) places the inflated vmlinuz and the kernel the
 * Linux stub relocates: the initrd was overwritten before the stub read it.
 * Likewise a gzip'd image at the top of RAM was inflated over itself.
 * A hook (sandbox/image.h) stands in for the image and asks for those pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guest_world.h"

#include "pe_build.h"
#include <arch/arch.h>
#include <cmd/bootefi.h>
#include <cmd/shell.h>
#include <efi/efi.h>
#include <lib/env.h>
#include <sandbox/image.h>
#include <zlib.h>

#define IMAGE_GPA 0x49000000ULL
#define INITRD_GPA 0x4e000000ULL
#define INITRD_SIZE 0x3000ULL

static struct dtinfo dt;
static struct {
	int calls;
	efi_status_t initrd_alloc, initrd_tail_alloc;
} seen;

static uint64_t image_hook(void *entry, void *a0, void *a1)
{
	struct efi_boot_services *bs = ((struct efi_system_table *)a1)->boot_services;
	efi_physical_addr_t pa = INITRD_GPA;

	seen.calls++;
	seen.initrd_alloc = bs->allocate_pages(AllocateAddress, EfiLoaderData, 1, &pa);
	pa = INITRD_GPA + INITRD_SIZE - EFI_PAGE_SIZE;
	seen.initrd_tail_alloc = bs->allocate_pages(AllocateAddress, EfiLoaderData, 1, &pa);
	return EFI_SUCCESS;
}

static int setup(void **state)
{
	uint8_t file[PB_FILE];

	if (guest_world_start(NULL, &dt) || efi_start()) {
		return -1;
	}
	sandbox_image_hook_set(image_hook);
	pe_build(file);
	memcpy(arch_phys_to_virt(IMAGE_GPA), file, sizeof(file));
	bootefi_note_load("pvblock", "0:9", "/nowhere", 0, 0);
	return env_set("filesize", "a00") || env_set("bootargs", NULL) ||
	       env_set("fdtcontroladdr", NULL);
}

static int teardown(void **state)
{
	sandbox_image_hook_set(NULL);
	guest_world_stop();
	return 0;
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	return shell_run_line(buf);
}

static void test_initrd_held(void **state)
{
	efi_physical_addr_t pa = INITRD_GPA;

	assert_int_equal(run("bootefi 49000000 4e000000:3000"), 0);
	assert_int_equal(seen.calls, 1);
	assert_true(seen.initrd_alloc == EFI_NOT_FOUND);
	assert_true(seen.initrd_tail_alloc == EFI_NOT_FOUND);
	/* Given back once the image returned: free RAM again. */
	assert_true(efi_get()->bs.allocate_pages(AllocateAddress, EfiLoaderData,
						 INITRD_SIZE / EFI_PAGE_SIZE, &pa) == EFI_SUCCESS);
	assert_true(efi_get()->bs.free_pages(pa, INITRD_SIZE / EFI_PAGE_SIZE) == EFI_SUCCESS);
	/* An unaligned initrd: its first and last pages are held too. */
	assert_int_equal(run("bootefi 49000000 4e000800:2000"), 0);
	assert_int_equal(seen.calls, 2);
	assert_true(seen.initrd_alloc == EFI_NOT_FOUND);
	assert_true(seen.initrd_tail_alloc == EFI_NOT_FOUND);
	pa = INITRD_GPA;
	assert_true(efi_get()->bs.allocate_pages(AllocateAddress, EfiLoaderData, 3, &pa) ==
		    EFI_SUCCESS);
	assert_true(efi_get()->bs.free_pages(pa, 3) == EFI_SUCCESS);
}

/* A gzip'd image loaded at the top of RAM, where AllocateAnyPages puts the
 * pages it inflates into: the source is held while it is read. */
static void test_gzip_source_held(void **state)
{
	uint8_t file[PB_FILE];
	static uint8_t gz[0x2000];
	z_stream zs = {0};
	char line[64];

	pe_build(file);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = file;
	zs.avail_in = sizeof(file);
	zs.next_out = gz;
	zs.avail_out = sizeof(gz);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	uint64_t len = zs.total_out;
	deflateEnd(&zs);
	/* The page AllocateAnyPages gives next: the highest free one. */
	efi_physical_addr_t at;
	assert_true(efi_get()->bs.allocate_pages(AllocateAnyPages, EfiLoaderData, 1, &at) ==
		    EFI_SUCCESS);
	assert_true(efi_get()->bs.free_pages(at, 1) == EFI_SUCCESS);
	assert_true(len <= 0x1000);
	memcpy(arch_phys_to_virt(at), gz, len);
	snprintf(line, sizeof(line), "bootefi %llx:%llx", (unsigned long long)at,
		 (unsigned long long)len);
	seen.calls = 0;
	assert_int_equal(run(line), 0);
	assert_int_equal(seen.calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_initrd_held),
	    cmocka_unit_test(test_gzip_source_held),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
