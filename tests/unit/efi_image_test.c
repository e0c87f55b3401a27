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

#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/image.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <sim/sim.h>

#include "pe_build.h"

#define POOL_BASE 0x4a000000ULL /* above the sim's heap and DT */

/* Test allocator: a bump pointer over guest RAM, counting live allocations. */
struct test_mem {
	uint64_t next;
	int live_pages, live_pool;
	uint64_t last_type;
};
static struct test_mem mem;

static efi_status_t t_allocate_pages(uint32_t type, uint32_t memory_type, uint64_t pages,
				     efi_physical_addr_t *memory)
{
	if (type != AllocateAnyPages || !pages || pages > 0x4000) {
		return EFI_OUT_OF_RESOURCES;
	}
	*memory = mem.next;
	mem.next += pages * EFI_PAGE_SIZE;
	mem.live_pages++;
	if (memory_type != EfiBootServicesData) {
		mem.last_type = memory_type;
	}
	memset(arch_phys_to_virt(*memory), 0x5a, pages * EFI_PAGE_SIZE);
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
	mem.live_pool++;
	return EFI_SUCCESS;
}

static efi_status_t t_free_pool(void *buffer)
{
	free(buffer);
	mem.live_pool--;
	return EFI_SUCCESS;
}

static uint8_t file[PB_FILE];
static struct efi_boot_services *bs;
static efi_handle_t fw; /* a parent: any valid handle */
static const efi_guid_t test_guid = EFI_GUID(0x7e57, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
static int fw_iface;

static int setup(void **state)
{
	assert_int_equal(sim_init(&(struct sim_config){0}), 0);
	assert_int_equal(efi_start(), 0);
	struct efi *e = efi_get();
	e->bs.allocate_pages = t_allocate_pages;
	e->bs.free_pages = t_free_pages;
	e->bs.allocate_pool = t_allocate_pool;
	e->bs.free_pool = t_free_pool;
	bs = e->systab.boot_services;
	fw = NULL;
	assert_true(bs->install_protocol_interface(&fw, &test_guid, EFI_NATIVE_INTERFACE,
						   &fw_iface) == EFI_SUCCESS);
	return 0;
}

static int per_test(void **state)
{
	mem.next = POOL_BASE + 0x3000; /* not 64 KiB-aligned: alignment must be made */
	pe_build(file);
	return 0;
}

/* Nothing left behind: every page and pool buffer given back. */
static void assert_no_leak(void)
{
	assert_int_equal(mem.live_pages, 0);
	assert_int_equal(mem.live_pool, 0);
	assert_null(efi_get()->images);
	assert_null(efi_get()->running);
}

static efi_handle_t load(void)
{
	efi_handle_t h = NULL;

	assert_true(bs->load_image(false, fw, NULL, file, sizeof(file), &h) == EFI_SUCCESS);
	assert_non_null(h);
	return h;
}

static struct efi_loaded_image *loaded_image(efi_handle_t h)
{
	void *li = NULL;

	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image, &li) == EFI_SUCCESS);
	return li;
}

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
	assert_int_equal(efi_image_set_options(h, NULL, 4), -EINVAL);
	/* An image cannot unload itself while it runs. */
	efi_image_set_entry(h, entry_unload_self);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_UNSUPPORTED);
	assert_no_leak();
}

/* A device with a path (one vendor node), and a file node below it. */
struct dev_path {
	uint8_t vendor[20];
	uint8_t file[4 + 8 * 2];
	uint8_t end[4];
};

static void test_device_and_file_path(void **state)
{
	static const uint8_t end[4] = {0x7f, 0xff, 4, 0};
	static const efi_char16_t name[] = {'\\', 'a', '.', 'e', 'f', 'i', 0, 0};
	struct {
		uint8_t vendor[20];
		uint8_t end[4];
	} dev = {{1, 4, 20, 0, 0xaa}, {0x7f, 0xff, 4, 0}};
	struct dev_path full = {{1, 4, 20, 0, 0xaa}, {4, 4, 20, 0}, {0x7f, 0xff, 4, 0}};
	efi_handle_t disk = NULL, h = NULL;

	memcpy(full.file + 4, name, 16);
	assert_true(bs->install_protocol_interface(&disk, &efi_guid_device_path,
						   EFI_NATIVE_INTERFACE, &dev) == EFI_SUCCESS);
	assert_true(bs->load_image(false, fw, (struct efi_device_path *)&full, file, sizeof(file),
				   &h) == EFI_SUCCESS);
	struct efi_loaded_image *li = loaded_image(h);
	assert_ptr_equal(li->device_handle, disk);
	assert_memory_equal(li->file_path, full.file, sizeof(full.file));
	assert_memory_equal((uint8_t *)li->file_path + sizeof(full.file), end, 4);
	void *dp = NULL;
	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image_device_path, &dp) == EFI_SUCCESS);
	assert_memory_equal(dp, &full, sizeof(full));
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	/* A path with a zero-length node is not kept (never walked past). */
	full.file[2] = 0;
	assert_true(bs->load_image(false, fw, (struct efi_device_path *)&full, file, sizeof(file),
				   &h) == EFI_SUCCESS);
	assert_null(loaded_image(h)->device_handle);
	assert_true(bs->unload_image(h) == EFI_SUCCESS);
	assert_true(bs->uninstall_protocol_interface(disk, &efi_guid_device_path, &dev) ==
		    EFI_SUCCESS);
	assert_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_load_from_buffer, per_test),
	    cmocka_unit_test_setup(test_driver_types, per_test),
	    cmocka_unit_test_setup(test_load_refused, per_test),
	    cmocka_unit_test_setup(test_start_returns, per_test),
	    cmocka_unit_test_setup(test_exit_from_depth, per_test),
	    cmocka_unit_test_setup(test_nested, per_test),
	    cmocka_unit_test_setup(test_exit_and_unload_rules, per_test),
	    cmocka_unit_test_setup(test_options_and_self_unload, per_test),
	    cmocka_unit_test_setup(test_device_and_file_path, per_test),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
