/* handoff_xen(): leave Xen as the OS expects to find it (xen-abi.md §12;
 * include/boot/handoff.h). Each step is reported on its own and the next
 * one runs whatever happened: the jump follows in any case, and a clean
 * half is better than none. */
#define LOG_PREFIX "handoff: "
#include <arch/arch.h>
#include <boot/handoff.h>
#include <drivers/blkfront.h>
#ifdef CONFIG_NET
#include <drivers/netfront.h>
#endif
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/units.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

/* How long the console backend gets to take our output, each time. */
#define HANDOFF_CONSOLE_MS 1000

struct handoff_report {
	unsigned int vbds_reset, vbds_failed;
	unsigned int vifs_reset, vifs_failed;
	unsigned int ports_closed;
	unsigned int frames_unmapped;
	bool is_shinfo_unmapped;
	uint64_t lost_pages;
	int first_rc;
};

/* One line per failed step; the first error is the result. */
static void step_check(struct handoff_report *r, const char *what, int rc)
{
	if (!rc) {
		return;
	}
	log_err("%s: %s\n", what, errno_name(rc));
	r->first_rc = r->first_rc ? r->first_rc : rc;
}

static const char *plural(unsigned int n)
{
	return n == 1 ? "" : "s";
}

/* Disks, vifs, then event channels: the frontends close their own ports,
 * and what else we allocated (nothing today) is closed here. */
static void handoff_devices(struct handoff_report *r)
{
	struct blkfront_stats st;
	unsigned int owned = evtchn_owned_count();
	unsigned int closed = 0;

	blkfront_stats_get(&st);
	uint64_t lost_before = st.lost_pages;
	step_check(r, "PV disks", blkfront_shutdown_report(&r->vbds_reset, &r->vbds_failed));
	blkfront_stats_get(&st);
	r->lost_pages = st.lost_pages - lost_before;
#ifdef CONFIG_NET
	/* Vifs the same way: the OS's netfront must find them at InitWait. */
	struct netfront_stats ns;
	netfront_stats_get(&ns);
	lost_before = ns.lost_pages;
	step_check(r, "PV network", netfront_shutdown_report(&r->vifs_reset, &r->vifs_failed));
	netfront_stats_get(&ns);
	r->lost_pages += ns.lost_pages - lost_before;
#endif
	unsigned int left = evtchn_owned_count();
	step_check(r, "event channels", evtchn_close_all(&closed));
	r->ports_closed = (owned - left) + closed;
}

/* shared_info and grant frames leave the physmap: Xen would refuse the OS
 * its own mappings of them (-EBUSY) while ours exist. */
static void handoff_unmap(struct handoff_report *r)
{
	r->is_shinfo_unmapped = shinfo_get() != NULL;
	step_check(r, "unmapping shared_info", shinfo_unmap());
	r->frames_unmapped = gnttab_frames_mapped();
	step_check(r, "unmapping grant frames", gnttab_unmap_all());
}

static void handoff_summary(const struct handoff_report *r)
{
	xb_printf("handoff: %u vbd%s reset", r->vbds_reset, plural(r->vbds_reset));
	if (r->vbds_failed) {
		xb_printf(" (%u failed)", r->vbds_failed);
	}
	if (r->vifs_reset || r->vifs_failed) {
		xb_printf(", %u vif%s reset", r->vifs_reset, plural(r->vifs_reset));
		if (r->vifs_failed) {
			xb_printf(" (%u failed)", r->vifs_failed);
		}
	}
	xb_printf(", %u event channel%s closed, %u grant frame%s%s unmapped", r->ports_closed,
		  plural(r->ports_closed), r->frames_unmapped, plural(r->frames_unmapped),
		  r->is_shinfo_unmapped ? " and shared_info" : "");
	if (r->lost_pages) {
		xb_printf(", %llu page%s lost to a backend", (unsigned long long)r->lost_pages,
			  plural((unsigned int)MIN(r->lost_pages, 2ULL)));
	}
	xb_printf("%s\n", r->first_rc ? ", with errors" : "");
}

int handoff_xen(void)
{
	struct handoff_report r = {0};

	handoff_devices(&r);
	step_check(&r, "xenstore", xs_reset());
	/* Nothing talks to XenStore after this; requests now fail -ENODEV. */
	xs_detach();
	/* Input consumed, output pushed, and from here on the console polls:
	 * it no longer touches event channels or shared_info. */
	(void)pvcons_handoff(arch_time_ns() + HANDOFF_CONSOLE_MS * NS_PER_MS);
	/* No interrupt of ours left in the GIC, then no upcall flag left set:
	 * the OS gets its first event only if Xen sees that flag go 0 -> 1. */
	arch_irq_quiesce();
	evtchn_handoff();
	handoff_unmap(&r);
	handoff_summary(&r);
	console_flush(arch_time_ns() + HANDOFF_CONSOLE_MS * NS_PER_MS);
	/* The console's state is the one thing the summary cannot include. */
	int cons = pvcons_check_quiet();
	return r.first_rc ? r.first_rc : cons;
}
