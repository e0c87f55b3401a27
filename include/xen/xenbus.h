/* XenBus frontend side: device enumeration and the state handshake. */
#ifndef XEN_XENBUS_H
#define XEN_XENBUS_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xen.h>
#include <xen/abi/xenbus.h>

#define XENBUS_PATH_MAX 128

struct xenbus_device {
	char nodename[XENBUS_PATH_MAX]; /* "device/vbd/51712" */
	char otherend[XENBUS_PATH_MAX]; /* backend path, validated */
	domid_t otherend_id;
	char watch_token[32];
};

/**
 * xenbus_enumerate() - the device ids under "device/<type>" (e.g. "vbd"),
 * NUL-separated into @buf; @count receives how many.
 */
int __must_check xenbus_enumerate(const char *type, char *buf, size_t size, unsigned int *count);

/** xenbus_device_init() - read backend/backend-id of @nodename, watch the backend state. */
int __must_check xenbus_device_init(struct xenbus_device *dev, const char *nodename);

int __must_check xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state);
int __must_check xenbus_read_otherend_state(struct xenbus_device *dev, enum xenbus_state *state);

/**
 * xenbus_wait_otherend() - wait (watch-driven, bounded by @timeout_ms) until
 * the backend state is one of the bits in @state_mask (1 << state).
 * Returns 0 and the state, or -ETIMEDOUT.
 */
int __must_check xenbus_wait_otherend(struct xenbus_device *dev, uint32_t state_mask,
				      unsigned int timeout_ms, enum xenbus_state *state);

/** xenbus_device_release() - unwatch. */
void xenbus_device_release(struct xenbus_device *dev);

#endif
