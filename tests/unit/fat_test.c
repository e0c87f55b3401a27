/* FAT12/16/32 against images made by mkfs.vfat and mtools: reads must
 * match the host files, long names must list and resolve, and after our
 * writes (create, overwrite, delete, long names, directory growth) the image
 * must pass fsck.vfat -n and read back through mtools byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "images/image.h"
#include <disk/blk.h>
#include <fs/fat.h>
#include <lib/errno.h>
#include <stdlib.h>

static const char *const kinds[] = {"fat12", "fat16", "fat32"};
static const unsigned int types[] = {12, 16, 32};
static uint8_t *images[ARRAY_SIZE(kinds)];
static size_t sizes[ARRAY_SIZE(kinds)];
static struct blk_ram ram;
static struct blk_part part;
static struct fat_fs fs;
static struct fat_item item;
static uint8_t work[40 << 20];

static void mount_kind(unsigned int k, bool is_read_only)
{
	if (!images[k]) {
		images[k] = img_load(kinds[k], &sizes[k], NULL, 0);
	}
	assert_non_null(images[k]);
	memcpy(work, images[k], sizes[k]);
	assert_int_equal(blk_ram_init(&ram, "ram0", work, sizes[k], 512, is_read_only), 0);
	blk_part_whole(&part, &ram.dev);
	assert_int_equal(fat_mount(&fs, &part), 0);
	assert_int_equal(fs.type, types[k]);
}

static void check_bytes(const char *path, const uint8_t *want, size_t len)
{
	uint8_t *buf = malloc(len + 16);
	size_t got;

	assert_int_equal(fat_lookup(&fs, path, &item), 0);
	assert_int_equal(item.size, len);
	assert_int_equal(fat_read(&fs, &item, 0, buf, len + 16, &got), 0);
	assert_int_equal(got, len);
	assert_memory_equal(buf, want, len);
	if (len > 3000) {
		assert_int_equal(fat_read(&fs, &item, 777, buf, 2000, &got), 0);
		assert_int_equal(got, 2000);
		assert_memory_equal(buf, want + 777, 2000);
	}
	free(buf);
}

static void check_file(const char *path, const char *src_rel)
{
	size_t len;
	uint8_t *want = img_src("srcfat", src_rel, &len);

	assert_non_null(want);
	check_bytes(path, want, len);
	free(want);
}

static void test_read(void **state)
{
	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		mount_kind(k, true);
		check_file("/hello.txt", "hello.txt");
		check_file("HELLO.TXT", "hello.txt");
		check_file("/dir/sub/nested.bin", "dir/sub/nested.bin");
		check_file("/DIR/Sub/../sub/./nested.bin", "dir/sub/nested.bin");
		check_file("/big.bin", "big.bin");
		check_file("/tiny.bin", "tiny.bin");
		check_file("/A long file name.text", "A long file name.text");
		check_file("/a LONG file NAME.TEXT", "A long file name.text");
		check_file("/MixedCase.Txt", "MixedCase.Txt");
		check_file("/many/entry-with-a-longish-name-99.txt",
			   "many/entry-with-a-longish-name-99.txt");
		assert_int_equal(fat_lookup(&fs, "/nothing", &item), -ENOENT);
		assert_int_equal(fat_lookup(&fs, "/hello.txt/x", &item), -ENOTDIR);
		assert_int_equal(fat_lookup(&fs, "/dir", &item), 0);
		assert_true(item.attr & FAT_ATTR_DIRECTORY);
	}
}

struct names {
	unsigned int count;
	bool has_long, has_mixed, has_lower;
};

static int list_fn(void *arg, const struct fat_item *it)
{
	struct names *n = arg;

	n->count++;
	n->has_long |= strcmp(it->name, "A long file name.text") == 0;
	n->has_mixed |= strcmp(it->name, "MixedCase.Txt") == 0;
	n->has_lower |= strcmp(it->name, "lower.txt") == 0;
	return 0;
}

static void test_list(void **state)
{
	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct names n = {0};

		mount_kind(k, true);
		assert_int_equal(
		    fat_dir_iterate(&fs, fs.type == 32 ? fs.root_cluster : 0, list_fn, &n), 0);
		assert_true(n.has_long && n.has_mixed && n.has_lower);
		memset(&n, 0, sizeof(n));
		assert_int_equal(fat_lookup(&fs, "/many", &item), 0);
		assert_int_equal(fat_dir_iterate(&fs, item.cluster, list_fn, &n), 0);
		assert_int_equal(n.count, 122);
	}
}

/* Issue 8 #1: after a complete long-name run, an LFN entry with ord 0 (byte
 * 0x80: neither LAST nor a valid sequence number) and the run's checksum must
 * be an orphan, not a write 13 UTF-16 units before the name buffer. */
static void test_lfn_ord_zero(void **state)
{
	static const uint8_t a_lo[] = {'A', 0, ' ', 0, 'l', 0, 'o', 0};

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct names n = {0};
		size_t at = 0;

		mount_kind(k, false);
		/* "A long file name.text": [0x42 "ext"][0x01 "A long file n"][short]. */
		for (size_t i = 32; i + 32 <= sizes[k] && !at; i += 32) {
			if (work[i] == 0x01 && work[i + 11] == 0x0f &&
			    !memcmp(&work[i + 1], a_lo, 8)) {
				at = i;
			}
		}
		assert_true(at != 0);
		assert_int_equal(work[at - 32], 0x42);
		work[at - 32] = 0x41; /* now a complete run of one entry... */
		work[at] = 0x80; /* ...followed by ord 0 with the same checksum */
		blk_cache_drop(&ram.dev);
		assert_int_equal(
		    fat_dir_iterate(&fs, fs.type == 32 ? fs.root_cluster : 0, list_fn, &n), 0);
		assert_false(n.has_long); /* the run is broken: the short name stands */
		assert_true(n.has_mixed && n.has_lower);
	}
}

/* Save the work image, then run fsck.vfat -n on it; returns its status. */
static int fsck_image(const char *kind)
{
	char path[1200], cmd[2600];

	snprintf(path, sizeof(path), "%s/%s-written.img", img_dir, kind);
	assert_int_equal(img_write_file(path, work, ram.dev.block_count * 512), 0);
	snprintf(cmd, sizeof(cmd), "PATH=$PATH:/usr/sbin:/sbin fsck.vfat -n '%s' >'%s.fsck' 2>&1",
		 path, path);
	return system(cmd);
}

/* mtools reads @name from the saved image: it must equal @want. */
static void mtools_check(const char *kind, const char *name, const uint8_t *want, size_t len)
{
	char path[1200], out[1300], cmd[4000];
	uint8_t *got;
	size_t got_len;

	snprintf(path, sizeof(path), "%s/%s-written.img", img_dir, kind);
	snprintf(out, sizeof(out), "%s.out", path);
	snprintf(cmd, sizeof(cmd), "MTOOLS_SKIP_CHECK=1 mcopy -n -o -i '%s' '::%s' '%s'", path,
		 name, out);
	assert_int_equal(system(cmd), 0);
	got = img_read_file(out, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, want, len);
	free(got);
}

static uint8_t *pattern(size_t len, unsigned int seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++) {
		p[i] = (uint8_t)(i * 131 + seed + (i >> 9));
	}
	return p;
}

static uint32_t free_clusters(void)
{
	uint32_t n = 0, v;

	for (uint32_t c = 2; c <= fs.cluster_count + 1; c++) {
		assert_int_equal(fat_entry_get(&fs, c, &v), 0);
		n += v == 0;
	}
	return n;
}

static void test_write(void **state)
{
	uint8_t *a = pattern(5000, 1), *b = pattern(70000, 2), *c = pattern(123, 3);
	char name[64];

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		mount_kind(k, false);
		assert_int_equal(fat_write(&fs, "/NEW.BIN", a, 5000), 0);
		assert_int_equal(fat_write(&fs, "/Some Long Name.data", b, 70000), 0);
		assert_int_equal(fat_write(&fs, "/hello.txt", c, 123), 0);
		assert_int_equal(fat_write(&fs, "/dir/sub/new file.txt", c, 123), 0);
		assert_int_equal(fat_write(&fs, "/empty", "", 0), 0);
		assert_int_equal(fat_write(&fs, "/tiny.bin", b, 70000), 0);
		assert_int_equal(fat_unlink(&fs, "/big.bin"), 0);
		assert_int_equal(fat_lookup(&fs, "/big.bin", &item), -ENOENT);
		/* Enough entries to make /many grow by a cluster or more. */
		for (unsigned int i = 0; i < 150; i++) {
			snprintf(name, sizeof(name), "/many/added-file-number-%u.txt", i);
			assert_int_equal(fat_write(&fs, name, c, i % 7), 0);
		}
		/* Remount: nothing may live only in our state. */
		blk_cache_drop(&ram.dev);
		assert_int_equal(fat_mount(&fs, &part), 0);
		check_bytes("/new.bin", a, 5000);
		check_bytes("/some long name.DATA", b, 70000);
		check_bytes("/hello.txt", c, 123);
		check_bytes("/dir/sub/new file.txt", c, 123);
		check_bytes("/empty", c, 0);
		check_bytes("/tiny.bin", b, 70000);
		check_bytes("/many/added-file-number-149.txt", c, 149 % 7);
		check_file("/dir/sub/nested.bin", "dir/sub/nested.bin");
		/* Every FAT copy says the same. */
		assert_memory_equal(work + fs.fat_offset, work + fs.fat_offset + fs.fat_bytes,
				    fs.fat_bytes);
		if (fs.fsinfo_offset) {
			uint8_t *fi = work + fs.fsinfo_offset + 488;
			uint32_t count = fi[0] | fi[1] << 8 | fi[2] << 16 | (uint32_t)fi[3] << 24;

			assert_true(count == free_clusters() || count == 0xffffffff);
		}
		assert_int_equal(fsck_image(kinds[k]), 0);
		mtools_check(kinds[k], "/Some Long Name.data", b, 70000);
		mtools_check(kinds[k], "/NEW.BIN", a, 5000);
		mtools_check(kinds[k], "/hello.txt", c, 123);
		mtools_check(kinds[k], "/dir/sub/new file.txt", c, 123);
		mtools_check(kinds[k], "/many/added-file-number-100.txt", c, 100 % 7);
	}
	free(a);
	free(b);
	free(c);
}

/*
 * Every driver write is a synchronous round trip to the PV backend, so a save
 * must cost a handful of writes, not several per cluster: the lab saw 146
 * clusters take 27 s. Create, overwrite and delete a 146-cluster file on the
 * FAT32 image (512-byte clusters, two FAT copies, FSInfo) and bound the
 * driver write calls of each step.
 */
static void test_write_batching(void **state)
{
	const size_t len = 0x12345; /* 74,565 bytes: 146 clusters of 512 */
	uint8_t *a = pattern(len, 4), *b = pattern(len, 5);
	uint64_t created, replaced, deleted, grown;
	const uint8_t *fi;

	mount_kind(2, false);
	assert_int_equal(fs.cluster_size, 512);
	ram.write_calls = 0;
	assert_int_equal(fat_write(&fs, "/saved.bin", a, len), 0);
	created = ram.write_calls;
	ram.write_calls = 0;
	assert_int_equal(fat_write(&fs, "/saved.bin", b, len), 0);
	replaced = ram.write_calls;
	check_bytes("/saved.bin", b, len);
	ram.write_calls = 0;
	assert_int_equal(fat_unlink(&fs, "/saved.bin"), 0);
	deleted = ram.write_calls;
	/* The root's last cluster is full now: this create also grows it. */
	assert_int_equal(fat_write(&fs, "/saved.bin", a, len), 0);
	ram.write_calls = 0;
	assert_int_equal(fat_write(&fs, "/other.bin", a, len), 0);
	grown = ram.write_calls;
	print_message("driver writes: create %llu, overwrite %llu, delete %llu, create+grow %llu\n",
		      (unsigned long long)created, (unsigned long long)replaced,
		      (unsigned long long)deleted, (unsigned long long)grown);
	/* Create: chain (one per FAT copy), data (whole sectors, padded tail),
	 * entry, FSInfo. Overwrite adds freeing the old chain; delete is entry,
	 * chain and FSInfo; growing a directory adds its cluster and link. */
	assert_true(created <= 6);
	assert_true(replaced <= 8);
	assert_true(deleted <= 4);
	assert_true(grown <= 12);
	blk_cache_drop(&ram.dev);
	assert_int_equal(fat_mount(&fs, &part), 0);
	check_bytes("/other.bin", a, len);
	check_bytes("/saved.bin", a, len);
	assert_memory_equal(work + fs.fat_offset, work + fs.fat_offset + fs.fat_bytes,
			    fs.fat_bytes);
	/* One FSInfo update per operation still adds up to the true count. */
	fi = work + fs.fsinfo_offset + 488;
	assert_int_equal(fi[0] | fi[1] << 8 | fi[2] << 16 | (uint32_t)fi[3] << 24, free_clusters());
	assert_int_equal(fsck_image("fat32"), 0);
	mtools_check("fat32", "/other.bin", a, len);
	mtools_check("fat32", "/saved.bin", a, len);
	free(a);
	free(b);
}

static void test_write_errors(void **state)
{
	static uint8_t big[3 << 20];
	uint32_t before;

	mount_kind(0, true);
	assert_int_equal(fat_write(&fs, "/x", "x", 1), -EROFS);
	assert_int_equal(fat_unlink(&fs, "/hello.txt"), -EROFS);
	mount_kind(0, false);
	assert_int_equal(fat_write(&fs, "/a*b", "x", 1), -EINVAL);
	assert_int_equal(fat_write(&fs, "/..", "x", 1), -EINVAL);
	assert_int_equal(fat_write(&fs, "/dir", "x", 1), -EISDIR);
	assert_int_equal(fat_write(&fs, "/nodir/x", "x", 1), -ENOENT);
	assert_int_equal(fat_write(&fs, "/hello.txt/x", "x", 1), -ENOTDIR);
	assert_int_equal(fat_unlink(&fs, "/dir"), -EISDIR);
	assert_int_equal(fat_unlink(&fs, "/nothing"), -ENOENT);
	/* Out of space: nothing leaks and the volume stays clean. */
	before = free_clusters();
	assert_int_equal(fat_write(&fs, "/huge.bin", big, sizeof(big)), -ENOSPC);
	assert_int_equal(free_clusters(), before);
	assert_int_equal(fat_lookup(&fs, "/huge.bin", &item), -ENOENT);
	assert_int_equal(fsck_image("fat12"), 0);
}

static void test_corrupt(void **state)
{
	uint8_t buf[4096];
	size_t got;

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		uint32_t first;

		/* A chain that loops back on itself. */
		mount_kind(k, false);
		assert_int_equal(fat_lookup(&fs, "/big.bin", &item), 0);
		first = item.cluster;
		assert_int_equal(fat_entry_set(&fs, first + 3, first), 0);
		assert_int_equal(
		    fat_read(&fs, &item, 0, work + sizeof(work) - (1 << 20), 1 << 20, &got), -EIO);
		assert_int_equal(fat_unlink(&fs, "/big.bin"), -EIO);
		/* A link past the last cluster. */
		mount_kind(k, false);
		assert_int_equal(fat_lookup(&fs, "/big.bin", &item), 0);
		assert_int_equal(fat_entry_set(&fs, item.cluster, fs.cluster_count + 2), 0);
		assert_int_equal(fat_read(&fs, &item, 0, buf, sizeof(buf), &got), -EIO);
		/* A file whose size claims more than its chain holds. */
		mount_kind(k, false);
		assert_int_equal(fat_lookup(&fs, "/hello.txt", &item), 0);
		item.size = 1 << 20;
		assert_int_equal(fat_read(&fs, &item, 600000, buf, sizeof(buf), &got), -EIO);
	}
	/* Boot sectors that are not FAT, or lie about the volume size. */
	mount_kind(1, true);
	work[11] = 100;
	blk_cache_drop(&ram.dev);
	assert_int_equal(fat_mount(&fs, &part), -ENOENT);
	mount_kind(1, true);
	work[16] = 0;
	blk_cache_drop(&ram.dev);
	assert_int_equal(fat_mount(&fs, &part), -ENOENT);
	mount_kind(1, true);
	work[19] = 0;
	work[20] = 0;
	work[32] = 0xff;
	work[33] = 0xff;
	work[34] = 0xff;
	blk_cache_drop(&ram.dev);
	assert_int_equal(fat_mount(&fs, &part), -EINVAL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),	   cmocka_unit_test(test_list),
	    cmocka_unit_test(test_lfn_ord_zero),   cmocka_unit_test(test_write),
	    cmocka_unit_test(test_write_batching), cmocka_unit_test(test_write_errors),
	    cmocka_unit_test(test_corrupt),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
