/* boot/env_store.c and the env commands on the GPT test disk of
 * images/mkimg.sh (p1 FAT12, p2 ext4) as a RAM disk: where the copies go,
 * the flags on disk, which copy loading picks, corrupt copies, and a power
 * cut at every block write of a save (the RAM disk's write budget). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include "images/image.h"
#include <arch/arch.h>
#include <boot/env_format.h>
#include <boot/env_store.h>
#include <cmd/shell.h>
#include <disk/blk.h>
#include <disk/part.h>
#include <drivers/pvcons.h>
#include <fs/fs.h>
#include <init/main.h>
#include <lib/crc32.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/console.h>
#include <sim/sim.h>

#define VARS 12 /* of about 1 KiB each: a copy spans most of its 32 sectors */

static struct blk_ram ram;
static struct dtinfo dt;
static uint8_t *disk, *pristine;
static size_t disk_size;
static struct fs fs;

/* Power back on: a fresh device over the same bytes (no cached lines), the
 * FAT partition mounted again. */
static void reboot(void)
{
	struct blk_part part;

	blk_unregister(&ram.dev);
	assert_int_equal(blk_ram_init(&ram, "ram0", disk, disk_size, 512, false), 0);
	assert_int_equal(blk_register(&ram.dev), 0);
	assert_int_equal(part_open("ram0:1", &part), 0);
	assert_int_equal(fs_mount(&fs, &part), 0);
	assert_int_equal(fs.kind, FS_KIND_FAT);
}

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_ramdisk(&ram, "disk", &disk, &disk_size)) {
		return -1;
	}
	pristine = malloc(disk_size);
	if (!pristine) {
		return -1;
	}
	memcpy(pristine, disk, disk_size);
	return 0;
}

static int teardown(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	free(pristine);
	sim_reset();
	return 0;
}

/* Each test starts from the disk as mkimg.sh built it. */
static int fresh(void **state)
{
	memcpy(disk, pristine, disk_size);
	reboot();
	env_clear();
	sim_console_output_clear();
	return 0;
}

/* The environment of generation @g: "gen=<g>" and VARS values full of @g. */
static void set_gen(char g)
{
	char v[1001], name[16], gen[2] = {g, 0};

	env_clear();
	assert_int_equal(env_set("gen", gen), 0);
	for (int i = 0; i < VARS; i++) {
		memset(v, g, 1000);
		v[1000] = '\0';
		v[i] = '0' + (char)i;
		snprintf(name, sizeof(name), "v%02d", i);
		assert_int_equal(env_set(name, v), 0);
	}
}

/* Which generation the environment is exactly ('D': the stand-in for the
 * defaults, '?': anything else, such as a mix). fdtcontroladdr is set from
 * the DT by every load; it must be the DT's address. */
static char gen_of_env(void)
{
	char want[24], g;

	snprintf(want, sizeof(want), "%llx", (unsigned long long)arch_virt_to_phys(dt.fdt));
	if (env_get("fdtcontroladdr")) {
		assert_string_equal(env_get("fdtcontroladdr"), want);
		assert_int_equal(env_set("fdtcontroladdr", NULL), 0);
	}
	if (env_count() == 1 && env_get("defaults")) {
		return 'D';
	}
	if (!env_get("gen") || env_count() != VARS + 1) {
		return '?';
	}
	g = env_get("gen")[0];
	set_gen(g);
	return g;
}

/* Load into an environment holding only the defaults' stand-in. */
static int load(void)
{
	env_clear();
	assert_int_equal(env_set("defaults", "1"), 0);
	return env_store_load_fs(&fs);
}

static void save_gen(char g)
{
	set_gen(g);
	assert_int_equal(env_store_save_fs(&fs), 0);
}

/* The flags byte and validity of a copy as stored. */
static struct env_copy read_copy(const char *path, uint8_t *buf)
{
	struct env_copy c;
	uint64_t size;
	size_t n;

	assert_int_equal(fs_size(&fs, path, &size), 0);
	assert_int_equal(size, ENV_STORE_SIZE);
	assert_int_equal(fs_read(&fs, path, buf, 0, ENV_STORE_SIZE, &n), 0);
	assert_int_equal(n, ENV_STORE_SIZE);
	if (env_format_validate(buf, ENV_STORE_SIZE, &c)) {
		c.is_valid = false; /* the callers check */
	}
	return c;
}

static uint8_t cbuf[ENV_STORE_SIZE];

static void assert_copy(const char *path, uint8_t flags, char gen)
{
	struct env_copy c = read_copy(path, cbuf);

	assert_true(c.is_valid && c.is_redundant);
	assert_int_equal(c.flags, flags);
	assert_memory_equal(cbuf + 5, "gen=", 4);
	assert_int_equal(cbuf[9], gen);
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what)) {
		n++;
	}
	return n;
}

static void test_nothing_saved(void **state)
{
	assert_int_equal(load(), -ENOENT);
	assert_int_equal(gen_of_env(), 'D');
	assert_string_equal(sim_console_output(NULL), "");
}

/* The first save creates both copies (so a two-line fw_env.config works at
 * once); then saves alternate, each one flags + 1. */
static void test_save_alternates(void **state)
{
	struct fat_item before, after;

	save_gen('A');
	assert_copy(ENV_STORE_FILE, 1, 'A');
	assert_copy(ENV_STORE_FILE_REDUND, 2, 'A');
	assert_int_equal(fat_lookup(&fs.u.fat, ENV_STORE_FILE, &before), 0);
	/* In place: the data sectors of one copy and nothing else. */
	uint64_t blocks = ram.blocks_written;
	save_gen('B');
	assert_int_equal(ram.blocks_written - blocks, ENV_STORE_SIZE / 512);
	assert_int_equal(fat_lookup(&fs.u.fat, ENV_STORE_FILE, &after), 0);
	assert_int_equal(after.cluster, before.cluster);
	assert_copy(ENV_STORE_FILE, 3, 'B');
	assert_copy(ENV_STORE_FILE_REDUND, 2, 'A');
	save_gen('C');
	assert_copy(ENV_STORE_FILE, 3, 'B');
	assert_copy(ENV_STORE_FILE_REDUND, 4, 'C');
	reboot();
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'C');
	assert_string_equal(sim_console_output(NULL), "");
}

/* Write a copy of generation @g with @flags by hand. */
static void put_copy(const char *path, char g, uint8_t flags)
{
	set_gen(g);
	assert_int_equal(env_format_export(cbuf, ENV_STORE_SIZE, flags), 0);
	assert_int_equal(fs_write(&fs, path, cbuf, ENV_STORE_SIZE), 0);
}

static void test_flags_wrap(void **state)
{
	put_copy(ENV_STORE_FILE, 'A', 254);
	put_copy(ENV_STORE_FILE_REDUND, 'B', 255);
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'B');
	save_gen('C'); /* over the older copy, 255 + 1 wrapping to 0 */
	assert_copy(ENV_STORE_FILE, 0, 'C');
	reboot();
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'C'); /* 0 after 255 is newer */
	save_gen('D');
	assert_copy(ENV_STORE_FILE_REDUND, 1, 'D');
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'D');
}

/* Flip one byte inside the data of @path, in place. */
static void damage(const char *path, uint64_t offset)
{
	uint8_t b;
	size_t n;

	assert_int_equal(fs_read(&fs, path, &b, offset, 1, &n), 0);
	b ^= 0x40;
	assert_int_equal(fs_overwrite(&fs, path, offset, &b, 1), 0);
}

static void test_one_copy_corrupt(void **state)
{
	save_gen('A'); /* both A (1, 2) */
	save_gen('B'); /* uboot.env B (3), uboot-redund.env A (2) */
	damage(ENV_STORE_FILE, 3000);
	sim_console_output_clear();
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'A');
	/* A torn copy is the normal state after a power cut: no warning. */
	assert_string_equal(sim_console_output(NULL), "");
	/* The next save repairs the damaged copy (the older one now). */
	save_gen('C');
	assert_copy(ENV_STORE_FILE, 3, 'C');
	/* The CRC does not cover the flags byte (U-Boot's format): damage
	 * shows only in the data. */
	damage(ENV_STORE_FILE_REDUND, 5);
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'C');
}

static void test_both_corrupt(void **state)
{
	save_gen('A');
	damage(ENV_STORE_FILE, 100);
	damage(ENV_STORE_FILE_REDUND, 0);
	sim_console_output_clear();
	assert_int_equal(load(), -EILSEQ);
	assert_int_equal(gen_of_env(), 'D'); /* unchanged: the defaults */
	const char *out = sim_console_output(NULL);
	assert_int_equal(count_of(out, "warning"), 1);
	assert_int_equal(count_of(out, "\n"), 1);
	assert_non_null(strstr(out, "uboot.env: bad CRC; uboot-redund.env: bad CRC"));
	assert_non_null(strstr(out, "using default environment"));
	/* Saving starts again from flags 1, over uboot.env. */
	save_gen('B');
	assert_copy(ENV_STORE_FILE, 1, 'B');
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'B');
}

/* A copy whose CRC is right but whose content is not: refused whole. */
static void test_bad_content(void **state)
{
	put_copy(ENV_STORE_FILE, 'A', 1);
	/* env_set() refuses such a name, so it goes in by hand. */
	memcpy(cbuf + 5, "b@d=1", 5);
	struct env_copy c;
	assert_int_equal(env_format_validate(cbuf, ENV_STORE_SIZE, &c), -EILSEQ);
	/* Re-seal the CRC over the bad entry. */
	uint32_t crc = crc32_update(0, cbuf + 5, ENV_STORE_SIZE - 5);
	for (int i = 0; i < 4; i++) {
		cbuf[i] = (uint8_t)(crc >> (8 * i));
	}
	assert_int_equal(fs_write(&fs, ENV_STORE_FILE_REDUND, cbuf, ENV_STORE_SIZE), 0);
	sim_console_output_clear();
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'A'); /* the good copy, though older */
	damage(ENV_STORE_FILE, 50);
	assert_int_equal(load(), -EILSEQ);
	assert_int_equal(gen_of_env(), 'D');
	assert_non_null(strstr(sim_console_output(NULL),
			       "uboot-redund.env: bad entry or variable name at offset 0x5"));
}

/* fw_setenv with one FILE line writes U-Boot's single layout (no flags). */
static void test_single_copy(void **state)
{
	static const char data[] = "gen=S\0";
	uint32_t crc;

	memset(cbuf, 0, sizeof(cbuf));
	memcpy(cbuf + 4, data, sizeof(data));
	crc = crc32_update(0, cbuf + 4, ENV_STORE_SIZE - 4);
	for (int i = 0; i < 4; i++) {
		cbuf[i] = (uint8_t)(crc >> (8 * i));
	}
	assert_int_equal(fs_write(&fs, ENV_STORE_FILE, cbuf, ENV_STORE_SIZE), 0);
	assert_int_equal(load(), 0);
	assert_string_equal(env_get("gen"), "S");
	/* Saving keeps it and adds the redundant copy beside it. */
	save_gen('A');
	assert_copy(ENV_STORE_FILE_REDUND, 1, 'A');
	assert_false(read_copy(ENV_STORE_FILE, cbuf).is_redundant);
	assert_int_equal(load(), 0);
	assert_int_equal(gen_of_env(), 'A');
	save_gen('B'); /* now over uboot.env, in the redundant layout */
	assert_copy(ENV_STORE_FILE, 2, 'B');
}

/* A copy of another size (fw_env.config with another SIZE) is not used,
 * with a warning that says why; a save replaces it. */
static void test_wrong_size(void **state)
{
	env_clear();
	assert_int_equal(env_set("gen", "A"), 0);
	assert_int_equal(env_format_export(cbuf, 0x2000, 1), 0);
	assert_int_equal(fs_write(&fs, ENV_STORE_FILE, cbuf, 0x2000), 0);
	sim_console_output_clear();
	assert_int_equal(load(), -EFBIG);
	assert_non_null(strstr(sim_console_output(NULL),
			       "uboot.env: size 0x2000, not 0x4000; uboot-redund.env: missing"));
	save_gen('B');
	assert_copy(ENV_STORE_FILE, 1, 'B');
	assert_copy(ENV_STORE_FILE_REDUND, 2, 'B');
}

/* Cut the power after every possible number of written blocks of a save of
 * generation B, starting from the disk @before; loading afterwards must give
 * @old or B, and a later save must still work. Returns how many cuts gave
 * the old environment. */
static unsigned int power_cut_sweep(const uint8_t *before, char old)
{
	uint64_t total;
	unsigned int olds = 0;

	memcpy(disk, before, disk_size);
	reboot();
	total = ram.blocks_written;
	save_gen('B');
	total = ram.blocks_written - total;
	assert_true(total >= ENV_STORE_SIZE / 512);
	for (uint64_t n = 0; n <= total; n++) {
		memcpy(disk, before, disk_size);
		reboot();
		set_gen('B');
		ram.has_write_budget = true;
		ram.write_budget = n;
		int rc = env_store_save_fs(&fs);
		ram.has_write_budget = false;
		reboot();
		(void)load();
		char g = gen_of_env();
		if (g != old && g != 'B') {
			fail_msg("cut after %llu of %llu blocks: got '%c', want '%c' or 'B'",
				 (unsigned long long)n, (unsigned long long)total, g, old);
		}
		if (n == total) {
			assert_int_equal(rc, 0);
			assert_int_equal(g, 'B');
		}
		olds += g == old;
		save_gen('C');
		reboot();
		assert_int_equal(load(), 0);
		assert_int_equal(gen_of_env(), 'C');
	}
	return olds;
}

static void test_power_cut(void **state)
{
	uint8_t *before = malloc(disk_size);

	assert_non_null(before);
	/* Nothing saved yet: the save creates both files. */
	memcpy(before, disk, disk_size);
	assert_true(power_cut_sweep(before, 'D') > 0);
	/* Both copies there, the older one (Z) being rewritten in place. */
	memcpy(disk, pristine, disk_size);
	reboot();
	save_gen('Z');
	save_gen('A'); /* uboot.env A (3), uboot-redund.env Z (2) */
	memcpy(before, disk, disk_size);
	unsigned int olds = power_cut_sweep(before, 'A');
	assert_true(olds > 0 && olds < ENV_STORE_SIZE / 512 + 1);
	/* Only uboot.env: the save creates uboot-redund.env. */
	memcpy(disk, pristine, disk_size);
	reboot();
	save_gen('A');
	assert_int_equal(fs_unlink(&fs, ENV_STORE_FILE_REDUND), 0);
	memcpy(before, disk, disk_size);
	assert_true(power_cut_sweep(before, 'A') > 0);
	free(before);
}

/* Run @line (copied: the shell writes into it); the output so far is
 * dropped first. */
static int run(const char *line)
{
	char buf[SHELL_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	sim_console_output_clear();
	return shell_run_line(buf);
}

static bool out_has(const char *text)
{
	return strstr(sim_console_output(NULL), text) != NULL;
}

static void test_commands(void **state)
{
	/* The distro scan's variables name the boot disk: blk 0 is ram0. */
	assert_int_equal(run("setenv devtype blk; setenv devnum 0; setenv foo bar"), 0);
	assert_int_equal(run("saveenv"), 0);
	assert_true(out_has("Saving Environment to FAT... OK\r\n"));
	struct env_copy c = read_copy(ENV_STORE_FILE_REDUND, cbuf);
	assert_true(c.is_valid && c.is_redundant && c.flags == 2);
	assert_memory_equal(cbuf + 5, "devnum=0\0devtype=blk\0foo=bar\0", 30); /* sorted */
	assert_int_equal(run("env set foo baz qux"), 0);
	assert_int_equal(run("env print foo"), 0);
	assert_true(out_has("foo=baz qux\r\n"));
	assert_int_equal(run("env save"), 0);
	assert_true(out_has("Saving Environment to FAT... OK\r\n"));
	assert_int_equal(run("env exists foo"), 0);
	assert_int_equal(run("env exists nosuch"), 2);
	assert_string_equal(sim_console_output(NULL), ""); /* silent, like test */
	assert_int_equal(run("env delete foo"), 0);
	assert_int_equal(run("env exists foo"), 2);
	assert_int_equal(run("env delete foo"), 2);
	assert_true(out_has("## Error: \"foo\" not defined"));
	assert_int_equal(run("env print"), 0);
	assert_true(out_has("devtype=blk\r\n"));
	/* The defaults, and nothing else. */
	assert_int_equal(run("env default -a"), 0);
	assert_true(out_has("## Resetting to default environment"));
	assert_null(env_get("devtype"));
	assert_string_equal(env_get("bootdelay"), "1");
	assert_int_equal(run("env default"), 1);
	assert_int_equal(run("env frob"), 1);
	assert_int_equal(run("saveenv now"), 1);
	/* What start-up does: the boot disk's saved environment comes back. */
	assert_int_equal(env_set("devtype", "blk"), 0);
	assert_int_equal(env_set("devnum", "0"), 0);
	assert_int_equal(env_store_load(), 0);
	assert_string_equal(env_get("foo"), "baz qux");
	/* No such disk, or a disk without FAT: silent, nothing changes. */
	assert_int_equal(env_set("devnum", "5"), 0);
	sim_console_output_clear();
	assert_int_equal(env_store_load(), -ENODEV);
	assert_int_equal(run("saveenv"), -ENODEV);
	assert_true(out_has("Saving Environment to FAT... failed: no boot disk"));
	assert_string_equal(env_get("foo"), "baz qux");
}

static void test_no_fat(void **state)
{
	static uint8_t blank[1 << 20];
	static struct blk_ram ram2;

	assert_int_equal(blk_ram_init(&ram2, "ram1", blank, sizeof(blank), 512, false), 0);
	assert_int_equal(blk_register(&ram2.dev), 0);
	assert_int_equal(env_set("devtype", "blk"), 0);
	assert_int_equal(env_set("devnum", "1"), 0);
	sim_console_output_clear();
	assert_int_equal(env_store_load(), -ENOENT);
	assert_string_equal(sim_console_output(NULL), "");
	assert_int_equal(run("saveenv"), -ENOENT);
	assert_true(out_has("failed: ram1 has no FAT partition"));
	/* The environment too big for a copy: refused before anything is written. */
	assert_int_equal(env_set("devnum", "0"), 0);
	for (int i = 0; i < 20; i++) {
		char name[16], v[1001];

		memset(v, 'x', 1000);
		v[1000] = '\0';
		snprintf(name, sizeof(name), "big%d", i);
		assert_int_equal(env_set(name, v), 0);
	}
	uint64_t blocks = ram.blocks_written;
	assert_int_equal(run("saveenv"), -ENOSPC);
	assert_true(out_has("failed: the environment is larger than 0x4000 bytes"));
	assert_int_equal(ram.blocks_written, blocks);
	blk_unregister(&ram2.dev);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_nothing_saved, fresh),
	    cmocka_unit_test_setup(test_save_alternates, fresh),
	    cmocka_unit_test_setup(test_flags_wrap, fresh),
	    cmocka_unit_test_setup(test_one_copy_corrupt, fresh),
	    cmocka_unit_test_setup(test_both_corrupt, fresh),
	    cmocka_unit_test_setup(test_bad_content, fresh),
	    cmocka_unit_test_setup(test_single_copy, fresh),
	    cmocka_unit_test_setup(test_wrong_size, fresh),
	    cmocka_unit_test_setup(test_power_cut, fresh),
	    cmocka_unit_test_setup(test_commands, fresh),
	    cmocka_unit_test_setup(test_no_fat, fresh),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
