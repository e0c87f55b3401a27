/* XenStore client: finding the ring, one request at a time, matching the
 * replies, and queuing watch events (docs/misc/xenstore.txt; xen-abi.md §4).
 *
 * Replies can come back before evtchn_send() even returns (the server may
 * run on another CPU, or inside the hypercall in the sandbox) and watch
 * events can come at any time, before or after a reply. So the wait loop
 * never trusts an event to mean anything: each pass pushes what is left of
 * the request, reads the indices afresh, consumes every complete message,
 * and only then sleeps until the next event or a short poll interval. */
#define LOG_PREFIX "xenstore: "
#include <arch/arch.h>
#include <lib/barrier.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/units.h>
#include <string.h>
#include <xen/abi/hvm.h>
#include <xen/evtchn.h>
#include <xen/xen.h>
#include <xen/xs_ring.h>

/* Longest sleep between looks at the ring, in case an event is lost. */
#define XS_POLL_NS (10 * NS_PER_MS)
/* Requests that timed out but were sent whole: the server may still answer. */
#define XS_OWED_MAX 8
/* After this many timeouts in a row the server is taken for dead: requests
 * fail at once until it answers anything again (a dead xenstore must not
 * cost every later request, e.g. each step of handoff, a full timeout). */
#define XS_DEAD_AFTER 2
/* ...for this long after the last timeout; then one request may try again. */
#define XS_DEAD_RETRY_NS (10000 * NS_PER_MS)

struct xs_watch_slot {
	char token[XS_TOKEN_MAX];
	char path[XS_WATCH_PATH_MAX];
	unsigned int pending; /* events since the last xs_wait_watch() */
	bool is_used;
};

static struct {
	struct xs_ring ring;
	evtchn_port_t port;
	bool is_up;
	bool has_noticed; /* one notice per broken peer (STYLE G2) */
	uint32_t next_req_id;
	/* The request in flight: at most one. */
	struct {
		bool is_active, is_done;
		uint32_t req_id, type, tx_id;
		char *reply;
		size_t reply_size, reply_len;
		int rc;
	} cur;
	/* Bytes of the request not yet in the ring (it can exceed the ring). */
	char tx[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	uint32_t tx_len, tx_sent;
	struct xs_watch_slot watches[XS_MAX_WATCHES];
	unsigned int timeouts_in_row;
	uint64_t last_timeout_ns;
	uint32_t owed[XS_OWED_MAX]; /* req_ids of late replies still to come */
	unsigned int owed_count;
	struct xs_stats stats;
} xs;

/* A late reply we were owed came (or a duplicate): true if it was owed. */
static bool owed_take(uint32_t req_id)
{
	for (unsigned int i = 0; i < xs.owed_count; i++) {
		if (xs.owed[i] == req_id) {
			xs.owed[i] = xs.owed[--xs.owed_count];
			return true;
		}
	}
	return false;
}

static void owed_add(uint32_t req_id)
{
	/* Full: forget the oldest; handoff then waits for fewer than it could. */
	if (xs.owed_count == XS_OWED_MAX) {
		memmove(xs.owed, xs.owed + 1, sizeof(xs.owed[0]) * (XS_OWED_MAX - 1));
		xs.owed_count--;
	}
	xs.owed[xs.owed_count++] = req_id;
}

static void notice_once(const char *what, uint32_t a, uint32_t b)
{
	if (!xs.has_noticed) {
		log_notice("%s (%u, %u); further problems not reported\n", what, a, b);
		xs.has_noticed = true;
	}
}

static struct xs_watch_slot *watch_find(const char *token)
{
	for (unsigned int i = 0; i < XS_MAX_WATCHES; i++) {
		if (xs.watches[i].is_used && strcmp(xs.watches[i].token, token) == 0) {
			return &xs.watches[i];
		}
	}
	return NULL;
}

static void on_watch_event(const struct xs_msg *msg)
{
	const char *path, *token;

	if (msg->is_oversized || xs_watch_event_parse(msg->body, msg->body_len, &path, &token)) {
		xs.stats.bad_events++;
		return;
	}
	struct xs_watch_slot *w = watch_find(token);
	if (!w) {
		/* A watch we removed, or not ours: nothing waits for it. */
		xs.stats.stray_events++;
		return;
	}
	if (w->pending < UINT32_MAX) {
		w->pending++;
	}
	xs.stats.events++;
}

/* Copy the reply into the caller's buffer, or say why not. */
static int reply_accept(const struct xs_msg *msg)
{
	if (msg->is_oversized) {
		notice_once("reply longer than XENSTORE_PAYLOAD_MAX", msg->hdr.len,
			    XENSTORE_PAYLOAD_MAX);
		return -E2BIG;
	}
	if (msg->hdr.type == XS_ERROR) {
		return xs_error_parse(msg->body, msg->body_len);
	}
	if (msg->hdr.type != xs.cur.type) {
		notice_once("reply of the wrong type", msg->hdr.type, xs.cur.type);
		return -EIO;
	}
	/* xenstored echoes the request's transaction: anything else is a
	 * reply to some other request. */
	if (msg->hdr.tx_id != xs.cur.tx_id) {
		notice_once("reply for another transaction", msg->hdr.tx_id, xs.cur.tx_id);
		return -EIO;
	}
	xs.cur.reply_len = msg->body_len;
	if (!xs.cur.reply) {
		return 0;
	}
	if ((size_t)msg->body_len + 1 > xs.cur.reply_size) {
		return -E2BIG;
	}
	memcpy(xs.cur.reply, msg->body, msg->body_len);
	xs.cur.reply[msg->body_len] = '\0';
	return 0;
}

static void dispatch(const struct xs_msg *msg)
{
	/* Events carry req_id 0 and come unasked, even between a request
	 * and its reply: recognise them by type alone. */
	if (msg->hdr.type == XS_WATCH_EVENT) {
		on_watch_event(msg);
		return;
	}
	if (!xs.cur.is_active || msg->hdr.req_id != xs.cur.req_id) {
		/* Late reply to a request that timed out, or a duplicate. */
		if (owed_take(msg->hdr.req_id)) {
			xs.timeouts_in_row = 0; /* slow, not dead */
		}
		xs.stats.stale_replies++;
		return;
	}
	xs.cur.is_active = false;
	xs.cur.is_done = true;
	xs.cur.rc = reply_accept(msg);
}

/* One pass: push request bytes, consume every complete message, kick. */
static int pump(void)
{
	struct xs_msg msg;
	int rc = 0;

	if (xs.tx_sent < xs.tx_len) {
		rc = xs_ring_write(&xs.ring, xs.tx + xs.tx_sent, xs.tx_len - xs.tx_sent);
		if (rc > 0) {
			xs.tx_sent += (uint32_t)rc;
		}
	}
	while (rc >= 0 && (rc = xs_rsp_parse(&xs.ring, &msg)) > 0) {
		dispatch(&msg);
	}
	if (xs.ring.needs_kick) {
		xs.ring.needs_kick = false;
		evtchn_send(xs.port);
	}
	return rc < 0 ? -EIO : 0;
}

/* Sleep until an event on our port, a poll interval, or @deadline_ns. */
static void xs_sleep(uint64_t deadline_ns)
{
	uint64_t now = arch_time_ns();
	uint64_t until = MIN(now + XS_POLL_NS, deadline_ns);

	if (!evtchn_test_and_clear(xs.port)) {
		arch_wait(until);
	}
}

static int build_request(uint32_t type, xs_tx_t tx, const struct xs_part *parts,
			 unsigned int part_count)
{
	struct xsd_sockmsg hdr = {.type = type, .tx_id = tx};
	size_t len = 0;

	for (unsigned int i = 0; i < part_count; i++) {
		if (parts[i].len > XENSTORE_PAYLOAD_MAX - len) {
			return -E2BIG;
		}
		memcpy(xs.tx + sizeof(hdr) + len, parts[i].data, parts[i].len);
		len += parts[i].len;
	}
	/* req_id 0 is what watch events carry; never use it. */
	if (++xs.next_req_id == 0) {
		xs.next_req_id = 1;
	}
	hdr.req_id = xs.next_req_id;
	hdr.len = (uint32_t)len;
	memcpy(xs.tx, &hdr, sizeof(hdr));
	xs.tx_len = (uint32_t)(sizeof(hdr) + len);
	xs.tx_sent = 0;
	return 0;
}

static int wait_reply(void)
{
	uint64_t deadline = arch_time_ns() + XS_TIMEOUT_MS * NS_PER_MS;

	for (;;) {
		if (pump()) {
			return -EIO;
		}
		if (xs.cur.is_done) {
			return xs.cur.rc;
		}
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		xs_sleep(deadline);
	}
}

/* Timeouts in a row, recently: skip the wait, the answer will not come. */
static bool xs_seems_dead(void)
{
	return xs.timeouts_in_row >= XS_DEAD_AFTER &&
	       arch_time_ns() - xs.last_timeout_ns < XS_DEAD_RETRY_NS;
}

int xs_request(uint32_t type, xs_tx_t tx, const struct xs_part *parts, unsigned int part_count,
	       char *reply, size_t reply_size, size_t *reply_len)
{
	if (!xs.is_up) {
		return -ENODEV;
	}
	if (xs.ring.is_broken) {
		return -EIO;
	}
	if (xs.cur.is_active) {
		log_err("request while another is in flight\n");
		return -EBUSY;
	}
	if (xs_seems_dead() && (pump() || xs.timeouts_in_row)) {
		xs.stats.timeouts++;
		return -ETIMEDOUT;
	}
	int rc = build_request(type, tx, parts, part_count);
	if (rc) {
		return rc;
	}
	memset(&xs.cur, 0, sizeof(xs.cur));
	xs.cur.is_active = true;
	xs.cur.req_id = xs.next_req_id;
	xs.cur.type = type;
	xs.cur.tx_id = tx;
	xs.cur.reply = reply;
	xs.cur.reply_size = reply_size;
	xs.stats.requests++;
	rc = wait_reply();
	xs.cur.is_active = false;
	xs.timeouts_in_row = rc == -ETIMEDOUT ? xs.timeouts_in_row + 1 : 0;
	if (rc == -ETIMEDOUT) {
		xs.last_timeout_ns = arch_time_ns();
		xs.stats.timeouts++;
		notice_once("no reply within XS_TIMEOUT_MS to request type", type, XS_TIMEOUT_MS);
		/* Half a request in the ring cannot be taken back: the stream
		 * is out of step for good. */
		if (xs.tx_sent < xs.tx_len) {
			xs.ring.is_broken = true;
		} else {
			owed_add(xs.cur.req_id);
		}
	}
	xs.tx_len = xs.tx_sent = 0;
	if (!rc && reply_len) {
		*reply_len = xs.cur.reply_len;
	}
	return rc;
}

/* ---- watches ---- */

int xs_watch(const char *path, const char *token)
{
	struct xs_watch_slot *w = NULL;
	size_t tlen = token ? strlen(token) : 0;
	size_t plen = path ? strlen(path) : 0;

	if (!tlen || tlen >= XS_TOKEN_MAX || !plen || plen >= XS_WATCH_PATH_MAX) {
		return -EINVAL;
	}
	if (watch_find(token)) {
		return -EEXIST;
	}
	for (unsigned int i = 0; i < XS_MAX_WATCHES && !w; i++) {
		w = xs.watches[i].is_used ? NULL : &xs.watches[i];
	}
	if (!w) {
		return -ENOSPC;
	}
	/* Registered before the request: the first event (xenstored fires
	 * one at once) may arrive ahead of the WATCH reply. */
	memset(w, 0, sizeof(*w));
	memcpy(w->token, token, tlen + 1);
	memcpy(w->path, path, plen + 1);
	w->is_used = true;
	struct xs_part parts[] = {{path, plen + 1}, {token, tlen + 1}};
	int rc = xs_request(XS_WATCH, 0, parts, ARRAY_SIZE(parts), NULL, 0, NULL);
	if (rc) {
		w->is_used = false;
	}
	return rc;
}

int xs_unwatch(const char *path, const char *token)
{
	struct xs_watch_slot *w = watch_find(token);

	if (!w) {
		return -ENOENT;
	}
	/* Forget it first: events still in the ring then count as stray. */
	w->is_used = false;
	struct xs_part parts[] = {{path, strlen(path) + 1}, {token, strlen(token) + 1}};
	return xs_request(XS_UNWATCH, 0, parts, ARRAY_SIZE(parts), NULL, 0, NULL);
}

int xs_wait_watch(const char *token, uint64_t deadline_ns)
{
	struct xs_watch_slot *w = watch_find(token);

	if (!w) {
		return -ENOENT;
	}
	for (;;) {
		/* Events are coalesced: the waiter re-reads what it watches. */
		if (w->pending) {
			w->pending = 0;
			return 0;
		}
		if (!xs.is_up || pump()) {
			return -EIO;
		}
		if (w->pending) {
			continue;
		}
		if (arch_time_ns() >= deadline_ns) {
			return -ETIMEDOUT;
		}
		xs_sleep(deadline_ns);
	}
}

/* Wait (bounded) until every owed reply came and the server took every
 * request byte, so the OS finds both rings quiescent (xen-abi.md §12.8). */
static int reset_drain(void)
{
	uint64_t deadline = arch_time_ns() + XS_TIMEOUT_MS * NS_PER_MS;

	for (;;) {
		if (pump()) {
			return -EIO;
		}
		/* The server took every request byte, and no reply is half read. */
		bool is_idle = READ_ONCE(xs.ring.intf->req_cons) == xs.ring.req_prod &&
			       READ_ONCE(xs.ring.intf->rsp_prod) == xs.ring.rsp_cons &&
			       !xs.ring.hdr_have;
		if (!xs.owed_count && is_idle) {
			return 0;
		}
		if (arch_time_ns() >= deadline) {
			log_notice("%u late repl%s never came%s\n", xs.owed_count,
				   xs.owed_count == 1 ? "y" : "ies", is_idle ? "" : "; ring busy");
			return -ETIMEDOUT;
		}
		xs_sleep(deadline);
	}
}

int xs_reset(void)
{
	int first_rc = 0;

	if (!xs.is_up) {
		return 0;
	}
	if (xs.ring.is_broken) {
		return -EIO;
	}
	for (unsigned int i = 0; i < XS_MAX_WATCHES; i++) {
		struct xs_watch_slot *w = &xs.watches[i];
		if (w->is_used) {
			int rc = xs_unwatch(w->path, w->token);
			first_rc = first_rc ? first_rc : rc;
		}
	}
	int rc = xs_abort_open_transactions();
	first_rc = first_rc ? first_rc : rc;
	/* Take whatever the server still sends, so the OS starts clean. */
	rc = reset_drain();
	return first_rc ? first_rc : rc;
}

bool xs_is_quiet(void)
{
	for (unsigned int i = 0; i < XS_MAX_WATCHES; i++) {
		if (xs.watches[i].is_used) {
			return false;
		}
	}
	return !xs.cur.is_active && !xs.owed_count && !xs_has_open_transactions();
}

void xs_get_stats(struct xs_stats *out)
{
	*out = xs.stats;
	out->is_up = xs.is_up;
	out->is_broken = xs.ring.is_broken;
}

/* ---- start-up ---- */

/* The ring page and port, or -EAGAIN while xenstore is not there yet. */
static int store_params(uint64_t *pfn, uint64_t *port)
{
	int rc = xen_hvm_get_param(HVM_PARAM_STORE_PFN, pfn);

	if (rc) {
		return rc;
	}
	rc = xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, port);
	if (rc) {
		return rc;
	}
	if (*port >= EVTCHN_2L_NR_CHANNELS) {
		log_notice("HVM_PARAM_STORE_EVTCHN %llu is not a port\n",
			   (unsigned long long)*port);
		return -ENODEV;
	}
	/* Dom0less: ~0 (or 0) until init-dom0less runs (xen-abi.md §7). */
	if (*pfn == 0 || *pfn == ~0ULL) {
		return -EAGAIN;
	}
	if (*pfn >= (1ULL << (48 - PAGE_SHIFT))) {
		log_notice("HVM_PARAM_STORE_PFN 0x%llx is not a page\n", (unsigned long long)*pfn);
		return -ENODEV;
	}
	return 0;
}

static void say_waiting(bool *has_said)
{
	if (!*has_said) {
		log_info("waiting for xenstore...\n");
		*has_said = true;
	}
}

/* Nap until an event on @port (if known), XS_LATE_POLL_MS, or @deadline. */
static void late_sleep(evtchn_port_t port, uint64_t deadline)
{
	uint64_t until = MIN(arch_time_ns() + XS_LATE_POLL_MS * NS_PER_MS, deadline);

	if (!port || !evtchn_test_and_clear(port)) {
		arch_wait(until);
	}
}

/* Dom0less: the page appears when init-dom0less runs in dom0, which is
 * then signalled on STORE_EVTCHN; the param is re-read in case we miss it. */
static int wait_store_params(uint64_t *pfn, uint64_t *port, uint64_t deadline, bool *has_said)
{
	for (;;) {
		int rc = store_params(pfn, port);
		if (rc != -EAGAIN) {
			return rc;
		}
		say_waiting(has_said);
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		late_sleep((evtchn_port_t)*port, deadline);
	}
}

/* A page with connection = RECONNECT is not served yet (xen-abi.md §7). */
static int wait_connected(struct xenstore_domain_interface *intf, evtchn_port_t port,
			  uint64_t deadline, bool *has_said)
{
	while (READ_ONCE(intf->connection) != XENSTORE_CONNECTED) {
		say_waiting(has_said);
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		late_sleep(port, deadline);
	}
	/* Read the indices only after seeing the server's reset finish. */
	rmb();
	return 0;
}

int xs_init(void)
{
	uint64_t pfn, port;
	bool has_said = false;

	if (xs.is_up) {
		return 0;
	}
	uint64_t start = arch_time_ns();
	uint64_t deadline = start + XS_LATE_TIMEOUT_MS * NS_PER_MS;
	int rc = wait_store_params(&pfn, &port, deadline, &has_said);
	if (rc) {
		goto err_absent;
	}
	rc = arch_map_shared(pfn << PAGE_SHIFT, PAGE_SIZE);
	if (rc) {
		return rc;
	}
	struct xenstore_domain_interface *intf = arch_phys_to_virt(pfn << PAGE_SHIFT);
	/* Dom0less domains may get the port only in the page (Xen 4.21+). */
	if (!port) {
		uint32_t p = READ_ONCE(intf->evtchn_port);
		port = p < EVTCHN_2L_NR_CHANNELS ? p : 0;
	}
	if (!port) {
		log_notice("no event channel for xenstore\n");
		return -ENODEV;
	}
	rc = wait_connected(intf, (evtchn_port_t)port, deadline, &has_said);
	if (rc) {
		goto err_absent;
	}
	xs_ring_attach(&xs.ring, intf);
	xs.port = (evtchn_port_t)port;
	xs.is_up = true;
	if (has_said) {
		log_info("xenstore up after %llu ms\n",
			 (unsigned long long)((arch_time_ns() - start) / NS_PER_MS));
	}
	return 0;

err_absent:
	if (rc == -ETIMEDOUT) {
		log_notice("xenstore did not come up within %u ms: no PV devices\n",
			   XS_LATE_TIMEOUT_MS);
	}
	return rc;
}

void xs_detach(void)
{
	memset(&xs, 0, sizeof(xs));
	xs_forget_transactions();
}
