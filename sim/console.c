/* Console backend of the simulated Xen: plays xenconsoled on the real
 * xencons_interface ring (public/io/console.h; xen-abi.md §4). It drains
 * the guest's output into a buffer that tests read, feeds queued input, and
 * can misbehave on purpose (STYLE T2 fault knobs). */
#include "internal.h"

#include <sim/console.h>
#include <string.h>

#define INPUT_QUEUE_SIZE 65536
#define OUTPUT_MAX (16u << 20)
/* How far the index faults move an index. */
#define FAULT_SKEW 100

static struct {
	bool is_registered;
	enum sim_console_fault fault;
	bool fault_applied;
	uint32_t good_in_prod; /* in_prod before an index fault, restored after it */
	char in_queue[INPUT_QUEUE_SIZE];
	size_t in_head, in_len;
	char *out;
	size_t out_len, out_cap;
	size_t rate;
	void (*sink)(const char *buf, size_t len);
} cons;

static void out_append(const char *buf, size_t len)
{
	if (cons.sink) {
		cons.sink(buf, len);
	}
	if (cons.out_len + len + 1 > cons.out_cap) {
		size_t cap = cons.out_cap ? cons.out_cap : 4096;
		while (cap < cons.out_len + len + 1 && cap < OUTPUT_MAX) {
			cap *= 2;
		}
		char *p = cap > cons.out_cap ? realloc(cons.out, cap) : NULL;
		if (!p) {
			return; /* the collected log is full; tests read far less */
		}
		cons.out = p;
		cons.out_cap = cap;
	}
	memcpy(cons.out + cons.out_len, buf, len);
	cons.out_len += len;
	cons.out[cons.out_len] = '\0';
}

/* Drain the out ring like xenconsoled: indices are the guest's, so an
 * impossible distance is not trusted (nothing is consumed). */
static int drain_output(struct xencons_interface *r)
{
	char chunk[XENCONS_OUT_SIZE];
	uint32_t cons_idx = r->out_cons;
	uint32_t prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	uint32_t n = prod - cons_idx;

	if (n == 0 || n > XENCONS_OUT_SIZE) {
		return 0;
	}
	if (cons.rate && n > cons.rate) {
		n = (uint32_t)cons.rate;
	}
	for (uint32_t i = 0; i < n; i++) {
		chunk[i] = r->out[(cons_idx + i) & (XENCONS_OUT_SIZE - 1)];
	}
	/* Release: our reads of the bytes happen before the guest sees room. */
	__atomic_store_n(&r->out_cons, cons_idx + n, __ATOMIC_RELEASE);
	out_append(chunk, n);
	return (int)n;
}

static int feed_input(struct xencons_interface *r)
{
	uint32_t prod = r->in_prod;
	uint32_t cons_idx = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	int done = 0;

	while (cons.in_len && prod - cons_idx < XENCONS_IN_SIZE) {
		r->in[prod++ & (XENCONS_IN_SIZE - 1)] = cons.in_queue[cons.in_head];
		cons.in_head = (cons.in_head + 1) % INPUT_QUEUE_SIZE;
		cons.in_len--;
		done++;
	}
	/* Release: the bytes are visible before the new producer index. */
	__atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
	return done;
}

/* Faults that change an index happen once; then the backend stalls until
 * the test switches back to SIM_CONS_OK. */
static void apply_index_fault(struct xencons_interface *r)
{
	cons.good_in_prod = r->in_prod;
	switch (cons.fault) {
	case SIM_CONS_IN_PROD_JUMP:
		r->in_prod = r->in_cons + XENCONS_IN_SIZE + FAULT_SKEW;
		break;
	case SIM_CONS_OUT_CONS_BACK:
		/* Far enough back that out_prod - out_cons exceeds the ring. */
		r->out_cons -= XENCONS_OUT_SIZE + FAULT_SKEW;
		break;
	case SIM_CONS_OUT_CONS_AHEAD:
		r->out_cons = r->out_prod + FAULT_SKEW;
		break;
	default: /* SIM_CONS_IN_FULL */
		while (r->in_prod - r->in_cons < XENCONS_IN_SIZE) {
			r->in[r->in_prod & (XENCONS_IN_SIZE - 1)] = 'x';
			r->in_prod++;
		}
		cons.good_in_prod = r->in_prod;
		break;
	}
	cons.fault_applied = true;
	sim_evtchn_notify_guest(SIM_CONSOLE_PORT);
}

static int console_step(void *ctx)
{
	struct xencons_interface *r = sim_console_ring();
	int work;

	(void)ctx;
	sim_evtchn_take_kick(SIM_CONSOLE_PORT);
	switch (cons.fault) {
	case SIM_CONS_OK:
		break;
	case SIM_CONS_STALL:
		return 0;
	case SIM_CONS_DISCONNECT:
		r->connection = XENCONS_DISCONNECTED;
		return 0;
	default:
		if (!cons.fault_applied) {
			apply_index_fault(r);
			return 1;
		}
		return 0;
	}
	work = drain_output(r) + feed_input(r);
	if (work) {
		sim_evtchn_notify_guest(SIM_CONSOLE_PORT);
	}
	return work;
}

static void console_release(void *ctx)
{
	(void)ctx;
	free(cons.out);
	memset(&cons, 0, sizeof(cons));
}

static const struct sim_backend_ops console_ops = {
	.name = "console",
	.step = console_step,
	.release = console_release,
};

int sim_console_init(void)
{
	memset(&cons, 0, sizeof(cons));
	if (sim_cfg.no_console) {
		return 0;
	}
	cons.is_registered = true;
	return sim_backend_add(&console_ops, NULL);
}

void sim_console_reset(void)
{
	/* The registry's release already ran; this covers no_console worlds. */
	free(cons.out);
	memset(&cons, 0, sizeof(cons));
}

void sim_console_fault(enum sim_console_fault fault)
{
	struct xencons_interface *r = sim_console_ring();

	if (fault == SIM_CONS_OK && r) {
		r->connection = XENCONS_CONNECTED;
		if (cons.fault == SIM_CONS_IN_PROD_JUMP) {
			r->in_prod = cons.good_in_prod;
		}
	}
	cons.fault = fault;
	cons.fault_applied = false;
}

size_t sim_console_input(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && cons.in_len < INPUT_QUEUE_SIZE) {
		cons.in_queue[(cons.in_head + cons.in_len) % INPUT_QUEUE_SIZE] = buf[n++];
		cons.in_len++;
	}
	return n;
}

const char *sim_console_output(size_t *len)
{
	if (len) {
		*len = cons.out_len;
	}
	return cons.out ? cons.out : "";
}

void sim_console_output_clear(void)
{
	cons.out_len = 0;
	if (cons.out) {
		cons.out[0] = '\0';
	}
}

void sim_console_set_rate(size_t bytes)
{
	cons.rate = bytes;
}

void sim_console_set_sink(void (*sink)(const char *buf, size_t len))
{
	cons.sink = sink;
}

size_t sim_console_pending_input(void)
{
	return cons.in_len;
}
