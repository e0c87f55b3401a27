/* drivers/block/, unmodified, against sim/blkback.c: negotiation, the data
 * path with and without each feature, 4 KiB sectors, read-only disks, every
 * backend fault knob, and a teardown that lets the next OS reconnect. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

static struct blkfront_info info_of(unsigned int index)
{
	struct blkfront_info in;

	blkfront_get_info(blkfront_get(index), &in);
	return in;
}

static void test_negotiates_everything(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_info in = info_of(0);

	assert_string_equal(in.name, "xvda");
	assert_true(in.sectors == DISK_SIZE / 512);
	assert_int_equal(in.sector_size, 512);
	assert_false(in.is_read_only);
	assert_int_equal(in.ring_pages, 4);
	assert_int_equal(in.ring_entries, 128);
	assert_int_equal(in.max_indirect_segs, 256);
	assert_int_equal(in.segs_per_request, 128);
	assert_true(in.has_persistent);
	assert_true(in.has_flush);
	assert_int_equal(sim_blkback_state(bb), XenbusStateConnected);
	assert_true(sim_blkback_is_mapped(bb));
}

static void test_read_whole_disk(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_stats before, after;

	blkfront_stats_get(&before);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, DISK_SIZE / 512, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, DISK_SIZE);
	blkfront_stats_get(&after);
	/* 4 MiB in 512 KiB indirect requests, several on the ring at once. */
	assert_true(after.requests - before.requests == DISK_SIZE / (128 * 4096));
	assert_true(sim_blkback_stats(bb)->indirect_requests == DISK_SIZE / (128 * 4096));
	assert_true(sim_blkback_stats(bb)->max_pending > 1);
	/* Persistent grants: pool pages mapped once, then reused. */
	assert_true(sim_blkback_stats(bb)->persistent_grants <= BF_POOL_PAGES + BF_MAX_IN_FLIGHT);
	assert_true(after.notifies - before.notifies < after.requests - before.requests);
}

static void test_unaligned_buffer(void **state)
{
	one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);

	/* Any byte alignment, any sector, any length in sectors. */
	assert_int_equal(blkfront_read(dev, 3, 1000, guest_buf(3)), 0);
	assert_memory_equal(guest_buf(3), image + 3 * 512, 1000 * 512);
	assert_int_equal(blkfront_read(dev, DISK_SIZE / 512 - 1, 1, guest_buf(0x100001)), 0);
	assert_memory_equal(guest_buf(0x100001), image + DISK_SIZE - 512, 512);
}

static void test_write_then_read_back(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);
	uint8_t *src = guest_buf(0x200000 + 5);

	fill_pattern(src, 300 * 512, 99);
	assert_int_equal(blkfront_write(dev, 17, 300, src), 0);
	assert_memory_equal(image + 17 * 512, src, 300 * 512);
	assert_int_equal(blkfront_read(dev, 17, 300, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), src, 300 * 512);
	/* Shutdown flushes what was written, and leaves no watch behind
	 * (a probe after it takes a new one; XenStore has few slots). */
	assert_true(sim_xs_stats()->watches > 0);
	assert_int_equal(blkfront_shutdown_all(), 0);
	assert_true(sim_blkback_stats(bb)->flushes == 1);
	assert_int_equal(sim_xs_stats()->watches, 0);
}

static void test_read_only(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);

	cfg.is_read_only = true;
	one_disk(cfg);
	assert_true(info_of(0).is_read_only);
	assert_int_equal(blkfront_write(blkfront_get(0), 0, 8, guest_buf(0)), -EROFS);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 8, guest_buf(0)), 0);
}

static void test_read_only_info_bit(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);

	cfg.is_info_ro = true;
	one_disk(cfg);
	assert_true(info_of(0).is_read_only);
	assert_int_equal(blkfront_write(blkfront_get(0), 0, 8, guest_buf(0)), -EROFS);
}

static void test_sector_size_4096(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);

	cfg.sector_size = 4096;
	one_disk(cfg);
	struct blkfront_dev *dev = blkfront_get(0);
	/* sectors stays in 512-byte units; requests must be whole 4 KiB blocks. */
	assert_true(info_of(0).sectors == DISK_SIZE / 512);
	assert_int_equal(info_of(0).sector_size, 4096);
	assert_int_equal(blkfront_read(dev, 1, 8, guest_buf(0)), -EINVAL);
	assert_int_equal(blkfront_read(dev, 8, 4, guest_buf(0)), -EINVAL);
	assert_int_equal(blkfront_read(dev, 8 * 5, 8 * 70, guest_buf(7)), 0);
	assert_memory_equal(guest_buf(7), image + 5 * 4096, 70 * 4096);
	struct blk_dev *b = blk_find("xvda");
	assert_non_null(b);
	assert_int_equal(b->block_size, 4096);
	assert_true(b->block_count == DISK_SIZE / 4096);
}

/* A backend like U-Boot's peers expect: one page, 11 segments, no persistence. */
static void test_minimal_backend(void **state)
{
	struct sim_blkback_config cfg = {.vdev = XVDA, .image_size = DISK_SIZE};
	struct blkfront_stats before, after;

	struct sim_blkback *bb = one_disk(cfg);
	struct blkfront_info in = info_of(0);
	assert_int_equal(in.ring_pages, 1);
	assert_int_equal(in.max_indirect_segs, 0);
	assert_false(in.has_persistent);
	assert_int_equal(in.segs_per_request, 11);
	blkfront_stats_get(&before);
	/* Page-aligned: the caller's pages are granted, nothing is copied. */
	assert_int_equal(blkfront_read(blkfront_get(0), 0, DISK_SIZE / 512, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, DISK_SIZE);
	blkfront_stats_get(&after);
	assert_true(after.copied_bytes == before.copied_bytes);
	assert_true(after.direct_pages - before.direct_pages == DISK_SIZE / 4096);
	assert_int_equal(sim_blkback_stats(bb)->indirect_requests, 0);
	assert_true(sim_blkback_stats(bb)->max_pending > 1);
	/* Unaligned: through the pool, still correct. */
	assert_int_equal(blkfront_write(blkfront_get(0), 9, 33, guest_buf(0x300011)), 0);
	assert_memory_equal(image + 9 * 512, guest_buf(0x300011), 33 * 512);
	/* No flush or barrier: flushing is a no-op that succeeds. */
	assert_int_equal(blkfront_flush(blkfront_get(0)), 0);
	assert_int_equal(sim_blkback_stats(bb)->flushes, 0);
}

static void test_barrier_when_no_flush(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);

	cfg.has_flush = false;
	cfg.has_barrier = true;
	struct sim_blkback *bb = one_disk(cfg);
	assert_int_equal(blkfront_flush(blkfront_get(0)), 0);
	assert_int_equal(sim_blkback_stats(bb)->flushes, 1);
}

/* Each fault breaks the device with -EIO (or -ETIMEDOUT), and it stays broken. */
static void check_fault(enum sim_blkback_fault fault, int want)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);

	/* 3 MiB: six 512 KiB requests; the third goes wrong. */
	sim_blkback_fault(bb, fault, 2, 1);
	assert_int_equal(blkfront_read(dev, 0, 6144, guest_buf(0)), want);
	assert_int_equal(blkfront_read(dev, 0, 8, guest_buf(0)), -EIO);
	assert_true(info_of(0).is_broken);
}

static void test_fault_wrong_id(void **state)
{
	check_fault(SIM_BB_WRONG_ID, -EIO);
}

static void test_fault_dup_id(void **state)
{
	check_fault(SIM_BB_DUP_ID, -EIO);
}

static void test_fault_bad_status(void **state)
{
	check_fault(SIM_BB_BAD_STATUS, -EIO);
}

static void test_fault_bad_op(void **state)
{
	check_fault(SIM_BB_BAD_OP, -EIO);
}

static void test_fault_prod_jump(void **state)
{
	check_fault(SIM_BB_PROD_JUMP, -EIO);
}

static void test_fault_stall(void **state)
{
	check_fault(SIM_BB_STALL, -ETIMEDOUT);
}

/* An honest I/O error fails the call but not the device. */
static void test_io_error_not_broken(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);

	sim_blkback_fault(bb, SIM_BB_IO_ERROR, 0, 1);
	assert_int_equal(blkfront_read(dev, 0, 2048, guest_buf(0)), -EIO);
	assert_false(info_of(0).is_broken);
	assert_int_equal(blkfront_read(dev, 0, 2048, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, 2048 * 512);
}

/* Lost events: the bounded sleep still finds the responses. */
static void test_no_notify(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));

	sim_blkback_fault(bb, SIM_BB_NO_NOTIFY, 0, 1000);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 2048, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, 2048 * 512);
}

static void test_range_checks(void **state)
{
	one_disk(full_cfg(XVDA, NULL));
	struct blkfront_dev *dev = blkfront_get(0);

	assert_int_equal(blkfront_read(dev, DISK_SIZE / 512, 1, guest_buf(0)), -EINVAL);
	assert_int_equal(blkfront_read(dev, DISK_SIZE / 512 - 1, 2, guest_buf(0)), -EINVAL);
	assert_int_equal(blkfront_read(dev, UINT64_MAX, 2, guest_buf(0)), -EINVAL);
	assert_int_equal(blkfront_read(dev, 0, 0, guest_buf(0)), 0);
}

/* After shutdown the backend is at InitWait, our keys are gone, every grant
 * is ended and the port closed: a new frontend (here: us again) connects. */
static void test_teardown_and_reconnect(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));
	char path[128], value[32];
	struct grant_entry_v1 e;
	struct blkfront_dev *dev = blkfront_get(0);
	grant_ref_t ring0 = dev->ring_refs[0], pool0;
	evtchn_port_t port = dev->port;

	assert_int_equal(blkfront_read(dev, 0, 64, guest_buf(0)), 0);
	pool0 = dev->pool_refs[0];
	assert_int_equal(blkfront_shutdown_all(), 0);
	assert_int_equal(sim_blkback_state(bb), XenbusStateInitWait);
	assert_false(sim_blkback_is_mapped(bb));
	assert_int_equal(blkfront_count(), 0);
	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/state", SIM_GUEST_DOMID, XVDA);
	assert_int_equal(sim_xs_read(path, value, sizeof(value)), 0);
	assert_string_equal(value, "1");
	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/ring-ref0", SIM_GUEST_DOMID,
		 XVDA);
	assert_false(sim_xs_exists(path));
	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/event-channel",
		 SIM_GUEST_DOMID, XVDA);
	assert_false(sim_xs_exists(path));
	assert_int_equal(sim_gnttab_entry(ring0, &e), 0);
	assert_int_equal(e.flags, 0);
	assert_int_equal(sim_gnttab_entry(pool0, &e), 0);
	assert_int_equal(e.flags, 0);
	assert_false(sim_evtchn_is_open(port));
	assert_null(blk_find("xvda"));
	/* Every shared page went back to the heap. */
	assert_int_equal(sim_heap_used(), 0);

	assert_int_equal(blkfront_probe_all(), 1);
	assert_int_equal(sim_blkback_stats(bb)->connects, 2);
	assert_int_equal(blkfront_read(blkfront_get(0), 8, 64, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image + 8 * 512, 64 * 512);
}

static void test_two_disks(void **state)
{
	struct sim_blkback_config a = full_cfg(XVDA, NULL), b = full_cfg(XVDB, NULL);

	assert_int_equal(world_up(), 0);
	a.image = image;
	b.image = image2;
	b.is_read_only = true;
	assert_non_null(sim_blkback_add(&a));
	assert_non_null(sim_blkback_add(&b));
	assert_int_equal(blkfront_probe_all(), 2);
	struct blkfront_dev *da = blkfront_find("xvda"), *db = blkfront_find("xvdb");
	assert_non_null(da);
	assert_non_null(db);
	assert_int_equal(blkfront_read(db, 16, 16, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image2 + 16 * 512, 16 * 512);
	assert_int_equal(blkfront_write(db, 0, 1, guest_buf(0)), -EROFS);
	/* Probing again connects nothing twice. */
	assert_int_equal(blkfront_probe_all(), 2);
	/* Both reach the block layer, which reads through us. */
	struct blk_dev *bd = blk_find("xvdb");
	assert_non_null(bd);
	assert_true(bd->is_read_only);
	assert_int_equal(blk_read(bd, 1000, 3000, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image2 + 1000, 3000);
}

static void test_vdev_names(void **state)
{
	struct sim_blkback_config a = full_cfg((1u << 28) | (30u << 8), NULL);
	struct sim_blkback_config b = full_cfg((8u << 8) | (2u << 4), NULL);

	assert_int_equal(world_up(), 0);
	a.is_vdev_ext = true;
	a.image = image;
	b.image = image2;
	assert_non_null(sim_blkback_add(&a));
	assert_non_null(sim_blkback_add(&b));
	assert_int_equal(blkfront_probe_all(), 2);
	assert_non_null(blkfront_find("xvdae"));
	assert_non_null(blkfront_find("sdc"));
}

static void test_segment_cap(void **state)
{
	struct sim_blkback *bb = one_disk(full_cfg(XVDA, NULL));

	blkfront_set_max_segments(32);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 2048, guest_buf(0)), 0);
	assert_int_equal(sim_blkback_stats(bb)->indirect_requests, 8);
	assert_memory_equal(guest_buf(0), image, 2048 * 512);
}

/* Our keys go in one transaction; a commit that loses a race is retried. */
static void test_transaction_eagain(void **state)
{
	struct sim_blkback_config cfg = full_cfg(XVDA, NULL);

	assert_int_equal(world_up(), 0);
	cfg.image = image;
	assert_non_null(sim_blkback_add(&cfg));
	sim_xs_fault(SIM_XS_TX_EAGAIN, 3);
	assert_int_equal(blkfront_probe_all(), 1);
	assert_true(sim_xs_stats()->eagain >= 3);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 8, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, 8 * 512);
}

/* Not offering persistent grants: the caller's aligned pages are granted. */
static void test_persistent_not_offered(void **state)
{
	struct blkfront_stats before, after;

	assert_int_equal(world_up(), 0);
	struct sim_blkback_config cfg = full_cfg(XVDA, image);
	struct sim_blkback *bb = sim_blkback_add(&cfg);
	blkfront_set_persistent(false);
	assert_int_equal(blkfront_probe_all(), 1);
	assert_false(info_of(0).has_persistent);
	blkfront_stats_get(&before);
	assert_int_equal(blkfront_read(blkfront_get(0), 0, 4096, guest_buf(0)), 0);
	assert_memory_equal(guest_buf(0), image, 4096 * 512);
	blkfront_stats_get(&after);
	assert_true(after.direct_pages - before.direct_pages == 4096 / 8);
	assert_int_equal(sim_blkback_stats(bb)->persistent_grants, 0);
	/* Every direct grant was ended once the backend answered. */
	assert_int_equal(blkfront_shutdown_all(), 0);
}

static char out[1 << 16];
static size_t out_len;

static void capture_write(const char *buf, size_t len)
{
	len = len < sizeof(out) - 1 - out_len ? len : sizeof(out) - 1 - out_len;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

static size_t capture_read(char *buf, size_t size, uint64_t deadline_ns)
{
	return 0;
}

static const struct console_ops capture_ops = {.write = capture_write, .read = capture_read};

/* Run one shell command line (space-separated words) and return its output. */
static const char *run_cmd(char *line, int *rc)
{
	char *argv[8];
	int argc = 0;

	for (char *w = strtok(line, " "); w && argc < 8; w = strtok(NULL, " ")) {
		argv[argc++] = w;
	}
	out_len = 0;
	out[0] = '\0';
	*rc = cmd_find(argv[0])->run(argc, argv);
	return out;
}

/* The commands a lab script drives: U-Boot's spelling, hex numbers. */
static void test_pvblock_and_crc32_commands(void **state)
{
	struct sim_blkback_config a = full_cfg(XVDA, NULL), b = full_cfg(XVDB, NULL);
	char line[128], want[64];
	int rc;

	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt);
	console_set(&capture_ops);
	a.image = image;
	b.image = image2;
	b.is_read_only = true;
	assert_non_null(sim_blkback_add(&a));
	assert_non_null(sim_blkback_add(&b));
	strcpy(line, "pvblock scan");
	assert_non_null(strstr(run_cmd(line, &rc), "1: xvdb"));
	assert_int_equal(rc, 0);
	strcpy(line, "pvblock read 0x49000003 0x10 0x20");
	assert_non_null(strstr(run_cmd(line, &rc), "32 blocks read: OK"));
	assert_int_equal(rc, 0);
	assert_memory_equal(guest_buf(3), image + 16 * 512, 32 * 512);
	strcpy(line, "crc32 49000003 4000");
	run_cmd(line, &rc);
	snprintf(want, sizeof(want), "==> %08lx",
		 (unsigned long)crc32(0, image + 16 * 512, 32 * 512));
	assert_non_null(strstr(out, want));
	strcpy(line, "pvblock dev xvdb");
	run_cmd(line, &rc);
	strcpy(line, "pvblock write 49000000 0 1");
	assert_non_null(strstr(run_cmd(line, &rc), "read-only, write refused"));
	assert_int_equal(rc, -EROFS);
	strcpy(line, "pvblock read 0x1000 0 1");
	run_cmd(line, &rc);
	assert_int_equal(rc, -EFAULT);
	strcpy(line, "pvblock shutdown");
	assert_non_null(strstr(run_cmd(line, &rc), "shutdown OK"));
	console_set(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_negotiates_everything, teardown),
	    cmocka_unit_test_teardown(test_read_whole_disk, teardown),
	    cmocka_unit_test_teardown(test_unaligned_buffer, teardown),
	    cmocka_unit_test_teardown(test_write_then_read_back, teardown),
	    cmocka_unit_test_teardown(test_read_only, teardown),
	    cmocka_unit_test_teardown(test_read_only_info_bit, teardown),
	    cmocka_unit_test_teardown(test_sector_size_4096, teardown),
	    cmocka_unit_test_teardown(test_minimal_backend, teardown),
	    cmocka_unit_test_teardown(test_barrier_when_no_flush, teardown),
	    cmocka_unit_test_teardown(test_fault_wrong_id, teardown),
	    cmocka_unit_test_teardown(test_fault_dup_id, teardown),
	    cmocka_unit_test_teardown(test_fault_bad_status, teardown),
	    cmocka_unit_test_teardown(test_fault_bad_op, teardown),
	    cmocka_unit_test_teardown(test_fault_prod_jump, teardown),
	    cmocka_unit_test_teardown(test_fault_stall, teardown),
	    cmocka_unit_test_teardown(test_io_error_not_broken, teardown),
	    cmocka_unit_test_teardown(test_no_notify, teardown),
	    cmocka_unit_test_teardown(test_range_checks, teardown),
	    cmocka_unit_test_teardown(test_teardown_and_reconnect, teardown),
	    cmocka_unit_test_teardown(test_two_disks, teardown),
	    cmocka_unit_test_teardown(test_vdev_names, teardown),
	    cmocka_unit_test_teardown(test_segment_cap, teardown),
	    cmocka_unit_test_teardown(test_transaction_eagain, teardown),
	    cmocka_unit_test_teardown(test_persistent_not_offered, teardown),
	    cmocka_unit_test_teardown(test_pvblock_and_crc32_commands, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
