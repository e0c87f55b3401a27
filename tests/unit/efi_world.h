/* The world of the EFI disk tests: blkfront_world.h's simulated Xen with
 * xvda holding tests/unit/images' "disk" (GPT: p1 FAT12 "boot", p2 ext4
 * "rootfs") and xvdb a read-only 4 KiB-sector disk of a pattern; the EFI
 * disks published (efi_disks_start()). Included once per program. */
#ifndef TESTS_UNIT_EFI_WORLD_H
#define TESTS_UNIT_EFI_WORLD_H

#include "blkfront_world.h"
#include "images/image.h"
#include <efi/devpath.h>
#include <efi/disk.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/memmap.h>

static uint8_t *gpt_disk, *disk_b;
static size_t gpt_size, b_size;
static struct sim_blkback *bb_a; /* xvda's backend */

/* xvda holds image @a; xvdb image @b (NULL: the pattern, read-only, 4 KiB
 * sectors), both published. */
static int efi_world_up(const char *a_kind, const char *b_kind)
{
	struct sim_blkback_config a, b;

	if (world_up()) {
		return -1;
	}
	/* The page allocator over the sim's RAM, for pool memory. */
	dtinfo_set(&dt);
	memmap_reset();
	gpt_disk = img_load(a_kind, &gpt_size, NULL, 0);
	disk_b = b_kind ? img_load(b_kind, &b_size, NULL, 0) : NULL;
	if (!gpt_disk || (b_kind && !disk_b)) {
		return -1;
	}
	a = full_cfg(XVDA, gpt_disk);
	a.image_size = gpt_size;
	b = full_cfg(XVDB, b_kind ? disk_b : image2);
	if (b_kind) {
		b.image_size = b_size;
	} else {
		b.sector_size = 4096;
		b.is_read_only = true;
	}
	bb_a = sim_blkback_add(&a);
	if (!bb_a || !sim_blkback_add(&b) || blkfront_probe_all() != 2) {
		return -1;
	}
	return efi_disks_start(efi_get());
}

static int efi_world_setup(void **state)
{
	return efi_world_up("disk", NULL);
}

static int efi_world_teardown(void **state)
{
	efi_disks_stop(efi_get());
	memmap_reset();
	free(gpt_disk);
	free(disk_b);
	disk_b = NULL;
	return teardown(state);
}

/* The @n-th handle (newest first) with @guid, or NULL. */
static inline struct efi_object *handle_with(const efi_guid_t *guid, unsigned int n)
{
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		if (efi_protocol_find(o, guid) && n-- == 0) {
			return o;
		}
	}
	return NULL;
}

static inline unsigned int handles_with(const efi_guid_t *guid)
{
	unsigned int n = 0;

	while (handle_with(guid, n)) {
		n++;
	}
	return n;
}

/* The handle of partition @part of the disk whose vbd id is @vbd (0: the disk). */
static inline struct efi_object *part_handle(uint32_t vbd, unsigned int part)
{
	for (unsigned int i = 0; handle_with(&efi_guid_block_io, i); i++) {
		struct efi_object *o = handle_with(&efi_guid_block_io, i);
		const uint8_t *p = efi_protocol_of(o, &efi_guid_device_path);
		struct efi_dp_xen_vbd v;
		struct efi_dp_hard_drive hd;

		memcpy(&v, p, sizeof(v));
		if (v.vbd_id != vbd) {
			continue;
		}
		if (p[sizeof(v)] == EFI_DP_TYPE_END) {
			if (part == 0) {
				return o;
			}
			continue;
		}
		memcpy(&hd, p + sizeof(v), sizeof(hd));
		if (part && hd.hdr.type == EFI_DP_TYPE_MEDIA && hd.partition_number == part) {
			return o;
		}
	}
	return NULL;
}

#endif
