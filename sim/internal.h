/* Private interfaces between the parts of the simulated Xen. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <sim/sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <xen/abi/errno.h>

#define SIM_PAGE_SIZE 4096ULL
#define SIM_INVALID_GFN (~0ULL)

/* A bug in the sim itself or a test's misuse of it: stop loudly. */
#define sim_fatal(...)                                                                            \
	do {                                                                                       \
		fprintf(stderr, "sim: " __VA_ARGS__);                                             \
		abort();                                                                           \
	} while (0)


extern struct sim_config sim_cfg;
extern struct sim_stats sim_stat;

/* Each part sets itself up in sim_init() and frees everything in sim_reset(). */
int sim_mem_init(void);
void sim_mem_reset(void);
int sim_evtchn_init(void);
void sim_evtchn_reset(void);
int sim_gnttab_init(void);
void sim_gnttab_reset(void);
int sim_console_init(void);
void sim_console_reset(void);
/* The heap window ends at the DT, so it is set up once that is placed. */
int sim_heap_init(uint64_t fdt_gpa);
void sim_heap_reset(void);

/* Hypercall handlers; arguments are the guest's registers. */
long sim_memory_op(unsigned long cmd, void *arg);
long sim_evtchn_op(unsigned long cmd, void *arg);
long sim_gnttab_op(unsigned long cmd, void *arg, unsigned long count);
long sim_sched_poll(void *arg);
long sim_sched_shutdown(unsigned int reason);

/* Memory: let Xen-owned pages appear at a GFN (XENMEM_add_to_physmap). */
enum sim_page_kind {
	SIM_PG_XEN,   /* shared_info or a grant frame */
	SIM_PG_MAGIC, /* a toolstack page: console or xenstore ring */
	SIM_PG_ANON,  /* populated outside RAM */
	SIM_PG_IMAGE, /* a host page of the sandbox binary, standing in for the Image */
	SIM_PG_HOLE,  /* RAM taken away by remove_from_physmap */
};
int sim_mem_map_page(uint64_t gfn, void *host, enum sim_page_kind kind);
/** The GFN where Xen page @host is mapped, or SIM_INVALID_GFN. */
uint64_t sim_mem_xen_page_gfn(const void *host);
/** Host page the guest reaches at @gfn (RAM or mapped page), or NULL. */
void *sim_mem_gfn_to_host(uint64_t gfn, bool ram_only);

/* Event channels: is any port pending for the guest? */
bool sim_evtchn_upcall_pending(void);
void *sim_shinfo_page(void);

/* Grant table frames as Xen owns them. */
void *sim_gnttab_frame(unsigned int idx);
int sim_gnttab_grow(unsigned int frames);

/* Guest-owned copies: hypercall arguments are read into and written from
 * locals, never used in place (as copy_from_guest does in Xen). */
int sim_copy_from_guest(void *dst, const void *guest, size_t len);
int sim_copy_to_guest(void *guest, const void *src, size_t len);

#endif
