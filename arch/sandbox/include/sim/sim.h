/* The simulated Xen that the sandbox build runs in (STYLE T2, L4).
 *
 * Guest code (lib/, xen/, drivers/, ...) never includes this header: it sees
 * only hypercalls (arch_hypercall -> sim_hypercall) and shared pages reached
 * through arch_phys_to_virt(). Tests and backends include it to build the
 * world, inject faults and look at what the guest did.
 *
 * Everything here is single-threaded: backends run synchronously inside the
 * guest's hypercalls and waits, so a test is deterministic. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/console.h>
#include <xen/abi/event_channel.h>
#include <xen/abi/grant_table.h>
#include <xen/abi/xen.h>
#include <xen/abi/xs_wire.h>

/* Guest-physical layout, as libxl builds it for an arm64 domU (xen-abi.md §7). */
#define SIM_RAM0_BASE 0x40000000ULL
#define SIM_RAM1_BASE 0x200000000ULL
#define SIM_GNTTAB_BASE 0x38000000ULL
#define SIM_GNTTAB_SIZE 0x01000000ULL
#define SIM_MAGIC_BASE 0x39000000ULL
#define SIM_GICD_BASE 0x03001000ULL
#define SIM_GICC_BASE 0x03002000ULL
#define SIM_EXT_REGION_BASE 0x80000000ULL /* above a small bank 0: unpopulated space */
#define SIM_EXT_REGION_SIZE 0x10000000ULL
/* Where xl puts a Linux Image with text_offset 0x80000 (xen-abi.md §8). */
#define SIM_IMAGE_BASE (SIM_RAM0_BASE + 0x80000)
#define SIM_IMAGE_SIZE 0x400000ULL

/* Valid but unusual values (Hafnium's fake arch idea): the magic pages are
 * swapped compared to xl (console is page 1, xenstore page 0) and the ports
 * are high and in different selector words, so a guest that hard-codes
 * anything instead of asking HVM params breaks in the sandbox. */
#define SIM_CONSOLE_GFN ((SIM_MAGIC_BASE >> 12) + 1)
#define SIM_STORE_GFN ((SIM_MAGIC_BASE >> 12) + 0)
#define SIM_CONSOLE_PORT 1027
#define SIM_STORE_PORT 3071
#define SIM_FIRST_FREE_PORT 700
#define SIM_BACKEND_DOMID 0
#define SIM_GUEST_DOMID 7
#define SIM_GNTTAB_MAX_FRAMES 64
#define SIM_XEN_MAJOR 4
#define SIM_XEN_MINOR 17
#define SIM_XEN_EXTRA ".3-sim"
/* Simulated time does not start at 0: catches "0 means unset" bugs. */
#define SIM_TIME_ORIGIN_NS 0x2f0000000000ULL

#define SIM_MAX_BANKS 4

struct sim_bank {
	uint64_t base;
	uint64_t size;
};

/* How the generated device tree differs from a normal libxl one. */
enum sim_dt_mode {
	SIM_DT_NORMAL = 0,
	SIM_DT_NO_HYPERVISOR, /* no /hypervisor node (not a Xen guest) */
	SIM_DT_NO_MEMORY,     /* no /memory node */
	SIM_DT_GIC_V3,	      /* GICv3 (GICD + GICR) instead of GIC-400 */
	SIM_DT_GARBAGE,	      /* bytes that are not a DT at all */
};

struct sim_config {
	unsigned int bank_count; /* 0 means one bank of 256 MiB at SIM_RAM0_BASE */
	struct sim_bank banks[SIM_MAX_BANKS];
	enum sim_dt_mode dt_mode;
	const char *bootargs; /* NULL: no bootargs property */
	uint64_t initrd_start, initrd_end; /* both 0: no initrd properties */
	bool no_ext_regions;		   /* only the grant-table region in /hypervisor reg */
	bool no_console;		   /* no console backend (HVM params still set) */
	bool no_store;			   /* HVM_PARAM_STORE_PFN reads as ~0 (dom0less) */
	/* Real time instead of simulated time (the interactive sandbox). */
	uint64_t (*host_time_ns)(void);
	/* Called when nothing happened in a wait: sleep up to @ns host time. */
	void (*host_idle)(uint64_t ns);
};

/** sim_init() - build a fresh world from @cfg (NULL: defaults). Returns 0 or -XEN_E*. */
int sim_init(const struct sim_config *cfg);
/** sim_reset() - tear everything down: RAM, pages, ports, backends, faults. */
void sim_reset(void);
/** sim_is_up() - true between sim_init() and sim_reset(). */
bool sim_is_up(void);

/** sim_fdt() - the DT placed in guest RAM, as xl does; @size receives its length. */
const void *sim_fdt(uint64_t *size);
/** sim_fdt_gpa() - the guest-physical address of that DT. */
uint64_t sim_fdt_gpa(void);

/* ---- the dispatcher (arch_hypercall lands here) ---- */
long sim_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4);

/* ---- time and waiting ---- */
uint64_t sim_time_ns(void);
/** sim_time_advance() - let @ns of simulated time pass (tests). */
void sim_time_advance(uint64_t ns);
/** sim_wait() - arch_wait(): step backends; if idle, move time toward @deadline_ns. */
void sim_wait(uint64_t deadline_ns);

/* ---- guest-physical memory ---- */
/** sim_phys_to_virt() - host pointer for @pa, or NULL if nothing is mapped there. */
void *sim_phys_to_virt(uint64_t pa);
/** sim_virt_to_phys() - the GPA of host pointer @va; ~0 if it is not guest memory. */
uint64_t sim_virt_to_phys(const void *va);
/** sim_gfn_is_ram() - true if @gfn is backed by (unshadowed) guest RAM. */
bool sim_gfn_is_ram(uint64_t gfn);
/** sim_ram_hole_count() - RAM pages removed by the guest and not repopulated. */
unsigned int sim_ram_hole_count(void);
/** sim_shinfo() - Xen's shared_info page (whether or not the guest mapped it). */
struct shared_info *sim_shinfo(void);
/** sim_shinfo_gfn() - where the guest mapped shared_info, or ~0. */
uint64_t sim_shinfo_gfn(void);

/* ---- the guest's page heap (arch_pages_alloc() in the sandbox) ---- */
/**
 * sim_heap_alloc() - @count contiguous pages of guest RAM from the heap
 * window, filled with 0xa5 (not zeros: the guest must zero what it grants).
 * Returns 0, -XEN_EINVAL (@count 0) or -XEN_ENOMEM.
 */
int sim_heap_alloc(size_t count, void **pages);
/** sim_heap_free() - give back exactly one allocation; ASan-poisoned until reused. */
void sim_heap_free(void *pages, size_t count);
/** sim_heap_range() - the heap window [start, end) in guest-physical addresses. */
void sim_heap_range(uint64_t *start, uint64_t *end);
/** sim_heap_used() - pages allocated and not freed (leak checks). */
size_t sim_heap_used(void);
/** sim_heap_set_limit() - fault knob: at most @pages in use at once (0: the window). */
void sim_heap_set_limit(size_t pages);

/** sim_console_ring() - the console ring page (HVM_PARAM_CONSOLE_PFN). */
struct xencons_interface *sim_console_ring(void);
/** sim_store_ring() - the xenstore ring page (HVM_PARAM_STORE_PFN). */
struct xenstore_domain_interface *sim_store_ring(void);

/* ---- event channels ---- */
/** sim_evtchn_notify_guest() - raise guest @port as Xen does (pending, selector, upcall). */
int sim_evtchn_notify_guest(evtchn_port_t port);
/** sim_evtchn_take_kick() - true (once) if the guest sent on @port since the last call. */
bool sim_evtchn_take_kick(evtchn_port_t port);
/**
 * sim_evtchn_backend_bind() - a backend in domain @dom connects to guest port
 * @port, which the guest allocated unbound for @dom. Returns 0, -XEN_EINVAL.
 */
int sim_evtchn_backend_bind(domid_t dom, evtchn_port_t port);
/** sim_evtchn_offer() - let the guest EVTCHNOP_bind_interdomain to (@dom, @remote_port). */
int sim_evtchn_offer(domid_t dom, evtchn_port_t remote_port);
/** sim_evtchn_is_pending() - true if guest @port's pending bit is set. */
bool sim_evtchn_is_pending(evtchn_port_t port);
/** sim_evtchn_is_open() - true if guest @port is allocated (unbound or bound). */
bool sim_evtchn_is_open(evtchn_port_t port);
/** sim_evtchn_remote() - remote domain of guest @port (unbound or bound), or -1. */
int sim_evtchn_remote(evtchn_port_t port);

/* ---- grant table (what backends consult) ---- */
/**
 * sim_gnttab_map() - backend domain @dom maps guest grant @ref, as
 * GNTTABOP_map_grant_ref would: the guest's entry must be permit_access for
 * @dom, not readonly if @write, and its frame must be guest RAM. Sets
 * GTF_reading/GTF_writing in the guest's entry until sim_gnttab_unmap().
 * Returns 0 and the host page in @page, or -XEN_EINVAL / -XEN_EPERM / -XEN_EFAULT.
 */
int sim_gnttab_map(domid_t dom, grant_ref_t ref, bool write, void **page);
/** sim_gnttab_unmap() - end a sim_gnttab_map(). */
void sim_gnttab_unmap(grant_ref_t ref, bool write);
/** sim_gnttab_entry() - a copy of guest entry @ref; -XEN_EINVAL beyond the table. */
int sim_gnttab_entry(grant_ref_t ref, struct grant_entry_v1 *out);
/** sim_gnttab_frame_count() - frames the table has grown to. */
unsigned int sim_gnttab_frame_count(void);
/** sim_gnttab_active_count() - guest entries (beyond the reserved ones) still granting access. */
unsigned int sim_gnttab_active_count(void);
/** sim_gnttab_frame_is_granted() - true if some active guest entry grants frame @gfn. */
bool sim_gnttab_frame_is_granted(uint64_t gfn);
/** sim_gnttab_frames_mapped() - grant frames the guest has mapped in its physmap now. */
unsigned int sim_gnttab_frames_mapped(void);

/* ---- backends ---- */
struct sim_backend_ops {
	const char *name;
	/* Runs on every guest wait, yield and poll, and after each guest
	 * EVTCHNOP_send. Returns how much it did (0: idle), so an idle world
	 * lets simulated time pass. */
	int (*step)(void *ctx);
	/* Frees the backend's state; called by sim_reset(). May be NULL. */
	void (*release)(void *ctx);
};

/** sim_backend_add() - plug in a backend until sim_reset(). Returns 0 or -XEN_ENOSPC. */
int sim_backend_add(const struct sim_backend_ops *ops, void *ctx);
/** sim_backends_step() - run every backend once; returns the sum of their work. */
int sim_backends_step(void);

/* ---- shutdown, statistics ---- */
/**
 * sim_set_shutdown_hook() - called on SCHEDOP_shutdown after the reason is
 * recorded. It may longjmp (tests), exit (the sandbox) or return, in which
 * case the hypercall returns 0 to the guest.
 */
void sim_set_shutdown_hook(void (*hook)(unsigned int reason, void *ctx), void *ctx);

struct sim_stats {
	unsigned int shutdown_count;
	unsigned int shutdown_reason;
	unsigned int hypercall_count;
	unsigned int console_io_count; /* refused CONSOLEIO attempts */
	unsigned int vcpu_op_count;    /* VCPUOP_* attempts (never needed, xen-abi.md §12) */
	unsigned int evtchn_send_count;
	unsigned int poll_count;
	unsigned int wait_count;
	unsigned int map_shared_count;
	unsigned int bad_address_count; /* phys_to_virt/virt_to_phys misses */
	uint64_t idle_ns;		/* simulated time that passed while idle */
};

const struct sim_stats *sim_stats(void);

#endif
