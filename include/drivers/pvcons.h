/* PV console frontend on the ring page Xen gives us (HVM_PARAM_CONSOLE_*). */
#ifndef DRIVERS_PVCONS_H
#define DRIVERS_PVCONS_H

#include <lib/compiler.h>
#include <stdint.h>
#include <xen/abi/console.h>
#include <xen/abi/event_channel.h>

/* How long output waits for a full ring to drain before dropping bytes. */
#define PVCONS_OUT_TIMEOUT_MS 2000
/* The same after pvcons_handoff(), when the jump to the OS is near. */
#define PVCONS_POLLED_OUT_TIMEOUT_MS 200

struct pvcons_stats {
	uint64_t dropped; /* output bytes dropped (ring stuck or disconnected) */
	uint64_t bad_indices; /* times the backend's indices were impossible */
};

/**
 * pvcons_init() - attach to the ring at @ring (already mapped Normal WB) with
 * event channel @port. Output written before this is lost (there is no other
 * channel in a release Xen build).
 */
void pvcons_init(struct xencons_interface *ring, evtchn_port_t port);

/** pvcons_init_from_hvm() - look up ring and port in the HVM params, map, attach. */
int __must_check pvcons_init_from_hvm(void);

/** pvcons_is_ready() - true once pvcons_init() ran. */
int pvcons_is_ready(void);

/**
 * pvcons_write() - queue @len bytes; waits (bounded, yielding) for room.
 * Bytes that cannot be queued within PVCONS_OUT_TIMEOUT_MS are dropped and
 * counted; after a drop, later writes do not wait again until the backend
 * makes progress (so a dead backend costs one timeout, not one per line).
 */
void pvcons_write(const char *buf, size_t len);

/**
 * pvcons_read() - take up to @size input bytes, waiting until @deadline_ns for
 * the first one. Returns the count (0 on timeout). Backend indices are
 * validated; an impossible in_prod is ignored and counted.
 */
size_t pvcons_read(char *buf, size_t size, uint64_t deadline_ns);

/**
 * pvcons_flush() - wait until the backend consumed all output, @deadline_ns
 * passed, the backend is disconnected, or it stays stuck after an earlier
 * write timed out. The console layer's flush (console_flush()).
 */
void pvcons_flush(uint64_t deadline_ns);

/**
 * pvcons_handoff() - for handoff (xen-abi.md §12.7): consume pending input,
 * flush output (bounded by @deadline_ns), and from then on never use an
 * event channel wait or shared_info: later writes (a last "Starting kernel"
 * line) poll the ring with a short PVCONS_POLLED_OUT_TIMEOUT_MS bound, and
 * console_flush() polls too. Returns pvcons_check_quiet().
 */
int pvcons_handoff(uint64_t deadline_ns);

/**
 * pvcons_check_quiet() - 0 when the ring is as the OS should find it: every
 * byte we wrote consumed, no input pending, indices ours and sane; -EBUSY
 * (output or input still pending) or -EIO (impossible indices).
 */
int pvcons_check_quiet(void);

void pvcons_get_stats(struct pvcons_stats *stats);

#endif
