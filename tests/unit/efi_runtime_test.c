/* The runtime services (efi/rt_*.c) called through the runtime services
 * table as an OS would: variables before and after ExitBootServices (a
 * flag here) with the ESP on images/mkimg.sh's GPT disk as "blk 0", the
 * VarToFile image, GetTime from a wallclock written into the simulated
 * shared_info, ResetSystem's SCHEDOP_shutdown, and SetVirtualAddressMap
 * over a map built from our own addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include <arch/arch.h>
#include <disk/part.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <fs/fs.h>
#include <lib/crc32.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <xen/abi/sched.h>

#define NV EFI_VARIABLE_NON_VOLATILE
#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS

static const efi_guid_t vendor =
    EFI_GUID(0x8be4df61, 0x93ca, 0x11d2, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c);
static const efi_guid_t rt_file_guid =
    EFI_GUID(0xb2ac5fc9, 0x92b7, 0x4acd, 0xae, 0xac, 0x11, 0xe8, 0x18, 0xc3, 0x13, 0x0c);
static struct blk_ram ram;
static struct dtinfo dt;
static uint8_t *disk;
static size_t disk_size;
static struct fs fs;
static uint64_t store_mem[0x10000 / 8];
static uint8_t img[VARFILE_SIZE];

static struct efi_runtime_services *rt(void)
{
	assert_int_equal(efi_start(), 0);
	return efi_get()->systab.runtime_services;
}

static void mount_esp(void)
{
	struct blk_part part;

	assert_int_equal(part_open("ram0:1", &part), 0);
	assert_int_equal(fs_mount(&fs, &part), 0);
}

/* The non-volatile variables as the ESP holds them now. */
static void *saved_store(void)
{
	mount_esp();
	assert_int_equal(varstore_init(store_mem, sizeof(store_mem), VARFILE_NV_LIMIT), 0);
	int rc = varfile_load_fs(store_mem, &fs);
	assert_true(rc == 0 || rc == -ENOENT);
	return store_mem;
}

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_xen(&dt) ||
	    guest_world_ramdisk(&ram, "disk", &disk, &disk_size)) {
		return -1;
	}
	/* The ESP is the first FAT partition of `blk 0`, our RAM disk. */
	if (env_set("devtype", "blk") || env_set("devnum", "0")) {
		return -1;
	}
	/* One variable saved by an earlier boot. */
	mount_esp();
	assert_int_equal(varstore_init(store_mem, sizeof(store_mem), VARFILE_NV_LIMIT), 0);
	assert_int_equal(varstore_set(store_mem, u"Saved", &vendor, NV | BS | RT, "old", 3, 0), 0);
	assert_int_equal(varfile_save_fs(store_mem, &fs), 0);
	return 0;
}

static int teardown(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	guest_world_stop();
	return 0;
}

/* Power off and on: the RAM disk again over the same bytes (no cache). */
static void replug(void)
{
	blk_unregister(&ram.dev);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, disk_size, 512, false), 0);
	assert_int_equal(blk_register(&ram.dev), 0);
}

/* A ubootefi.var larger than ours (U-Boot's buffer is bigger): nothing is
 * loaded, and changes stay in memory rather than overwrite it. */
static void test_file_too_big(void **state)
{
	static uint64_t big[0x20000 / 8];
	static uint8_t image[0x20000], back[0x20000];
	struct efi *e = efi_get();
	uint8_t *before = malloc(disk_size);
	size_t len, n;
	char data[4000];

	rt();
	assert_non_null(before);
	memcpy(before, disk, disk_size);
	memset(data, 'b', sizeof(data));
	assert_int_equal(varstore_init(big, sizeof(big), sizeof(big)), 0);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(varstore_set(big,
					      (efi_char16_t[]){'B', (efi_char16_t)('0' + i), 0},
					      &vendor, NV | BS | RT, data, sizeof(data), 0),
				 0);
	}
	assert_int_equal(varfile_export(big, image, sizeof(image), &len), 0);
	assert_true(len > VARFILE_SIZE);
	mount_esp();
	assert_int_equal(fs_write(&fs, VARFILE_NAME, image, len), 0);
	e->runtime.vars_state = EFI_VARS_OFF;
	assert_int_equal(efi_vars_start(e), 0);
	assert_int_equal(e->runtime.vars_state, EFI_VARS_MEMORY);
	uint64_t size = sizeof(data);
	assert_true(efi_rt_get_variable(u"Saved", &vendor, NULL, &size, data) == EFI_NOT_FOUND);
	assert_true(efi_rt_set_variable(u"Mem", &vendor, NV | BS | RT, 1, "m") == EFI_SUCCESS);
	replug();
	mount_esp();
	assert_int_equal(fs_read(&fs, VARFILE_NAME, back, 0, sizeof(back), &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(back, image, len);
	/* Back to the disk the other tests expect. */
	memcpy(disk, before, disk_size);
	free(before);
	replug();
	e->runtime.vars_state = EFI_VARS_OFF;
	assert_int_equal(efi_vars_start(e), 0);
	assert_int_equal(e->runtime.vars_state, EFI_VARS_SAVED);
}

static void test_variables_boot_time(void **state)
{
	struct efi_runtime_services *r = rt();
	uint64_t size = 16, a, b, c;
	uint32_t attr;
	char buf[16];

	/* Loaded at efi_start() from the ESP. */
	assert_true(r->get_variable(u"Saved", &vendor, &attr, &size, buf) == EFI_SUCCESS);
	assert_int_equal(size, 3);
	assert_int_equal(attr, NV | BS | RT);
	assert_true(r->get_variable(NULL, &vendor, &attr, &size, buf) == EFI_INVALID_PARAMETER);
	assert_true(r->get_variable(u"Saved", NULL, &attr, &size, buf) == EFI_INVALID_PARAMETER);
	assert_true(r->get_variable(u"Saved", &vendor, &attr, NULL, buf) == EFI_INVALID_PARAMETER);
	size = 5;
	assert_true(r->get_variable(u"Saved", &vendor, &attr, &size, NULL) ==
		    EFI_INVALID_PARAMETER);
	size = 2; /* too small: the size needed, buffer or not */
	assert_true(r->get_variable(u"Saved", &vendor, &attr, &size, NULL) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 3);
	size = 1;
	assert_true(r->get_variable(u"Saved", &vendor, NULL, &size, buf) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 3);
	assert_true(r->get_variable(u"None", &vendor, NULL, &size, buf) == EFI_NOT_FOUND);
	/* A non-volatile change is on the ESP at once; a volatile one is not. */
	assert_true(r->set_variable(u"Boot0001", &vendor, NV | BS | RT, 4, "boot") == EFI_SUCCESS);
	assert_true(r->set_variable(u"Temp", &vendor, BS, 1, "t") == EFI_SUCCESS);
	size = sizeof(buf);
	assert_int_equal(varstore_get(saved_store(), u"Boot0001", &vendor, NULL, buf, &size), 0);
	assert_int_equal(varstore_get(store_mem, u"Temp", &vendor, NULL, buf, &size), -ENOENT);
	/* And so is a deletion. */
	assert_true(r->set_variable(u"Saved", &vendor, 0, 0, NULL) == EFI_SUCCESS);
	assert_int_equal(varstore_get(saved_store(), u"Saved", &vendor, NULL, buf, &size), -ENOENT);
	assert_true(r->set_variable(u"X", &vendor, BS, 1, NULL) == EFI_INVALID_PARAMETER);
	assert_true(r->set_variable(u"X", &vendor, RT, 1, "x") == EFI_INVALID_PARAMETER);
	assert_true(r->set_variable(u"X", &vendor, BS | 0x10, 1, "x") == EFI_UNSUPPORTED);
	assert_true(r->query_variable_info(NV | BS, &a, &b, &c) == EFI_SUCCESS);
	assert_int_equal(a, VARFILE_NV_LIMIT);
	assert_true(r->query_variable_info(NV | BS, &a, NULL, &c) == EFI_INVALID_PARAMETER);
	assert_true(r->query_variable_info(0, &a, &b, &c) == EFI_INVALID_PARAMETER);
}

/* Every name GetNextVariableName gives, joined by ','. */
static void list(char *out)
{
	efi_char16_t name[64] = {0};
	efi_guid_t guid = {0};
	uint64_t size;

	*out = 0;
	for (;;) {
		size = sizeof(name);
		efi_status_t s = efi_rt_get_next_variable_name(&size, name, &guid);
		if (s == EFI_NOT_FOUND) {
			return;
		}
		assert_true(s == EFI_SUCCESS);
		for (size_t i = 0; name[i]; i++) {
			*out++ = (char)name[i];
		}
		*out++ = ',';
		*out = 0;
	}
}

static void test_var_to_file(void **state)
{
	struct efi_runtime_services *r = rt();
	struct varfile_info in;
	uint64_t size = 0;
	uint32_t attr;
	char names[256], buf[32];

	assert_true(r->set_variable(u"Vol", &vendor, BS | RT, 1, "v") == EFI_SUCCESS);
	list(names);
	assert_non_null(strstr(names, "RTStorageVolatile,VarToFile,"));
	assert_non_null(strstr(names, "Vol,"));
	size = sizeof(buf);
	assert_true(r->get_variable(u"RTStorageVolatile", &rt_file_guid, &attr, &size, buf) ==
		    EFI_SUCCESS);
	assert_int_equal(size, 13);
	assert_string_equal(buf, "ubootefi.var");
	assert_int_equal(attr, BS | RT);
	size = 0;
	assert_true(r->get_variable(u"VarToFile", &rt_file_guid, &attr, &size, NULL) ==
		    EFI_BUFFER_TOO_SMALL);
	assert_true(size > VARFILE_HDR_SIZE && size < sizeof(img));
	assert_true(r->get_variable(u"VarToFile", &rt_file_guid, &attr, &size, img) == EFI_SUCCESS);
	/* The file image: only the non-volatile variables, loadable as is. */
	assert_int_equal(varfile_validate(img, size, &in), 0);
	assert_int_equal(in.kept, 1); /* Boot0001 */
	assert_int_equal(varstore_init(store_mem, sizeof(store_mem), VARFILE_NV_LIMIT), 0);
	assert_int_equal(varfile_apply(store_mem, img, size, &in), 0);
	assert_int_equal(varstore_get(store_mem, u"Vol", &vendor, NULL, buf, &(size_t){32}),
			 -ENOENT);
	/* Variables the firmware publishes: read-only for applications. */
	assert_int_equal(efi_vars_set_readonly(u"BootCurrent", &vendor, "\1\0", 2), 0);
	size = sizeof(buf);
	assert_true(r->get_variable(u"BootCurrent", &vendor, &attr, &size, buf) == EFI_SUCCESS);
	assert_int_equal(attr, BS | RT);
	assert_true(r->set_variable(u"BootCurrent", &vendor, BS | RT, 2, "\2\0") ==
		    EFI_WRITE_PROTECTED);
	assert_int_equal(efi_vars_set_readonly(u"BootCurrent", &vendor, "\2\0", 2), 0);
	assert_int_equal(efi_vars_set_readonly(u"BootCurrent", &vendor, NULL, 0), 0);
	assert_true(r->get_variable(u"BootCurrent", &vendor, &attr, &size, buf) == EFI_NOT_FOUND);
	/* Both are read-only. */
	assert_true(r->set_variable(u"VarToFile", &rt_file_guid, BS | RT, 1, "x") ==
		    EFI_WRITE_PROTECTED);
	assert_true(r->set_variable(u"RTStorageVolatile", &rt_file_guid, 0, 0, NULL) ==
		    EFI_WRITE_PROTECTED);
}

static void test_variables_runtime(void **state)
{
	struct efi_runtime_services *r = rt();
	struct efi *e = efi_get();
	uint64_t size, a, b, c;
	char buf[16], names[256];

	assert_true(r->set_variable(u"BsOnly", &vendor, NV | BS, 1, "b") == EFI_SUCCESS);
	uint64_t writes = ram.blocks_written;
	e->is_boot_services_exited = true;
	efi_runtime_exit_boot_services();
	list(names);
	assert_null(strstr(names, "BsOnly"));
	size = sizeof(buf);
	assert_true(r->get_variable(u"BsOnly", &vendor, NULL, &size, buf) == EFI_NOT_FOUND);
	assert_true(r->set_variable(u"Vol", &vendor, BS | RT, 1, "w") == EFI_WRITE_PROTECTED);
	assert_true(r->set_variable(u"New", &vendor, BS | RT, 1, "n") == EFI_INVALID_PARAMETER);
	assert_true(r->query_variable_info(NV | BS, &a, &b, &c) == EFI_INVALID_PARAMETER);
	assert_true(r->query_variable_info(NV | BS | RT, &a, &b, &c) == EFI_SUCCESS);
	/* Non-volatile runtime variables change in memory only: the disk is the OS's. */
	assert_true(r->set_variable(u"BootNext", &vendor, NV | BS | RT, 2, "\1\0") == EFI_SUCCESS);
	assert_int_equal(ram.blocks_written, writes);
	size = sizeof(img);
	assert_true(r->get_variable(u"VarToFile", &rt_file_guid, NULL, &size, img) == EFI_SUCCESS);
	struct varfile_info in;
	assert_int_equal(varfile_validate(img, size, &in), 0);
	assert_int_equal(in.kept, 3); /* Boot0001, BsOnly, BootNext */
}

static void test_time(void **state)
{
	struct efi_runtime_services *r = rt();
	struct shared_info *s = shinfo_get();
	struct efi_time t;
	struct efi_time_capabilities cap;

	/* 2026-11-30 01:40:05.5 UTC at the counter's origin, plus the sim's time. */
	s->wc_sec = 1796002805;
	s->wc_nsec = 500000000;
	s->wc_version += 2;
	efi_time_capture(efi_get());
	uint64_t now = 1796002805ull * 1000000000 + 500000000 + arch_time_ns();
	assert_true(r->get_time(&t, &cap) == EFI_SUCCESS);
	struct efi_time want;
	efi_time_from_ns(now, &want);
	/* The sim's clock may move between the two readings: to the second. */
	assert_memory_equal(&t, &want, offsetof(struct efi_time, second));
	assert_true(t.second == want.second || (t.second + 1) % 60 == want.second);
	assert_int_equal(t.year, 2026);
	assert_int_equal(t.month, 11);
	assert_int_equal(t.day, 30);
	assert_int_equal(t.time_zone, EFI_UNSPECIFIED_TIMEZONE);
	assert_int_equal(cap.resolution, 1);
	assert_true(r->get_time(NULL, &cap) == EFI_INVALID_PARAMETER);
	assert_true(r->set_time(&t) == EFI_UNSUPPORTED);
	assert_true(r->get_wakeup_time(NULL, NULL, &t) == EFI_UNSUPPORTED);
	assert_true(r->set_wakeup_time(false, &t) == EFI_UNSUPPORTED);
}

/* The calendar at its edges: epoch, leap days, century rules, the end. */
static void test_calendar(void **state)
{
	static const struct {
		uint64_t sec;
		uint16_t y;
		uint8_t mo, d, h, mi, s;
	} cases[] = {
	    {0, 1970, 1, 1, 0, 0, 0},
	    {951782400, 2000, 2, 29, 0, 0, 0},
	    {951868799, 2000, 2, 29, 23, 59, 59},
	    {4107542400, 2100, 3, 1, 0, 0, 0},
	    {4107456000, 2100, 2, 28, 0, 0, 0},
	    {1767225599, 2025, 12, 31, 23, 59, 59},
	    {13574606400, 2400, 2, 29, 12, 0, 0},
	    {16725225600, 2500, 1, 1, 0, 0, 0},
	};
	struct efi_time t;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		efi_time_from_ns(cases[i].sec * 1000000000 + 7, &t);
		assert_int_equal(t.year, cases[i].y);
		assert_int_equal(t.month, cases[i].mo);
		assert_int_equal(t.day, cases[i].d);
		assert_int_equal(t.hour, cases[i].h);
		assert_int_equal(t.minute, cases[i].mi);
		assert_int_equal(t.second, cases[i].s);
		assert_int_equal(t.nanosecond, 7);
	}
}

static void test_reset_and_count(void **state)
{
	struct efi_runtime_services *r = rt();
	unsigned int n = sim_stats()->shutdown_count;
	uint32_t high = 0;

	r->reset_system(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	assert_int_equal(sim_stats()->shutdown_count, n + 1);
	assert_int_equal(sim_stats()->shutdown_reason, SHUTDOWN_poweroff);
	r->reset_system(EfiResetWarm, EFI_SUCCESS, 0, NULL);
	assert_int_equal(sim_stats()->shutdown_reason, SHUTDOWN_reboot);
	r->reset_system(EfiResetCold, EFI_SUCCESS, 0, NULL);
	assert_int_equal(sim_stats()->shutdown_count, n + 3);
	assert_int_equal(sim_stats()->shutdown_reason, SHUTDOWN_reboot);
	assert_true(r->get_next_high_monotonic_count(&high) == EFI_SUCCESS);
	uint32_t first = high;
	assert_true(r->get_next_high_monotonic_count(&high) == EFI_SUCCESS);
	assert_int_equal(high, first + 1);
	assert_true(r->get_next_high_monotonic_count(NULL) == EFI_INVALID_PARAMETER);
	assert_true(r->update_capsule(NULL, 0, 0) == EFI_UNSUPPORTED);
	assert_true(r->query_capsule_capabilities(NULL, 0, NULL, NULL) == EFI_UNSUPPORTED);
	/* The properties table says what works. */
	struct efi_system_table *st = &efi_get()->systab;
	const struct efi_rt_properties_table *p = NULL;
	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		if (efi_guid_eq(&st->configuration_table[i].vendor_guid,
				&efi_guid_rt_properties_table)) {
			p = st->configuration_table[i].vendor_table;
		}
	}
	assert_non_null(p);
	assert_int_equal(p->length, 8);
	assert_int_equal(p->runtime_services_supported, 0x27f1);
}

static uint32_t table_crc(struct efi_table_header *h)
{
	uint32_t saved = h->crc32, crc;

	h->crc32 = 0;
	crc = crc32_update(0, h, h->header_size);
	h->crc32 = saved;
	return crc;
}

#define OFFSET 0x100000000000ull

/* One runtime descriptor over [lo, hi) (page-rounded), mapped at +OFFSET. */
static struct efi_memory_descriptor range(uint64_t lo, uint64_t hi)
{
	lo &= ~(EFI_PAGE_SIZE - 1);
	hi = (hi + EFI_PAGE_SIZE - 1) & ~(EFI_PAGE_SIZE - 1);
	return (struct efi_memory_descriptor){
	    .type = EfiRuntimeServicesCode,
	    .physical_start = lo,
	    .virtual_start = lo + OFFSET,
	    .number_of_pages = (hi - lo) / EFI_PAGE_SIZE,
	    .attribute = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB,
	};
}

static void test_virtual_map(void **state)
{
	struct efi *e = efi_get();
	struct efi_runtime_services *r = e->systab.runtime_services; /* after efi_start() */
	struct efi_runtime_services before = *r;
	uint64_t lo = UINT64_MAX, hi = 0, size;
	void **fn = (void **)((char *)r + sizeof(r->hdr));
	struct efi_memory_descriptor map[3];
	void *p;

	/* Our "image": every function in the table, struct efi, the vendor string. */
	for (int i = 0; i < 14; i++) {
		lo = MIN(lo, (uint64_t)(uintptr_t)fn[i]);
		hi = MAX(hi, (uint64_t)(uintptr_t)fn[i] + 1);
	}
	uint64_t text_lo = lo, text_hi = hi;
	map[0] = range(text_lo, text_hi);
	map[1] = range((uintptr_t)e, (uintptr_t)(e + 1));
	map[2] =
	    (struct efi_memory_descriptor){.type = EfiConventionalMemory, .number_of_pages = 1};
	/* Not before ExitBootServices. */
	e->is_boot_services_exited = false;
	assert_true(r->set_virtual_address_map(sizeof(map), sizeof(map[0]), 1, map) ==
		    EFI_UNSUPPORTED);
	e->is_boot_services_exited = true;
	assert_true(r->set_virtual_address_map(sizeof(map), sizeof(map[0]), 2, map) ==
		    EFI_INVALID_PARAMETER);
	assert_true(r->set_virtual_address_map(sizeof(map), 8, 1, map) == EFI_INVALID_PARAMETER);
	assert_true(r->set_virtual_address_map(sizeof(map[0]) << 20, sizeof(map[0]), 1, map) ==
		    EFI_INVALID_PARAMETER);
	assert_true(r->set_virtual_address_map(sizeof(map), sizeof(map[0]), 1, NULL) ==
		    EFI_INVALID_PARAMETER);
	/* Without the range holding struct efi: nothing changes. */
	assert_true(r->set_virtual_address_map(sizeof(map[0]), sizeof(map[0]), 1, map) ==
		    EFI_NO_MAPPING);
	assert_memory_equal(r, &before, sizeof(before));
	p = &e->runtime;
	assert_true(efi_rt_convert_pointer(0, &p) == EFI_UNSUPPORTED);
	/* The whole map: every runtime pointer moves by OFFSET. */
	assert_true(efi_rt_set_virtual_address_map(sizeof(map), sizeof(map[0]), 1, map) ==
		    EFI_SUCCESS);
	for (int i = 0; i < 14; i++) {
		assert_true((uintptr_t)fn[i] ==
			    (uintptr_t)((void **)((char *)&before + sizeof(before.hdr)))[i] +
				OFFSET);
	}
	struct efi_system_table *st = &e->systab;
	assert_true((uintptr_t)st->runtime_services == (uintptr_t)&e->rt + OFFSET);
	assert_true((uintptr_t)st->configuration_table == (uintptr_t)e->config + OFFSET);
	assert_null(st->boot_services);
	assert_int_equal(st->hdr.crc32, table_crc(&st->hdr));
	assert_int_equal(e->rt.hdr.crc32, table_crc(&e->rt.hdr));
	/* Once only. */
	assert_true(efi_rt_set_virtual_address_map(sizeof(map), sizeof(map[0]), 1, map) ==
		    EFI_UNSUPPORTED);
	/* ConvertPointer: inside a runtime range, outside, NULL. */
	p = &e->runtime;
	assert_true(efi_rt_convert_pointer(0, &p) == EFI_SUCCESS);
	assert_true((uintptr_t)p == (uintptr_t)&e->runtime + OFFSET);
	p = (void *)16;
	assert_true(efi_rt_convert_pointer(0, &p) == EFI_NOT_FOUND);
	p = NULL;
	assert_true(efi_rt_convert_pointer(1, &p) == EFI_SUCCESS);
	assert_true(efi_rt_convert_pointer(0, &p) == EFI_INVALID_PARAMETER);
	assert_true(efi_rt_convert_pointer(0, NULL) == EFI_INVALID_PARAMETER);
	/* The services still work: they never follow the table's pointers. */
	size = sizeof(img);
	assert_true(efi_rt_get_variable(u"BootNext", &vendor, NULL, &size, img) == EFI_SUCCESS);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_too_big),
	    cmocka_unit_test(test_variables_boot_time),
	    cmocka_unit_test(test_var_to_file),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_reset_and_count),
	    /* These two change the state for good: last. */
	    cmocka_unit_test(test_variables_runtime),
	    cmocka_unit_test(test_virtual_map),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
