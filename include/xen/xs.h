/* XenStore client on the store ring page (HVM_PARAM_STORE_*). Replies are
 * untrusted: matched by req_id and type, bounded, NUL-terminated by us. */
#ifndef XEN_XS_H
#define XEN_XS_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_TIMEOUT_MS 5000 /* per request */
/* Dom0less: how long xs_init() waits for a late xenstore, and how often it
 * re-reads HVM_PARAM_STORE_PFN meanwhile. */
#define XS_LATE_TIMEOUT_MS 30000
#define XS_LATE_POLL_MS 100
#define XS_MAX_WATCHES 16
/* Room for any number XenStore holds ("18446744073709551615"), with the NUL. */
#define XS_NUM_TEXT_MAX 24
/* A whole reply payload plus our NUL (xs_wire.h XENSTORE_PAYLOAD_MAX = 4096). */
#define XENSTORE_PAYLOAD_MAX_TEXT (4096 + 1)
#define XS_TOKEN_MAX 32 /* including the NUL */
#define XS_WATCH_PATH_MAX 256 /* including the NUL */

typedef uint32_t xs_tx_t; /* 0 = no transaction */

/**
 * xs_init() - find the ring (HVM_PARAM_STORE_PFN/EVTCHN) and map it. If it
 * is not there yet (dom0less: STORE_PFN ~0, or connection = RECONNECT),
 * prints "waiting for xenstore..." and waits up to XS_LATE_TIMEOUT_MS.
 * Returns 0, -ETIMEDOUT, -ENODEV (bad params) or a hypercall error.
 */
int __must_check xs_init(void);

/** xs_read() - value of @path into @buf (NUL-terminated); -ENOENT, -E2BIG, -ETIMEDOUT... */
int __must_check xs_read(xs_tx_t tx, const char *path, char *buf, size_t size);
/** xs_read_u64() - value of @path parsed strictly as a decimal number. */
int __must_check xs_read_u64(xs_tx_t tx, const char *path, uint64_t *value);
int __must_check xs_write(xs_tx_t tx, const char *path, const char *value);
int __must_check xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...) __printf(3, 4);
int __must_check xs_mkdir(xs_tx_t tx, const char *path);
int __must_check xs_rm(xs_tx_t tx, const char *path);

/**
 * xs_directory() - child names of @path, NUL-separated, into @buf;
 * @count receives how many. -E2BIG if they do not fit.
 */
int __must_check xs_directory(xs_tx_t tx, const char *path, char *buf, size_t size,
			      unsigned int *count);

int __must_check xs_transaction_start(xs_tx_t *tx);
/** xs_transaction_end() - commit (or abort); -EAGAIN means retry the whole transaction. */
int __must_check xs_transaction_end(xs_tx_t tx, bool abort);

#define XS_TRANSACTION_TRIES 8

/**
 * xs_transaction_retry() - run @fn inside a transaction and commit it,
 * starting over (up to XS_TRANSACTION_TRIES times) while the commit fails
 * with -EAGAIN. If @fn fails, the transaction is aborted and its error
 * returned. Returns 0, @fn's error, -EAGAIN (still conflicting) or -errno.
 */
int __must_check xs_transaction_retry(int (*fn)(xs_tx_t tx, void *ctx), void *ctx);

/**
 * xs_watch() - watch @path with @token (unique, < XS_TOKEN_MAX bytes);
 * events are queued for xs_wait_watch(). XenStore fires one event at once,
 * so the first wait returns immediately. Returns 0, -EEXIST (token in use),
 * -ENOSPC (XS_MAX_WATCHES), -EINVAL or a request error.
 */
int __must_check xs_watch(const char *path, const char *token);
/** xs_unwatch() - stop the watch; its queued events are dropped. -ENOENT if unknown. */
int xs_unwatch(const char *path, const char *token);
/**
 * xs_wait_watch() - wait until a watch event for @token arrives or
 * @deadline_ns (arch_time_ns() scale) passes. Events that came earlier
 * count, and several are coalesced into one return: re-read what you watch.
 * Returns 0, -ETIMEDOUT, -ENOENT (no such watch) or -EIO (xenstore broken).
 */
int xs_wait_watch(const char *token, uint64_t deadline_ns);

/** xs_domid() - our own domain id (read from "domid", checked < DOMID_SELF). */
int __must_check xs_domid(uint32_t *domid);

/**
 * xs_reset() - for handoff (xen-abi.md §12.5, 8): remove every watch, abort
 * every transaction we may have left open, then wait (bounded by
 * XS_TIMEOUT_MS) until late replies to timed-out requests came and the
 * server took every request byte. Returns 0 or the first error.
 */
int xs_reset(void);
/** xs_is_quiet() - no watch, no open transaction, no request or reply outstanding. */
bool xs_is_quiet(void);

/**
 * xs_detach() - forget the ring and all state without a word to the server
 * (tests; and handoff_xen() after xs_reset(), so later requests fail -ENODEV).
 */
void xs_detach(void);

struct xs_stats {
	bool is_up, is_broken;
	unsigned int requests, timeouts;
	unsigned int stale_replies; /* wrong req_id: late or duplicate */
	unsigned int events; /* watch events queued */
	unsigned int stray_events; /* for a token we do not watch */
	unsigned int bad_events; /* malformed watch events */
};

/** xs_get_stats() - counters, for tests and the xs command. */
void xs_get_stats(struct xs_stats *out);

#endif
