/* The simulated xenstored: serves the real xenstore_domain_interface ring
 * at HVM_PARAM_STORE_PFN (docs/misc/xenstore.txt, xenstore-ring.txt), with
 * fault knobs for tests, and a scripted XenBus backend state machine.
 * Relative guest paths are under /local/domain/SIM_GUEST_DOMID. Host-side
 * calls (sim_xs_write() etc.) act as dom0 would and fire the guest's
 * watches. Everything is freed by sim_reset(). */
#ifndef SIM_XENSTORE_H
#define SIM_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xenbus.h>

enum sim_xs_fault {
	SIM_XS_OK = 0,
	SIM_XS_WRONG_REQ_ID, /* the reply carries another req_id (the right one never comes) */
	SIM_XS_DUP_REQ_ID, /* the reply is sent twice */
	SIM_XS_WRONG_TYPE, /* the reply has another type than the request */
	SIM_XS_OVERSIZED, /* the reply claims XENSTORE_PAYLOAD_MAX + 100 bytes and sends them */
	SIM_XS_RSP_PROD_JUMP, /* rsp_prod jumps two rings ahead of rsp_cons */
	SIM_XS_EVENT_FIRST, /* an event for every guest watch comes before the reply */
	SIM_XS_BAD_EVENT, /* a malformed WATCH_EVENT comes before the reply */
	SIM_XS_STALL, /* requests are consumed and never answered */
	SIM_XS_ERROR, /* the reply is ERROR with the name from sim_xs_fault_error() */
	SIM_XS_NO_NUL, /* the reply's trailing NUL (ERROR, DIRECTORY, ids) is cut off */
	SIM_XS_TX_EAGAIN, /* transaction commits fail with EAGAIN */
	SIM_XS_WRONG_TX, /* the reply carries another tx_id than the request */
};

/**
 * sim_xs_start() - plug xenstored into the sim (call after sim_init()) and
 * write what the toolstack would: ~/domid, ~/name. Returns 0 or -XEN_E*.
 */
int sim_xs_start(void);

/**
 * sim_xs_fault() - misbehave on the next @count replies (commits for
 * SIM_XS_TX_EAGAIN); SIM_XS_STALL lasts @count requests. SIM_XS_OK clears.
 */
void sim_xs_fault(enum sim_xs_fault fault, unsigned int count);
/** sim_xs_fault_error() - SIM_XS_ERROR with payload @name (e.g. "EACCES"), sent verbatim. */
void sim_xs_fault_error(const char *name, unsigned int count);
/** sim_xs_set_trickle() - put at most @bytes into the rsp ring per step (0: no limit). */
void sim_xs_set_trickle(size_t bytes);
/**
 * sim_xs_late() - dom0less: HVM_PARAM_STORE_PFN reads ~0 until @pfn_after_ns
 * of simulated time passed, then the page has connection = RECONNECT for
 * another @connect_after_ns. Each change is signalled on the store port.
 * UINT64_MAX: never. Call before the guest's xs_init().
 */
void sim_xs_late(uint64_t pfn_after_ns, uint64_t connect_after_ns);

/* ---- the tree, as dom0 sees it (absolute paths) ---- */
int sim_xs_write(const char *path, const char *value);
/** sim_xs_read() - NUL-terminated value; -XEN_ENOENT, -XEN_E2BIG. */
/** sim_xs_write_bytes() - a value of @len bytes, NULs included. */
int sim_xs_write_bytes(const char *path, const void *value, size_t len);
int sim_xs_read(const char *path, char *buf, size_t size);
int sim_xs_rm(const char *path);
/** sim_xs_printf() - write @dir/@key = printf(@fmt, ...), as a backend does. */
int sim_xs_printf(const char *dir, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** sim_xs_read_num() - a decimal @dir/@key; @dflt when absent, -1 when garbage. */
long long sim_xs_read_num(const char *dir, const char *key, long long dflt);
bool sim_xs_exists(const char *path);

/**
 * sim_xs_on_change() - call @hook after each change the guest commits at
 * or below @prefix (absolute), with the changed path. Up to 16 hooks.
 */
int sim_xs_on_change(const char *prefix, void (*hook)(const char *path, void *ctx), void *ctx);

struct sim_xs_stats {
	unsigned int requests; /* messages taken from the req ring */
	unsigned int watches; /* guest watches registered now */
	unsigned int transactions; /* open now */
	unsigned int events; /* WATCH_EVENTs queued */
	unsigned int eagain; /* commits refused */
};

const struct sim_xs_stats *sim_xs_stats(void);

/* ---- a XenBus backend that follows the frontend (xen-abi.md §6) ---- */
struct sim_xs_backend;

/**
 * sim_xs_backend_add() - create ~/device/@type/@id (backend, backend-id,
 * state = Initialising) and /local/domain/0/backend/@type/<guest>/@id
 * (frontend, frontend-id, state = InitWait), and react to the frontend's
 * state: Initialised or Connected -> Connected, Closing -> Closing,
 * Closed -> Closed, Initialising -> InitWait. Returns NULL on failure.
 */
struct sim_xs_backend *sim_xs_backend_add(const char *type, unsigned int id);
/** The backend's directory (absolute). */
const char *sim_xs_backend_path(struct sim_xs_backend *be);
/** sim_xs_backend_set_state() - write the backend state now. */
int sim_xs_backend_set_state(struct sim_xs_backend *be, enum xenbus_state state);
/** sim_xs_backend_delay() - react @ns of simulated time after the frontend moves. */
void sim_xs_backend_delay(struct sim_xs_backend *be, uint64_t ns);
/** sim_xs_backend_freeze() - stop reacting (the frontend's waits time out). */
void sim_xs_backend_freeze(struct sim_xs_backend *be, bool is_frozen);
/**
 * sim_xs_backend_flap() - before its next reaction, pass through @seq, one
 * state per step (e.g. Connected, Closing, Connected).
 */
void sim_xs_backend_flap(struct sim_xs_backend *be, const enum xenbus_state *seq,
			 unsigned int count);

#endif
