/* efi/bs_image.c misused by the image itself (review of issue 10): an
 * image that uninstalls the protocols of its own ImageHandle, which frees
 * the handle, then returns. StartImage's unload once wrote into the freed
 * handle and freed it again (ASan: heap-use-after-free). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "efi_image_world.h"

static efi_status_t entry_drops_its_handle(efi_handle_t h, struct efi_system_table *st)
{
	struct efi_boot_services *b = st->boot_services;
	void *li = NULL, *dp = NULL;

	assert_true(b->handle_protocol(h, &efi_guid_loaded_image, &li) == EFI_SUCCESS);
	assert_true(b->handle_protocol(h, &efi_guid_loaded_image_device_path, &dp) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(h, &efi_guid_loaded_image, li) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(h, &efi_guid_loaded_image_device_path, dp) ==
		    EFI_SUCCESS);
	assert_null(efi_object_of(h));
	return EFI_SUCCESS;
}

static void test_image_uninstalls_its_handle(void **state)
{
	efi_handle_t h = load();

	efi_image_set_entry(h, entry_drops_its_handle);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_SUCCESS);
	assert_null(efi_image_of(h));
	assert_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_image_uninstalls_its_handle, per_test),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
