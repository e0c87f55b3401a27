/* efi/bs_image.c: LoadImage, StartImage, Exit and UnloadImage through the
 * boot services table, on the synthetic PE of pe_build.h. The sandbox cannot
 * run AArch64 code, so each started image runs a host function registered
 * with efi_image_set_entry(); everything else (parsing, placing,
 * relocating, handles, memory) is the real path. Pages come from a test
 * allocator over the sim's guest RAM that counts what is still allocated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <lib/errno.h>
#include <zlib.h>

#include "efi_image_world.h"

static void test_load_from_buffer(void **state)
{
	efi_handle_t h = load();
	struct efi_loaded_image *li = loaded_image(h);

	assert_int_equal(li->revision, EFI_LOADED_IMAGE_PROTOCOL_REVISION);
	assert_ptr_equal(li->parent_handle, fw);
	assert_ptr_equal(li->system_table, &efi_get()->systab);
	assert_null(li->device_handle);
	assert_null(li->file_path);
	assert_int_equal(li->image_size, PB_IMAGE);
	assert_int_equal(li->image_code_type, EfiLoaderCode);
	assert_int_equal(li->image_data_type, EfiLoaderData);
	assert_int_equal(mem.last_type, EfiLoaderCode);
	/* Placed at a page boundary and relocated for it, bss zeroed. */
	uint64_t base = arch_virt_to_phys(li->image_base);
	assert_int_equal(base % EFI_PAGE_SIZE, 0);
	const uint8_t *img = li->image_base;
	assert_int_equal(get_le64((const le64 *)(img + PB_PTR_TEXT)),
			 PB_PTR_VALUE - PB_BASE + base);
	assert_int_equal(img[0x3000], 0);
	/* From memory: the Loaded Image Device Path is there, with no path. */
	void *dp = &fw_iface;
	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image_device_path, &dp) == EFI_SUCCESS);
	assert_null(dp);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_no_leak();
	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image, &dp) == EFI_INVALID_PARAMETER);
}

static void test_driver_types(void **state)
{
	/* A runtime driver with 64 KiB sections: its type, and the alignment. */
	pb_put16(file, PB_OPT + 68, PE_SUBSYSTEM_EFI_RUNTIME_DRIVER);
	pb_put32(file, PB_OPT + 32, 0x10000);
	efi_handle_t h = load();
	struct efi_loaded_image *li = loaded_image(h);
	assert_int_equal(li->image_code_type, EfiRuntimeServicesCode);
	assert_int_equal(li->image_data_type, EfiRuntimeServicesData);
	assert_int_equal(arch_virt_to_phys(li->image_base) % 0x10000, 0);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);

	pe_build(file);
	pb_put16(file, PB_OPT + 68, PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER);
	h = load();
	assert_int_equal(loaded_image(h)->image_code_type, EfiBootServicesCode);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_no_leak();
}

/* Beyond the specification: a gzip'd image (Debian's vmlinuz, as
 * systemd-boot hands it to LoadImage) is inflated, then loaded. */
static void test_load_gzip(void **state)
{
	static uint8_t gz[PB_FILE];
	z_stream zs = {0};
	efi_handle_t h = NULL;

	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = file;
	zs.avail_in = sizeof(file);
	zs.next_out = gz;
	zs.avail_out = sizeof(gz);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t len = zs.total_out;
	deflateEnd(&zs);
	assert_true(bs->load_image(false, fw, NULL, gz, len, &h) == EFI_SUCCESS);
	struct efi_loaded_image *li = loaded_image(h);
	uint64_t base = arch_virt_to_phys(li->image_base);
	assert_int_equal(get_le64((const le64 *)((uint8_t *)li->image_base + PB_PTR_DATA)),
			 PB_PTR_VALUE - PB_BASE + base);
	assert_int_equal(mem.live_pages, 1); /* the image's; the inflated copy went back */
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	/* Cut short, or a flipped byte: a load error, nothing kept. */
	assert_true(bs->load_image(false, fw, NULL, gz, len - 9, &h) == EFI_LOAD_ERROR);
	gz[len / 2] ^= 0x55;
	assert_true(bs->load_image(false, fw, NULL, gz, len, &h) == EFI_LOAD_ERROR);
	assert_no_leak();
}

static void test_load_refused(void **state)
{
	efi_handle_t h = NULL;
	struct efi_object *objects = efi_get()->objects;

	pb_put16(file, PB_COFF, 0x8664);
	assert_true(bs->load_image(false, fw, NULL, file, sizeof(file), &h) == EFI_LOAD_ERROR);
	pe_build(file);
	assert_true(bs->load_image(false, fw, NULL, file, PB_NEEDED - 1, &h) == EFI_LOAD_ERROR);
	/* A relocation block found bad only while loading: the pages go back. */
	pb_put32(file, 0x804, 0);
	assert_true(bs->load_image(false, fw, NULL, file, sizeof(file), &h) == EFI_LOAD_ERROR);
	assert_null(h);
	pe_build(file);
	assert_true(bs->load_image(false, fw, NULL, file, sizeof(file), NULL) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs->load_image(false, (efi_handle_t)file, NULL, file, sizeof(file), &h) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs->load_image(false, NULL, NULL, file, sizeof(file), &h) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs->load_image(false, fw, NULL, NULL, 0, &h) == EFI_INVALID_PARAMETER);
	assert_ptr_equal(efi_get()->objects, objects);
	assert_no_leak();
}

/* ---- running images: host functions in place of the entry points */

struct run_log {
	efi_handle_t handle;
	struct efi_system_table *st;
	int calls;
	efi_handle_t child; /* for the nested test */
	efi_status_t child_status, bad_exit;
};
static struct run_log run;

static efi_status_t entry_returns(efi_handle_t h, struct efi_system_table *st)
{
	run.handle = h;
	run.st = st;
	run.calls++;
	return EFI_WARN_UNKNOWN_GLYPH; /* a warning, not an error */
}

static efi_char16_t exit_text[] = {'b', 'y', 'e', 0};

static void deep_exit(efi_handle_t h, int depth)
{
	if (depth) {
		deep_exit(h, depth - 1);
		fail_msg("Exit() returned");
	}
	efi_char16_t *data = NULL;
	assert_true(run.st->boot_services->allocate_pool(EfiLoaderData, sizeof(exit_text),
							 (void **)&data) == EFI_SUCCESS);
	memcpy(data, exit_text, sizeof(exit_text));
	run.st->boot_services->exit(h, EFI_NOT_FOUND, sizeof(exit_text), data);
}

static efi_status_t entry_exits(efi_handle_t h, struct efi_system_table *st)
{
	run.st = st;
	run.calls++;
	deep_exit(h, 5);
	return EFI_SUCCESS;
}

static void test_start_returns(void **state)
{
	efi_handle_t h = load();
	uint64_t size = 99;
	efi_char16_t *data = exit_text;

	memset(&run, 0, sizeof(run));
	efi_image_set_entry(h, entry_returns);
	assert_true(bs->start_image(h, &size, &data) == EFI_WARN_UNKNOWN_GLYPH);
	assert_int_equal(run.calls, 1);
	assert_ptr_equal(run.handle, h);
	assert_ptr_equal(run.st, &efi_get()->systab);
	assert_int_equal(size, 0);
	assert_null(data);
	/* An application is unloaded when it returns: its handle is gone. */
	assert_null(efi_image_of(h));
	assert_true(bs->start_image(h, NULL, NULL) == EFI_INVALID_PARAMETER);
	assert_no_leak();
}

static void test_exit_from_depth(void **state)
{
	efi_handle_t h = load();
	uint64_t size = 0;
	efi_char16_t *data = NULL;

	memset(&run, 0, sizeof(run));
	efi_image_set_entry(h, entry_exits);
	assert_true(bs->start_image(h, &size, &data) == EFI_NOT_FOUND);
	assert_int_equal(run.calls, 1);
	assert_int_equal(size, sizeof(exit_text));
	assert_memory_equal(data, exit_text, sizeof(exit_text));
	assert_true(bs->free_pool(data) == EFI_SUCCESS);
	/* Without anywhere to put it, the exit data is freed for the image. */
	h = load();
	efi_image_set_entry(h, entry_exits);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_NOT_FOUND);
	assert_no_leak();
}

static efi_status_t entry_child(efi_handle_t h, struct efi_system_table *st)
{
	/* Exit() for the parent, which is not the image executing: refused. */
	run.bad_exit = st->boot_services->exit(run.handle, EFI_SUCCESS, 0, NULL);
	st->boot_services->exit(h, EFI_ABORTED, 0, NULL);
	return EFI_SUCCESS;
}

static efi_status_t entry_parent(efi_handle_t h, struct efi_system_table *st)
{
	efi_handle_t child = NULL;

	run.handle = h;
	/* As GRUB starts Linux: LoadImage from a buffer, then StartImage. */
	if (st->boot_services->load_image(false, h, NULL, file, sizeof(file), &child) !=
	    EFI_SUCCESS) {
		return EFI_LOAD_ERROR;
	}
	efi_image_set_entry(child, entry_child);
	run.child = child;
	run.child_status = st->boot_services->start_image(child, NULL, NULL);
	assert_ptr_equal(efi_get()->running, efi_image_of(h));
	st->boot_services->exit(h, EFI_PROTOCOL_ERROR, 0, NULL);
	return EFI_SUCCESS;
}

static void test_nested(void **state)
{
	efi_handle_t h = load();

	memset(&run, 0, sizeof(run));
	efi_image_set_entry(h, entry_parent);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_PROTOCOL_ERROR);
	assert_true(run.child_status == EFI_ABORTED);
	assert_true(run.bad_exit == EFI_INVALID_PARAMETER);
	assert_null(efi_image_of(run.child));
	assert_no_leak();
}

static int unload_calls;

static efi_status_t driver_unload(efi_handle_t h)
{
	unload_calls++;
	return unload_calls == 1 ? EFI_ACCESS_DENIED : EFI_SUCCESS;
}

static efi_status_t entry_driver(efi_handle_t h, struct efi_system_table *st)
{
	struct efi_loaded_image *li = NULL;

	if (st->boot_services->handle_protocol(h, &efi_guid_loaded_image, (void **)&li) ==
	    EFI_SUCCESS) {
		li->unload = run.calls++ ? driver_unload : NULL;
	}
	return EFI_SUCCESS;
}

static void test_exit_and_unload_rules(void **state)
{
	/* Exit() for an image loaded and never started unloads it. */
	efi_handle_t h = load();
	assert_true(bs->exit(h, EFI_SUCCESS, 0, NULL) == EFI_SUCCESS);
	assert_null(efi_image_of(h));
	assert_true(bs->exit(h, EFI_SUCCESS, 0, NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs->exit(NULL, EFI_SUCCESS, 0, NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs->exit(fw, EFI_SUCCESS, 0, NULL) == EFI_INVALID_PARAMETER);

	/* A driver that succeeded stays loaded: not startable twice, Exit() for
	 * it refused (not running), UnloadImage() refused without its Unload(). */
	memset(&run, 0, sizeof(run));
	pb_put16(file, PB_OPT + 68, PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER);
	h = load();
	efi_image_set_entry(h, entry_driver);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_SUCCESS);
	assert_non_null(efi_image_of(h));
	assert_true(bs->start_image(h, NULL, NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs->exit(h, EFI_SUCCESS, 0, NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs->unload_image(h) == EFI_UNSUPPORTED);
	assert_true(bs->unload_image(h) == EFI_UNSUPPORTED);
	unload_calls = 1; /* the next Unload() succeeds */
	loaded_image(h)->unload = driver_unload;
	assert_true(bs->unload_image(h) == EFI_SUCCESS);

	/* With an Unload(): its refusal is returned, then its success frees. */
	h = load();
	run.calls = 1;
	unload_calls = 0;
	efi_image_set_entry(h, entry_driver);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_SUCCESS);
	assert_true(bs->unload_image(h) == EFI_ACCESS_DENIED);
	assert_non_null(efi_image_of(h));
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_int_equal(unload_calls, 2);
	assert_null(efi_image_of(h));
	assert_no_leak();
}

static efi_status_t entry_unload_self(efi_handle_t h, struct efi_system_table *st)
{
	return st->boot_services->unload_image(h);
}

static void test_options_and_self_unload(void **state)
{
	static const efi_char16_t opts[] = {'r', 'o', 'o', 't', '=', 'x', 0};
	efi_handle_t h = load();

	assert_int_equal(efi_image_set_options(h, opts, sizeof(opts)), 0);
	struct efi_loaded_image *li = loaded_image(h);
	assert_int_equal(li->load_options_size, sizeof(opts));
	assert_memory_equal(li->load_options, opts, sizeof(opts));
	assert_int_equal(efi_image_set_options(fw, opts, sizeof(opts)), -EINVAL);
	/* As GRUB does for the kernel: its own options and path in the
	 * protocol. Unloading frees ours, never the application's (ASan). */
	static efi_char16_t grub_opts[] = {'q', 0};
	li->load_options = grub_opts;
	li->file_path = (struct efi_device_path *)grub_opts;
	assert_int_equal(efi_image_set_options(h, NULL, 4), -EINVAL);
	/* An image cannot unload itself while it runs. */
	efi_image_set_entry(h, entry_unload_self);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_UNSUPPORTED);
	assert_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_load_from_buffer, per_test),
	    cmocka_unit_test_setup(test_driver_types, per_test),
	    cmocka_unit_test_setup(test_load_gzip, per_test),
	    cmocka_unit_test_setup(test_load_refused, per_test),
	    cmocka_unit_test_setup(test_start_returns, per_test),
	    cmocka_unit_test_setup(test_exit_from_depth, per_test),
	    cmocka_unit_test_setup(test_nested, per_test),
	    cmocka_unit_test_setup(test_exit_and_unload_rules, per_test),
	    cmocka_unit_test_setup(test_options_and_self_unload, per_test),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
