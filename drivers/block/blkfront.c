/* PV block frontend: finding devices and the XenBus handshake
 * (public/io/blkif.h state diagram; xen-abi.md §6, §12 rule 4).
 *
 * Connect: wait for the backend's InitWait, grant the ring pages and
 * allocate an event channel, write every key in one transaction (retried on
 * EAGAIN), go Initialised, wait for Connected, then read the geometry and
 * features. Teardown walks the device back to Initialising with the backend
 * at InitWait, so the OS finds it as the toolstack left it. Every value the
 * backend or XenStore gives is parsed strictly and checked (STYLE U3). */
#define LOG_PREFIX "blkfront: "
#include "blkfront_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xs.h>

#define BF_STATE_TIMEOUT_MS 10000
#define BF_KEY_MAX (XENBUS_PATH_MAX + 32)
#define BF_ENUM_BUF 512

static struct blkfront_dev bf_devs[BLKFRONT_MAX_DEVICES];
static bool bf_offer_persistent = true;

void blkfront_set_persistent(bool is_offered)
{
	bf_offer_persistent = is_offered;
}

/* "a".."z", "aa".."zz": the disk letters of Linux and xen-vbd-interface(7). */
static void bf_disk_letters(char *out, size_t size, unsigned int disk)
{
	if (disk < 26) {
		xb_snprintf(out, size, "%c", 'a' + disk);
	} else {
		xb_snprintf(out, size, "%c%c", 'a' + (disk / 26 - 1) % 26, 'a' + disk % 26);
	}
}

/* Name a device from its virtual-device number (xen-vbd-interface(7)). */
static void bf_name(char *out, size_t size, uint32_t vdev)
{
	const char *prefix = "xvd";
	unsigned int disk, part;
	char letters[4];

	if (vdev & (1u << 28)) {
		disk = (vdev >> 8) & 0xfffff;
		part = vdev & 0xff;
	} else if ((vdev >> 8) == 202) {
		disk = (vdev >> 4) & 15;
		part = vdev & 15;
	} else if ((vdev >> 8) == 8) {
		prefix = "sd";
		disk = (vdev >> 4) & 15;
		part = vdev & 15;
	} else if ((vdev >> 8) == 3 || (vdev >> 8) == 22) {
		prefix = "hd";
		disk = ((vdev >> 8) == 22 ? 2 : 0) + ((vdev >> 6) & 1);
		part = vdev & 63;
	} else {
		xb_snprintf(out, size, "vbd%u", (unsigned int)vdev);
		return;
	}
	if (disk >= 26 * 27) {
		xb_snprintf(out, size, "vbd%u", (unsigned int)vdev);
		return;
	}
	bf_disk_letters(letters, sizeof(letters), disk);
	if (part) {
		xb_snprintf(out, size, "%s%s%u", prefix, letters, part);
	} else {
		xb_snprintf(out, size, "%s%s", prefix, letters);
	}
}

/* virtual-device, or virtual-device-ext as Linux falls back to. */
static int bf_read_vdev(const char *node, uint32_t *vdev)
{
	uint64_t v;
	int rc = xenbus_read_u64(node, "virtual-device", UINT64_MAX, &v);

	if (!rc && v == UINT64_MAX) {
		rc = xenbus_read_u64(node, "virtual-device-ext", UINT64_MAX, &v);
	}
	if (!rc && v > UINT32_MAX) {
		rc = v == UINT64_MAX ? -ENOENT : -ERANGE;
	}
	if (!rc) {
		*vdev = (uint32_t)v;
	}
	return rc;
}

static int bf_wait_back(struct blkfront_dev *dev, uint32_t mask, enum xenbus_state *state)
{
	return xenbus_wait_otherend(&dev->xb, mask, BF_STATE_TIMEOUT_MS, state);
}

/* Grant the ring pages and open the event channel. */
static int bf_ring_setup(struct blkfront_dev *dev)
{
	uint64_t order;
	int rc = xenbus_read_u64(dev->xb.otherend, "max-ring-page-order", 0, &order);

	if (rc) {
		return rc;
	}
	dev->info.backend_ring_order = (unsigned int)MIN(order, 31ULL);
	order = MIN(order, (uint64_t)BF_MAX_RING_ORDER);
	dev->info.ring_pages = 1u << order;
	rc = bf_mem_ring(dev, dev->info.ring_pages);
	if (rc) {
		return rc;
	}
	dev->info.ring_entries = dev->ring_size;
	rc = evtchn_alloc_unbound(dev->xb.otherend_id, &dev->port);
	if (rc) {
		return rc;
	}
	dev->has_port = true;
	/* Unmasked, so an event wakes arch_wait(). */
	return evtchn_unmask(dev->port);
}

/* Our half of the keys, in transaction @tx (all or none: a commit that
 * races someone is retried by xs_transaction_retry()). */
static int bf_write_keys(xs_tx_t tx, void *ctx)
{
	struct blkfront_dev *dev = ctx;
	char path[BF_KEY_MAX];
	const char *node = dev->xb.nodename;
	int rc = 0;

	if (dev->info.ring_pages == 1) {
		xb_snprintf(path, sizeof(path), "%s/ring-ref", node);
		rc = xs_printf(tx, path, "%u", dev->ring_refs[0]);
	} else {
		for (unsigned int i = 0; !rc && i < dev->info.ring_pages; i++) {
			xb_snprintf(path, sizeof(path), "%s/ring-ref%u", node, i);
			rc = xs_printf(tx, path, "%u", dev->ring_refs[i]);
		}
		xb_snprintf(path, sizeof(path), "%s/ring-page-order", node);
		rc = rc ? rc : xs_printf(tx, path, "%u", __builtin_ctz(dev->info.ring_pages));
	}
	xb_snprintf(path, sizeof(path), "%s/event-channel", node);
	rc = rc ? rc : xs_printf(tx, path, "%u", dev->port);
	xb_snprintf(path, sizeof(path), "%s/protocol", node);
	rc = rc ? rc : xs_write(tx, path, XEN_IO_PROTO_ABI_ARM);
	xb_snprintf(path, sizeof(path), "%s/feature-persistent", node);
	rc = rc ? rc : xs_write(tx, path, bf_offer_persistent ? "1" : "0");
	return rc;
}

/* Geometry and mode, published by the backend before it went Connected. */
static int bf_read_geometry(struct blkfront_dev *dev)
{
	const char *back = dev->xb.otherend;
	struct blkfront_info *in = &dev->info;
	uint64_t sectors, ssize, info;
	char path[BF_KEY_MAX], mode[8];
	int rc;

	xb_snprintf(path, sizeof(path), "%s/sectors", back);
	rc = xs_read_u64(0, path, &sectors);
	rc = rc ? rc : xenbus_read_u64(back, "sector-size", BLKIF_SECTOR_SIZE, &ssize);
	rc = rc ? rc : xenbus_read_u64(back, "info", 0, &info);
	if (rc) {
		return rc;
	}
	/* sectors is in 512-byte units whatever sector-size says; we can
	 * address sector sizes that are powers of two up to a page. */
	if (ssize < BLKIF_SECTOR_SIZE || ssize > PAGE_SIZE || (ssize & (ssize - 1)) ||
	    sectors == 0 || sectors > UINT64_MAX / BLKIF_SECTOR_SIZE || info > UINT32_MAX) {
		log_notice("%s: unusable geometry (sectors %llu, sector-size %llu)\n", in->name,
			   (unsigned long long)sectors, (unsigned long long)ssize);
		return -EINVAL;
	}
	in->sectors = sectors;
	in->sector_size = (uint32_t)ssize;
	in->vdisk_info = (uint32_t)info;
	xb_snprintf(path, sizeof(path), "%s/mode", back);
	rc = xs_read(0, path, mode, sizeof(mode));
	if (rc && rc != -ENOENT && rc != -E2BIG) {
		return rc;
	}
	/* "w" or "w!" (shared) is writable; "r", anything odd or too long is not. */
	in->is_read_only = (info & VDISK_READONLY) || rc == -E2BIG ||
			   (!rc && strcmp(mode, "w") && strcmp(mode, "w!"));
	return 0;
}

/* Features: read after Connected, as Linux blkback writes some only then. */
static int bf_read_features(struct blkfront_dev *dev)
{
	const char *back = dev->xb.otherend;
	uint64_t flush, barrier, persistent, indirect;
	int rc = xenbus_read_u64(back, "feature-flush-cache", 0, &flush);

	rc = rc ? rc : xenbus_read_u64(back, "feature-barrier", 0, &barrier);
	rc = rc ? rc : xenbus_read_u64(back, "feature-persistent", 0, &persistent);
	rc = rc ? rc : xenbus_read_u64(back, "feature-max-indirect-segments", 0, &indirect);
	if (rc) {
		return rc;
	}
	dev->info.has_flush = flush != 0;
	dev->info.has_barrier = barrier != 0;
	/* On when we offered it and the backend says so too. */
	dev->info.has_persistent = bf_offer_persistent && persistent != 0;
	/* Kept as published (within the ABI's 8 pages), for `pvblock list`;
	 * bf_segs_per_request() applies our own cap. */
	dev->info.max_indirect_segs =
	    (unsigned int)MIN(indirect, (uint64_t)BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
					    BLKIF_SEGS_PER_INDIRECT_FRAME);
	if (dev->info.max_indirect_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		dev->info.max_indirect_segs = 0;
	}
	return 0;
}

/* The handshake of a device whose xenbus_device is set up. */
static int bf_handshake(struct blkfront_dev *dev)
{
	enum xenbus_state st;
	int rc = bf_wait_back(dev, 1u << XenbusStateInitWait, &st);

	rc = rc ? rc : bf_ring_setup(dev);
	rc = rc ? rc : xs_transaction_retry(bf_write_keys, dev);
	dev->is_published = !rc;
	rc = rc ? rc : xenbus_switch_state(&dev->xb, XenbusStateInitialised);
	if (rc) {
		return rc;
	}
	rc = bf_wait_back(dev,
			  (1u << XenbusStateConnected) | (1u << XenbusStateClosing) |
			      (1u << XenbusStateClosed),
			  &st);
	if (!rc && st != XenbusStateConnected) {
		log_notice("%s: backend closed during the handshake\n", dev->info.name);
		rc = -ENODEV;
	}
	rc = rc ? rc : bf_read_geometry(dev);
	rc = rc ? rc : bf_read_features(dev);
	if (!rc && dev->info.max_indirect_segs) {
		/* Only a backend that takes indirect requests costs these pages. */
		rc = bf_mem_indirect(dev);
	}
	rc = rc ? rc : xenbus_switch_state(&dev->xb, XenbusStateConnected);
	if (!rc) {
		dev->info.segs_per_request = bf_segs_per_request(dev);
		dev->info.max_in_flight = MIN((unsigned int)BF_MAX_IN_FLIGHT, dev->ring_size);
	}
	return rc;
}

/* Remove the keys bf_write_keys() wrote (absent ones are fine). */
static void bf_remove_keys(struct blkfront_dev *dev)
{
	static const char *const keys[] = {"ring-ref", "ring-page-order", "event-channel",
					   "protocol", "feature-persistent"};
	char path[BF_KEY_MAX];
	int rc, failed = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(keys) + BF_MAX_RING_PAGES; i++) {
		if (i < ARRAY_SIZE(keys)) {
			xb_snprintf(path, sizeof(path), "%s/%s", dev->xb.nodename, keys[i]);
		} else {
			xb_snprintf(path, sizeof(path), "%s/ring-ref%u", dev->xb.nodename,
				    (unsigned int)(i - ARRAY_SIZE(keys)));
		}
		rc = xs_rm(0, path);
		failed = (rc && rc != -ENOENT && !failed) ? rc : failed;
	}
	if (failed) {
		log_notice("%s: removing our keys failed: %s\n", dev->info.name,
			   errno_name(failed));
	}
}

/*
 * Free what the connection holds; the slot is reusable if this returns 0.
 * @is_closed: the backend reached Closed, so it unmapped everything and our
 * grants may end; otherwise none is ended and every shared page is lost.
 */
static int bf_release(struct blkfront_dev *dev, bool is_closed)
{
	int rc = 0;

	if (dev->is_registered) {
		blk_unregister(&dev->blk);
		dev->is_registered = false;
	}
	dev->is_connected = false;
	if (dev->has_port) {
		(void)evtchn_close(dev->port);
		dev->has_port = false;
	}
	if (is_closed) {
		/* A backend that misbehaves may still map some: those pages
		 * stay ours for good (MEMMAP_LOST). */
		rc = bf_mem_release(dev);
	} else {
		bf_mem_abandon(dev);
		rc = -EBUSY;
	}
	bf_remove_keys(dev);
	dev->is_published = false;
	if (!rc) {
		dev->is_used = false;
	}
	return rc;
}

/*
 * The handoff order (xen-abi.md §6, §12 rule 4): I/O done and flushed;
 * Closing -> Closed with the backend Closed; then (only then) grants ended,
 * event channel closed, our keys removed; Initialising with the backend
 * back at InitWait (Linux blkback's "prepare for reconnect"). A backend
 * that never closes keeps its pages (lost) and we stay Closed, a state
 * Linux's xenbus resets at boot.
 */
static int bf_disconnect(struct blkfront_dev *dev)
{
	int rc = 0;

	if (dev->is_connected && !dev->is_broken && dev->is_dirty) {
		rc = blkfront_flush(dev);
	}
	int step = xenbus_close(&dev->xb, BF_STATE_TIMEOUT_MS);
	if (step) {
		log_notice("%s: backend did not reach Closed (%s)\n", dev->info.name,
			   errno_name(step));
		/* Closed, not Closing: Linux resets a Closed frontend at boot. */
		if (xenbus_switch_state(&dev->xb, XenbusStateClosed)) {
			log_debug("%s: cannot even go Closed\n", dev->info.name);
		}
	}
	int rel = bf_release(dev, !step);
	if (!step) {
		step = xenbus_reopen(&dev->xb, BF_STATE_TIMEOUT_MS);
		if (step) {
			log_notice("%s: backend did not return to InitWait (%s)\n", dev->info.name,
				   errno_name(step));
		}
	}
	/* The reopen waited on the backend's state watch: only now can it go
	 * (each probe takes a new one, and XenStore has few slots). */
	xenbus_device_release(&dev->xb);
	return rc ? rc : (step ? step : rel);
}

static void bf_log_connected(const struct blkfront_dev *dev)
{
	const struct blkfront_info *in = &dev->info;

	log_info("%s: %llu MiB, %u-byte sectors, %s; ring %u page(s), %u segs/request, "
		 "persistent %s\n",
		 in->name, (unsigned long long)(in->sectors >> 11), in->sector_size,
		 in->is_read_only ? "read-only" : "read-write", in->ring_pages,
		 in->segs_per_request, in->has_persistent ? "yes" : "no");
}

/* Connect device/vbd/@id in slot @dev. */
static int bf_probe_one(struct blkfront_dev *dev, const char *id)
{
	char node[XENBUS_PATH_MAX];
	int rc;

	memset(dev, 0, sizeof(*dev));
	xb_snprintf(node, sizeof(node), "device/vbd/%s", id);
	xb_snprintf(dev->info.nodename, sizeof(dev->info.nodename), "%s", node);
	rc = bf_read_vdev(node, &dev->info.vdev);
	if (rc) {
		log_notice("%s: no usable virtual-device: %s\n", node, errno_name(rc));
		return rc;
	}
	bf_name(dev->info.name, sizeof(dev->info.name), dev->info.vdev);
	rc = xenbus_device_init(&dev->xb, node);
	if (rc) {
		log_notice("%s: %s\n", node, errno_name(rc));
		return rc;
	}
	dev->is_used = true;
	rc = bf_handshake(dev);
	if (rc) {
		log_notice("%s: not connected: %s\n", dev->info.name, errno_name(rc));
		if (dev->is_published) {
			(void)bf_disconnect(dev);
		} else {
			(void)bf_release(dev, true);
			xenbus_device_release(&dev->xb);
		}
		return rc;
	}
	dev->is_connected = true;
	bf_register(dev);
	bf_log_connected(dev);
	return 0;
}

/* Is device/vbd/@id already in a slot? A valid id is a short decimal number. */
static bool bf_skip_id(const char *id)
{
	size_t len = strlen(id);

	if (len == 0 || len > 10 || strspn(id, "0123456789") != len) {
		return true;
	}
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		const char *node = bf_devs[i].info.nodename;
		if (bf_devs[i].is_used && !strncmp(node, "device/vbd/", 11) &&
		    !strcmp(node + 11, id)) {
			return true;
		}
	}
	return false;
}

static int bf_free_slot(void)
{
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		if (!bf_devs[i].is_used) {
			return (int)i;
		}
	}
	return -ENOSPC;
}

int blkfront_probe_all(void)
{
	char ids[BF_ENUM_BUF];
	unsigned int count;
	int rc = xenbus_enumerate("vbd", ids, sizeof(ids), &count);

	if (rc == -ENOENT) {
		return 0; /* no disks at all */
	}
	if (rc) {
		return rc;
	}
	const char *id = ids;
	for (unsigned int i = 0; i < count; i++, id += strlen(id) + 1) {
		if (bf_skip_id(id)) {
			continue;
		}
		int slot = bf_free_slot();
		if (slot < 0) {
			log_warn("more than %u disks: device/vbd/%s ignored\n",
				 BLKFRONT_MAX_DEVICES, id);
			continue;
		}
		(void)bf_probe_one(&bf_devs[slot], id);
	}
	return (int)blkfront_count();
}

int blkfront_shutdown_report(unsigned int *reset, unsigned int *failed)
{
	int first = 0;

	*reset = *failed = 0;
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		struct blkfront_dev *dev = &bf_devs[i];
		if (!dev->is_used || !dev->is_published) {
			continue;
		}
		int rc = bf_disconnect(dev);
		first = first ? first : rc;
		*(rc ? failed : reset) += 1;
	}
	return first;
}

int blkfront_shutdown_all(void)
{
	unsigned int reset, failed;

	return blkfront_shutdown_report(&reset, &failed);
}

unsigned int blkfront_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		n += bf_devs[i].is_connected;
	}
	return n;
}

struct blkfront_dev *blkfront_get(unsigned int index)
{
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		if (bf_devs[i].is_connected && index-- == 0) {
			return &bf_devs[i];
		}
	}
	return NULL;
}

struct blkfront_dev *blkfront_find(const char *name)
{
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		if (bf_devs[i].is_connected && !strcmp(bf_devs[i].info.name, name)) {
			return &bf_devs[i];
		}
	}
	return NULL;
}

void bf_forget_all(void)
{
	for (unsigned int i = 0; i < BLKFRONT_MAX_DEVICES; i++) {
		bf_mem_forget(&bf_devs[i]);
	}
	memset(bf_devs, 0, sizeof(bf_devs));
}

void blkfront_get_info(const struct blkfront_dev *dev, struct blkfront_info *info)
{
	*info = dev->info;
}
