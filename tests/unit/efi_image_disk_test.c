/* bs_image.c and bootefi with the real disks, Simple File System and page
 * allocator: a PV disk holding tests/unit/images' "disk" (GPT, p1 FAT12),
 * the synthetic PE of pe_build.h saved on p1 as U-Boot users would, then
 *   - `load` + `bootefi`: the image's DeviceHandle is the FAT partition
 *     and its FilePath the file (GRUB and systemd-boot find their ESP so);
 *   - LoadImage(BootPolicy, <partition path>\BOOTAA64.EFI, no buffer): the
 *     file read through the partition's Simple File System protocol.
 * A hook (sandbox/image.h) stands in for the AArch64 code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest_world.h"

#include "console_out.h"
#include "images/image.h"
#include "pe_build.h"
#include <arch/arch.h>
#include <cmd/shell.h>
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/image.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <sandbox/image.h>
#include <sim/blkback.h>

#define XVDA 51712u
#define PE_GPA 0x49000000ULL
#define LOAD_GPA 0x4a000000ULL

static struct dtinfo dt;
static uint8_t *disk;
static size_t disk_size;

struct seen {
	int calls;
	efi_handle_t device;
	uint8_t file_path[64];
	char options[64];
};
static struct seen seen;

static uint64_t image_hook(void *entry, void *a0, void *a1)
{
	struct efi_system_table *st = a1;
	struct efi_loaded_image *li = NULL;

	seen.calls++;
	if (st->boot_services->handle_protocol(a0, &efi_guid_loaded_image, (void **)&li) ==
	    EFI_SUCCESS) {
		seen.device = li->device_handle;
		size_t n = 0;
		if (li->file_path && efi_devpath_size(li->file_path, &n) == 0 &&
		    n <= sizeof(seen.file_path)) {
			memcpy(seen.file_path, li->file_path, n);
		}
		memset(seen.options, 0, sizeof(seen.options));
		if (li->load_options) {
			memcpy(seen.options, li->load_options,
			       MIN(li->load_options_size, sizeof(seen.options) - 1));
		}
	}
	return EFI_SUCCESS;
}

static int setup(void **state)
{
	struct sim_blkback_config cfg = {.vdev = XVDA, .max_ring_order = 4};

	disk = img_load("disk", &disk_size, NULL, 0);
	cfg.image = disk;
	cfg.image_size = disk_size;
	if (!disk || guest_world_start(NULL, &dt) || guest_world_xen(&dt) ||
	    !sim_blkback_add(&cfg)) {
		return -1;
	}
	sandbox_image_hook_set(image_hook);
	return 0;
}

static int teardown(void **state)
{
	sandbox_image_hook_set(NULL);
	guest_world_stop();
	free(disk);
	return 0;
}

static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

/* The partition handle the file system lives on: the one with Simple FS. */
static efi_handle_t fat_handle(void)
{
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		if (efi_protocol_find(o, &efi_guid_simple_file_system)) {
			struct efi_device_path *p = efi_protocol_of(o, &efi_guid_device_path);
			uint8_t *b = (uint8_t *)p;
			/* p1: the vbd node (24 bytes), then hard drive partition 1. */
			if (b[24] == EFI_DP_TYPE_MEDIA && b[24 + 1] == EFI_DP_MEDIA_HARD_DRIVE &&
			    b[24 + 4] == 1) {
				return o;
			}
		}
	}
	return NULL;
}

/* A file path node of @name (ASCII) and an end node, as @out bytes. */
static size_t file_node(uint8_t *out, const char *name)
{
	size_t n = strlen(name), len = 4 + 2 * (n + 1);

	out[0] = EFI_DP_TYPE_MEDIA;
	out[1] = EFI_DP_MEDIA_FILE_PATH;
	out[2] = (uint8_t)len;
	out[3] = 0;
	for (size_t i = 0; i <= n; i++) {
		out[4 + 2 * i] = (uint8_t)name[i];
		out[5 + 2 * i] = 0;
	}
	memcpy(out + len, (uint8_t[]){0x7f, 0xff, 4, 0}, 4);
	return len + 4;
}

static void test_load_then_bootefi(void **state)
{
	uint8_t pe[PB_FILE], want[64];

	pe_build(pe);
	memcpy(arch_phys_to_virt(PE_GPA), pe, sizeof(pe));
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(run("save pvblock 0:1 49000000 /BOOTAA64.EFI a00"), 0);
	assert_int_equal(run("load pvblock 0:1 4a000000 /BOOTAA64.EFI"), 0);
	assert_int_equal(run("bootefi 4a000000"), 0);
	assert_out_has("Booting /BOOTAA64.EFI\n");
	assert_out_has("Application returned: EFI_SUCCESS\n");
	assert_int_equal(seen.calls, 1);
	/* The FAT partition (where `load` read it), and the file on it. */
	assert_non_null(fat_handle());
	assert_ptr_equal(seen.device, fat_handle());
	size_t n = file_node(want, "\\BOOTAA64.EFI");
	assert_memory_equal(seen.file_path, want, n);
	/* Moved elsewhere: from memory then (no device). */
	memcpy(arch_phys_to_virt(PE_GPA), pe, sizeof(pe));
	assert_int_equal(run("bootefi 49000000:a00"), 0);
	assert_null(seen.device);
	assert_int_equal(seen.calls, 2);
}

static void test_load_image_from_path(void **state)
{
	struct efi_boot_services *bs = efi_get()->systab.boot_services;
	uint8_t path[512];
	size_t part_len = 0;
	efi_handle_t h = NULL, fat = fat_handle();
	const struct efi_device_path *part = efi_protocol_of(fat, &efi_guid_device_path);

	assert_int_equal(efi_devpath_size(part, &part_len), 0);
	memcpy(path, part, part_len - 4);
	file_node(path + part_len - 4, "\\BOOTAA64.EFI");
	assert_true(bs->load_image(true, fat, (struct efi_device_path *)path, NULL, 0, &h) ==
		    EFI_SUCCESS);
	struct efi_loaded_image *li = NULL;
	assert_true(bs->handle_protocol(h, &efi_guid_loaded_image, (void **)&li) == EFI_SUCCESS);
	assert_ptr_equal(li->device_handle, fat);
	assert_int_equal(li->image_size, PB_IMAGE);
	assert_int_equal(li->image_code_type, EfiLoaderCode);
	assert_true(bs->start_image(h, NULL, NULL) == EFI_SUCCESS);
	/* A name that is not there. */
	file_node(path + part_len - 4, "\\NOPE.EFI");
	assert_true(bs->load_image(true, fat, (struct efi_device_path *)path, NULL, 0, &h) ==
		    EFI_NOT_FOUND);
}

/* The boot manager's path: full, short from the HD node, short from the file. */
static void test_boot_path(void **state)
{
	efi_handle_t fat = fat_handle();
	const struct efi_device_path *part = efi_protocol_of(fat, &efi_guid_device_path);
	uint8_t path[512];
	size_t part_len = 0;

	assert_int_equal(efi_devpath_size(part, &part_len), 0);
	memcpy(path, part, part_len - 4);
	file_node(path + part_len - 4, "\\BOOTAA64.EFI");
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(efi_boot_path((void *)path, "opt", 4, 1), 0);
	assert_int_equal(seen.calls, 1);
	assert_ptr_equal(seen.device, fat);
	assert_string_equal(seen.options, "opt");
	assert_out_has("Application returned: EFI_SUCCESS");
	/* HD(...)/File(...), as efibootmgr writes it: the vbd node left out. */
	const uint8_t *hd = path + 24;
	assert_int_equal(hd[1], EFI_DP_MEDIA_HARD_DRIVE);
	assert_int_equal(efi_boot_path((const void *)hd, NULL, 0, 2), 0);
	assert_int_equal(seen.calls, 2);
	assert_ptr_equal(seen.device, fat);
	/* File(...) alone: whichever volume has it. */
	uint8_t file_only[64];
	file_node(file_only, "\\BOOTAA64.EFI");
	assert_int_equal(efi_boot_path((void *)file_only, NULL, 0, 3), 0);
	assert_ptr_equal(seen.device, fat);
	/* Another GPT partition GUID: nothing. A file nowhere: nothing. */
	path[24 + 24] ^= 0xff;
	assert_int_equal(efi_boot_path((const void *)hd, NULL, 0, 4), -ENOENT);
	file_node(file_only, "\\NOPE.EFI");
	assert_int_equal(efi_boot_path((void *)file_only, NULL, 0, 5), -ENOENT);
	/* A node of length 2: malformed, never walked. */
	file_only[2] = 2;
	assert_int_equal(efi_boot_path((void *)file_only, NULL, 0, 6), -EINVAL);
	assert_int_equal(seen.calls, 3);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_then_bootefi),
	    cmocka_unit_test(test_load_image_from_path),
	    cmocka_unit_test(test_boot_path),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
