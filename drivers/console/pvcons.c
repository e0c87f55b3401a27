/* PV console frontend (public/io/console.h). We produce on "out" and consume
 * on "in"; the backend (xenconsoled) does the opposite. Our own indices are
 * kept in shadows so a backend that scribbles on them cannot steer us, and
 * every index the backend owns is checked before use (STYLE U1). */
#define LOG_PREFIX "pvcons: "
#include <arch/arch.h>
#include <drivers/pvcons.h>
#include <lib/barrier.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/units.h>
#include <string.h>
#include <xen/abi/hvm.h>
#include <xen/evtchn.h>
#include <xen/xen.h>

/* Longest single sleep while waiting, in case a notification is lost. */
#define PVCONS_POLL_NS (100 * NS_PER_MS)
/* Polled (after handoff): look at the ring this often. */
#define PVCONS_POLLED_NS (1 * NS_PER_MS)

static struct {
	struct xencons_interface *ring;
	evtchn_port_t port;
	uint32_t out_prod; /* shadow: ours */
	uint32_t in_cons; /* shadow: ours */
	bool stuck; /* an output wait timed out; don't wait again... */
	uint32_t stuck_cons; /* ...until out_cons moves from here */
	bool is_polled; /* after handoff: no event channel, no shared_info */
	struct pvcons_stats stats;
} pc;

static void pvcons_console_write(const char *buf, size_t len);
static size_t pvcons_console_read(char *buf, size_t size, uint64_t deadline_ns);

static const struct console_ops pvcons_ops = {
    .write = pvcons_console_write,
    .read = pvcons_console_read,
    .flush = pvcons_flush,
};

void pvcons_init(struct xencons_interface *ring, evtchn_port_t port)
{
	memset(&pc, 0, sizeof(pc));
	pc.ring = ring;
	pc.port = port;
	/* Continue where a previous user of the ring (Xen's loader) left it. */
	pc.out_prod = READ_ONCE(ring->out_prod);
	pc.in_cons = READ_ONCE(ring->in_cons);
	console_set(&pvcons_ops);
}

int pvcons_init_from_hvm(void)
{
	uint64_t pfn, port;
	int rc;

	rc = xen_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (rc) {
		return rc;
	}
	rc = xen_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (rc) {
		return rc;
	}
	if (pfn == 0 || pfn >= (1ULL << (48 - PAGE_SHIFT)) || port >= EVTCHN_2L_NR_CHANNELS) {
		return -ENODEV;
	}
	rc = arch_map_shared(pfn << PAGE_SHIFT, PAGE_SIZE);
	if (rc) {
		return rc;
	}
	pvcons_init(arch_phys_to_virt(pfn << PAGE_SHIFT), (evtchn_port_t)port);
	return 0;
}

int pvcons_is_ready(void)
{
	return pc.ring != NULL;
}

/* Sleep until an event on our port, or at most PVCONS_POLL_NS, or @deadline. */
static void pvcons_sleep(uint64_t deadline_ns)
{
	uint64_t now = arch_time_ns();
	uint64_t poll = pc.is_polled ? PVCONS_POLLED_NS : PVCONS_POLL_NS;
	uint64_t until = now + poll < deadline_ns ? now + poll : deadline_ns;

	/* After handoff shared_info is gone: only the timer wakes us. */
	if (pc.is_polled) {
		arch_wait(until);
		return;
	}
	if (!evtchn_test_and_clear(pc.port)) {
		arch_wait(until);
	}
	evtchn_test_and_clear(pc.port);
}

/* Free space in "out", or -1 if the backend's out_cons is impossible. */
static int out_space(uint32_t *cons_out)
{
	uint32_t cons = READ_ONCE(pc.ring->out_cons);
	uint32_t used = pc.out_prod - cons;

	/* Order the read of out_cons before our writes into the slots it frees. */
	mb();
	if (used > XENCONS_OUT_SIZE) {
		pc.stats.bad_indices++;
		return -1;
	}
	*cons_out = cons;
	return (int)(XENCONS_OUT_SIZE - used);
}

static size_t out_put(const char *buf, size_t len, size_t space)
{
	size_t n = len < space ? len : space;

	for (size_t i = 0; i < n; i++) {
		pc.ring->out[(pc.out_prod + i) % XENCONS_OUT_SIZE] = buf[i];
	}
	/* The bytes must be visible before the producer index that covers them. */
	wmb();
	pc.out_prod += (uint32_t)n;
	WRITE_ONCE(pc.ring->out_prod, pc.out_prod);
	evtchn_send(pc.port);
	return n;
}

/* Waits for room; false when we give up (and then drop). */
static bool out_wait(uint64_t deadline_ns)
{
	uint32_t cons;

	if (pc.stuck) {
		if (out_space(&cons) < 0 || cons == pc.stuck_cons) {
			return false;
		}
		pc.stuck = false; /* the backend moved again */
	}
	for (;;) {
		int space = out_space(&cons);
		if (space < 0) {
			return false;
		}
		if (space > 0) {
			return true;
		}
		if (READ_ONCE(pc.ring->connection) == XENCONS_DISCONNECTED ||
		    arch_time_ns() >= deadline_ns) {
			pc.stuck = true;
			pc.stuck_cons = cons;
			return false;
		}
		pvcons_sleep(deadline_ns);
	}
}

void pvcons_write(const char *buf, size_t len)
{
	uint64_t deadline = 0;
	uint32_t cons;

	if (!pc.ring) {
		return;
	}
	while (len) {
		int space = out_space(&cons);
		if (space <= 0) {
			if (!deadline) {
				uint64_t ms = pc.is_polled ? PVCONS_POLLED_OUT_TIMEOUT_MS
							   : PVCONS_OUT_TIMEOUT_MS;
				deadline = arch_time_ns() + ms * NS_PER_MS;
			}
			if (!out_wait(deadline)) {
				pc.stats.dropped += len;
				return;
			}
			continue;
		}
		size_t n = out_put(buf, len, (size_t)space);
		buf += n;
		len -= n;
	}
}

size_t pvcons_read(char *buf, size_t size, uint64_t deadline_ns)
{
	if (!pc.ring || !size) {
		return 0;
	}
	for (;;) {
		uint32_t prod = READ_ONCE(pc.ring->in_prod);
		/* Read the data only after the index that publishes it. */
		rmb();
		uint32_t avail = prod - pc.in_cons;
		if (avail > XENCONS_IN_SIZE) {
			/* Impossible: ignore this producer value. */
			pc.stats.bad_indices++;
			avail = 0;
		}
		if (avail) {
			size_t n = avail < size ? avail : size;
			for (size_t i = 0; i < n; i++) {
				buf[i] = READ_ONCE(pc.ring->in[(pc.in_cons + i) % XENCONS_IN_SIZE]);
			}
			/* Done reading the slots before handing them back. */
			mb();
			pc.in_cons += (uint32_t)n;
			WRITE_ONCE(pc.ring->in_cons, pc.in_cons);
			evtchn_send(pc.port);
			return n;
		}
		if (arch_time_ns() >= deadline_ns) {
			return 0;
		}
		pvcons_sleep(deadline_ns);
	}
}

void pvcons_flush(uint64_t deadline_ns)
{
	uint32_t cons;

	while (pc.ring && out_space(&cons) >= 0 && cons != pc.out_prod &&
	       READ_ONCE(pc.ring->connection) != XENCONS_DISCONNECTED &&
	       arch_time_ns() < deadline_ns) {
		/* Stuck earlier: wait only while the backend moves again. */
		if (pc.stuck && cons == pc.stuck_cons) {
			return;
		}
		pc.stuck = false;
		pvcons_sleep(deadline_ns);
	}
}

/* Drop input the OS should not see as typed to it (e.g. the key that
 * stopped autoboot's countdown), handing the slots back. */
static void in_discard(void)
{
	uint32_t prod = READ_ONCE(pc.ring->in_prod);

	if (prod - pc.in_cons > XENCONS_IN_SIZE) {
		pc.stats.bad_indices++;
		return;
	}
	mb();
	pc.in_cons = prod;
	WRITE_ONCE(pc.ring->in_cons, pc.in_cons);
	evtchn_send(pc.port);
}

int pvcons_handoff(uint64_t deadline_ns)
{
	if (!pc.ring) {
		return 0;
	}
	in_discard();
	pvcons_flush(deadline_ns);
	pc.is_polled = true;
	return pvcons_check_quiet();
}

int pvcons_check_quiet(void)
{
	uint32_t cons;

	if (!pc.ring) {
		return 0;
	}
	if (out_space(&cons) < 0 || READ_ONCE(pc.ring->out_prod) != pc.out_prod ||
	    READ_ONCE(pc.ring->in_cons) != pc.in_cons ||
	    READ_ONCE(pc.ring->in_prod) - pc.in_cons > XENCONS_IN_SIZE) {
		return -EIO;
	}
	if (cons != pc.out_prod || READ_ONCE(pc.ring->in_prod) != pc.in_cons) {
		return -EBUSY;
	}
	return 0;
}

void pvcons_get_stats(struct pvcons_stats *stats)
{
	*stats = pc.stats;
}

/* Terminals want CR LF; the shell and printf write LF. Translated in
 * chunks so a line costs one notification, not one per newline. */
static void pvcons_console_write(const char *buf, size_t len)
{
	char chunk[256];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (n + 2 > sizeof(chunk)) {
			pvcons_write(chunk, n);
			n = 0;
		}
		if (buf[i] == '\n') {
			chunk[n++] = '\r';
		}
		chunk[n++] = buf[i];
	}
	pvcons_write(chunk, n);
}

static size_t pvcons_console_read(char *buf, size_t size, uint64_t deadline_ns)
{
	return pvcons_read(buf, size, deadline_ns);
}
