/* 2-level event channels, polled (no upcall handler). */
#ifndef XEN_EVTCHN_H
#define XEN_EVTCHN_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/abi/event_channel.h>

/** evtchn_init() - start using shared_info's pending bits (needs shinfo_map()); no ports owned yet.
 */
void evtchn_init(void);

/** evtchn_send() - notify the other end of @port. */
int evtchn_send(evtchn_port_t port);

/**
 * evtchn_test_and_clear() - true if @port was pending; clears it. Works
 * before evtchn_init() too (then it returns false: callers poll their rings).
 */
bool evtchn_test_and_clear(evtchn_port_t port);

/**
 * evtchn_wait() - wait until @port is pending or @deadline_ns passes, giving
 * the CPU back to Xen meanwhile. Returns 0 (pending, cleared) or -ETIMEDOUT.
 */
int evtchn_wait(evtchn_port_t port, uint64_t deadline_ns);

/** evtchn_unmask() - let events on @port raise the upcall (and wake arch_wait). */
int evtchn_unmask(evtchn_port_t port);

/** evtchn_alloc_unbound() - new port that domain @remote may bind to. */
int __must_check evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
/** evtchn_close() - close @port (masks it first). */
int evtchn_close(evtchn_port_t port);

/** evtchn_owned_count() - ports evtchn_alloc_unbound() gave us, not closed yet. */
unsigned int evtchn_owned_count(void);
/**
 * evtchn_close_all() - for handoff: close every port we allocated (never the
 * console's or XenStore's: those are the toolstack's). @closed receives how
 * many closed. No EVTCHNOP_reset: it would close the toolstack's ports too.
 * Returns 0 or the first error.
 */
int __must_check evtchn_close_all(unsigned int *closed);

#endif
