/* The simulated Xen itself: memory map, hypercalls, event channels, grant
 * table, time, the console backend and the DT builder. Other tests trust
 * these behaviours, so they are pinned down here against the ABI facts in
 * shared/docs/xen-abi.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libfdt.h>
#include <sim/console.h>
#include <sim/dt.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/abi/console.h>
#include <xen/abi/errno.h>
#include <xen/abi/event_channel.h>
#include <xen/abi/grant_table.h>
#include <xen/abi/hvm.h>
#include <xen/abi/memory.h>
#include <xen/abi/sched.h>
#include <xen/abi/version.h>

#define GNTTAB_LAST_GFN ((SIM_GNTTAB_BASE + SIM_GNTTAB_SIZE) / 4096 - 1)

static int setup(void **state)
{
	return sim_init(NULL);
}

static int teardown(void **state)
{
	sim_reset();
	return 0;
}

static long hc(unsigned long op, unsigned long cmd, void *arg)
{
	return sim_hypercall(op, cmd, (unsigned long)arg, 0, 0, 0);
}

static long map_space(unsigned int space, uint64_t idx, uint64_t gfn)
{
	struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gfn };

	return hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x);
}

static long unmap_gfn(uint64_t gfn)
{
	struct xen_remove_from_physmap x = { .domid = DOMID_SELF, .gpfn = gfn };

	return hc(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &x);
}

static long evtchn_op(unsigned int cmd, evtchn_port_t port)
{
	struct evtchn_port_op op = { .port = port };

	return hc(__HYPERVISOR_event_channel_op, cmd, &op);
}

static void test_ram_and_magic_pages(void **state)
{
	unsigned char *p = sim_phys_to_virt(SIM_RAM0_BASE + 0x1234);

	assert_non_null(p);
	p[0] = 0xa5;
	assert_true(sim_virt_to_phys(p) == SIM_RAM0_BASE + 0x1234);
	/* The bank is one host allocation: the last byte is contiguous. */
	assert_ptr_equal(sim_phys_to_virt(SIM_RAM0_BASE + 0xfffffff), p - 0x1234 + 0xfffffff);
	assert_null(sim_phys_to_virt(SIM_RAM0_BASE + 0x10000000));
	assert_null(sim_phys_to_virt(0x1000));
	assert_ptr_equal(sim_phys_to_virt(SIM_CONSOLE_GFN << 12), sim_console_ring());
	assert_ptr_equal(sim_phys_to_virt(SIM_STORE_GFN << 12), sim_store_ring());
	assert_true(sim_gfn_is_ram(SIM_RAM0_BASE >> 12));
	assert_false(sim_gfn_is_ram(SIM_CONSOLE_GFN));
}

static void test_image_alias(void **state)
{
	static char buf[64];
	uint64_t pa = sim_virt_to_phys(&buf[10]);

	/* A static buffer of the binary gets a GFN inside the Image's window. */
	assert_true(pa >= SIM_IMAGE_BASE && pa < SIM_IMAGE_BASE + SIM_IMAGE_SIZE);
	assert_ptr_equal(sim_phys_to_virt(pa), &buf[10]);
	assert_true(sim_virt_to_phys(&buf[10]) == pa);
	assert_true(sim_virt_to_phys(NULL) == ~0ULL);
}

static void test_shinfo_map(void **state)
{
	assert_true(sim_shinfo_gfn() == ~0ULL);
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, GNTTAB_LAST_GFN), 0);
	assert_ptr_equal(sim_phys_to_virt(GNTTAB_LAST_GFN << 12), sim_shinfo());
	assert_true(sim_shinfo_gfn() == GNTTAB_LAST_GFN);
	/* Same GFN again is fine; a second GFN is refused (Xen >= 4.17). */
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, GNTTAB_LAST_GFN), 0);
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, GNTTAB_LAST_GFN - 1), -XEN_EBUSY);
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 1, GNTTAB_LAST_GFN), -XEN_EINVAL);
	assert_int_equal(unmap_gfn(GNTTAB_LAST_GFN), 0);
	assert_null(sim_phys_to_virt(GNTTAB_LAST_GFN << 12));
	assert_int_equal(unmap_gfn(GNTTAB_LAST_GFN), -XEN_ENOENT);
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, GNTTAB_LAST_GFN - 1), 0);
	assert_int_equal(sim_ram_hole_count(), 0);
}

static void test_shinfo_over_ram_leaves_hole(void **state)
{
	uint64_t gfn = (SIM_RAM0_BASE >> 12) + 5;
	xen_pfn_t list[1] = { gfn };
	struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
	unsigned char *ram = sim_phys_to_virt(gfn << 12);

	ram[0] = 0x77;
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, gfn), 0);
	assert_false(sim_gfn_is_ram(gfn));
	assert_int_equal(unmap_gfn(gfn), 0);
	assert_int_equal(sim_ram_hole_count(), 1);
	assert_null(sim_phys_to_virt(gfn << 12));
	r.extent_start.p = list;
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r), 1);
	assert_int_equal(sim_ram_hole_count(), 0);
	assert_int_equal(((unsigned char *)sim_phys_to_virt(gfn << 12))[0], 0);
	r.extent_order = 1;
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r), -XEN_EINVAL);
}

static void test_other_domains_refused(void **state)
{
	struct xen_add_to_physmap x = { .domid = 3, .space = XENMAPSPACE_shared_info };
	struct xen_hvm_param p = { .domid = 3, .index = HVM_PARAM_CONSOLE_PFN };

	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), -XEN_EPERM);
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), -XEN_ESRCH);
	assert_int_equal(hc(__HYPERVISOR_memory_op, 99, &x), -XEN_ENOSYS);
	assert_int_equal(hc(77, 0, NULL), -XEN_ENOSYS);
}

static void test_version_params_console_io(void **state)
{
	char extra[XEN_EXTRAVERSION_LEN];
	struct xen_hvm_param p = { .domid = DOMID_SELF };
	const struct { uint32_t index; uint64_t value; } params[] = {
		{ HVM_PARAM_CONSOLE_PFN, SIM_CONSOLE_GFN },
		{ HVM_PARAM_CONSOLE_EVTCHN, SIM_CONSOLE_PORT },
		{ HVM_PARAM_STORE_PFN, SIM_STORE_GFN },
		{ HVM_PARAM_STORE_EVTCHN, SIM_STORE_PORT },
	};

	assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_version, NULL), (4 << 16) | 17);
	assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_extraversion, extra), 0);
	assert_string_equal(extra, SIM_XEN_EXTRA);
	assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_pagesize, NULL), 4096);
	for (unsigned int i = 0; i < 4; i++) {
		p.index = params[i].index;
		assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
		assert_true(p.value == params[i].value);
	}
	p.index = 1000;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), -XEN_EINVAL);
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_set_param, &p), -XEN_EPERM);
	assert_int_equal(sim_hypercall(__HYPERVISOR_console_io, 0, 2, (unsigned long)"hi", 0, 0),
			 -XEN_EPERM);
	assert_int_equal(sim_stats()->console_io_count, 1);
}

static void test_store_absent(void **state)
{
	struct sim_config cfg = { .no_store = true };
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN };

	assert_int_equal(sim_init(&cfg), 0);
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_true(p.value == ~0ULL);
}

static void test_evtchn_2level(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
	struct shared_info *s = sim_shinfo();

	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a), 0);
	assert_true(a.port >= SIM_FIRST_FREE_PORT);
	assert_true(sim_evtchn_is_open(a.port));
	assert_int_equal(sim_evtchn_remote(a.port), 0);
	/* Not bound by a backend yet: notify fails, guest send is dropped. */
	assert_int_equal(sim_evtchn_notify_guest(a.port), -XEN_EINVAL);
	assert_int_equal(evtchn_op(EVTCHNOP_send, a.port), 0);
	assert_false(sim_evtchn_take_kick(a.port));
	assert_int_equal(sim_evtchn_backend_bind(1, a.port), -XEN_EINVAL);
	assert_int_equal(sim_evtchn_backend_bind(0, a.port), 0);

	assert_int_equal(sim_evtchn_notify_guest(a.port), 0);
	assert_true(s->evtchn_pending[a.port / 64] & (1ULL << (a.port % 64)));
	assert_true(s->vcpu_info[0].evtchn_pending_sel & (1ULL << (a.port / 64)));
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 1);

	assert_int_equal(evtchn_op(EVTCHNOP_send, a.port), 0);
	assert_true(sim_evtchn_take_kick(a.port));
	assert_false(sim_evtchn_take_kick(a.port));
	assert_int_equal(evtchn_op(EVTCHNOP_close, a.port), 0);
	assert_false(sim_evtchn_is_open(a.port));
	assert_int_equal(evtchn_op(EVTCHNOP_close, a.port), -XEN_EINVAL);
	assert_int_equal(evtchn_op(EVTCHNOP_send, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_op(EVTCHNOP_send, 5000), -XEN_EINVAL);
}

static void test_evtchn_mask_unmask(void **state)
{
	struct shared_info *s = sim_shinfo();
	evtchn_port_t p = SIM_CONSOLE_PORT;

	s->evtchn_mask[p / 64] |= 1ULL << (p % 64);
	assert_int_equal(sim_evtchn_notify_guest(p), 0);
	assert_true(s->evtchn_pending[p / 64] & (1ULL << (p % 64)));
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 0);
	/* The edge lost while masked is raised again on unmask. */
	assert_int_equal(evtchn_op(EVTCHNOP_unmask, p), 0);
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 1);
	assert_false(s->evtchn_mask[p / 64] & (1ULL << (p % 64)));
}

static void test_evtchn_bind_interdomain(void **state)
{
	struct evtchn_bind_interdomain b = { .remote_dom = 0, .remote_port = 42 };

	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b),
			 -XEN_EINVAL);
	assert_int_equal(sim_evtchn_offer(0, 42), 0);
	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b), 0);
	assert_true(sim_evtchn_is_open(b.local_port));
	assert_int_equal(sim_evtchn_notify_guest(b.local_port), 0);
	/* An offer is used up by one bind. */
	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b),
			 -XEN_EINVAL);
}

static void test_poll_timeout_and_event(void **state)
{
	uint32_t ports[1] = { SIM_STORE_PORT };
	struct sched_poll poll = { .nr_ports = 1 };
	uint64_t t0 = sim_time_ns();

	poll.ports.p = ports;
	poll.timeout = t0 + 5000000000ULL;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), 0);
	/* Instant in host time, exact in simulated time. */
	assert_true(sim_time_ns() >= poll.timeout);
	assert_true(sim_time_ns() < poll.timeout + 1000000);

	t0 = sim_time_ns();
	assert_int_equal(sim_evtchn_notify_guest(SIM_STORE_PORT), 0);
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), 0);
	assert_true(sim_time_ns() - t0 < 1000000);

	poll.nr_ports = 129;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), -XEN_EINVAL);
	ports[0] = 4096;
	poll.nr_ports = 1;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), -XEN_EINVAL);
}

static int busy_steps;

static int busy_step(void *ctx)
{
	return busy_steps > 0 ? busy_steps-- : 0;
}

static const struct sim_backend_ops busy_ops = { .name = "busy", .step = busy_step };

static void test_wait_advances_time(void **state)
{
	uint64_t t0 = sim_time_ns();

	/* Idle: time moves toward the deadline, never past it. */
	sim_wait(t0 + 3000);
	assert_true(sim_time_ns() >= t0 + 3000 && sim_time_ns() < t0 + 10000);
	t0 = sim_time_ns();
	sim_wait(t0 + 60000000000ULL);
	assert_true(sim_time_ns() - t0 <= 10000000 + 1000);
	/* A backend that works keeps time still. */
	assert_int_equal(sim_backend_add(&busy_ops, NULL), 0);
	busy_steps = 3;
	t0 = sim_time_ns();
	sim_wait(t0 + 1000000000ULL);
	assert_true(sim_time_ns() - t0 < 1000);
	/* So does a pending event (WFI returns at once). */
	busy_steps = 0;
	assert_int_equal(sim_evtchn_notify_guest(SIM_CONSOLE_PORT), 0);
	t0 = sim_time_ns();
	sim_wait(t0 + 1000000000ULL);
	assert_true(sim_time_ns() - t0 < 1000);
	sim_time_advance(123);
	assert_true(sim_time_ns() >= t0 + 123);
}

static void on_shutdown(unsigned int reason, void *ctx)
{
	longjmp(*(jmp_buf *)ctx, 1 + (int)reason);
}

static void test_shutdown_hook(void **state)
{
	static jmp_buf jb;
	struct sched_shutdown s = { .reason = SHUTDOWN_reboot };
	volatile int rc;

	/* Without a hook the guest sees the call return 0. */
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s), 0);
	assert_int_equal(sim_stats()->shutdown_count, 1);
	assert_int_equal(sim_stats()->shutdown_reason, SHUTDOWN_reboot);
	sim_set_shutdown_hook(on_shutdown, &jb);
	s.reason = SHUTDOWN_poweroff;
	rc = setjmp(jb);
	if (rc == 0) {
		hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
		fail_msg("shutdown returned into the guest");
	}
	assert_int_equal(rc, 1 + SHUTDOWN_poweroff);
	assert_int_equal(sim_stats()->shutdown_count, 2);
}

static void test_gnttab(void **state)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct grant_entry_v1 *gt;
	uint64_t base = SIM_GNTTAB_BASE >> 12;
	void *page;

	assert_int_equal(sim_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
				       (unsigned long)&q, 1, 0, 0), 0);
	assert_int_equal(q.status, 0);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, SIM_GNTTAB_MAX_FRAMES);
	assert_int_equal(map_space(XENMAPSPACE_grant_table, 0, base), 0);
	assert_int_equal(map_space(XENMAPSPACE_grant_table, 1, base + 1), 0);
	assert_int_equal(map_space(XENMAPSPACE_grant_table, 64, base + 64), -XEN_EINVAL);
	assert_int_equal(sim_gnttab_frame_count(), 2);
	gt = sim_phys_to_virt(SIM_GNTTAB_BASE);
	/* Frames mapped at consecutive GFNs are contiguous, as on hardware. */
	assert_ptr_equal(sim_phys_to_virt(SIM_GNTTAB_BASE + 4096), (char *)gt + 4096);

	gt[600].domid = 0;
	gt[600].frame = (SIM_RAM0_BASE >> 12) + 9;
	gt[600].flags = GTF_permit_access | GTF_readonly;
	assert_int_equal(sim_gnttab_map(1, 600, false, &page), -XEN_EPERM);
	assert_int_equal(sim_gnttab_map(0, 600, true, &page), -XEN_EPERM);
	assert_int_equal(sim_gnttab_map(0, 600, false, &page), 0);
	assert_ptr_equal(page, sim_phys_to_virt(SIM_RAM0_BASE + 9 * 4096));
	assert_true(gt[600].flags & GTF_reading);
	sim_gnttab_unmap(600, false);
	assert_false(gt[600].flags & GTF_reading);
	/* Granting a Xen page (the grant table itself) is refused. */
	gt[601] = (struct grant_entry_v1){ GTF_permit_access, 0, (uint32_t)base };
	assert_int_equal(sim_gnttab_map(0, 601, true, &page), -XEN_EFAULT);
	assert_int_equal(sim_gnttab_map(0, 2 * 512, false, &page), -XEN_EINVAL);
	gt[602] = (struct grant_entry_v1){ GTF_invalid, 0, (uint32_t)base };
	assert_int_equal(sim_gnttab_map(0, 602, false, &page), -XEN_EPERM);
}

static void test_dt_one_bank(void **state)
{
	uint64_t size;
	const void *fdt = sim_fdt(&size);
	int len, node;
	const fdt64_t *reg;

	assert_non_null(fdt);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_true(fdt_totalsize(fdt) == size);
	/* xl puts the DT at RAM base + 128 MiB (xen-abi.md §8). */
	assert_true(sim_fdt_gpa() == SIM_RAM0_BASE + 0x8000000);
	node = fdt_node_offset_by_compatible(fdt, -1, "xen,xen");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 3 * 16);
	assert_true(fdt64_to_cpu(reg[0]) == SIM_GNTTAB_BASE);
	assert_true(fdt64_to_cpu(reg[1]) == SIM_GNTTAB_SIZE);
	node = fdt_path_offset(fdt, "/memory@40000000");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_true(fdt64_to_cpu(reg[1]) == 0x10000000);
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "arm,gic-400") >= 0);
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer") >= 0);
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0") >= 0);
}

static void test_dt_two_banks_and_modes(void **state)
{
	struct sim_config cfg = {
		.bank_count = 2,
		.banks = { { SIM_RAM0_BASE, 0x4000000 }, { SIM_RAM1_BASE, 0x2000000 } },
		.bootargs = "console=hvc0",
		.initrd_start = 0x42000000,
		.initrd_end = 0x42100000,
	};
	static unsigned char buf[65536];
	const void *fdt;
	int len;

	assert_int_equal(sim_init(&cfg), 0);
	fdt = sim_fdt(NULL);
	/* A small bank 0: the DT goes to its top. */
	assert_true(sim_fdt_gpa() > SIM_RAM0_BASE && sim_fdt_gpa() < SIM_RAM0_BASE + 0x4000000);
	assert_true(fdt_path_offset(fdt, "/memory@200000000") >= 0);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", &len),
			    "console=hvc0");
	assert_non_null(sim_phys_to_virt(SIM_RAM1_BASE + 0x1fff000));
	assert_null(sim_phys_to_virt(SIM_RAM1_BASE + 0x2000000));

	cfg.dt_mode = SIM_DT_NO_HYPERVISOR;
	assert_true(sim_dt_build(&cfg, buf, sizeof(buf)) > 0);
	assert_true(fdt_node_offset_by_compatible(buf, -1, "xen,xen") < 0);
	cfg.dt_mode = SIM_DT_GIC_V3;
	assert_true(sim_dt_build(&cfg, buf, sizeof(buf)) > 0);
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3") >= 0);
	cfg.dt_mode = SIM_DT_GARBAGE;
	assert_true(sim_dt_build(&cfg, buf, sizeof(buf)) > 0);
	assert_true(fdt_check_header(buf) != 0);
	cfg.dt_mode = SIM_DT_NORMAL;
	assert_int_equal(sim_dt_build(&cfg, buf, 64), -XEN_ENOSPC);
}

/* Plays the guest on the console ring, by hand. */
static void guest_put(struct xencons_interface *r, const char *s)
{
	for (; *s; s++) {
		r->out[r->out_prod++ % XENCONS_OUT_SIZE] = *s;
	}
}

static void test_console_output_input(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	struct shared_info *s = sim_shinfo();
	size_t len;

	guest_put(r, "hello");
	assert_int_equal(evtchn_op(EVTCHNOP_send, SIM_CONSOLE_PORT), 0);
	assert_string_equal(sim_console_output(&len), "hello");
	assert_int_equal(len, 5);
	assert_int_equal(r->out_cons, 5);
	assert_true(s->evtchn_pending[SIM_CONSOLE_PORT / 64] & (1ULL << (SIM_CONSOLE_PORT % 64)));
	sim_console_output_clear();
	assert_int_equal(sim_console_input("ls\n", 3), 3);
	sim_wait(UINT64_MAX);
	assert_int_equal(r->in_prod, 3);
	assert_memory_equal(r->in, "ls\n", 3);
	assert_int_equal(sim_console_pending_input(), 0);
	/* Rate limit: one byte per step. */
	sim_console_set_rate(1);
	guest_put(r, "ab");
	sim_wait(UINT64_MAX);
	assert_string_equal(sim_console_output(NULL), "a");
	sim_wait(UINT64_MAX);
	assert_string_equal(sim_console_output(NULL), "ab");
}

static void test_console_input_waits_for_room(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	char big[XENCONS_IN_SIZE + 10];

	memset(big, 'k', sizeof(big));
	assert_int_equal(sim_console_input(big, sizeof(big)), sizeof(big));
	sim_wait(UINT64_MAX);
	assert_int_equal(r->in_prod, XENCONS_IN_SIZE);
	assert_int_equal(sim_console_pending_input(), 10);
	r->in_cons = 4;
	sim_wait(UINT64_MAX);
	assert_int_equal(r->in_prod, XENCONS_IN_SIZE + 4);
}

static void test_console_faults(void **state)
{
	struct xencons_interface *r = sim_console_ring();

	sim_console_fault(SIM_CONS_STALL);
	guest_put(r, "x");
	sim_wait(UINT64_MAX - 1);
	assert_int_equal(r->out_cons, 0);
	sim_console_fault(SIM_CONS_DISCONNECT);
	sim_wait(UINT64_MAX - 1);
	assert_int_equal(r->connection, XENCONS_DISCONNECTED);
	sim_console_fault(SIM_CONS_OK);
	assert_int_equal(r->connection, XENCONS_CONNECTED);
	sim_wait(UINT64_MAX);
	assert_int_equal(r->out_cons, 1);

	sim_console_fault(SIM_CONS_IN_PROD_JUMP);
	sim_wait(UINT64_MAX);
	assert_true(r->in_prod - r->in_cons > XENCONS_IN_SIZE);
	sim_console_fault(SIM_CONS_OK);
	assert_int_equal(r->in_prod, r->in_cons);
	sim_console_fault(SIM_CONS_OUT_CONS_BACK);
	sim_wait(UINT64_MAX);
	assert_true(r->out_prod - r->out_cons > XENCONS_OUT_SIZE);
	sim_console_fault(SIM_CONS_OUT_CONS_AHEAD);
	sim_wait(UINT64_MAX);
	assert_true(r->out_cons - r->out_prod == 100);
	sim_console_fault(SIM_CONS_IN_FULL);
	sim_wait(UINT64_MAX);
	assert_int_equal(r->in_prod - r->in_cons, XENCONS_IN_SIZE);
}

static void test_reset_is_clean(void **state)
{
	assert_int_equal(sim_console_input("zz", 2), 2);
	assert_int_equal(map_space(XENMAPSPACE_shared_info, 0, GNTTAB_LAST_GFN), 0);
	sim_reset();
	assert_false(sim_is_up());
	assert_int_equal(sim_init(NULL), 0);
	assert_int_equal(sim_console_pending_input(), 0);
	assert_true(sim_shinfo_gfn() == ~0ULL);
	assert_int_equal(sim_stats()->hypercall_count, 0);
	assert_true(sim_time_ns() < SIM_TIME_ORIGIN_NS + 1000);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ram_and_magic_pages),
		T(test_image_alias),
		T(test_shinfo_map),
		T(test_shinfo_over_ram_leaves_hole),
		T(test_other_domains_refused),
		T(test_version_params_console_io),
		T(test_store_absent),
		T(test_evtchn_2level),
		T(test_evtchn_mask_unmask),
		T(test_evtchn_bind_interdomain),
		T(test_poll_timeout_and_event),
		T(test_wait_advances_time),
		T(test_shutdown_hook),
		T(test_gnttab),
		T(test_dt_one_bank),
		T(test_dt_two_banks_and_modes),
		T(test_console_output_input),
		T(test_console_input_waits_for_room),
		T(test_console_faults),
		T(test_reset_is_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
