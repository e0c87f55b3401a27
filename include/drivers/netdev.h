/* Network devices: the one API the IP stack sends and receives through. A
 * driver (PV netfront, a test loopback) fills a struct netdev and registers
 * it; the stack never sees rings or grants. Frames are whole Ethernet
 * frames without the FCS, copied in both directions, so the driver can
 * reuse its granted pages at once. */
#ifndef DRIVERS_NETDEV_H
#define DRIVERS_NETDEV_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETDEV_NAME_MAX 16
#define NETDEV_MAC_LEN 6
/* Largest frame either way: 1500-byte MTU + 14-byte Ethernet header. */
#define NETDEV_FRAME_MAX 1514

struct netdev;

struct netdev_ops {
	/* Queue one frame of @len bytes (14..NETDEV_FRAME_MAX) for sending; the
	 * driver copies it before returning. 0, -EAGAIN (no room now: poll
	 * and retry), -EIO (device broken). */
	int (*send)(struct netdev *dev, const void *frame, size_t len);
	/* Copy the next received frame into @buf (@size >= NETDEV_FRAME_MAX)
	 * and set *@len. 0, -EAGAIN (nothing received), -EIO (broken). Also
	 * reclaims completed sends. */
	int (*poll)(struct netdev *dev, void *buf, size_t size, size_t *len);
	/* Give the CPU back until a frame may have arrived or @deadline_ns
	 * (arch_time_ns() scale). May return early; never spins. */
	void (*wait)(struct netdev *dev, uint64_t deadline_ns);
};

struct netdev_stats {
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t rx_frames;
	uint64_t rx_bytes;
	uint64_t rx_dropped; /* refused by the driver: bad slot, size, status */
};

struct netdev {
	char name[NETDEV_NAME_MAX]; /* "eth0" */
	uint8_t mac[NETDEV_MAC_LEN];
	bool is_broken; /* set once by netdev_mark_broken() */
	const struct netdev_ops *ops;
	void *priv; /* the driver's */
	struct netdev_stats stats; /* kept by the driver */

	/* Owned by netdev.c. */
	unsigned int index;
	struct netdev *next;
};

/** netdev_register() - add @dev (owned by the driver). -EINVAL without
 * ops, -EEXIST when already registered. */
int __must_check netdev_register(struct netdev *dev);
void netdev_unregister(struct netdev *dev);
struct netdev *netdev_get(unsigned int index);
struct netdev *netdev_find(const char *name);
unsigned int netdev_count(void);
/** netdev_mark_broken() - one NOTICE naming @why; later I/O fails with -EIO. */
void netdev_mark_broken(struct netdev *dev, const char *why);

/** netdev_send() / netdev_poll() / netdev_wait() - the ops, with the broken
 * check and the frame-length bounds enforced here once. */
int __must_check netdev_send(struct netdev *dev, const void *frame, size_t len);
int __must_check netdev_poll(struct netdev *dev, void *buf, size_t size, size_t *len);
void netdev_wait(struct netdev *dev, uint64_t deadline_ns);

#endif
