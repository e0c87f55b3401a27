/* efi/fdt.c: the DTB configuration table. Publishing a new device tree
 * (bootefi <image> <fdt>) gives back our previous copy and nothing else,
 * whatever an application left in the table: GRUB's `devicetree` installs
 * its own blob there, a hostile one any pointer with any header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_world.h"

#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <libfdt.h>
#include <string.h>

static struct dtinfo dt;

static struct efi_boot_services *bs(void)
{
	return efi_get()->systab.boot_services;
}

static int setup(void **state)
{
	return guest_world_start(NULL, &dt) || efi_start() ? -1 : 0;
}

static int teardown(void **state)
{
	guest_world_stop();
	return 0;
}

static void *dtb_table(void)
{
	const struct efi_system_table *st = &efi_get()->systab;

	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		if (efi_guid_eq(&st->configuration_table[i].vendor_guid, &efi_guid_fdt_table)) {
			return st->configuration_table[i].vendor_table;
		}
	}
	return NULL;
}

/* Pages of the map of @type. */
static uint64_t pages_of(uint32_t type)
{
	static struct efi_memory_descriptor map[128];
	uint64_t size = sizeof(map), key, dsize, n = 0;
	uint32_t ver;

	assert_true(bs()->get_memory_map(&size, map, &key, &dsize, &ver) == EFI_SUCCESS);
	for (uint64_t i = 0; i < size / dsize; i++) {
		if (map[i].type == type) {
			n += map[i].number_of_pages;
		}
	}
	return n;
}

/* An application's table, one page, whose header claims 16 pages; the 15
 * after it are another allocation of the application's, still in use. */
static void test_foreign_table_not_freed(void **state)
{
	efi_physical_addr_t a;
	void *ours = dtb_table();
	uint64_t acpi = pages_of(EfiACPIReclaimMemory);

	assert_non_null(ours);
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 16, &a) == EFI_SUCCESS);
	assert_true(bs()->free_pages(a, 16) == EFI_SUCCESS);
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 1, &a) == EFI_SUCCESS);
	efi_physical_addr_t b = a + 4096;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiBootServicesData, 15, &b) ==
		    EFI_SUCCESS);
	void *fake = arch_phys_to_virt(a);
	assert_int_equal(fdt_create_empty_tree(fake, 4096), 0);
	fdt_set_totalsize(fake, 16 * 4096);
	assert_true(bs()->install_configuration_table(&efi_guid_fdt_table, fake) == EFI_SUCCESS);

	assert_int_equal(efi_fdt_install(efi_get(), dt.fdt), 0);
	void *now = dtb_table();
	assert_non_null(now);
	assert_ptr_not_equal(now, fake);
	assert_int_equal(fdt_check_header(now), 0);
	/* The application's pages are all still its own. */
	assert_true(bs()->free_pages(b, 15) == EFI_SUCCESS);
	assert_true(bs()->free_pages(a, 1) == EFI_SUCCESS);
	/* Our first copy was given back: one copy in the map, not two. */
	assert_int_equal(pages_of(EfiACPIReclaimMemory), acpi);
}

/* A table pointer that is not memory of ours at all: never read. */
static void test_wild_table_not_read(void **state)
{
	uint64_t acpi = pages_of(EfiACPIReclaimMemory);

	assert_true(bs()->install_configuration_table(&efi_guid_fdt_table, (void *)16) ==
		    EFI_SUCCESS);
	assert_int_equal(efi_fdt_install(efi_get(), dt.fdt), 0);
	assert_int_equal(fdt_check_header(dtb_table()), 0);
	assert_int_equal(pages_of(EfiACPIReclaimMemory), acpi);
	/* And again over our own: still one copy. */
	assert_int_equal(efi_fdt_install(efi_get(), dt.fdt), 0);
	assert_int_equal(pages_of(EfiACPIReclaimMemory), acpi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_foreign_table_not_freed),
	    cmocka_unit_test(test_wild_table_not_read),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
