/* The simulated xenstored on the real store ring (xs_wire.h,
 * docs/misc/xenstore.txt, docs/misc/xenstore-ring.txt). It runs as a sim
 * backend: each step takes whole requests from the req ring, answers them
 * into an output queue, and copies as much of the queue as fits into the
 * rsp ring. Because a guest's EVTCHNOP_send steps the backends at once, a
 * reply is often in the ring before evtchn_send() returns, which is what
 * catches clients that look for replies only after waiting. */
#include "xs_internal.h"

#include <stdio.h>
#include <string.h>
#include <xen/abi/xs_wire.h>

/* Error names on the wire are Xen's errno names; lib/errno.c has the
 * table (its values are Xen's), declared here to keep the host's errno.h
 * macros and ours apart. */
const char *errno_name(int err);


struct sim_xsd sim_xsd;

static void xsd_release(void *ctx)
{
	(void)ctx;
	sim_xs_tree_free(&sim_xsd.tree);
	for (unsigned int i = 0; i < SIM_XS_MAX_TX; i++) {
		sim_xs_tree_free(&sim_xsd.txs[i].tree);
	}
	for (unsigned int i = 0; i < SIM_XS_MAX_WATCHES; i++) {
		free(sim_xsd.watches[i].path);
		free(sim_xsd.watches[i].token);
	}
	free(sim_xsd.out);
	memset(&sim_xsd, 0, sizeof(sim_xsd));
}

/* ---- output ---- */

static void out_put(const void *data, size_t len)
{
	if (sim_xsd.out_len + len > sim_xsd.out_cap) {
		size_t cap = (sim_xsd.out_len + len) * 2;
		unsigned char *p = realloc(sim_xsd.out, cap);
		if (!p) {
			sim_fatal("xenstored: out of memory\n");
		}
		sim_xsd.out = p;
		sim_xsd.out_cap = cap;
	}
	memcpy(sim_xsd.out + sim_xsd.out_len, data, len);
	sim_xsd.out_len += len;
}

static void out_msg(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *body, size_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };

	out_put(&h, sizeof(h));
	out_put(body, len);
}

bool sim_xsd_fault_take(enum sim_xs_fault f)
{
	if (sim_xsd.fault != f || !sim_xsd.fault_count) {
		return false;
	}
	if (--sim_xsd.fault_count == 0) {
		sim_xsd.fault = SIM_XS_OK;
	}
	return true;
}

/* Guest-relative form of an absolute path, for a relative watch. */
static const char *home_relative(const char *path, bool is_relative)
{
	char home[64];
	size_t n = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/", SIM_GUEST_DOMID);

	if (is_relative && strncmp(path, home, n) == 0) {
		return path + n;
	}
	return path;
}

void sim_xsd_to_absolute(const char *path, char *abs, size_t size)
{
	if (path[0] == '/') {
		snprintf(abs, size, "%s", path);
	} else {
		snprintf(abs, size, "/local/domain/%u/%s", SIM_GUEST_DOMID, path);
	}
}

static bool is_related(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	size_t n = na < nb ? na : nb;

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/') && (b[n] == '\0' || b[n] == '/');
}

static void fire_one(unsigned int i, const char *abs)
{
	char body[SIM_XS_PATH_MAX + 64];
	bool rel = sim_xsd.watches[i].path[0] != '/';
	const char *p = home_relative(abs, rel);
	size_t pl = strlen(p) + 1, tl = strlen(sim_xsd.watches[i].token) + 1;

	memcpy(body, p, pl);
	memcpy(body + pl, sim_xsd.watches[i].token, tl);
	out_msg(XS_WATCH_EVENT, 0, 0, body, pl + tl);
	sim_xsd.stats.events++;
}

/* A change at @abs fires watches on it, its parents and its children. */
static void fire_watches(const char *abs)
{
	char w[SIM_XS_PATH_MAX];

	for (unsigned int i = 0; i < SIM_XS_MAX_WATCHES; i++) {
		if (!sim_xsd.watches[i].path) {
			continue;
		}
		sim_xsd_to_absolute(sim_xsd.watches[i].path, w, sizeof(w));
		if (is_related(abs, w)) {
			fire_one(i, abs);
		}
	}
}

void sim_xsd_note_change(const char *abs, bool is_guest)
{
	sim_xsd.generation++;
	fire_watches(abs);
	if (is_guest && sim_xsd.changed_count < sizeof(sim_xsd.changed) / sizeof(sim_xsd.changed[0])) {
		snprintf(sim_xsd.changed[sim_xsd.changed_count++], SIM_XS_PATH_MAX, "%s", abs);
	}
}

static void run_hooks(void)
{
	unsigned int n = sim_xsd.changed_count;

	sim_xsd.changed_count = 0;
	for (unsigned int c = 0; c < n; c++) {
		for (unsigned int i = 0; i < SIM_XS_MAX_HOOKS; i++) {
			if (sim_xsd.hooks[i].fn && is_related(sim_xsd.changed[c], sim_xsd.hooks[i].prefix) &&
			    strlen(sim_xsd.changed[c]) >= strlen(sim_xsd.hooks[i].prefix)) {
				sim_xsd.hooks[i].fn(sim_xsd.changed[c], sim_xsd.hooks[i].ctx);
			}
		}
	}
}

/* Everything that goes out before the reply, in place of it, or after it. */
static void send_reply(const struct xsd_sockmsg *h, struct sim_xs_reply *r)
{
	uint32_t req_id = h->req_id;

	if (sim_xsd_fault_take(SIM_XS_EVENT_FIRST)) {
		for (unsigned int i = 0; i < SIM_XS_MAX_WATCHES; i++) {
			if (sim_xsd.watches[i].path) {
				fire_one(i, "/unsolicited");
			}
		}
	}
	if (sim_xsd_fault_take(SIM_XS_BAD_EVENT)) {
		out_msg(XS_WATCH_EVENT, 0, 0, "no-token", 8);
	}
	if (sim_xsd_fault_take(SIM_XS_ERROR)) {
		/* Verbatim, so tests can send names no errno has. */
		r->type = XS_ERROR;
		sim_xsd_set_body(r, sim_xsd.error_name, strlen(sim_xsd.error_name) + 1);
	} else if (r->err) {
		const char *name = errno_name(r->err);
		r->type = XS_ERROR;
		sim_xsd_set_body(r, name, strlen(name) + 1);
	}
	if (sim_xsd_fault_take(SIM_XS_NO_NUL) && r->len && r->body[r->len - 1] == '\0') {
		r->len--;
	}
	if (sim_xsd_fault_take(SIM_XS_WRONG_TYPE)) {
		r->type = r->type == XS_READ ? XS_WRITE : XS_READ;
	}
	if (sim_xsd_fault_take(SIM_XS_WRONG_REQ_ID)) {
		req_id += 1000;
	}
	uint32_t tx_id = h->tx_id;
	if (sim_xsd_fault_take(SIM_XS_WRONG_TX)) {
		tx_id += 1000;
	}
	if (sim_xsd_fault_take(SIM_XS_OVERSIZED)) {
		static char junk[XENSTORE_PAYLOAD_MAX + 100];
		memset(junk, 'z', sizeof(junk));
		out_msg(r->type, req_id, tx_id, junk, sizeof(junk));
	} else {
		out_msg(r->type, req_id, tx_id, r->body, r->len);
	}
	if (sim_xsd_fault_take(SIM_XS_DUP_REQ_ID)) {
		out_msg(r->type, req_id, h->tx_id, r->body, r->len);
	}
	/* xenstored fires a new watch once, right away. */
	if (r->new_watch >= 0) {
		char abs[SIM_XS_PATH_MAX];
		sim_xsd_to_absolute(sim_xsd.watches[r->new_watch].path, abs, sizeof(abs));
		fire_one((unsigned int)r->new_watch, abs);
	}
}

/* Take one whole request from the req ring, if there is one. */
static bool take_request(struct xenstore_domain_interface *intf)
{
	uint32_t cons = intf->req_cons, prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
	bool did = false;

	if (prod - cons > XENSTORE_RING_SIZE) {
		sim_fatal("xenstored: guest req_prod 0x%x is beyond req_cons 0x%x\n", prod, cons);
	}
	while (cons != prod) {
		size_t want = sim_xsd.in_have < SIM_XS_HDR ? SIM_XS_HDR : SIM_XS_HDR + ((struct xsd_sockmsg *)sim_xsd.in)->len;
		if (sim_xsd.in_have == SIM_XS_HDR && want > sizeof(sim_xsd.in)) {
			sim_fatal("xenstored: guest request of %zu bytes\n", want - SIM_XS_HDR);
		}
		if (sim_xsd.in_have == want) {
			break;
		}
		sim_xsd.in[sim_xsd.in_have++] = (unsigned char)intf->req[cons++ & (XENSTORE_RING_SIZE - 1)];
		did = true;
	}
	__atomic_store_n(&intf->req_cons, cons, __ATOMIC_RELEASE);
	return did;
}

static bool is_complete(void)
{
	return sim_xsd.in_have >= SIM_XS_HDR && sim_xsd.in_have == SIM_XS_HDR + ((struct xsd_sockmsg *)sim_xsd.in)->len;
}

static int handle_request(void)
{
	static struct sim_xs_reply r;
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];

	memcpy(&h, sim_xsd.in, SIM_XS_HDR);
	memcpy(body, sim_xsd.in + SIM_XS_HDR, h.len);
	body[h.len] = '\0';
	sim_xsd.in_have = 0;
	sim_xsd.stats.requests++;
	if (sim_xsd_fault_take(SIM_XS_STALL)) {
		return 1;
	}
	memset(&r, 0, sizeof(r));
	sim_xsd_process(&h, body, &r);
	send_reply(&h, &r);
	run_hooks();
	return 1;
}

/* Copy the output queue into the rsp ring as far as it fits. */
static int flush_output(struct xenstore_domain_interface *intf)
{
	uint32_t prod = intf->rsp_prod;
	uint32_t cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
	size_t space = XENSTORE_RING_SIZE - (prod - cons);
	size_t n = sim_xsd.out_len < space ? sim_xsd.out_len : space;

	if (sim_xsd.trickle && n > sim_xsd.trickle) {
		n = sim_xsd.trickle;
	}
	if (sim_xsd_fault_take(SIM_XS_RSP_PROD_JUMP)) {
		__atomic_store_n(&intf->rsp_prod, cons + 2 * XENSTORE_RING_SIZE, __ATOMIC_RELEASE);
		sim_evtchn_notify_guest(SIM_STORE_PORT);
		return 1;
	}
	if (!n) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		intf->rsp[(prod + i) & (XENSTORE_RING_SIZE - 1)] = (char)sim_xsd.out[i];
	}
	memmove(sim_xsd.out, sim_xsd.out + n, sim_xsd.out_len - n);
	sim_xsd.out_len -= n;
	__atomic_store_n(&intf->rsp_prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
	sim_evtchn_notify_guest(SIM_STORE_PORT);
	return 1;
}

/* Dom0less: the page appears, then the server connects (xen-abi.md §7). */
static bool is_late(struct xenstore_domain_interface *intf)
{
	uint64_t now = sim_time_ns();

	if (sim_cfg.no_store) {
		if (now < sim_xsd.pfn_at) {
			return true;
		}
		sim_cfg.no_store = false;
		intf->connection = sim_xsd.connect_at ? XENSTORE_RECONNECT : XENSTORE_CONNECTED;
		sim_xsd.connect_at = sim_xsd.connect_at == UINT64_MAX ? UINT64_MAX : now + sim_xsd.connect_at;
		sim_evtchn_notify_guest(SIM_STORE_PORT);
	}
	if (intf->connection == XENSTORE_RECONNECT) {
		if (now < sim_xsd.connect_at) {
			return true;
		}
		intf->connection = XENSTORE_CONNECTED;
		sim_evtchn_notify_guest(SIM_STORE_PORT);
	}
	return false;
}

static int xsd_step(void *ctx)
{
	struct xenstore_domain_interface *intf = sim_store_ring();
	int work = 0;

	(void)ctx;
	if (!intf || is_late(intf)) {
		return 0;
	}
	sim_evtchn_take_kick(SIM_STORE_PORT);
	for (;;) {
		bool did = take_request(intf);
		work += did;
		if (!is_complete()) {
			break;
		}
		work += handle_request();
	}
	return work + flush_output(intf);
}

static const struct sim_backend_ops xsd_ops = {
	.name = "xenstored",
	.step = xsd_step,
	.release = xsd_release,
};

/* ---- the test's side ---- */

int sim_xs_start(void)
{
	char path[64];

	if (sim_xsd.is_up) {
		return 0;
	}
	memset(&sim_xsd, 0, sizeof(sim_xsd));
	int rc = sim_backend_add(&xsd_ops, NULL);
	if (rc) {
		return rc;
	}
	sim_xsd.is_up = true;
	snprintf(path, sizeof(path), "/local/domain/%u/domid", SIM_GUEST_DOMID);
	rc = sim_xs_write(path, SIM_GUEST_DOMID == 7 ? "7" : "?");
	snprintf(path, sizeof(path), "/local/domain/%u/name", SIM_GUEST_DOMID);
	return rc ? rc : sim_xs_write(path, "sandbox");
}

void sim_xs_fault(enum sim_xs_fault fault, unsigned int count)
{
	sim_xsd.fault = count ? fault : SIM_XS_OK;
	sim_xsd.fault_count = fault == SIM_XS_OK ? 0 : count;
}

void sim_xs_fault_error(const char *name, unsigned int count)
{
	snprintf(sim_xsd.error_name, sizeof(sim_xsd.error_name), "%s", name);
	sim_xs_fault(SIM_XS_ERROR, count);
}

void sim_xs_set_trickle(size_t bytes)
{
	sim_xsd.trickle = bytes;
}

void sim_xs_late(uint64_t pfn_after_ns, uint64_t connect_after_ns)
{
	struct xenstore_domain_interface *intf = sim_store_ring();
	uint64_t now = sim_time_ns();

	sim_xsd.connect_at = connect_after_ns;
	if (pfn_after_ns) {
		sim_cfg.no_store = true;
		sim_xsd.pfn_at = pfn_after_ns == UINT64_MAX ? UINT64_MAX : now + pfn_after_ns;
		return;
	}
	if (connect_after_ns && intf) {
		intf->connection = XENSTORE_RECONNECT;
		sim_xsd.connect_at = connect_after_ns == UINT64_MAX ? UINT64_MAX : now + connect_after_ns;
	}
}

/* Like every host-side call, a write fires the guest's watches, NULs in
 * the value or not (the xenbus fuzz target's backend writes raw bytes). */
int sim_xs_write_bytes(const char *path, const void *value, size_t len)
{
	int rc = sim_xs_tree_write(&sim_xsd.tree, path, value, len);

	if (!rc) {
		sim_xsd_note_change(path, false);
	}
	return rc;
}

int sim_xs_write(const char *path, const char *value)
{
	return sim_xs_write_bytes(path, value, strlen(value));
}

int sim_xs_read(const char *path, char *buf, size_t size)
{
	size_t len;
	const char *v = sim_xs_tree_read(&sim_xsd.tree, path, &len);

	if (!v) {
		return -XEN_ENOENT;
	}
	if (len + 1 > size) {
		return -XEN_E2BIG;
	}
	memcpy(buf, v, len + 1);
	return 0;
}

int sim_xs_rm(const char *path)
{
	int rc = sim_xs_tree_rm(&sim_xsd.tree, path);

	if (!rc) {
		sim_xsd_note_change(path, false);
	}
	return rc;
}

bool sim_xs_exists(const char *path)
{
	return sim_xs_tree_has(&sim_xsd.tree, path);
}

int sim_xs_on_change(const char *prefix, void (*hook)(const char *path, void *ctx), void *ctx)
{
	for (unsigned int i = 0; i < SIM_XS_MAX_HOOKS; i++) {
		if (!sim_xsd.hooks[i].fn) {
			snprintf(sim_xsd.hooks[i].prefix, sizeof(sim_xsd.hooks[i].prefix), "%s", prefix);
			sim_xsd.hooks[i].fn = hook;
			sim_xsd.hooks[i].ctx = ctx;
			return 0;
		}
	}
	return -XEN_ENOSPC;
}

const struct sim_xs_stats *sim_xs_stats(void)
{
	return &sim_xsd.stats;
}
