/* ExitBootServices (efi/exit_boot.c) on the simulated Xen with a PV disk
 * whose backend never closes: a stale key changes nothing; the right key
 * runs the handoff, which loses the backend's pages, so the map changes
 * under the OS's key and the call fails; the OS reads the map again (the
 * lost pages reserved) and the second call succeeds without a second
 * handoff. Then the tables lose their boot services and console. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

#include <drivers/pvcons.h>
#include <efi/efi.h>
#include <lib/crc32.h>
#include <lib/memmap.h>
#include <sim/console.h>
#include <string.h>

static struct efi_memory_descriptor map[256];

/* The map's key, and how many reserved (lost) pages it shows. */
static uint64_t read_map(uint64_t *reserved_pages)
{
	struct efi_boot_services *bs = efi_get()->systab.boot_services;
	uint64_t size = sizeof(map), key, desc_size;
	uint32_t version;

	assert_true(bs->get_memory_map(&size, map, &key, &desc_size, &version) == EFI_SUCCESS);
	*reserved_pages = 0;
	for (uint64_t off = 0; off < size; off += desc_size) {
		const struct efi_memory_descriptor *d = (const void *)((const char *)map + off);
		if (d->type == EfiReservedMemoryType) {
			*reserved_pages += d->number_of_pages;
		}
	}
	return key;
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++) {
		n++;
	}
	return n;
}

static void test_lost_pages_then_retry(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct efi *e = efi_get();
	uint64_t reserved;

	dtinfo_set(&dt);
	memmap_reset();
	assert_int_equal(pvcons_init_from_hvm(), 0);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 64, guest_buf(0)), 0);
	assert_int_equal(efi_start(), 0);
	struct efi_boot_services *bs = e->systab.boot_services;
	efi_handle_t image = e->objects;
	uint64_t key = read_map(&reserved);
	assert_int_equal(reserved, 0);

	/* A stale key: nothing happens, the disk still works. */
	assert_true(bs->exit_boot_services(image, key + 1) == EFI_INVALID_PARAMETER);
	assert_false(e->is_handed_off);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 8, guest_buf(0)), 0);
	/* Not a handle at all. */
	int junk;
	assert_true(bs->exit_boot_services(&junk, key) == EFI_INVALID_PARAMETER);

	sim_blkback_fault(bb, SIM_BB_NO_CLOSE, 0, 0);
	sim_console_output_clear();
	assert_true(bs->exit_boot_services(image, key) == EFI_INVALID_PARAMETER);
	assert_true(e->is_handed_off);
	assert_false(e->is_boot_services_exited);
	uint64_t key2 = read_map(&reserved);
	assert_true(key2 != key);
	assert_true(reserved > 0); /* the pages the backend kept */

	assert_true(bs->exit_boot_services(image, key2) == EFI_SUCCESS);
	assert_true(e->is_boot_services_exited);
	/* One summary line: the handoff ran once. */
	assert_int_equal(count(sim_console_output(NULL), " reset ("), 1);
	struct efi_system_table *st = &e->systab;
	assert_null(st->boot_services);
	assert_null(st->con_out);
	assert_null(st->con_in);
	assert_non_null(st->runtime_services);
	uint32_t crc = st->hdr.crc32;
	st->hdr.crc32 = 0;
	assert_int_equal(crc, crc32_update(0, st, st->hdr.header_size));
	st->hdr.crc32 = crc;
	/* efi_start() after the exit: refused, nothing rebuilt. */
	assert_int_not_equal(efi_start(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lost_pages_then_retry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
