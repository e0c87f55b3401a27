/* The world of the LoadImage tests (efi_image_test, efi_image_path_test):
 * the sim's guest RAM, the EFI tables with a test allocator over it that
 * counts what is still allocated, a parent handle, and the synthetic PE of
 * pe_build.h in file[]. Include after <cmocka.h>, once per program. */
#ifndef TESTS_UNIT_EFI_IMAGE_WORLD_H
#define TESTS_UNIT_EFI_IMAGE_WORLD_H

#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/image.h>
#include <efi/services.h>
#include <sim/sim.h>
#include <stdlib.h>
#include <string.h>

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
static inline void assert_no_leak(void)
{
	assert_int_equal(mem.live_pages, 0);
	assert_int_equal(mem.live_pool, 0);
	assert_null(efi_get()->images);
	assert_null(efi_get()->running);
}

static inline efi_handle_t load(void)
{
	efi_handle_t h = NULL;

	assert_true(bs->load_image(false, fw, NULL, file, sizeof(file), &h) == EFI_SUCCESS);
	assert_non_null(h);
	return h;
}

static inline struct efi_loaded_image *loaded_image(efi_handle_t h)
{
	void *li = NULL;

	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image, &li) == EFI_SUCCESS);
	return li;
}

#endif
