/* PV network frontend: finding vifs and the XenBus handshake
 * (public/io/netif.h; the states and teardown of blkfront.c).
 *
 * Connect: wait for the backend's InitWait, check it can copy frames to us
 * (feature-rx-copy), take and grant the ring and buffer pages, allocate an
 * event channel, post every RX page, write our keys in one transaction
 * (request-rx-copy = 1, feature-rx-notify, no checksum offload), go
 * Connected and wait for the backend's Connected. Teardown walks the vif
 * back to Initialising with the backend at InitWait, so the OS finds it as
 * the toolstack left it. Every value read is parsed strictly (STYLE U3). */
#define LOG_PREFIX "netfront: "
#include "netfront_internal.h"

#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xs.h>

#define NF_STATE_TIMEOUT_MS 10000
#define NF_KEY_MAX (XENBUS_PATH_MAX + 32)
#define NF_ENUM_BUF 256
/* Pages per connection: 2 rings, the RX pages, the TX buffers. */
#define NF_PAGES (2 + NF_RX_BUFS + NF_TX_PAGES)

static struct netfront nf_devs[NETFRONT_MAX_DEVICES];
static bool nf_is_probed;

static int nf_hex(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c |= 0x20;
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* "00:16:3e:12:34:56", exactly, unicast. */
static int nf_parse_mac(const char *s, uint8_t mac[NETDEV_MAC_LEN])
{
	if (strlen(s) != 3 * NETDEV_MAC_LEN - 1) {
		return -EINVAL;
	}
	for (unsigned int i = 0; i < NETDEV_MAC_LEN; i++, s += 3) {
		int hi = nf_hex(s[0]), lo = nf_hex(s[1]);
		if (hi < 0 || lo < 0 || (i < NETDEV_MAC_LEN - 1 && s[2] != ':')) {
			return -EINVAL;
		}
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return (mac[0] & 1) ? -EINVAL : 0;
}

static int nf_read_mac(struct netfront *nf)
{
	char path[NF_KEY_MAX], text[24];

	xb_snprintf(path, sizeof(path), "%s/mac", nf->nodename);
	int rc = xs_read(0, path, text, sizeof(text));
	if (!rc) {
		rc = nf_parse_mac(text, nf->nd.mac);
	}
	if (rc) {
		log_notice("%s: no usable mac: %s\n", nf->nodename, errno_name(rc));
	}
	return rc;
}

static int nf_grant(struct netfront *nf, void *page, grant_ref_t *ref)
{
	return gnttab_grant(nf->xb.otherend_id, arch_virt_to_phys(page) >> PAGE_SHIFT, false, ref);
}

/* Rings, RX pages and TX buffers: one heap allocation, zeroed, granted. */
static int nf_mem_setup(struct netfront *nf)
{
	void *mem;
	int rc = arch_pages_alloc(NF_PAGES, &mem);

	if (rc) {
		return rc;
	}
	nf->ring_mem = mem;
	nf->rx_pages = nf->ring_mem + 2 * PAGE_SIZE;
	nf->tx_pages = nf->rx_pages + (size_t)NF_RX_BUFS * PAGE_SIZE;
	/* STYLE U4: nothing of ours is shared before it is zeroed. */
	memset(nf->rx_pages, 0, (size_t)(NF_RX_BUFS + NF_TX_PAGES) * PAGE_SIZE);
	nf_rings_init(nf, mem);
	for (; nf->ring_ref_count < 2; nf->ring_ref_count++) {
		rc = nf_grant(nf, nf->ring_mem + nf->ring_ref_count * PAGE_SIZE,
			      &nf->ring_refs[nf->ring_ref_count]);
		if (rc) {
			return rc;
		}
	}
	for (; nf->rx_ref_count < NF_RX_BUFS; nf->rx_ref_count++) {
		rc = nf_grant(nf, nf_rx_page(nf, nf->rx_ref_count), &nf->rx_refs[nf->rx_ref_count]);
		if (rc) {
			return rc;
		}
	}
	rc = evtchn_alloc_unbound(nf->xb.otherend_id, &nf->port);
	if (rc) {
		return rc;
	}
	nf->has_port = true;
	/* Unmasked, so an event wakes arch_wait(). */
	return evtchn_unmask(nf->port);
}

/*
 * End every grant and free the pages, or keep them for good (MEMMAP_LOST:
 * the OS must not get them either) if the backend still maps one or never
 * closed (@is_closed false: then no grant is ended at all). Returns -EBUSY
 * when pages were lost.
 */
static int nf_mem_release(struct netfront *nf, bool is_closed)
{
	unsigned int busy = 0;

	if (!nf->ring_mem) {
		return 0;
	}
	if (is_closed) {
		for (unsigned int id = 0; id < NF_TX_BUFS; id++) {
			busy += nf->tx_is_in_flight[id] && gnttab_end(nf->tx_refs[id]) != 0;
		}
		busy += gnttab_end_refs(nf->rx_refs, nf->rx_ref_count);
		busy += gnttab_end_refs(nf->ring_refs, nf->ring_ref_count);
	}
	if (busy || !is_closed) {
		nf_lose(nf, nf->ring_mem, (size_t)NF_PAGES * PAGE_SIZE);
		log_notice("%s: backend %s: %u pages stay granted, kept from the OS\n", nf->nd.name,
			   is_closed ? "still maps granted pages" : "not closed",
			   (unsigned int)NF_PAGES);
	} else if (!nf->has_lost) {
		arch_pages_free(nf->ring_mem, NF_PAGES);
	}
	/* With a page lost earlier (nf_lose()), the allocation stays taken. */
	int rc = (busy || !is_closed || nf->has_lost) ? -EBUSY : 0;
	nf->ring_mem = NULL;
	nf->ring_ref_count = nf->rx_ref_count = 0;
	nf->has_lost = false;
	return rc;
}

static int nf_write_keys(xs_tx_t tx, void *ctx)
{
	struct netfront *nf = ctx;
	static const char *const fixed[] = {"request-rx-copy", "feature-rx-notify",
					    "feature-no-csum-offload"};
	char path[NF_KEY_MAX];
	const char *node = nf->nodename;
	int rc;

	xb_snprintf(path, sizeof(path), "%s/tx-ring-ref", node);
	rc = xs_printf(tx, path, "%u", nf->ring_refs[0]);
	xb_snprintf(path, sizeof(path), "%s/rx-ring-ref", node);
	rc = rc ? rc : xs_printf(tx, path, "%u", nf->ring_refs[1]);
	xb_snprintf(path, sizeof(path), "%s/event-channel", node);
	rc = rc ? rc : xs_printf(tx, path, "%u", nf->port);
	/* Copy mode (the only one Linux netback has), RX notifications,
	 * and complete checksums in what it gives us. */
	for (unsigned int i = 0; !rc && i < ARRAY_SIZE(fixed); i++) {
		xb_snprintf(path, sizeof(path), "%s/%s", node, fixed[i]);
		rc = xs_write(tx, path, "1");
	}
	return rc;
}

static void nf_remove_keys(struct netfront *nf)
{
	static const char *const keys[] = {"tx-ring-ref",	"rx-ring-ref",
					   "event-channel",	"request-rx-copy",
					   "feature-rx-notify", "feature-no-csum-offload"};
	char path[NF_KEY_MAX];
	int failed = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
		xb_snprintf(path, sizeof(path), "%s/%s", nf->nodename, keys[i]);
		int rc = xs_rm(0, path);
		failed = (rc && rc != -ENOENT && !failed) ? rc : failed;
	}
	if (failed) {
		log_notice("%s: removing our keys failed: %s\n", nf->nd.name, errno_name(failed));
	}
}

/* The backend must copy frames to us (Linux netback has no other mode). */
static int nf_check_backend(struct netfront *nf)
{
	uint64_t copy, sg;
	int rc = xenbus_read_u64(nf->xb.otherend, "feature-rx-copy", 0, &copy);

	rc = rc ? rc : xenbus_read_u64(nf->xb.otherend, "feature-sg", 0, &sg);
	if (!rc && copy != 1) {
		log_notice("%s: backend cannot copy frames to us (feature-rx-copy)\n", nf->nd.name);
		rc = -EOPNOTSUPP;
	}
	nf->has_sg = !rc && sg == 1;
	return rc;
}

static int nf_wait_back(struct netfront *nf, uint32_t mask, enum xenbus_state *st)
{
	return xenbus_wait_otherend(&nf->xb, mask, NF_STATE_TIMEOUT_MS, st);
}

static int nf_handshake(struct netfront *nf)
{
	enum xenbus_state st;
	int rc = nf_wait_back(nf, 1u << XenbusStateInitWait, &st);

	rc = rc ? rc : nf_check_backend(nf);
	rc = rc ? rc : nf_mem_setup(nf);
	if (rc) {
		return rc;
	}
	/* The backend finds the ring full when it connects; it is not
	 * bound to our port yet, so no event. */
	nf_rx_refill(nf, false);
	rc = xs_transaction_retry(nf_write_keys, nf);
	nf->is_published = !rc;
	/* Linux netfront goes Connected at once; netback connects on it. */
	rc = rc ? rc : xenbus_switch_state(&nf->xb, XenbusStateConnected);
	rc = rc ? rc
		: nf_wait_back(nf,
			       (1u << XenbusStateConnected) | (1u << XenbusStateClosing) |
				   (1u << XenbusStateClosed),
			       &st);
	if (!rc && st != XenbusStateConnected) {
		log_notice("%s: backend closed during the handshake\n", nf->nd.name);
		rc = -ENODEV;
	}
	return rc;
}

/* Free what the connection holds; the slot is reusable if this returns 0. */
static int nf_release(struct netfront *nf, bool is_closed)
{
	if (nf->is_registered) {
		netdev_unregister(&nf->nd);
		nf->is_registered = false;
	}
	nf->is_connected = false;
	if (nf->has_port) {
		(void)evtchn_close(nf->port);
		nf->has_port = false;
	}
	int rc = nf_mem_release(nf, is_closed);
	if (nf->is_published) {
		nf_remove_keys(nf);
		nf->is_published = false;
	}
	if (!rc) {
		nf->is_used = false;
	}
	return rc;
}

/* The order of blkfront's bf_disconnect() (xen-abi.md §6, §12 rule 4). */
static int nf_disconnect(struct netfront *nf)
{
	int step = xenbus_close(&nf->xb, NF_STATE_TIMEOUT_MS);

	if (step) {
		log_notice("%s: backend did not reach Closed (%s)\n", nf->nd.name,
			   errno_name(step));
		/* Closed, not Closing: Linux resets a Closed frontend at boot. */
		if (xenbus_switch_state(&nf->xb, XenbusStateClosed)) {
			log_debug("%s: cannot even go Closed\n", nf->nd.name);
		}
	}
	int rel = nf_release(nf, !step);
	if (!step) {
		step = xenbus_reopen(&nf->xb, NF_STATE_TIMEOUT_MS);
		if (step) {
			log_notice("%s: backend did not return to InitWait (%s)\n", nf->nd.name,
				   errno_name(step));
		}
	}
	xenbus_device_release(&nf->xb);
	nf->is_used = false;
	return step ? step : rel;
}

/* Name and register the connected vif. */
static int nf_register(struct netfront *nf)
{
	xb_snprintf(nf->nd.name, sizeof(nf->nd.name), "eth%u", netdev_count());
	nf->nd.ops = &nf_netdev_ops;
	nf->nd.priv = nf;
	int rc = netdev_register(&nf->nd);
	nf->is_registered = !rc;
	return rc;
}

static int nf_probe_one(struct netfront *nf, const char *id)
{
	memset(nf, 0, sizeof(*nf));
	xb_snprintf(nf->nodename, sizeof(nf->nodename), "device/vif/%s", id);
	/* Until registered, messages name the node. */
	xb_snprintf(nf->nd.name, sizeof(nf->nd.name), "vif/%s", id);
	int rc = nf_read_mac(nf);
	rc = rc ? rc : xenbus_device_init(&nf->xb, nf->nodename);
	if (rc) {
		return rc;
	}
	nf->is_used = true;
	rc = nf_handshake(nf);
	if (!rc) {
		nf->is_connected = true;
		rc = nf_register(nf);
	}
	if (rc) {
		log_notice("%s: not connected: %s\n", nf->nodename, errno_name(rc));
		if (nf->is_published) {
			(void)nf_disconnect(nf);
		} else {
			(void)nf_release(nf, true);
			xenbus_device_release(&nf->xb);
			nf->is_used = false;
		}
		return rc;
	}
	const uint8_t *m = nf->nd.mac;
	log_info("%s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x\n", nf->nd.name, nf->nodename, m[0],
		 m[1], m[2], m[3], m[4], m[5]);
	return 0;
}

/* Is device/vif/@id already in a slot? A valid id is a short decimal number. */
static bool nf_skip_id(const char *id)
{
	size_t len = strlen(id);

	if (len == 0 || len > 10 || strspn(id, "0123456789") != len) {
		return true;
	}
	for (unsigned int i = 0; i < NETFRONT_MAX_DEVICES; i++) {
		if (nf_devs[i].is_used && !strcmp(nf_devs[i].nodename + 11, id)) {
			return true;
		}
	}
	return false;
}

int netfront_probe_all(void)
{
	char ids[NF_ENUM_BUF];
	unsigned int count;
	int rc = xenbus_enumerate("vif", ids, sizeof(ids), &count);

	nf_is_probed = true;
	if (rc) {
		return rc;
	}
	const char *id = ids;
	for (unsigned int i = 0; i < count; i++, id += strlen(id) + 1) {
		if (nf_skip_id(id)) {
			continue;
		}
		struct netfront *slot = NULL;
		for (unsigned int s = 0; !slot && s < NETFRONT_MAX_DEVICES; s++) {
			slot = nf_devs[s].is_used ? NULL : &nf_devs[s];
		}
		if (!slot) {
			log_warn("more than %u vifs: device/vif/%s ignored\n", NETFRONT_MAX_DEVICES,
				 id);
			continue;
		}
		(void)nf_probe_one(slot, id);
	}
	return (int)netfront_count();
}

unsigned int netfront_probe(void)
{
	if (!nf_is_probed) {
		int rc = netfront_probe_all();
		if (rc < 0) {
			log_notice("cannot enumerate vifs: %s\n", errno_name(rc));
		}
	}
	return netfront_count();
}

unsigned int netfront_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NETFRONT_MAX_DEVICES; i++) {
		n += nf_devs[i].is_connected;
	}
	return n;
}

int netfront_get_info(const struct netdev *dev, struct netfront_info *in)
{
	const struct netfront *nf = dev->priv;

	if (dev->ops != &nf_netdev_ops || !nf) {
		return -ENODEV;
	}
	memset(in, 0, sizeof(*in));
	memcpy(in->name, dev->name, sizeof(in->name));
	memcpy(in->nodename, nf->nodename, sizeof(in->nodename));
	xb_snprintf(in->backend, sizeof(in->backend), "%s", nf->xb.otherend);
	in->backend_id = nf->xb.otherend_id;
	memcpy(in->mac, dev->mac, sizeof(in->mac));
	in->is_broken = dev->is_broken;
	in->rx_posted = nf->rx_prod_pvt - nf->rx_cons;
	in->tx_in_flight = NF_TX_BUFS - nf->tx_free_count;
	in->tx_buffers = NF_TX_BUFS;
	in->rx_buffers = NF_RX_BUFS;
	in->has_sg = nf->has_sg;
	return 0;
}

int netfront_shutdown_report(unsigned int *reset, unsigned int *failed)
{
	int first = 0;

	*reset = *failed = 0;
	for (unsigned int i = 0; i < NETFRONT_MAX_DEVICES; i++) {
		struct netfront *nf = &nf_devs[i];
		if (!nf->is_used) {
			continue;
		}
		int rc = nf_disconnect(nf);
		first = first ? first : rc;
		*(rc ? failed : reset) += 1;
	}
	/* The next command that needs the network probes again. */
	nf_is_probed = false;
	return first;
}
