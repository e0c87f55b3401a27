/* ext2/3/4 reader against images built by mke2fs -d from a host tree: every
 * file read must match the host bytes, across block sizes and feature sets
 * (extents, 64bit, metadata_csum, inline_data, meta_bg, indirect blocks,
 * htree directories, >4 GiB sparse files), and corrupted images must fail
 * cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../../fs/ext4/layout.h"
#include "images/image.h"
#include <disk/blk.h>
#include <fs/ext4.h>
#include <lib/crc32c.h>
#include <lib/errno.h>

static const char *const kinds[] = {"ext4", "ext4csum", "ext4inline", "ext4metabg", "ext3", "ext2"};
static uint8_t *images[ARRAY_SIZE(kinds)];
static size_t sizes[ARRAY_SIZE(kinds)];
static struct blk_ram ram;
static struct blk_part part;
static struct ext4_fs fs;
static uint8_t work[16 << 20];

/* Mount a private copy of image @k (tests may corrupt it). */
static void mount_kind(unsigned int k)
{
	if (!images[k]) {
		images[k] = img_load(kinds[k], &sizes[k], NULL, 0);
	}
	assert_non_null(images[k]);
	assert_true(sizes[k] <= sizeof(work));
	memcpy(work, images[k], sizes[k]);
	assert_int_equal(blk_ram_init(&ram, "ram0", work, sizes[k], 512, true), 0);
	blk_part_whole(&part, &ram.dev);
	assert_int_equal(ext4_mount(&fs, &part), 0);
}

static void check_file(const char *path, const char *src_rel)
{
	struct ext4_inode_info ino;
	size_t want_len, got;
	uint8_t *want = img_src("src", src_rel, &want_len), *buf;

	assert_non_null(want);
	assert_int_equal(ext4_lookup(&fs, path, &ino), 0);
	assert_int_equal(ino.size, want_len);
	buf = malloc(want_len + 16);
	assert_int_equal(ext4_read(&fs, &ino, 0, buf, want_len + 16, &got), 0);
	assert_int_equal(got, want_len);
	assert_memory_equal(buf, want, want_len);
	/* An unaligned window in the middle. */
	if (want_len > 5000) {
		assert_int_equal(ext4_read(&fs, &ino, 1234, buf, 4000, &got), 0);
		assert_int_equal(got, 4000);
		assert_memory_equal(buf, want + 1234, 4000);
	}
	free(buf);
	free(want);
}

static void test_read_files(void **state)
{
	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		print_message("image %s\n", kinds[k]);
		mount_kind(k);
		check_file("/hello.txt", "hello.txt");
		check_file("dir/sub/nested.bin", "dir/sub/nested.bin");
		check_file("//big.bin", "big.bin");
		check_file("/tiny.bin", "tiny.bin");
		check_file("/small.bin", "small.bin");
		check_file("/medium.bin", "medium.bin");
		check_file("/sparse.bin", "sparse.bin");
		check_file("/many/entry-with-a-longish-name-77.txt",
			   "many/entry-with-a-longish-name-77.txt");
		check_file("/many/entry-with-a-longish-name-120.txt",
			   "many/entry-with-a-longish-name-120.txt");
	}
}

static void test_symlinks(void **state)
{
	struct ext4_inode_info ino;

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		mount_kind(k);
		check_file("/abs_link", "dir/sub/nested.bin");
		check_file("/rel_link", "dir/sub/nested.bin");
		check_file("/dir/up_link", "hello.txt");
		check_file("/dir/sub_link/nested.bin", "dir/sub/nested.bin");
		check_file("/long_link", "dir/sub/nested.bin");
		assert_int_equal(ext4_lookup(&fs, "/loop_a", &ino), -ELOOP);
		assert_int_equal(ext4_lookup(&fs, "/missing", &ino), -ENOENT);
		assert_int_equal(ext4_lookup(&fs, "/hello.txt/x", &ino), -ENOTDIR);
		assert_int_equal(ext4_lookup(&fs, "/dir/../dir/./sub/..", &ino), 0);
		assert_int_equal(ino.mode & EXT4_S_IFMT, EXT4_S_IFDIR);
	}
}

static void test_huge_sparse(void **state)
{
	struct ext4_inode_info ino;
	uint8_t buf[8192];
	size_t got;

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		mount_kind(k);
		assert_int_equal(ext4_lookup(&fs, "/huge.bin", &ino), 0);
		assert_int_equal(ino.size, 5ull << 30);
		assert_int_equal(ext4_read(&fs, &ino, 0, buf, 4, &got), 0);
		assert_memory_equal(buf, "HEAD", 4);
		assert_int_equal(ext4_read(&fs, &ino, (5ull << 30) - 4, buf, sizeof(buf), &got), 0);
		assert_int_equal(got, 4);
		assert_memory_equal(buf, "TAIL", 4);
		memset(buf, 0xaa, sizeof(buf));
		assert_int_equal(ext4_read(&fs, &ino, 3ull << 30, buf, sizeof(buf), &got), 0);
		assert_int_equal(got, sizeof(buf));
		for (size_t i = 0; i < sizeof(buf); i++) {
			assert_int_equal(buf[i], 0);
		}
		assert_int_equal(ext4_read(&fs, &ino, 6ull << 30, buf, 1, &got), 0);
		assert_int_equal(got, 0);
	}
}

struct names {
	unsigned int count;
	bool has_many, has_hello, has_dot;
};

static int list_fn(void *arg, const struct ext4_dir_item *item)
{
	struct names *n = arg;

	n->count++;
	n->has_many |= item->name_len == 4 && !memcmp(item->name, "many", 4);
	n->has_hello |= item->name_len == 9 && !memcmp(item->name, "hello.txt", 9);
	n->has_dot |= item->name_len == 1 && item->name[0] == '.';
	return 0;
}

static void test_list(void **state)
{
	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct ext4_inode_info dir;
		struct names n = {0};

		mount_kind(k);
		assert_int_equal(ext4_lookup(&fs, "/", &dir), 0);
		assert_int_equal(ext4_dir_iterate(&fs, &dir, list_fn, &n), 0);
		assert_true(n.has_many && n.has_hello && n.has_dot);
		memset(&n, 0, sizeof(n));
		assert_int_equal(ext4_lookup(&fs, "/many", &dir), 0);
		assert_int_equal(ext4_dir_iterate(&fs, &dir, list_fn, &n), 0);
		assert_int_equal(n.count, 122); /* 120 files, . and .. */
		assert_int_equal(ext4_lookup(&fs, "/hello.txt", &dir), 0);
		assert_int_equal(ext4_dir_iterate(&fs, &dir, list_fn, &n), -ENOTDIR);
	}
}

/* A file that is one contiguous extent reaches the driver as one read. */
static void test_one_big_read(void **state)
{
	struct ext4_inode_info ino;
	static uint8_t buf[700000];
	uint64_t before;
	size_t got;

	mount_kind(0);
	assert_int_equal(ext4_lookup(&fs, "/big.bin", &ino), 0);
	blk_cache_drop(&ram.dev);
	before = ram.read_calls;
	assert_int_equal(ext4_read(&fs, &ino, 0, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, sizeof(buf));
	/* One direct read for the bulk, at most one cached line for the tail. */
	assert_true(ram.read_calls - before <= 2);
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void fix_super_csum(void)
{
	uint8_t *sb = work + EXT4_SUPER_OFFSET;

	if (rd32(sb + 0x64) & EXT4_RO_COMPAT_METADATA_CSUM) {
		wr32(sb + 0x3fc, crc32c_update(~0u, sb, 0x3fc));
	}
}

static void test_bad_super(void **state)
{
	uint8_t *sb = work + EXT4_SUPER_OFFSET;

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		mount_kind(k);
		/* An incompatible feature we do not know: refuse, naming it. */
		wr32(sb + 0x60, rd32(sb + 0x60) | 0x40000000);
		fix_super_csum();
		blk_cache_drop(&ram.dev);
		assert_int_equal(ext4_mount(&fs, &part), -EOPNOTSUPP);
		mount_kind(k);
		wr32(sb + 0x60, rd32(sb + 0x60) | EXT4_INCOMPAT_DIRDATA);
		fix_super_csum();
		blk_cache_drop(&ram.dev);
		assert_int_equal(ext4_mount(&fs, &part), -EOPNOTSUPP);
		/* A filesystem bigger than its partition. */
		mount_kind(k);
		wr32(sb + 0x4, rd32(sb + 0x4) * 4);
		fix_super_csum();
		blk_cache_drop(&ram.dev);
		assert_int_equal(ext4_mount(&fs, &part), -EINVAL);
		/* Absurd block size. */
		mount_kind(k);
		wr32(sb + 0x18, 30);
		fix_super_csum();
		blk_cache_drop(&ram.dev);
		assert_int_equal(ext4_mount(&fs, &part), -EINVAL);
	}
	/* metadata_csum: a flipped byte breaks the superblock checksum. */
	mount_kind(1);
	sb[0x30] ^= 1;
	blk_cache_drop(&ram.dev);
	assert_int_equal(ext4_mount(&fs, &part), -EBADMSG);
	/* Not ext4 at all. */
	memset(sb, 0, 1024);
	blk_cache_drop(&ram.dev);
	assert_int_equal(ext4_mount(&fs, &part), -ENOENT);
}

/* Recompute the metadata_csum checksum of the inode at @off. */
static void fix_inode_csum(uint64_t off, uint32_t ino)
{
	uint8_t raw[EXT4_INODE_MAX], x[4];
	uint32_t crc;

	memcpy(raw, work + off, fs.inode_size);
	memset(raw + 0x7c, 0, 2);
	memset(raw + 0x82, 0, 2);
	wr32(x, ino);
	crc = crc32c_update(fs.csum_seed, x, 4);
	crc = crc32c_update(crc, raw + 0x64, 4);
	crc = crc32c_update(crc, raw, fs.inode_size);
	work[off + 0x7c] = (uint8_t)crc;
	work[off + 0x7d] = (uint8_t)(crc >> 8);
	work[off + 0x82] = (uint8_t)(crc >> 16);
	work[off + 0x83] = (uint8_t)(crc >> 24);
}

static int patch_and_read(const char *path, size_t at, const void *bytes, size_t len, bool fix_csum)
{
	struct ext4_inode_info ino;
	static uint8_t buf[1 << 20];
	size_t got;
	int ret;

	mount_kind(0);
	assert_int_equal(ext4_lookup(&fs, path, &ino), 0);
	memcpy(work + ino.disk_offset + at, bytes, len);
	if (fix_csum) {
		fix_inode_csum(ino.disk_offset, ino.ino);
	}
	blk_cache_drop(&ram.dev);
	ret = ext4_lookup(&fs, path, &ino);
	if (ret == 0) {
		ret = ext4_read(&fs, &ino, 0, buf, sizeof(buf), &got);
	}
	return ret;
}

static void test_bad_inode(void **state)
{
	static const uint8_t far[4] = {0x00, 0xff, 0xff, 0x7f}, depth6[2] = {6, 0};
	static const uint8_t big_entries[2] = {0xff, 0x00}, size[4] = {1, 2, 3, 4};

	/* Checksum mismatch. */
	assert_int_equal(patch_and_read("/big.bin", 0x4, size, 4, false), -EIO);
	/* Extent pointing outside the filesystem (ee_start_lo of entry 0). */
	assert_int_equal(patch_and_read("/big.bin", 0x28 + 12 + 8, far, 4, true), -EIO);
	/* Depth beyond the limit of 5. */
	assert_int_equal(patch_and_read("/big.bin", 0x28 + 6, depth6, 2, true), -EIO);
	/* More entries than the root can hold. */
	assert_int_equal(patch_and_read("/big.bin", 0x28 + 2, big_entries, 2, true), -EIO);
	/* Same for a directory: lookups through it fail cleanly. */
	assert_int_equal(patch_and_read("/dir", 0x28 + 12 + 8, far, 4, true), -EIO);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_files),	 cmocka_unit_test(test_symlinks),
	    cmocka_unit_test(test_huge_sparse),	 cmocka_unit_test(test_list),
	    cmocka_unit_test(test_one_big_read), cmocka_unit_test(test_bad_super),
	    cmocka_unit_test(test_bad_inode),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
