/* XenStore client on the store ring page (HVM_PARAM_STORE_*). Replies are
 * untrusted: matched by req_id and type, bounded, NUL-terminated by us. */
#ifndef XEN_XS_H
#define XEN_XS_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_TIMEOUT_MS 5000 /* per request */

typedef uint32_t xs_tx_t; /* 0 = no transaction */

/** xs_init() - find the ring; waits (bounded, visibly) for a late xenstore. */
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

/** xs_watch() - watch @path with @token; events are queued for xs_wait_watch(). */
int __must_check xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/**
 * xs_wait_watch() - wait until a watch event for @token arrives or
 * @deadline_ns passes. Returns 0 or -ETIMEDOUT.
 */
int xs_wait_watch(const char *token, uint64_t deadline_ns);

/** xs_domid() - our own domain id (read from "domid"), cached. */
int __must_check xs_domid(uint32_t *domid);

/** xs_reset() - for handoff: no requests in flight, watches removed. */
int xs_reset(void);

#endif
