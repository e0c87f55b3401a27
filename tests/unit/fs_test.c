/* The file API on a GPT disk holding a FAT and an ext4 partition, as the
 * boot path uses it: name a partition, mount whatever is there, list,
 * size, read, and (FAT only) write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "images/image.h"
#include <disk/blk.h>
#include <disk/part.h>
#include <fs/fs.h>
#include <lib/errno.h>

static struct blk_ram ram;
static struct fs fs;
static uint8_t *disk;
static size_t disk_size;

static int setup(void **state)
{
	disk = img_load("disk", &disk_size, NULL, 0);
	if (!disk || blk_ram_init(&ram, "xvda", disk, disk_size, 512, false) ||
	    blk_register(&ram.dev)) {
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	return 0;
}

static void mount(const char *spec, const char *type)
{
	struct blk_part part;

	assert_int_equal(part_open(spec, &part), 0);
	assert_int_equal(fs_mount(&fs, &part), 0);
	assert_string_equal(fs_type(&fs), type);
}

static void check_as(const char *tree, const char *path, const char *src)
{
	size_t len, got;
	uint64_t size;
	uint8_t *want = img_src(tree, src, &len), *buf;

	assert_non_null(want);
	buf = malloc(len + 1);

	assert_int_equal(fs_size(&fs, path, &size), 0);
	assert_int_equal(size, len);
	assert_int_equal(fs_read(&fs, path, buf, 0, len + 1, &got), 0);
	assert_int_equal(got, len);
	assert_memory_equal(buf, want, len);
	free(want);
	free(buf);
}

static void check_file(const char *tree, const char *path)
{
	check_as(tree, path, path);
}

struct seen {
	unsigned int count;
	bool has_dir, has_hello;
};

static int ls_fn(void *arg, const struct fs_dirent *ent)
{
	struct seen *s = arg;

	s->count++;
	s->has_dir |= strcmp(ent->name, "dir") == 0 && ent->type == FS_NODE_DIR;
	s->has_hello |=
	    strcmp(ent->name, "hello.txt") == 0 && ent->type == FS_NODE_FILE && ent->size == 15;
	return 0;
}

static int count_fn(void *arg, const struct ext4_dir_item *item)
{
	return 0;
}

static void test_both_partitions(void **state)
{
	struct seen s = {0};
	uint64_t size;
	size_t got;
	char buf[64];

	mount("xvda:PARTLABEL=boot", "fat12");
	check_file("srcfat", "big.bin");
	check_file("srcfat", "A long file name.text");
	assert_int_equal(fs_ls(&fs, "/", ls_fn, &s), 0);
	assert_true(s.has_dir && s.has_hello);
	assert_int_equal(fs_write(&fs, "/boot.scr", "echo hi\n", 8), 0);
	assert_int_equal(fs_read(&fs, "/boot.scr", buf, 5, sizeof(buf), &got), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "hi\n", 3);
	assert_int_equal(fs_unlink(&fs, "/boot.scr"), 0);
	assert_int_equal(fs_size(&fs, "/boot.scr", &size), -ENOENT);
	assert_int_equal(fs_size(&fs, "/dir", &size), -EISDIR);
	/* DIR_FileSize is 32-bit: a bigger file is refused before any I/O. */
	assert_int_equal(fs_write(&fs, "/big", buf, (size_t)UINT32_MAX + 1), -EFBIG);

	mount("0:2", "ext4");
	check_file("src", "dir/sub/nested.bin");
	check_as("src", "/abs_link", "dir/sub/nested.bin");
	memset(&s, 0, sizeof(s));
	assert_int_equal(fs_ls(&fs, "/", ls_fn, &s), 0);
	assert_true(s.has_dir && s.has_hello);
	assert_int_equal(fs_ls(&fs, "/hello.txt", ls_fn, &s), -ENOTDIR);
	assert_int_equal(fs_write(&fs, "/x", "x", 1), -EROFS);
	assert_int_equal(fs_unlink(&fs, "/hello.txt"), -EROFS);
	assert_int_equal(fs_size(&fs, "/huge.bin", &size), 0);
	assert_int_equal(size, 5ull << 30);
	/* Logical block numbers are 32-bit; beyond is too big, not corrupt. */
	struct ext4_inode_info ino;
	struct ext4_run run;
	assert_int_equal(ext4_lookup(&fs.u.ext4, "/hello.txt", &ino), 0);
	assert_int_equal(ext4_map(&fs.u.ext4, &ino, 1ull << 32, &run), -EFBIG);
	/* A directory over 128 MiB is refused by size alone. */
	assert_int_equal(ext4_lookup(&fs.u.ext4, "/dir", &ino), 0);
	ino.size = (128ull << 20) + 1;
	assert_int_equal(ext4_dir_iterate(&fs.u.ext4, &ino, count_fn, NULL), -EFBIG);
}

static void test_detection(void **state)
{
	struct blk_part part;
	size_t size;
	uint8_t *ext2 = img_load("ext2", &size, NULL, 0);
	struct blk_ram r2;

	/* The whole GPT disk is no filesystem. */
	assert_int_equal(part_open("xvda:0", &part), 0);
	assert_int_equal(fs_mount(&fs, &part), -ENODEV);
	assert_int_equal(blk_ram_init(&r2, "ram1", ext2, size, 512, true), 0);
	blk_part_whole(&part, &r2.dev);
	assert_int_equal(fs_mount(&fs, &part), 0);
	assert_string_equal(fs_type(&fs), "ext2");
	check_file("src", "big.bin");
	blk_cache_drop(&r2.dev);
	free(ext2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_both_partitions),
	    cmocka_unit_test(test_detection),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
