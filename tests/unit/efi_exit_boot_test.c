/* efi/exit_boot.c: ExitBootServices as the Linux stub calls it, against
 * the simulated Xen with two PV disks. A stale key is refused before
 * anything happens; the right key runs the Xen handoff once; when a
 * backend keeps its grants the handoff records lost pages, the map (and
 * its key) changes under the OS, the first call fails and the OS's second
 * call with the new key succeeds without a second handoff; afterwards the
 * boot services are gone from the system table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

#include <drivers/pvcons.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/memmap.h>

static struct sim_blkback *bbs[2];

static int setup_world(void **state)
{
	struct sim_blkback_config c0 = full_cfg(XVDA, NULL), c1 = full_cfg(XVDB, NULL);

	if (world_up()) {
		return -1;
	}
	dtinfo_set(&dt);
	memmap_reset();
	if (pvcons_init_from_hvm()) {
		return -1;
	}
	c0.image = image;
	c1.image = image2;
	bbs[0] = sim_blkback_add(&c0);
	bbs[1] = sim_blkback_add(&c1);
	if (!bbs[0] || !bbs[1] || blkfront_probe_all() != 2 || efi_start()) {
		return -1;
	}
	/* I/O done: grants are in use when the OS leaves. */
	return blkfront_read(blkfront_get(1), 0, 64, guest_buf(0)) ? -1 : 0;
}

static int teardown_world(void **state)
{
	memmap_reset();
	console_set(NULL);
	return teardown(state);
}

static uint64_t map_key(void)
{
	static struct efi_memory_descriptor map[64];
	uint64_t size = sizeof(map), key = 0, dsize;
	uint32_t ver;

	assert_true(efi_get()->bs.get_memory_map(&size, map, &key, &dsize, &ver) == EFI_SUCCESS);
	return key;
}

static efi_handle_t any_handle(void)
{
	assert_non_null(efi_get()->objects);
	return efi_get()->objects;
}

/* One program, one ExitBootServices: the refusals first, then the exit. */
static void test_exit_boot_services(void **state)
{
	struct efi *e = efi_get();
	efi_handle_t h = any_handle();
	uint64_t key = map_key();
	unsigned int lost_before = 0, lost_after = 0;

	/* Stale key, bad handle: refused, nothing handed off. */
	assert_true(e->bs.exit_boot_services(h, key + 1) == EFI_INVALID_PARAMETER);
	assert_true(e->bs.exit_boot_services(NULL, key) == EFI_INVALID_PARAMETER);
	assert_false(e->is_handed_off);
	/* An allocation after GetMemoryMap makes the key stale. */
	efi_physical_addr_t pa;
	assert_true(e->bs.allocate_pages(AllocateAnyPages, EfiLoaderData, 1, &pa) == EFI_SUCCESS);
	assert_true(e->bs.exit_boot_services(h, key) == EFI_INVALID_PARAMETER);
	assert_false(e->is_handed_off);
	assert_non_null(e->systab.boot_services);

	/* xvdb's backend keeps its grants: the handoff records lost pages,
	 * the map changes under the OS's (fresh) key, the call fails. */
	sim_blkback_fault(bbs[1], SIM_BB_NO_CLOSE, 0, 0);
	key = map_key();
	for (unsigned int i = 0; i < memmap_count(); i++) {
		lost_before += memmap_at(i)->kind == MEMMAP_LOST;
	}
	assert_true(e->bs.exit_boot_services(h, key) == EFI_INVALID_PARAMETER);
	assert_true(e->is_handed_off);
	assert_false(e->is_boot_services_exited);
	for (unsigned int i = 0; i < memmap_count(); i++) {
		lost_after += memmap_at(i)->kind == MEMMAP_LOST;
	}
	assert_true(lost_after > lost_before);
	/* The stale key again: still refused. The new one: done, no second handoff. */
	assert_true(e->bs.exit_boot_services(h, key) == EFI_INVALID_PARAMETER);
	uint64_t key2 = map_key();
	assert_true(key2 != key);
	unsigned int count = memmap_count();
	assert_true(e->bs.exit_boot_services(h, key2) == EFI_SUCCESS);
	assert_int_equal(memmap_count(), count);
	assert_true(e->is_boot_services_exited);
	assert_null(e->systab.boot_services);
	assert_null(e->systab.con_out);
	assert_int_equal(efi_start(), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_boot_services),
	};

	return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
