/* efi/devpath.c, efi/disks.c, efi/block_io.c, efi/disk_io.c: device paths
 * (hostile ones included), the handles published for two PV disks and
 * their partitions, and Block I/O / Disk I/O called through their function
 * pointers as an application does, with the spec's error cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "efi_world.h"
#include <disk/part.h>

#define P1_LBA 2048u
#define P1_BLOCKS 4096u

/* ---- device paths, no world needed */

static void test_devpath_size_bounded(void **state)
{
	uint8_t buf[EFI_DEVPATH_MAX + 64];
	struct efi_device_path *p = (void *)buf;
	size_t size;

	/* Zero-length node: would loop for ever without the check. */
	memset(buf, 0, sizeof(buf));
	efi_dp_header(p, EFI_DP_TYPE_HARDWARE, EFI_DP_HW_VENDOR, 0);
	assert_int_equal(efi_devpath_size(p, &size), -EINVAL);
	efi_dp_header(p, EFI_DP_TYPE_HARDWARE, EFI_DP_HW_VENDOR, 3);
	assert_int_equal(efi_devpath_size(p, &size), -EINVAL);
	/* Nodes of 4 bytes up to the bound, never an end node. */
	for (size_t at = 0; at + 4 <= sizeof(buf); at += 4) {
		efi_dp_header((void *)(buf + at), EFI_DP_TYPE_HARDWARE, 0x7e, 4);
	}
	assert_int_equal(efi_devpath_size(p, &size), -EINVAL);
	size_t matched;
	assert_int_equal(efi_devpath_match_prefix(p, p, &matched), -EINVAL);
	assert_int_equal(efi_devpath_file_utf8(p, (char[8]){0}, 8), -EINVAL);
	/* A node claiming to pass the bound. */
	efi_dp_header(p, EFI_DP_TYPE_HARDWARE, 0x7e, 0xffff);
	assert_int_equal(efi_devpath_size(p, &size), -EINVAL);
	assert_int_equal(efi_devpath_size(NULL, &size), -EINVAL);
	/* End-instance then end-entire: the size spans both instances. */
	efi_dp_header(p, EFI_DP_TYPE_HARDWARE, 0x7e, 8);
	efi_dp_header((void *)(buf + 8), EFI_DP_TYPE_END, EFI_DP_END_INSTANCE, 4);
	efi_dp_header((void *)(buf + 12), EFI_DP_TYPE_HARDWARE, 0x7e, 4);
	efi_dp_header((void *)(buf + 16), EFI_DP_TYPE_END, EFI_DP_END_ENTIRE, 4);
	assert_int_equal(efi_devpath_size(p, &size), 0);
	assert_int_equal(size, 20);
}

static void test_devpath_build_and_match(void **state)
{
	struct efi_device_path *vbd, *file, *full, *other;
	struct efi_dp_xen_vbd v;
	size_t size, matched;
	char text[64];

	assert_int_equal(efi_devpath_xen_vbd(51712, &vbd), 0);
	assert_int_equal(efi_devpath_size(vbd, &size), 0);
	assert_int_equal(size, 24 + 4);
	memcpy(&v, vbd, sizeof(v));
	assert_int_equal(v.vendor.hdr.type, EFI_DP_TYPE_HARDWARE);
	assert_int_equal(v.vendor.hdr.sub_type, EFI_DP_HW_VENDOR);
	efi_guid_t g = v.vendor.guid;
	assert_true(efi_guid_eq(&g, &efi_guid_xen_vbd));
	assert_int_equal(v.vbd_id, 51712);

	assert_int_equal(efi_devpath_file("/EFI/BOOT/BOOTAA64.EFI", &file), 0);
	assert_int_equal(efi_devpath_size(file, &size), 0);
	assert_int_equal(size, 4 + 2 * 23 + 4);
	assert_int_equal(efi_devpath_append(vbd, file, &full), 0);
	assert_int_equal(efi_devpath_match_prefix(vbd, full, &matched), 0);
	assert_int_equal(matched, 24);
	assert_int_equal(efi_devpath_match_prefix(full, vbd, &matched), -ENOENT);
	assert_int_equal(
	    efi_devpath_file_utf8((void *)((uint8_t *)full + matched), text, sizeof(text)), 0);
	assert_string_equal(text, "/EFI/BOOT/BOOTAA64.EFI");
	assert_int_equal(efi_devpath_file_utf8(file, text, 10), -ENOSPC);
	assert_int_equal(efi_devpath_file_utf8(vbd, text, sizeof(text)), -EINVAL);
	assert_true(efi_devpath_eq(full, full));
	assert_false(efi_devpath_eq(full, vbd));

	/* Another vbd id differs in the node's data only. */
	assert_int_equal(efi_devpath_xen_vbd(51728, &other), 0);
	assert_int_equal(efi_devpath_match_prefix(other, full, &matched), -ENOENT);
	free(other);
	/* A memory-mapped node's end is inclusive; empty and wrapping ranges fail. */
	assert_int_equal(efi_devpath_memmap(EfiLoaderCode, 0x1000, 0, &other), -EINVAL);
	assert_int_equal(efi_devpath_memmap(EfiLoaderCode, UINT64_MAX, 2, &other), -EINVAL);
	assert_int_equal(efi_devpath_memmap(EfiLoaderCode, 0x1000, 0x2000, &other), 0);
	struct efi_dp_memmap mm;
	memcpy(&mm, other, sizeof(mm));
	assert_true(mm.start == 0x1000 && mm.end == 0x2fff);
	free(other);
	/* Two file nodes join with one separator. */
	struct efi_device_path *dir, *name, *two;
	assert_int_equal(efi_devpath_file("\\EFI", &dir), 0);
	assert_int_equal(efi_devpath_file("grubaa64.efi", &name), 0);
	assert_int_equal(efi_devpath_append(dir, name, &two), 0);
	assert_int_equal(efi_devpath_file_utf8(two, text, sizeof(text)), 0);
	assert_string_equal(text, "/EFI/grubaa64.efi");
	free(dir);
	free(name);
	free(two);
	free(vbd);
	free(file);
	free(full);
}

/* ---- the published handles */

static void test_handles_published(void **state)
{
	struct efi_object *disk = part_handle(XVDA, 0), *p1 = part_handle(XVDA, 1),
			  *p2 = part_handle(XVDA, 2), *ro = part_handle(XVDB, 0);

	assert_non_null(disk);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_non_null(ro);
	assert_null(part_handle(XVDA, 3));
	assert_int_equal(handles_with(&efi_guid_block_io), 4);
	assert_int_equal(handles_with(&efi_guid_disk_io), 4);
	/* FAT and ext4 partitions; not the disks (one has a table, the other
	 * holds no filesystem). */
	assert_int_equal(handles_with(&efi_guid_simple_file_system), 2);
	assert_non_null(efi_protocol_of(p1, &efi_guid_simple_file_system));
	assert_non_null(efi_protocol_of(p2, &efi_guid_simple_file_system));

	/* p1's hard drive node: GPT, its unique GUID as the signature. */
	const uint8_t *dp = efi_protocol_of(p1, &efi_guid_device_path);
	struct efi_dp_hard_drive hd;
	struct part_table *t = malloc(sizeof(*t));
	char guid[PART_UUID_STR];
	size_t matched;

	memcpy(&hd, dp + sizeof(struct efi_dp_xen_vbd), sizeof(hd));
	assert_int_equal(hd.hdr.sub_type, EFI_DP_MEDIA_HARD_DRIVE);
	assert_int_equal(efi_dp_node_len(&hd.hdr), 42);
	assert_true(hd.partition_start == P1_LBA && hd.partition_size == P1_BLOCKS);
	assert_int_equal(hd.mbr_type, EFI_DP_HD_MBR_TYPE_GPT);
	assert_int_equal(hd.signature_type, EFI_DP_HD_SIG_GUID);
	assert_int_equal(part_scan(blk_find("xvda"), t), 0);
	part_guid_format(hd.signature, guid);
	assert_string_equal(guid, t->entries[0].partuuid);
	free(t);
	/* An application's copy, in pool memory. */
	struct efi_device_path *copy = efi_devpath_dup_pool((const void *)dp);
	assert_non_null(copy);
	assert_true(efi_devpath_eq(copy, (const void *)dp));
	assert_int_equal(efi_bs_free_pool(copy), EFI_SUCCESS);
	efi_dp_header((void *)&hd, EFI_DP_TYPE_HARDWARE, 0x7e, 2);
	assert_null(efi_devpath_dup_pool((void *)&hd));
	/* The disk's path is a prefix of its partitions' paths. */
	assert_int_equal(efi_devpath_match_prefix(efi_protocol_of(disk, &efi_guid_device_path),
						  (const void *)dp, &matched),
			 0);
	assert_int_equal(matched, sizeof(struct efi_dp_xen_vbd));
}

static struct efi_block_io *bio_of(struct efi_object *o)
{
	return efi_protocol_of(o, &efi_guid_block_io);
}

static void test_block_io_media(void **state)
{
	struct efi_block_io *disk = bio_of(part_handle(XVDA, 0)),
			    *p1 = bio_of(part_handle(XVDA, 1)), *ro = bio_of(part_handle(XVDB, 0));

	assert_true(disk->revision == EFI_BLOCK_IO_REVISION3);
	assert_int_equal(disk->media->block_size, 512);
	assert_true(disk->media->last_block == gpt_size / 512 - 1);
	assert_false(disk->media->logical_partition);
	assert_false(disk->media->read_only);
	assert_true(disk->media->media_present);
	assert_false(disk->media->removable_media);
	assert_int_equal(disk->media->logical_blocks_per_physical_block, 1);
	assert_true(p1->media->logical_partition);
	assert_true(p1->media->last_block == P1_BLOCKS - 1);
	assert_int_equal(ro->media->block_size, 4096);
	assert_true(ro->media->read_only);
	assert_true(ro->media->last_block == DISK_SIZE / 4096 - 1);
}

static void test_block_io_reads(void **state)
{
	struct efi_block_io *disk = bio_of(part_handle(XVDA, 0)),
			    *p1 = bio_of(part_handle(XVDA, 1)), *ro = bio_of(part_handle(XVDB, 0));
	uint32_t id = disk->media->media_id;
	uint8_t *buf = malloc(8192);

	assert_int_equal(disk->read_blocks(disk, id, 0, 1024, buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk, 1024);
	/* A partition's LBA 0 is the disk's P1_LBA. */
	assert_int_equal(p1->read_blocks(p1, id, 0, 4096, buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk + P1_LBA * 512, 4096);
	assert_int_equal(p1->read_blocks(p1, id, P1_BLOCKS - 2, 1024, buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk + (P1_LBA + P1_BLOCKS - 2) * 512, 1024);
	assert_int_equal(ro->read_blocks(ro, ro->media->media_id, 3, 8192, buf), EFI_SUCCESS);
	assert_memory_equal(buf, image2 + 3 * 4096, 8192);
	assert_int_equal(disk->read_blocks(disk, id, 5, 0, buf), EFI_SUCCESS);
	assert_int_equal(disk->flush_blocks(disk), EFI_SUCCESS);
	assert_int_equal(disk->reset(disk, false), EFI_SUCCESS);
	free(buf);
}

static void test_block_io_hostile(void **state)
{
	struct efi_block_io *p1 = bio_of(part_handle(XVDA, 1)), *ro = bio_of(part_handle(XVDB, 0));
	uint32_t id = p1->media->media_id;
	uint8_t *buf = malloc(8192);
	struct efi_block_io fake = *p1;

	memset(buf, 0x5a, 8192);
	assert_int_equal(p1->read_blocks(p1, id, 0, 1000, buf), EFI_BAD_BUFFER_SIZE);
	assert_int_equal(p1->read_blocks(p1, id, P1_BLOCKS, 512, buf), EFI_INVALID_PARAMETER);
	/* One block past the window: must not read the next partition. */
	assert_int_equal(p1->read_blocks(p1, id, P1_BLOCKS - 1, 1024, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_blocks(p1, id, UINT64_MAX, 512, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_blocks(p1, id, 1, UINT64_MAX - 511, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_blocks(p1, id + 1, 0, 512, buf), EFI_MEDIA_CHANGED);
	assert_int_equal(p1->read_blocks(p1, id, 0, 512, NULL), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_blocks(&fake, id, 0, 512, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_blocks(NULL, id, 0, 512, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->write_blocks(&fake, id, 0, 512, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->flush_blocks(&fake), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->write_blocks(p1, id, P1_BLOCKS, 512, buf), EFI_INVALID_PARAMETER);
	/* Read-only backend: refused before any request. */
	assert_int_equal(ro->write_blocks(ro, ro->media->media_id, 0, 4096, buf),
			 EFI_WRITE_PROTECTED);
	assert_int_equal(ro->read_blocks(ro, ro->media->media_id, 0, 512, buf),
			 EFI_BAD_BUFFER_SIZE);
	/* Nothing above reached the disk. */
	assert_memory_equal(gpt_disk + (P1_LBA + P1_BLOCKS) * 512 - 512,
			    gpt_disk + (P1_LBA + P1_BLOCKS) * 512 - 512, 512);
	/* After the handoff the PV disks are gone. */
	efi_get()->is_handed_off = true;
	assert_int_equal(p1->read_blocks(p1, id, 0, 512, buf), EFI_DEVICE_ERROR);
	efi_get()->is_handed_off = false;
	free(buf);
}

static void test_block_io_writes(void **state)
{
	struct efi_block_io *p2 = bio_of(part_handle(XVDA, 2)),
			    *disk = bio_of(part_handle(XVDA, 0));
	uint32_t id = p2->media->media_id;
	uint64_t p2_lba =
	    ((struct efi_dp_hard_drive *)((uint8_t *)efi_protocol_of(part_handle(XVDA, 2),
								     &efi_guid_device_path) +
					  sizeof(struct efi_dp_xen_vbd)))
		->partition_start;
	uint8_t blk[1024], back[1024];

	fill_pattern(blk, sizeof(blk), 77);
	assert_int_equal(p2->write_blocks(p2, id, 10, sizeof(blk), blk), EFI_SUCCESS);
	assert_int_equal(p2->flush_blocks(p2), EFI_SUCCESS);
	assert_memory_equal(gpt_disk + (p2_lba + 10) * 512, blk, sizeof(blk));
	assert_int_equal(disk->read_blocks(disk, id, p2_lba + 10, sizeof(back), back), EFI_SUCCESS);
	assert_memory_equal(back, blk, sizeof(blk));
}

static struct efi_disk_io *dio_of(struct efi_object *o)
{
	return efi_protocol_of(o, &efi_guid_disk_io);
}

static void test_disk_io(void **state)
{
	struct efi_disk_io *p1 = dio_of(part_handle(XVDA, 1)), *ro = dio_of(part_handle(XVDB, 0));
	uint32_t id = EFI_DISK_MEDIA_ID;
	uint64_t end = (uint64_t)P1_BLOCKS * 512;
	uint8_t buf[3000], data[700];

	assert_true(p1->revision == EFI_DISK_IO_REVISION);
	/* Unaligned head and tail, across several sectors. */
	assert_int_equal(p1->read_disk(p1, id, 511, sizeof(buf), buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk + P1_LBA * 512 + 511, sizeof(buf));
	assert_int_equal(ro->read_disk(ro, id, 4095, 2, buf), EFI_SUCCESS);
	assert_memory_equal(buf, image2 + 4095, 2);
	assert_int_equal(p1->read_disk(p1, id, end - 3, 3, buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk + P1_LBA * 512 + end - 3, 3);
	/* Write 700 bytes at an odd offset: neighbours unchanged. */
	uint8_t before = gpt_disk[P1_LBA * 512 + end - 1001],
		after = gpt_disk[P1_LBA * 512 + end - 300];
	fill_pattern(data, sizeof(data), 9);
	assert_int_equal(p1->write_disk(p1, id, end - 1000, sizeof(data), data), EFI_SUCCESS);
	assert_memory_equal(gpt_disk + P1_LBA * 512 + end - 1000, data, sizeof(data));
	assert_int_equal(gpt_disk[P1_LBA * 512 + end - 1001], before);
	assert_int_equal(gpt_disk[P1_LBA * 512 + end - 300], after);

	/* Hostile. */
	assert_int_equal(p1->read_disk(p1, id, end - 2, 3, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_disk(p1, id, end + 1, 0, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_disk(p1, id, 2, UINT64_MAX, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_disk(p1, id, UINT64_MAX, 2, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_disk(p1, id, 0, 1, NULL), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->read_disk(p1, id + 1, 0, 1, buf), EFI_MEDIA_CHANGED);
	assert_int_equal(p1->read_disk((void *)buf, id, 0, 1, buf), EFI_INVALID_PARAMETER);
	assert_int_equal(p1->write_disk(p1, id, end, 1, data), EFI_INVALID_PARAMETER);
	assert_int_equal(ro->write_disk(ro, id, 0, 1, data), EFI_WRITE_PROTECTED);
	assert_int_equal(p1->read_disk(p1, id, end, 0, buf), EFI_SUCCESS);
}

/* Without persistent grants blkfront grants an application's whole pages
 * for the request: none may stay granted once ReadBlocks returns (issue 8),
 * and a backend that keeps them mapped breaks the disk, it does not crash. */
static int direct_setup(void **state)
{
	blkfront_set_persistent(false);
	return efi_world_up("disk", NULL);
}

static unsigned int pages_granted(unsigned int count)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < count; i++) {
		n += sim_gnttab_frame_is_granted((BUF_GPA >> PAGE_SHIFT) + i);
	}
	return n;
}

static void test_block_io_app_pages(void **state)
{
	struct efi_block_io *disk = bio_of(part_handle(XVDA, 0));
	struct blkfront_stats before, after;
	uint8_t *buf = guest_buf(0);
	uint32_t id = disk->media->media_id;

	blkfront_stats_get(&before);
	assert_int_equal(disk->read_blocks(disk, id, 0, 16 * PAGE_SIZE, buf), EFI_SUCCESS);
	blkfront_stats_get(&after);
	assert_memory_equal(buf, gpt_disk, 16 * PAGE_SIZE);
	assert_true(after.direct_pages - before.direct_pages == 16);
	assert_int_equal(pages_granted(16), 0);

	sim_blkback_fault(bb_a, SIM_BB_KEEP_DATA, 0, 1);
	assert_int_equal(disk->read_blocks(disk, id, 0, 4 * PAGE_SIZE, buf), EFI_DEVICE_ERROR);
	assert_int_equal(disk->read_blocks(disk, id, 0, 512, buf + 8 * PAGE_SIZE),
			 EFI_DEVICE_ERROR);
}

/* `pvblock shutdown` between two images: the handles stay, their I/O fails
 * cleanly (the device slot may hold another disk after a rescan). */
static void test_disk_gone(void **state)
{
	struct efi_object *p1 = part_handle(XVDA, 1);
	struct efi_block_io *bio = bio_of(p1);
	struct efi_disk_io *dio = dio_of(p1);
	struct efi_simple_file_system *sfs = efi_protocol_of(p1, &efi_guid_simple_file_system);
	struct efi_file_protocol *root, *f;
	struct efi_device_path *path;
	struct blk_part w;
	uint8_t buf[512];
	uint64_t n = sizeof(buf);

	assert_int_equal(sfs->open_volume(sfs, &root), EFI_SUCCESS);
	assert_int_equal(
	    root->open(root, &f, (const efi_char16_t *)u"\\hello.txt", EFI_FILE_MODE_READ, 0),
	    EFI_SUCCESS);
	assert_int_equal(part_open("xvda:1", &w), 0);
	assert_int_equal(efi_disk_file_path(&w, "hello.txt", &path), 0);
	assert_int_equal(blkfront_shutdown_all(), 0);
	assert_null(blk_find("xvda"));
	assert_int_equal(bio->read_blocks(bio, bio->media->media_id, 0, 512, buf),
			 EFI_DEVICE_ERROR);
	assert_int_equal(bio->flush_blocks(bio), EFI_DEVICE_ERROR);
	assert_int_equal(dio->read_disk(dio, EFI_DISK_MEDIA_ID, 0, 1, buf), EFI_DEVICE_ERROR);
	assert_int_equal(sfs->open_volume(sfs, &root), EFI_DEVICE_ERROR);
	assert_int_equal(f->read(f, &n, buf), EFI_DEVICE_ERROR);
	assert_int_equal(efi_path_file_size(path, &n), -ENOENT);
	assert_int_equal(f->close(f), EFI_SUCCESS);
	free(path);
}

/* An MBR disk (signature 0x12345678, logical partitions from 5) and a FAT
 * filesystem on a whole disk without a table. */
static int mbr_setup(void **state)
{
	return efi_world_up("mbr", "fat12");
}

static void test_mbr_and_superfloppy(void **state)
{
	struct efi_object *p5 = part_handle(XVDA, 5), *p1 = part_handle(XVDA, 1),
			  *whole = part_handle(XVDB, 0);
	struct efi_dp_hard_drive hd;
	const uint8_t *dp;
	struct efi_block_io *bio;
	uint8_t buf[512];

	assert_non_null(p1);
	assert_non_null(p5);
	assert_non_null(part_handle(XVDA, 7));
	assert_null(part_handle(XVDA, 8));
	dp = efi_protocol_of(p5, &efi_guid_device_path);
	memcpy(&hd, dp + sizeof(struct efi_dp_xen_vbd), sizeof(hd));
	assert_int_equal(hd.mbr_type, EFI_DP_HD_MBR_TYPE_PCAT);
	assert_int_equal(hd.signature_type, EFI_DP_HD_SIG_MBR);
	assert_memory_equal(hd.signature, "\x78\x56\x34\x12\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	bio = efi_protocol_of(p5, &efi_guid_block_io);
	assert_true(bio->media->last_block == hd.partition_size - 1);
	assert_int_equal(bio->read_blocks(bio, bio->media->media_id, 0, 512, buf), EFI_SUCCESS);
	assert_memory_equal(buf, gpt_disk + hd.partition_start * 512, 512);
	/* No filesystem on the MBR partitions; the whole FAT disk has one. */
	assert_null(efi_protocol_of(p1, &efi_guid_simple_file_system));
	assert_non_null(efi_protocol_of(whole, &efi_guid_simple_file_system));
	assert_int_equal(handles_with(&efi_guid_simple_file_system), 1);
	bio = efi_protocol_of(whole, &efi_guid_block_io);
	assert_false(bio->media->logical_partition);
}

#define T(f) cmocka_unit_test_setup_teardown(f, efi_world_setup, efi_world_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_devpath_size_bounded),
	    cmocka_unit_test(test_devpath_build_and_match),
	    T(test_handles_published),
	    T(test_block_io_media),
	    T(test_block_io_reads),
	    T(test_block_io_hostile),
	    T(test_block_io_writes),
	    T(test_disk_io),
	    T(test_disk_gone),
	    cmocka_unit_test_setup_teardown(test_block_io_app_pages, direct_setup,
					    efi_world_teardown),
	    cmocka_unit_test_setup_teardown(test_mbr_and_superfloppy, mbr_setup,
					    efi_world_teardown),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
