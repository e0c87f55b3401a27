/* XenBus frontend side: device enumeration and the state handshake. */
#ifndef XEN_XENBUS_H
#define XEN_XENBUS_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xen.h>
#include <xen/abi/xenbus.h>

#define XENBUS_PATH_MAX 128

struct xenbus_device {
	char nodename[XENBUS_PATH_MAX]; /* "device/vbd/51712" */
	char otherend[XENBUS_PATH_MAX]; /* backend path, validated */
	domid_t otherend_id;
	char watch_token[32]; /* "" when not watching */
	bool has_noticed; /* one notice per misbehaving backend */
};

/** xenbus_state_name() - "Connected" etc., for messages. */
const char *xenbus_state_name(enum xenbus_state state);

/**
 * xenbus_enumerate() - the device ids under "device/<type>" (e.g. "vbd"),
 * NUL-separated into @buf; @count receives how many. Names that are not
 * plausible ids ([A-Za-z0-9_-], < 16 bytes) are dropped with a notice. No
 * "device/<type>" at all gives 0 devices, not an error.
 */
int __must_check xenbus_enumerate(const char *type, char *buf, size_t size, unsigned int *count);

/**
 * xenbus_read_u64() - the decimal number at "@dir/@key", parsed strictly
 * (xs_read_u64()), or @dflt when the key is absent. Other errors returned.
 */
int __must_check xenbus_read_u64(const char *dir, const char *key, uint64_t dflt, uint64_t *out);

/**
 * xenbus_device_init() - read backend/backend-id of @nodename (e.g.
 * "device/vbd/51712"), validate them (absolute printable path that fits,
 * backend-id a strict decimal below DOMID_FIRST_RESERVED) and watch the
 * backend's state node with a token unique to @dev. Returns 0, -EINVAL
 * (bad values, noticed once), or a XenStore error. Undo with
 * xenbus_device_release().
 */
int __must_check xenbus_device_init(struct xenbus_device *dev, const char *nodename);

/**
 * xenbus_switch_state() - write our "state" node, inside a transaction that
 * first checks the node still exists (-ENODEV if the device was removed).
 */
int __must_check xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state);
/**
 * xenbus_read_otherend_state() - the backend's state, strictly parsed: a
 * missing node, a non-number or a number above Reconfigured reads as
 * Unknown (the latter two with one notice). Other errors are returned.
 */
int __must_check xenbus_read_otherend_state(struct xenbus_device *dev, enum xenbus_state *state);

/**
 * xenbus_wait_otherend() - wait (watch-driven, bounded by @timeout_ms) until
 * the backend state is one of the bits in @state_mask (1 << state).
 * Reads the state first, so a change that came before the call counts.
 * Returns 0 and the state, or -ETIMEDOUT (@state holds the last one seen).
 */
int __must_check xenbus_wait_otherend(struct xenbus_device *dev, uint32_t state_mask,
				      unsigned int timeout_ms, enum xenbus_state *state);

/**
 * xenbus_teardown() - the reconnectable shutdown (xen-abi.md §6): we go
 * Closing, wait for the backend to reach Closing or Closed; go Closed, wait
 * for Closed; go Initialising, wait for InitWait. @timeout_ms bounds the
 * whole sequence. Returns 0, -ETIMEDOUT or a XenStore error.
 */
int __must_check xenbus_teardown(struct xenbus_device *dev, unsigned int timeout_ms);

/**
 * xenbus_close() - the first half of xenbus_teardown(): Closing, wait for
 * the backend's Closing or Closed; Closed, wait for Closed. After 0 the
 * backend has unmapped everything, so grants can end. @timeout_ms bounds both.
 */
int __must_check xenbus_close(struct xenbus_device *dev, unsigned int timeout_ms);
/** xenbus_reopen() - the second half: Initialising, wait for InitWait. */
int __must_check xenbus_reopen(struct xenbus_device *dev, unsigned int timeout_ms);

/** xenbus_device_release() - unwatch. */
void xenbus_device_release(struct xenbus_device *dev);

#endif
