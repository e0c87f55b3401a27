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
 * evtchn_rearm() - before a wait on something other than one port (EFI's
 * WaitForEvent, Stall): clear the upcall hint and the selector bits, so
 * that the next event on any port wakes arch_wait() again. Port bits stay
 * for their own pollers.
 */
void evtchn_rearm(void);

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

/**
 * evtchn_handoff() - the last touch of shared_info before it is unmapped:
 * clear the vCPU's upcall flag. Xen raises the upcall interrupt only when
 * it sets that flag from 0, and copies it into the vcpu_info the OS
 * registers; left at 1, the OS would never get an event (seen in the lab:
 * Linux hung in its first XenStore request). Call it after
 * arch_irq_quiesce(), so an event from now on stays pending for the OS.
 */
void evtchn_handoff(void);

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
