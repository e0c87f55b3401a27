/* ext4 on hostile images: mount, list the root and its subdirectories
 * (seeded with an htree /d), resolve paths (with symlinks) and read what is
 * found (seeded with extent trees of depth 1 and 2 and indirect maps). The
 * invariants are ASan/UBSan's plus "no hang" (libFuzzer's timeout) and
 * short reads only at end of file. Seeds: tests/fuzz/seeds/mk-ext4.py. */
#include "disk_fuzz.h"
#include "fuzz.h"
#include <fs/ext4.h>
#include <string.h>

#define MAX_VISITS 48
#define PATH_MAX_LEN (2 * (255 + 1) + 1) /* "/dir/name" + NUL */
#define MODE_TYPE 0xf000
#define MODE_DIR 0x4000

static struct ext4_fs fs;
static uint8_t buf[256 << 10];
static char names[MAX_VISITS][PATH_MAX_LEN];
static unsigned int name_count;

/* Adds "<@arg>/<name>" (@arg: the directory's path, "" for the root). */
static int collect(void *arg, const struct ext4_dir_item *item)
{
	const char *dir = arg;
	size_t dir_len = strlen(dir);

	if (name_count >= MAX_VISITS) {
		return 1;
	}
	fuzz_check(item->name_len >= 1 && item->name_len <= 255);
	memcpy(names[name_count], dir, dir_len);
	names[name_count][dir_len] = '/';
	memcpy(names[name_count] + dir_len + 1, item->name, item->name_len);
	names[name_count][dir_len + 1 + item->name_len] = '\0';
	name_count++;
	return 0;
}

/* List each directory the root holds (one level: bounded work per input). */
static void list_subdirs(void)
{
	static char dir[PATH_MAX_LEN];
	unsigned int root_names = name_count;
	struct ext4_inode_info ino;

	for (unsigned int i = 0; i < root_names && name_count < MAX_VISITS; i++) {
		if (!strcmp(names[i], "/.") || !strcmp(names[i], "/..") ||
		    ext4_lookup(&fs, names[i], &ino) != 0 || (ino.mode & MODE_TYPE) != MODE_DIR) {
			continue;
		}
		strcpy(dir, names[i]);
		(void)ext4_dir_iterate(&fs, &ino, collect, dir);
	}
}

static void visit(const char *path)
{
	struct ext4_inode_info ino;
	size_t got;

	if (ext4_lookup(&fs, path, &ino) != 0) {
		return;
	}
	if (ext4_read(&fs, &ino, 0, buf, sizeof(buf), &got) == 0) {
		fuzz_check(got <= sizeof(buf) && got <= ino.size);
		fuzz_check(got == sizeof(buf) || got == ino.size);
	}
	if (ino.size > 100 && ext4_read(&fs, &ino, ino.size - 100, buf, 4096, &got) == 0) {
		fuzz_check(got == 100);
	}
}

static void fuzz_ext4(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"/hello.txt", "/d/data.bin", "/link", "/d/../d/y"};
	struct ext4_inode_info root;
	struct blk_part part;
	struct fuzz_disk d;

	if (!fuzz_disk_init(&d, data, size, 0, 512)) {
		return;
	}
	blk_part_whole(&part, &d.dev);
	if (ext4_mount(&fs, &part) == 0) {
		name_count = 0;
		if (ext4_lookup(&fs, "/", &root) == 0) {
			(void)ext4_dir_iterate(&fs, &root, collect, "");
		}
		list_subdirs();
		for (unsigned int i = 0; i < name_count; i++) {
			visit(names[i]);
		}
		for (unsigned int i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			visit(paths[i]);
		}
	}
	fuzz_disk_free(&d);
}

FUZZ_TARGET(fuzz_ext4)
