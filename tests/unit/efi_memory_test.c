/* efi/bs_memory.c through the boot services table, as an application calls
 * it: pages, the memory map, pools; hostile arguments get error codes.
 * RAM: bank 0 256 MiB at 0x40000000 (xenboot's image at 0x40080000, its
 * heap up to the DT at 0x48000000), bank 1 64 MiB at 0x200000000. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_world.h"

#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <string.h>

#define MIB (1ULL << 20)
#define BANK1_END (SIM_RAM1_BASE + 64 * MIB)
#define MAP_MAX 64

static struct dtinfo dt;
static struct efi_memory_descriptor base_map[MAP_MAX];
static uint64_t base_size;

static struct efi_boot_services *bs(void)
{
	return efi_get()->systab.boot_services;
}

/* The map into @map (MAP_MAX entries); returns the descriptor count. */
static unsigned int get_map(struct efi_memory_descriptor *map, uint64_t *key)
{
	uint64_t size = MAP_MAX * sizeof(*map), dsize = 0, k = 0;
	uint32_t ver = 0;

	assert_true(bs()->get_memory_map(&size, map, &k, &dsize, &ver) == EFI_SUCCESS);
	assert_int_equal(dsize, 40);
	assert_int_equal(ver, 1);
	assert_int_equal(size % dsize, 0);
	if (key) {
		*key = k;
	}
	return (unsigned int)(size / dsize);
}

/* The descriptor holding @pa. */
static const struct efi_memory_descriptor *desc_of(const struct efi_memory_descriptor *map,
						   unsigned int n, uint64_t pa)
{
	for (unsigned int i = 0; i < n; i++) {
		if (pa >= map[i].physical_start &&
		    pa - map[i].physical_start < map[i].number_of_pages * 4096) {
			return &map[i];
		}
	}
	fail_msg("0x%llx not in the map", (unsigned long long)pa);
	return NULL;
}

static uint32_t type_at(uint64_t pa)
{
	struct efi_memory_descriptor map[MAP_MAX];
	unsigned int n = get_map(map, NULL);

	return desc_of(map, n, pa)->type;
}

/* Everything given back: the map is the one the program started with. */
static void assert_map_as_before(void)
{
	struct efi_memory_descriptor map[MAP_MAX];
	unsigned int n = get_map(map, NULL);

	assert_int_equal(n * sizeof(map[0]), base_size);
	assert_memory_equal(map, base_map, base_size);
}

static int setup(void **state)
{
	struct sim_config cfg = {.bank_count = 2,
				 .banks = {{SIM_RAM0_BASE, 256 * MIB}, {SIM_RAM1_BASE, 64 * MIB}}};

	if (guest_world_start(&cfg, &dt) || efi_start()) {
		return -1;
	}
	base_size = get_map(base_map, NULL) * sizeof(base_map[0]);
	return 0;
}

static int teardown(void **state)
{
	guest_world_stop();
	return 0;
}

static void test_map(void **state)
{
	struct efi_memory_descriptor map[MAP_MAX];
	uint64_t size = 0, key = 0, key2 = 0, dsize = 0, pages = 0, end = 0;
	uint32_t ver = 0;
	unsigned int n = get_map(map, &key);

	/* Too small: the size needed; NULL with room: refused. */
	assert_true(bs()->get_memory_map(&size, NULL, &key2, &dsize, &ver) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, n * 40);
	size = 40;
	assert_true(bs()->get_memory_map(&size, map, &key2, &dsize, &ver) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, n * 40);
	assert_true(bs()->get_memory_map(&size, NULL, &key2, &dsize, &ver) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs()->get_memory_map(NULL, map, &key2, &dsize, &ver) == EFI_INVALID_PARAMETER);
	/* Sorted, page-aligned, both banks exactly. */
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(map[i].physical_start % 4096, 0);
		assert_true(map[i].physical_start >= end);
		assert_true(map[i].attribute & EFI_MEMORY_WB);
		end = map[i].physical_start + map[i].number_of_pages * 4096;
		pages += map[i].number_of_pages;
	}
	assert_int_equal(pages, (256 + 64) * MIB / 4096);
	assert_int_equal(map[0].physical_start, SIM_RAM0_BASE);
	assert_int_equal(end, BANK1_END);
	/* What covers what. */
	const struct efi_memory_descriptor *image = desc_of(map, n, SIM_IMAGE_BASE);
	assert_int_equal(image->type, EfiRuntimeServicesCode);
	assert_true(image->attribute & EFI_MEMORY_RUNTIME);
	struct arch_image_info im;
	arch_image_info(&im);
	assert_true(im.heap_end > im.heap_start);
	assert_int_equal(desc_of(map, n, im.heap_start)->type, EfiBootServicesData);
	assert_int_equal(desc_of(map, n, im.heap_end - 1)->type, EfiBootServicesData);
	assert_int_equal(desc_of(map, n, sim_fdt_gpa())->type, EfiBootServicesData);
	assert_int_equal(desc_of(map, n, SIM_RAM0_BASE)->type, EfiConventionalMemory);
	assert_false(desc_of(map, n, SIM_RAM0_BASE)->attribute & EFI_MEMORY_RUNTIME);
	assert_int_equal(desc_of(map, n, SIM_RAM1_BASE)->type, EfiConventionalMemory);
	/* The DT's configuration table copy (efi/fdt.c). */
	assert_int_equal(desc_of(map, n, BANK1_END - 4096)->type, EfiACPIReclaimMemory);
	/* The key stays until the map changes; lost pages are reserved. */
	assert_int_equal(get_map(map, &key2), n);
	assert_int_equal(key2, key);
	assert_int_equal(memmap_add(SIM_RAM0_BASE + 0x1800, 0x10, MEMMAP_LOST), 0);
	n = get_map(map, &key2);
	assert_true(key2 != key);
	assert_int_equal(desc_of(map, n, SIM_RAM0_BASE + 0x1000)->type, EfiReservedMemoryType);
	assert_int_equal(desc_of(map, n, SIM_RAM0_BASE + 0x1000)->number_of_pages, 1);
	/* The lost page stays: the new baseline. */
	base_size = get_map(base_map, NULL) * sizeof(base_map[0]);
}

static void test_allocate_pages(void **state)
{
	efi_physical_addr_t a = 0, b = 0, c = 0;
	uint64_t key, key2;
	struct efi_memory_descriptor map[MAP_MAX];

	get_map(map, &key);
	/* Any: the highest free pages (under the DT copy at the top). */
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 3, &a) == EFI_SUCCESS);
	assert_true(a > SIM_RAM1_BASE && a + 3 * 4096 <= BANK1_END);
	assert_int_equal(type_at(a), EfiLoaderData);
	get_map(map, &key2);
	assert_true(key2 != key);
	/* Max address (inclusive): the last byte may be at it, not beyond. */
	b = SIM_RAM0_BASE + 0x7ffff;
	assert_true(bs()->allocate_pages(AllocateMaxAddress, 0x80000001, 2, &b) == EFI_SUCCESS);
	assert_int_equal(b, SIM_RAM0_BASE + 0x7e000);
	assert_int_equal(type_at(b), 0x80000001);
	c = 0xfff;
	assert_true(bs()->allocate_pages(AllocateMaxAddress, EfiLoaderData, 1, &c) ==
		    EFI_OUT_OF_RESOURCES);
	/* At an address: free RAM only, whole pages. */
	c = SIM_RAM0_BASE + 0x10000;
	assert_true(bs()->allocate_pages(AllocateAddress, 0x70000000, 1, &c) == EFI_SUCCESS);
	assert_int_equal(c, SIM_RAM0_BASE + 0x10000);
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 1, &c) == EFI_NOT_FOUND);
	c = SIM_IMAGE_BASE;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 1, &c) == EFI_NOT_FOUND);
	c = SIM_RAM0_BASE + 0x20001;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 1, &c) == EFI_NOT_FOUND);
	c = SIM_RAM0_BASE + 256 * MIB - 4096;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 2, &c) == EFI_NOT_FOUND);
	c = 0x1000;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 1, &c) == EFI_NOT_FOUND);
	assert_true(bs()->free_pages(SIM_RAM0_BASE + 0x10000, 1) == EFI_SUCCESS);
	assert_true(bs()->free_pages(b, 2) == EFI_SUCCESS);
	assert_true(bs()->free_pages(a, 3) == EFI_SUCCESS);
	assert_map_as_before();
}

static void test_allocate_pages_hostile(void **state)
{
	efi_physical_addr_t a = 0x1234;
	const uint32_t bad_types[] = {EfiConventionalMemory, EfiPersistentMemory,
				      EfiUnacceptedMemoryType, EfiMaxMemoryType, 0x6fffffff};

	for (size_t i = 0; i < ARRAY_SIZE(bad_types); i++) {
		assert_true(bs()->allocate_pages(AllocateAnyPages, bad_types[i], 1, &a) ==
			    EFI_INVALID_PARAMETER);
		assert_true(bs()->allocate_pool(bad_types[i], 8, (void **)&a) ==
			    EFI_INVALID_PARAMETER);
	}
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 1, NULL) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs()->allocate_pages(MaxAllocateType, EfiLoaderData, 1, &a) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs()->allocate_pages(0xffffffff, EfiLoaderData, 1, &a) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 0, &a) ==
		    EFI_INVALID_PARAMETER);
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, UINT64_MAX, &a) ==
		    EFI_OUT_OF_RESOURCES);
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 1ULL << 52, &a) ==
		    EFI_OUT_OF_RESOURCES);
	assert_true(bs()->allocate_pages(AllocateAnyPages, EfiLoaderData, 257 * MIB / 4096, &a) ==
		    EFI_OUT_OF_RESOURCES);
	a = 0xfffffffffffff000ULL;
	assert_true(bs()->allocate_pages(AllocateAddress, EfiLoaderData, 2, &a) == EFI_NOT_FOUND);
	assert_int_equal(a, 0xfffffffffffff000ULL);
	/* Frees of what was never allocated. */
	assert_true(bs()->free_pages(SIM_RAM0_BASE, 1) == EFI_NOT_FOUND);
	assert_true(bs()->free_pages(SIM_IMAGE_BASE, 1) == EFI_NOT_FOUND);
	assert_true(bs()->free_pages(SIM_RAM0_BASE + 1, 1) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pages(SIM_RAM0_BASE, 0) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pages(0xfffffffffffff000ULL, 2) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pages(SIM_RAM0_BASE, UINT64_MAX) == EFI_INVALID_PARAMETER);
	/* The OEM and OS ranges and EfiReservedMemoryType are allowed. */
	const uint32_t good_types[] = {EfiReservedMemoryType,
				       EfiRuntimeServicesData,
				       0x70000000,
				       0x7fffffff,
				       0x80000000,
				       0xffffffff};
	for (size_t i = 0; i < ARRAY_SIZE(good_types); i++) {
		assert_true(bs()->allocate_pages(AllocateAnyPages, good_types[i], 1, &a) ==
			    EFI_SUCCESS);
		assert_int_equal(type_at(a), good_types[i]);
		assert_true(bs()->free_pages(a, 1) == EFI_SUCCESS);
	}
	assert_map_as_before();
}

/* A partial free keeps the rest; freed pages are free again. */
static void test_free_pages_partial(void **state)
{
	struct efi_memory_descriptor map[MAP_MAX];
	efi_physical_addr_t a = SIM_RAM1_BASE;
	unsigned int n;

	assert_true(bs()->allocate_pages(AllocateAddress, EfiBootServicesCode, 8, &a) ==
		    EFI_SUCCESS);
	assert_true(bs()->free_pages(a + 2 * 4096, 3) == EFI_SUCCESS);
	assert_true(bs()->free_pages(a + 2 * 4096, 1) == EFI_NOT_FOUND);
	n = get_map(map, NULL);
	assert_int_equal(desc_of(map, n, a)->number_of_pages, 2);
	assert_int_equal(desc_of(map, n, a + 2 * 4096)->type, EfiConventionalMemory);
	assert_int_equal(desc_of(map, n, a + 5 * 4096)->type, EfiBootServicesCode);
	assert_int_equal(desc_of(map, n, a + 5 * 4096)->number_of_pages, 3);
	assert_true(bs()->free_pages(a, 8) == EFI_NOT_FOUND); /* a hole: nothing freed */
	assert_true(bs()->free_pages(a, 2) == EFI_SUCCESS);
	assert_true(bs()->free_pages(a + 5 * 4096, 3) == EFI_SUCCESS);
	assert_map_as_before();
}

static void test_pool(void **state)
{
	const uint64_t sizes[] = {0, 1, 8, 24, 100, 2048, 2049, 5000, 100000};
	void *p[ARRAY_SIZE(sizes)], *q = NULL;
	int on_stack;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_true(bs()->allocate_pool(EfiLoaderData, sizes[i], &p[i]) == EFI_SUCCESS);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 8, 0);
		memset(p[i], 0xa5, sizes[i]);
		assert_int_equal(type_at(arch_virt_to_phys(p[i])), EfiLoaderData);
		for (size_t j = 0; j < i; j++) {
			uintptr_t a = (uintptr_t)p[i], b = (uintptr_t)p[j];
			assert_true(a >= b + MAX(sizes[j], 1) || b >= a + MAX(sizes[i], 1));
		}
	}
	/* Pools of another type never share its pages. */
	assert_true(bs()->allocate_pool(0x80000002, 24, &q) == EFI_SUCCESS);
	assert_int_equal(type_at(arch_virt_to_phys(q)), 0x80000002);
	assert_int_equal(type_at(arch_virt_to_phys(p[3])), EfiLoaderData);
	/* Pool pages are not AllocatePages pages. */
	assert_true(bs()->free_pages(ALIGN_DOWN(arch_virt_to_phys(q), 4096), 1) == EFI_NOT_FOUND);
	assert_true(bs()->free_pages(arch_virt_to_phys(p[8]), 1) == EFI_NOT_FOUND);
	/* Bad pointers: refused, never followed. */
	assert_true(bs()->free_pool(NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pool(&on_stack) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pool((char *)p[3] + 8) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pool((char *)p[8] + 4096) == EFI_INVALID_PARAMETER);
	assert_true(bs()->free_pool(arch_phys_to_virt(SIM_RAM0_BASE)) == EFI_INVALID_PARAMETER);
	/* The application scribbles over a whole pool page: FreePool still knows. */
	memset((void *)ALIGN_DOWN((uintptr_t)q, 4096), 0xff, 4096);
	assert_true(bs()->free_pool(q) == EFI_SUCCESS);
	assert_true(bs()->free_pool(q) == EFI_INVALID_PARAMETER);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_true(bs()->free_pool(p[i]) == EFI_SUCCESS);
		assert_true(bs()->free_pool(p[i]) == EFI_INVALID_PARAMETER);
	}
	assert_true(bs()->allocate_pool(EfiLoaderData, 8, NULL) == EFI_INVALID_PARAMETER);
	assert_true(bs()->allocate_pool(EfiLoaderData, UINT64_MAX, &q) == EFI_OUT_OF_RESOURCES);
	assert_true(bs()->allocate_pool(EfiLoaderData, 1ULL << 40, &q) == EFI_OUT_OF_RESOURCES);
	assert_map_as_before();
}

/* Many small pools: slots packed into few pages, all given back. */
static void test_many_pools(void **state)
{
	enum { COUNT = 1000 };
	static void *p[COUNT];
	struct efi_memory_descriptor map[MAP_MAX];
	uint64_t pool_pages = 0;
	unsigned int n;

	for (unsigned int i = 0; i < COUNT; i++) {
		assert_true(bs()->allocate_pool(EfiBootServicesData, 24, &p[i]) == EFI_SUCCESS);
		memset(p[i], (int)i, 24);
	}
	for (unsigned int i = 0; i < COUNT; i++) {
		assert_int_equal(*(uint8_t *)p[i], (uint8_t)i);
	}
	n = get_map(map, NULL);
	for (unsigned int i = 0; i < n; i++) {
		if (map[i].type == EfiBootServicesData && map[i].physical_start >= SIM_RAM1_BASE) {
			pool_pages += map[i].number_of_pages;
		}
	}
	assert_int_equal(pool_pages, (COUNT + 127) / 128); /* 32-byte slots */
	for (unsigned int i = COUNT; i-- > 0;) {
		assert_true(bs()->free_pool(p[i]) == EFI_SUCCESS);
	}
	assert_map_as_before();
}

/* What Linux's EFI stub and GRUB do: ask for the size, allocate a pool with
 * room for two more descriptors (the pool itself may add one), read the map;
 * the key is then the one ExitBootServices checks. */
static void test_map_into_pool(void **state)
{
	uint64_t size = 0, dsize = 0, key = 0, key2 = 0;
	uint32_t ver = 0;
	void *buf = NULL;

	assert_true(bs()->get_memory_map(&size, NULL, &key, &dsize, &ver) == EFI_BUFFER_TOO_SMALL);
	assert_true(bs()->allocate_pool(EfiLoaderData, size + 2 * dsize, &buf) == EFI_SUCCESS);
	uint64_t room = size + 2 * dsize;
	assert_true(bs()->get_memory_map(&room, buf, &key, &dsize, &ver) == EFI_SUCCESS);
	assert_true(room > size); /* the pool's page: one more descriptor */
	assert_int_equal(key, memmap_key());
	struct efi_memory_descriptor d;
	memcpy(&d, (char *)buf + room - dsize, sizeof(d));
	assert_int_equal(d.physical_start + d.number_of_pages * 4096, BANK1_END);
	/* Nothing changed: the same key; the pool freed: another one. */
	room = size + 2 * dsize;
	assert_true(bs()->get_memory_map(&room, buf, &key2, &dsize, &ver) == EFI_SUCCESS);
	assert_int_equal(key2, key);
	assert_true(bs()->free_pool(buf) == EFI_SUCCESS);
	assert_true(memmap_key() != key);
	assert_map_as_before();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_map),
	    cmocka_unit_test(test_allocate_pages),
	    cmocka_unit_test(test_allocate_pages_hostile),
	    cmocka_unit_test(test_free_pages_partial),
	    cmocka_unit_test(test_pool),
	    cmocka_unit_test(test_many_pools),
	    cmocka_unit_test(test_map_into_pool),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
