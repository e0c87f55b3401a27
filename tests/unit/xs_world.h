/* The world the XenStore and XenBus tests run in: a simulated Xen with
 * shared_info mapped and xenstored started, and the guest's client reset.
 * Included once per program (cmocka first). */
#ifndef TESTS_UNIT_XS_WORLD_H
#define TESTS_UNIT_XS_WORLD_H

#include <lib/dtinfo.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <xen/evtchn.h>
#include <xen/xen.h>
#include <xen/xs.h>

/* Everything up to, not including, xs_init(): tests add backends first. */
static int xs_world_boot(void)
{
	static struct dtinfo dt;
	uint64_t size;

	if (sim_init(NULL) || sim_xs_start()) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt)) {
		return -1;
	}
	evtchn_init();
	xs_detach();
	return 0;
}

static int xs_world_teardown(void **state)
{
	xs_detach();
	shinfo_unmap();
	sim_reset();
	return 0;
}

#endif
