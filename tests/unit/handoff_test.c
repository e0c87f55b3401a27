/* boot/handoff.c against the simulated Xen (issue 7 §2, §7): after
 * handoff_xen() the world is as Linux expects to find it, checked from the
 * sim's side; a backend that never closes and a XenStore that never answers
 * cost a bounded wait, are reported, and the rest of the handoff still runs. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blkfront_world.h"

#include <boot/handoff.h>
#include <drivers/pvcons.h>
#include <lib/memmap.h>
#include <lib/printf.h>
#include <sim/console.h>
#include <xen/abi/memory.h>
#include <xen/abi/xs_wire.h>

#define MS 1000000ULL
#define S (1000 * MS)

static evtchn_port_t ports[2];
static struct sim_blkback *bbs[2];

/* Two disks with I/O done on both (one written: a flush is due), a watch,
 * a transaction left open, console output and unread input. */
static void busy_world(void)
{
	struct sim_blkback_config c0 = full_cfg(XVDA, NULL), c1 = full_cfg(XVDB, NULL);

	assert_int_equal(world_up(), 0);
	dtinfo_set(&dt);
	memmap_reset();
	assert_int_equal(pvcons_init_from_hvm(), 0);
	c0.image = image;
	c1.image = image2;
	c1.has_persistent = false; /* one disk in direct mode */
	bbs[0] = sim_blkback_add(&c0);
	bbs[1] = sim_blkback_add(&c1);
	assert_int_equal(blkfront_probe_all(), 2);
	for (unsigned int i = 0; i < 2; i++) {
		struct blkfront_dev *dev = blkfront_get(i);
		ports[i] = dev->port;
		assert_int_equal(blkfront_read(dev, 0, 1024, guest_buf(0)), 0);
	}
	/* The whole disk through the pool: the grant table grows a frame. */
	assert_int_equal(blkfront_read(blkfront_get(0), 0, DISK_SIZE / 512, guest_buf(0)), 0);
	assert_true(gnttab_frames_mapped() >= 2);
	assert_int_equal(blkfront_write(blkfront_get(0), 8, 8, guest_buf(0)), 0);
	assert_int_equal(xs_watch("control/shutdown", "boot-watch"), 0);
	xs_tx_t tx;
	assert_int_equal(xs_transaction_start(&tx), 0);
	assert_int_equal(sim_xs_stats()->watches, 3); /* ours and one per disk */
	assert_int_equal(sim_xs_stats()->transactions, 1);
	assert_true(sim_gnttab_active_count() > 0);
	xb_printf("=> boot\n");
	assert_int_equal(sim_console_input("x", 1), 1);
	sim_wait(arch_time_ns() + MS);
}

static int handoff_teardown(void **state)
{
	memmap_reset();
	console_set(NULL);
	return teardown(state);
}

/* "device/vbd/N" of the guest: frontend Initialising, backend InitWait,
 * none of our connection keys left. */
static void check_vbd_reset(unsigned int vdev)
{
	static const char *const keys[] = {"ring-ref", "ring-ref0", "ring-page-order",
					   "event-channel"};
	char path[128], value[16];

	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/state", SIM_GUEST_DOMID, vdev);
	assert_int_equal(sim_xs_read(path, value, sizeof(value)), 0);
	assert_string_equal(value, "1");
	snprintf(path, sizeof(path), "/local/domain/0/backend/vbd/%u/%u/state", SIM_GUEST_DOMID,
		 vdev);
	assert_int_equal(sim_xs_read(path, value, sizeof(value)), 0);
	assert_string_equal(value, "2");
	for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/%s", SIM_GUEST_DOMID,
			 vdev, keys[i]);
		assert_false(sim_xs_exists(path));
	}
}

/* What holds after every handoff, clean or not. */
static void check_unmapped_and_ports(void)
{
	assert_true(sim_shinfo_gfn() == ~0ULL);
	assert_int_equal(sim_gnttab_frames_mapped(), 0);
	assert_int_equal(sim_ram_hole_count(), 0);
	assert_false(sim_evtchn_is_open(ports[0]));
	assert_false(sim_evtchn_is_open(ports[1]));
	assert_true(sim_evtchn_is_open(SIM_CONSOLE_PORT));
	assert_true(sim_evtchn_is_open(SIM_STORE_PORT));
	assert_int_equal(sim_stats()->vcpu_op_count, 0);
	assert_null(shinfo_get());
}

static void check_console_quiet(void)
{
	struct xencons_interface *c = sim_console_ring();

	assert_true(c->out_cons == c->out_prod);
	assert_true(c->in_cons == c->in_prod);
	assert_int_equal(sim_console_pending_input(), 0);
}

static void test_clean_handoff(void **state)
{
	busy_world();
	uint64_t flushes = sim_blkback_stats(bbs[0])->flushes;
	sim_console_output_clear();

	assert_int_equal(handoff_xen(), 0);
	/* The write was flushed before the disk closed. */
	assert_true(sim_blkback_stats(bbs[0])->flushes == flushes + 1);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(sim_xs_stats()->transactions, 0);
	assert_int_equal(sim_gnttab_active_count(), 0);
	check_vbd_reset(XVDA);
	check_vbd_reset(XVDB);
	assert_false(sim_blkback_is_mapped(bbs[0]));
	check_unmapped_and_ports();
	check_console_quiet();
	struct xenstore_domain_interface *st = sim_store_ring();
	assert_true(st->req_cons == st->req_prod && st->rsp_cons == st->rsp_prod);
	assert_int_equal(memmap_count(), 0);
	assert_non_null(
	    strstr(sim_console_output(NULL), "handoff: 2 vbds reset, 2 event channels closed, "));
	assert_non_null(strstr(sim_console_output(NULL), " grant frames and shared_info unmapped"));
	/* Afterwards XenStore is off limits, and the console still writes. */
	char buf[8];
	assert_int_equal(xs_read(0, "domid", buf, sizeof(buf)), -ENODEV);
	sim_console_output_clear();
	xb_printf("Starting kernel ...\n");
	console_flush(arch_time_ns() + S);
	assert_string_equal(sim_console_output(NULL), "Starting kernel ...\r\n");
}

/* Linux (re)maps shared_info and grant frames at GFNs of its choosing;
 * Xen says -EBUSY while ours exist (xen-abi.md §12 rule 2). */
static void test_os_can_map_again(void **state)
{
	busy_world();
	assert_int_equal(handoff_xen(), 0);
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_shared_info,
	    .gpfn = (SIM_EXT_REGION_BASE >> PAGE_SHIFT),
	};
	assert_int_equal(sim_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				       (unsigned long)&xatp, 0, 0, 0),
			 0);
	xatp.space = XENMAPSPACE_grant_table;
	xatp.gpfn++;
	assert_int_equal(sim_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				       (unsigned long)&xatp, 0, 0, 0),
			 0);
}

/* One backend ignores Closing: a bounded wait, one line, its grants kept
 * and its pages recorded as lost; the other disk and the rest are clean. */
static void test_backend_never_closes(void **state)
{
	busy_world();
	sim_blkback_fault(bbs[1], SIM_BB_NO_CLOSE, 0, 0);
	sim_console_output_clear();
	uint64_t t0 = arch_time_ns();

	assert_int_equal(handoff_xen(), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 30 * S);
	check_vbd_reset(XVDA);
	/* xvdb's ring is still mapped by its backend: its grants stay, and
	 * every page shared with it is out of the OS's reach. */
	assert_true(sim_blkback_is_mapped(bbs[1]));
	assert_true(sim_gnttab_active_count() > 0);
	assert_true(memmap_count() > 0);
	for (unsigned int i = 0; i < memmap_count(); i++) {
		assert_int_equal(memmap_at(i)->kind, MEMMAP_LOST);
	}
	const char *out = sim_console_output(NULL);
	assert_non_null(strstr(out, "xvdb: backend did not reach Closed"));
	assert_non_null(strstr(out, "handoff: 1 vbd reset (1 failed)"));
	assert_non_null(strstr(out, "lost to a backend, with errors"));
	/* Left Closed: Linux's xenbus resets such a frontend at boot. */
	char path[128], value[16];
	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/state", SIM_GUEST_DOMID, XVDB);
	assert_int_equal(sim_xs_read(path, value, sizeof(value)), 0);
	assert_string_equal(value, "6");
	assert_int_equal(sim_xs_stats()->watches, 0);
	check_unmapped_and_ports();
	check_console_quiet();
}

/* xenstored stops answering: each step gives up within its bound, the
 * errors are reported, and shared_info, grant frames, event channels and
 * the console are still handed over. */
static void test_xenstore_never_answers(void **state)
{
	busy_world();
	sim_xs_fault(SIM_XS_STALL, 100000);
	sim_console_output_clear();
	uint64_t t0 = arch_time_ns();

	assert_int_not_equal(handoff_xen(), 0);
	assert_true(arch_time_ns() - t0 < 60 * S);
	const char *out = sim_console_output(NULL);
	assert_non_null(strstr(out, "ERROR: handoff: xenstore: ETIMEDOUT"));
	assert_non_null(strstr(out, "with errors"));
	check_unmapped_and_ports();
	check_console_quiet();
}

/* shared_info and the grant frames put over RAM (a DT whose grant-table
 * region overlaps bank 0): after handoff that RAM is populated again. */
static void test_ram_gfns_repopulated(void **state)
{
	struct sim_config cfg = {
	    .bank_count = 1,
	    .banks = {{SIM_GNTTAB_BASE, 0x20000000ULL}},
	};
	uint64_t size;

	image = image2 = NULL; /* no disks here; teardown frees these */
	assert_int_equal(sim_init(&cfg), 0);
	assert_int_equal(pvcons_init_from_hvm(), 0);
	const void *fdt = sim_fdt(&size);
	assert_int_equal(dtinfo_parse(fdt, size, &dt), 0);
	dtinfo_set(&dt);
	assert_int_equal(shinfo_map(&dt), 0);
	evtchn_init();
	assert_int_equal(gnttab_init(&dt), 0);
	assert_false(sim_gfn_is_ram(sim_shinfo_gfn()));
	assert_int_equal(handoff_xen(), 0);
	assert_int_equal(sim_ram_hole_count(), 0);
	assert_true(sim_gfn_is_ram((SIM_GNTTAB_BASE + SIM_GNTTAB_SIZE) / PAGE_SIZE - 1));
	assert_true(sim_gfn_is_ram(SIM_GNTTAB_BASE / PAGE_SIZE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_clean_handoff, handoff_teardown),
	    cmocka_unit_test_teardown(test_os_can_map_again, handoff_teardown),
	    cmocka_unit_test_teardown(test_backend_never_closes, handoff_teardown),
	    cmocka_unit_test_teardown(test_xenstore_never_answers, handoff_teardown),
	    cmocka_unit_test_teardown(test_ram_gfns_repopulated, handoff_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
