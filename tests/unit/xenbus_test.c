/* XenBus frontend (xen/xenbus.c) against the simulated xenstored and its
 * scripted backend: enumeration, validation of what the toolstack wrote,
 * the state handshake, a flapping backend, timeouts and the teardown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xs.h>

#include "xs_world.h"

#define FRONT "/local/domain/7/device/vbd/51712"
#define NS_PER_S 1000000000ULL
#define BIT(s) (1U << (s))

static struct sim_xs_backend *be;

static int boot(void **state)
{
	if (xs_world_boot()) {
		return -1;
	}
	be = sim_xs_backend_add("vbd", 51712);
	return be ? xs_init() : -1;
}

static void test_enumerate(void **state)
{
	char buf[128];
	unsigned int count;

	assert_non_null(sim_xs_backend_add("vbd", 768));
	assert_int_equal(sim_xs_write("/local/domain/7/device/vbd/bad id!/backend", "/x"), 0);
	assert_int_equal(xenbus_enumerate("vbd", buf, sizeof(buf), &count), 0);
	assert_int_equal(count, 2);
	assert_true(!strcmp(buf, "51712") || !strcmp(buf, "768"));
	assert_int_equal(xenbus_enumerate("vif", buf, sizeof(buf), &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(xenbus_enumerate("../x", buf, sizeof(buf), &count), -EINVAL);
}

static void test_device_init(void **state)
{
	struct xenbus_device dev;

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	assert_string_equal(dev.otherend, sim_xs_backend_path(be));
	assert_int_equal(dev.otherend_id, SIM_BACKEND_DOMID);
	assert_true(dev.watch_token[0]);
	assert_int_equal(sim_xs_stats()->watches, 1);
	struct xenbus_device dev2;
	assert_int_equal(xenbus_device_init(&dev2, "device/vbd/51712"), 0);
	assert_string_not_equal(dev.watch_token, dev2.watch_token);
	xenbus_device_release(&dev2);
	xenbus_device_release(&dev);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(xenbus_device_init(&dev, "device/vbd/1"), -ENOENT);
}

static void test_bad_backend_values(void **state)
{
	static const char *const bad_ids[] = {"12x", "32752", "-1", "", "0x0"};
	static const char *const bad_paths[] = {"relative/path", "/has space", "/esc\x1b[2J", ""};
	struct xenbus_device dev;
	char longpath[200];

	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		assert_int_equal(sim_xs_write(FRONT "/backend-id", bad_ids[i]), 0);
		assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), -EINVAL);
	}
	assert_int_equal(sim_xs_write(FRONT "/backend-id", "32751"), 0);
	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	assert_int_equal(dev.otherend_id, 32751);
	xenbus_device_release(&dev);
	for (size_t i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
		assert_int_equal(sim_xs_write(FRONT "/backend", bad_paths[i]), 0);
		assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), -EINVAL);
	}
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(sim_xs_write(FRONT "/backend", longpath), 0);
	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), -EINVAL);
	assert_int_equal(sim_xs_stats()->watches, 0);
}

static void test_handshake(void **state)
{
	struct xenbus_device dev;
	enum xenbus_state st;
	char buf[8];

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateInitWait), 1000, &st), 0);
	assert_int_equal(st, XenbusStateInitWait);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	assert_int_equal(sim_xs_read(FRONT "/state", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "3");
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 1000, &st), 0);
	assert_int_equal(st, XenbusStateConnected);
	xenbus_device_release(&dev);
}

static void test_flapping_backend(void **state)
{
	static const enum xenbus_state flap[] = {XenbusStateClosing, XenbusStateInitWait,
						 XenbusStateClosed, XenbusStateInitWait};
	struct xenbus_device dev;
	enum xenbus_state st;

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	sim_xs_backend_flap(be, flap, 4);
	sim_xs_backend_delay(be, NS_PER_S / 10);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected), 0);
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 2000, &st), 0);
	assert_int_equal(st, XenbusStateConnected);
	/* Garbage and out-of-range states read as Unknown. */
	assert_int_equal(sim_xs_backend_set_state(be, 99), 0);
	assert_int_equal(xenbus_read_otherend_state(&dev, &st), 0);
	assert_int_equal(st, XenbusStateUnknown);
	assert_int_equal(sim_xs_write("/local/domain/0/backend/vbd/7/51712/state", "4 "), 0);
	assert_int_equal(xenbus_read_otherend_state(&dev, &st), 0);
	assert_int_equal(st, XenbusStateUnknown);
	assert_int_equal(sim_xs_rm("/local/domain/0/backend/vbd/7/51712/state"), 0);
	assert_int_equal(xenbus_read_otherend_state(&dev, &st), 0);
	assert_int_equal(st, XenbusStateUnknown);
	xenbus_device_release(&dev);
}

/* A backend that rewrites its state all the time (each write taking 1 ms)
 * without reaching the one awaited: the wait still ends at its deadline. */
static int chatty_step(void *ctx)
{
	sim_time_advance(1000000ULL);
	(void)sim_xs_backend_set_state(be, XenbusStateInitWait);
	return 0;
}

static const struct sim_backend_ops chatty_ops = {.name = "chatty", .step = chatty_step};

static void test_chatty_backend_times_out(void **state)
{
	struct xenbus_device dev;
	enum xenbus_state st;

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	sim_xs_backend_freeze(be, true);
	assert_int_equal(sim_backend_add(&chatty_ops, NULL), 0);
	uint64_t t0 = sim_time_ns();
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 500, &st),
			 -ETIMEDOUT);
	assert_true(sim_time_ns() - t0 < 2 * NS_PER_S);
	xenbus_device_release(&dev);
}

static void test_timeouts(void **state)
{
	struct xenbus_device dev;
	enum xenbus_state st;

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	sim_xs_backend_freeze(be, true);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	uint64_t t0 = sim_time_ns();
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 3000, &st),
			 -ETIMEDOUT);
	assert_int_equal(st, XenbusStateInitWait);
	assert_true(sim_time_ns() - t0 >= 3 * NS_PER_S);
	/* Slow but within the limit: fine. */
	sim_xs_backend_freeze(be, false);
	sim_xs_backend_delay(be, 2 * NS_PER_S);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected), 0);
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 1000, &st),
			 -ETIMEDOUT);
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 3000, &st), 0);
	xenbus_device_release(&dev);
}

static void test_teardown(void **state)
{
	struct xenbus_device dev;
	enum xenbus_state st;
	char buf[8];

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected), 0);
	assert_int_equal(xenbus_wait_otherend(&dev, BIT(XenbusStateConnected), 1000, &st), 0);
	assert_int_equal(xenbus_teardown(&dev, 5000), 0);
	assert_int_equal(sim_xs_read(FRONT "/state", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(xenbus_read_otherend_state(&dev, &st), 0);
	assert_int_equal(st, XenbusStateInitWait);
	/* A backend that never closes: bounded. */
	sim_xs_backend_freeze(be, true);
	assert_int_equal(xenbus_teardown(&dev, 2000), -ETIMEDOUT);
	xenbus_device_release(&dev);
}

static void test_switch_on_removed_device(void **state)
{
	struct xenbus_device dev;

	assert_int_equal(xenbus_device_init(&dev, "device/vbd/51712"), 0);
	assert_int_equal(sim_xs_rm(FRONT), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateClosed), -ENODEV);
	assert_false(sim_xs_exists(FRONT));
	xenbus_device_release(&dev);
}

#define T(f) cmocka_unit_test_setup_teardown(f, boot, xs_world_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_enumerate),
	    T(test_device_init),
	    T(test_bad_backend_values),
	    T(test_handshake),
	    T(test_flapping_backend),
	    T(test_timeouts),
	    T(test_teardown),
	    T(test_chatty_backend_times_out),
	    T(test_switch_on_removed_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
