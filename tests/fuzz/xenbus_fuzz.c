/* XenBus state handling (xen/xenbus.c) against a backend and a xenstored
 * whose values come from the input: the backend path and id the toolstack
 * wrote, every value the backend writes to its state node (numbers, text,
 * NULs, nothing), when it writes them (after a delay, or in reaction to
 * the frontend's moves), writes under its path that change nothing, and
 * replies that xenstored gets wrong (wrong id, type, tx, oversized,
 * ERROR, stalls...). Runs xenbus_device_init, read_otherend_state, a
 * wait_otherend and the teardown, and checks what they promise: states in
 * range, a wait that returns success only in a wanted state, deadlines kept
 * in simulated time, and no watch left behind.
 *
 * Input: flags, timing, then length-prefixed fields (len byte + bytes):
 *   flags bit 0: backend path from the input (else a valid one)
 *         bit 1: backend-id from the input (else "0")
 *         bit 2: a chatty backend (a write under its path on every tick)
 *         bits 3-6: xenstored fault (enum sim_xs_fault, 0: none) after init
 *         bit 7: rewrite the state node with its current value on every
 *                step of the sim (each guest request, poll and yield)
 *   timing: bits 0-1 fault count - 1, bits 2-4 wait timeout (x 50 ms),
 *         bits 5-7 teardown timeout (x 100 ms), both + 10 ms
 *   [backend path] [backend-id] initial backend state
 *   then script entries {ctl, len, bytes}, written in order: ctl bit 7: not
 *   before the frontend's next change of state; bit 6: write "chatter"
 *   instead of "state"; bits 0-5: then so many 10 ms ticks before the next.
 * Seeds: tests/fuzz/seeds/mk-xenbus.py. */
#include <fuzz.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xs.h>

#define FRONT "/local/domain/7/device/vbd/51712"
#define GOOD_BACKEND "/local/domain/0/backend/vbd/7/51712"
#define TICK_NS 10000000ull
#define MS_NS 1000000ull
#define MAX_ENTRIES 32
#define FIELD_MAX 160

struct entry {
	bool is_after_change;
	bool is_chatter;
	unsigned int ticks;
	size_t len;
	uint8_t value[FIELD_MAX];
};

/* The scripted backend: one entry per step once its time (and the
 * frontend's move, if it waits for one) has come. */
static struct {
	char path[FIELD_MAX + 16];
	bool is_chatty;
	bool is_eager; /* rewrite the state on every step */
	uint8_t state[FIELD_MAX]; /* the last value written to "state" */
	size_t state_len;
	struct entry script[MAX_ENTRIES];
	unsigned int count, next;
	uint64_t ready_at, chatter_at;
	unsigned int front_changes, seen_changes;
	unsigned long chatter_count;
} be;

struct cursor {
	const uint8_t *p;
	size_t left;
};

static size_t take(struct cursor *c, uint8_t *out, size_t max)
{
	size_t len;

	if (!c->left) {
		return 0;
	}
	len = MIN((size_t)c->p[0], c->left - 1);
	len = MIN(len, max);
	memcpy(out, c->p + 1, len);
	c->p += 1 + len;
	c->left -= 1 + len;
	return len;
}

static void write_under(const char *leaf, const void *value, size_t len)
{
	char path[sizeof(be.path) + 16];

	xb_snprintf(path, sizeof(path), "%s/%s", be.path, leaf);
	if (!strcmp(leaf, "state") && value != be.state) {
		memcpy(be.state, value, len);
		be.state_len = len;
	}
	(void)sim_xs_write_bytes(path, value, len);
}

static int be_step(void *ctx)
{
	uint64_t now = sim_time_ns();

	if (be.is_eager) {
		/* Each write costs the backend a XenStore round trip: let
		 * time pass, or the sim's clock would crawl (100 ns a read). */
		write_under("state", be.state, be.state_len);
		sim_time_advance(MS_NS);
	}
	if (be.is_chatty && now != be.chatter_at) {
		char n[24];
		be.chatter_at = now;
		xb_snprintf(n, sizeof(n), "%lu", ++be.chatter_count);
		write_under("chatter", n, strlen(n));
	}
	if (be.next >= be.count || now < be.ready_at) {
		return 0;
	}
	const struct entry *e = &be.script[be.next];
	if (e->is_after_change && be.front_changes == be.seen_changes) {
		return 0;
	}
	be.seen_changes = be.front_changes;
	write_under(e->is_chatter ? "chatter" : "state", e->value, e->len);
	be.ready_at = now + e->ticks * TICK_NS;
	be.next++;
	return 1;
}

static const struct sim_backend_ops be_ops = {.name = "fuzz-backend", .step = be_step};

static void on_front_change(const char *path, void *ctx)
{
	be.front_changes++;
}

static int world_up(void)
{
	static const struct sim_config cfg = {
	    .bank_count = 1,
	    .banks = {{SIM_RAM0_BASE, 16u << 20}},
	};
	static struct dtinfo dt;
	uint64_t size;

	if (sim_init(&cfg) || sim_xs_start()) {
		return -1;
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt)) {
		return -1;
	}
	evtchn_init();
	xs_detach();
	return xs_init();
}

/* The toolstack's part: the frontend directory and the backend's state. */
static void setup(uint8_t flags, struct cursor *c)
{
	uint8_t v[FIELD_MAX];
	size_t len;

	memset(&be, 0, sizeof(be));
	strcpy(be.path, GOOD_BACKEND);
	if (flags & 1) {
		len = take(c, v, FIELD_MAX - 1);
		(void)sim_xs_write_bytes(FRONT "/backend", v, len);
		v[len] = '\0';
		/* Where the harness writes: the path if usable (and not the
		 * frontend's own directory), else the good one. */
		if (len && v[0] == '/' && !memchr(v, '\0', len) &&
		    strncmp((const char *)v, "/local/domain/7/", 16) != 0) {
			memcpy(be.path, v, len + 1);
		}
	} else {
		(void)sim_xs_write(FRONT "/backend", GOOD_BACKEND);
	}
	if (flags & 2) {
		len = take(c, v, FIELD_MAX);
		(void)sim_xs_write_bytes(FRONT "/backend-id", v, len);
	} else {
		(void)sim_xs_write(FRONT "/backend-id", "0");
	}
	(void)sim_xs_write(FRONT "/state", "1");
	len = take(c, v, FIELD_MAX);
	write_under("state", v, len);
	be.is_chatty = flags & 4;
	be.is_eager = flags & 0x80;
	while (c->left >= 2 && be.count < MAX_ENTRIES) {
		struct entry *e = &be.script[be.count++];
		uint8_t ctl = c->p[0];
		c->p++;
		c->left--;
		e->is_after_change = ctl & 0x80;
		e->is_chatter = ctl & 0x40;
		e->ticks = ctl & 0x3f;
		e->len = take(c, e->value, FIELD_MAX);
	}
}

static void run(uint8_t flags, uint8_t timing)
{
	unsigned int fault = (flags >> 3) & 15, fault_count = (timing & 3) + 1;
	unsigned int wait_ms = ((timing >> 2) & 7) * 50 + 10;
	unsigned int teardown_ms = ((timing >> 5) & 7) * 100 + 10;
	/* A XenStore request under way at a deadline has its own bound. */
	uint64_t slack = (fault_count + 1) * (XS_TIMEOUT_MS * MS_NS) + 4 * TICK_NS;
	const uint32_t want = 1u << XenbusStateConnected | 1u << XenbusStateClosed;
	struct xenbus_device xb;
	enum xenbus_state st;
	uint64_t t0;
	int rc;

	if (xenbus_device_init(&xb, "device/vbd/51712") != 0) {
		return;
	}
	if (fault && fault <= SIM_XS_WRONG_TX) {
		sim_xs_fault((enum sim_xs_fault)fault, fault_count);
	}
	if (xenbus_read_otherend_state(&xb, &st) == 0) {
		fuzz_check(st <= XenbusStateReconfigured);
	}
	t0 = sim_time_ns();
	rc = xenbus_wait_otherend(&xb, want, wait_ms, &st);
	fuzz_check(rc <= 0);
	fuzz_check(sim_time_ns() - t0 <= wait_ms * MS_NS + slack);
	if (rc == 0) {
		fuzz_check(st <= XenbusStateReconfigured && (want & (1u << st)));
	}
	if (rc == -ETIMEDOUT) {
		fuzz_check(sim_time_ns() - t0 >= wait_ms * MS_NS);
	}
	t0 = sim_time_ns();
	rc = xenbus_teardown(&xb, teardown_ms);
	fuzz_check(rc <= 0);
	fuzz_check(sim_time_ns() - t0 <= teardown_ms * MS_NS + 3 * slack);
	if (rc == 0 && !fault) {
		/* Done means we ended in Initialising. */
		char v[8];
		fuzz_check(sim_xs_read(FRONT "/state", v, sizeof(v)) == 0 && !strcmp(v, "1"));
	}
	xenbus_device_release(&xb);
	if (!fault) {
		fuzz_check(sim_xs_stats()->watches == 0);
	}
}

static void xenbus_fuzz(const uint8_t *data, size_t size)
{
	struct cursor c;

	if (size < 2) {
		return;
	}
	c = (struct cursor){data + 2, size - 2};
	if (world_up()) {
		__builtin_trap();
	}
	setup(data[0], &c);
	if (sim_xs_on_change(FRONT "/state", on_front_change, NULL) ||
	    sim_backend_add(&be_ops, NULL)) {
		__builtin_trap();
	}
	run(data[0], data[1]);
	xs_detach();
	(void)shinfo_unmap();
	sim_reset();
}

FUZZ_TARGET(xenbus_fuzz)
