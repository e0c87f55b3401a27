/* boot/env_store.c on a PV disk (drivers/block against sim/blkback.c): the
 * start-up path finds the first PV disk by itself, takes a whole-disk FAT
 * (no partition table), and flushes the backend's cache after each copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"
#include "images/image.h"
#include <boot/env_format.h>
#include <boot/env_store.h>
#include <disk/disk.h>
#include <lib/env.h>

static uint8_t *fat;
static size_t fat_size;

static struct sim_blkback *fat_disk(void)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);
	struct sim_blkback *bb;

	fat = img_load("fat12", &fat_size, NULL, 0);
	assert_non_null(fat);
	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt); /* for fdtcontroladdr */
	cfg.image = fat;
	cfg.image_size = fat_size;
	bb = sim_blkback_add(&cfg);
	assert_non_null(bb);
	return bb;
}

static int pv_teardown(void **state)
{
	free(fat);
	return teardown(state);
}

static void test_first_pv_disk(void **state)
{
	struct sim_blkback *bb = fat_disk();

	env_clear();
	/* Nothing saved: silence, nothing changes (and the disk got probed:
	 * this is the program's first test, so the first disk_probe()). */
	assert_int_equal(env_store_load(), -ENOENT);
	assert_int_equal(blkfront_count(), 1);
	assert_int_equal(env_set("foo", "bar"), 0);
	assert_int_equal(env_store_save(), 0);
	/* Two copies created, each flushed before the next is touched. */
	assert_int_equal(sim_blkback_stats(bb)->flushes, 2);
	env_clear();
	assert_int_equal(env_store_load(), 0);
	assert_string_equal(env_get("foo"), "bar");
	char want[24];
	snprintf(want, sizeof(want), "%llx", (unsigned long long)arch_virt_to_phys(dt.fdt));
	assert_string_equal(env_get("fdtcontroladdr"), want);
	assert_int_equal(env_set("foo", "baz"), 0);
	assert_int_equal(env_store_save(), 0);
	assert_int_equal(sim_blkback_stats(bb)->flushes, 3);
	/* What the backend holds is what a fresh start reads. */
	env_clear();
	assert_int_equal(env_store_load(), 0);
	assert_string_equal(env_get("foo"), "baz");
}

/* `$devtype $devnum` name a disk that is not there: nothing is touched. */
static void test_named_disk_missing(void **state)
{
	struct sim_blkback *bb = fat_disk();

	/* disk_probe() probes once per program: the first test used that up. */
	assert_int_equal(disk_rescan(), 1);
	env_clear();
	assert_int_equal(env_set("devtype", "pvblock"), 0);
	assert_int_equal(env_set("devnum", "1"), 0);
	assert_int_equal(env_store_save(), -ENODEV);
	assert_int_equal(sim_blkback_stats(bb)->flushes, 0);
	assert_int_equal(env_set("devnum", "0"), 0);
	assert_int_equal(env_store_save(), 0);
	assert_int_equal(sim_blkback_stats(bb)->flushes, 2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_first_pv_disk, pv_teardown),
	    cmocka_unit_test_teardown(test_named_disk_missing, pv_teardown),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
