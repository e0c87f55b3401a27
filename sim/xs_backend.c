/* A scripted XenBus backend for tests: it owns a backend directory in the
 * simulated xenstored and answers the frontend's state changes the way
 * blkback does (xen-abi.md §6), optionally late, frozen, or flapping. */
#include "xs_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BACKENDS 8
#define MAX_QUEUE 16

struct sim_xs_backend {
	char front[128], back[128];
	bool is_frozen;
	uint64_t delay_ns;
	enum xenbus_state flap[MAX_QUEUE];
	unsigned int flap_count;
	/* States still to write, each not before its time. */
	struct {
		enum xenbus_state state;
		uint64_t at;
	} queue[MAX_QUEUE];
	unsigned int queue_count;
};

static struct sim_xs_backend *backends[MAX_BACKENDS];

static void be_release(void *ctx)
{
	for (unsigned int i = 0; i < MAX_BACKENDS; i++) {
		if (backends[i] == ctx) {
			backends[i] = NULL;
		}
	}
	free(ctx);
}

static void be_push(struct sim_xs_backend *be, enum xenbus_state st, uint64_t at)
{
	if (be->queue_count < MAX_QUEUE) {
		be->queue[be->queue_count].state = st;
		be->queue[be->queue_count].at = at;
		be->queue_count++;
	}
}

/* What blkback does when the frontend reaches @front. */
static int reaction(enum xenbus_state front, enum xenbus_state *back)
{
	switch (front) {
	case XenbusStateInitialised:
	case XenbusStateConnected:
		*back = XenbusStateConnected;
		return 0;
	case XenbusStateClosing:
		*back = XenbusStateClosing;
		return 0;
	case XenbusStateClosed:
		*back = XenbusStateClosed;
		return 0;
	case XenbusStateInitialising:
		*back = XenbusStateInitWait;
		return 0;
	default:
		return -1;
	}
}

static void on_front_change(const char *path, void *ctx)
{
	struct sim_xs_backend *be = ctx;
	char want[160], buf[32];
	enum xenbus_state back;

	snprintf(want, sizeof(want), "%s/state", be->front);
	if (strcmp(path, want) || be->is_frozen || sim_xs_read(want, buf, sizeof(buf))) {
		return;
	}
	char *end;
	unsigned long st = strtoul(buf, &end, 10);
	if (*end || reaction((enum xenbus_state)st, &back)) {
		return;
	}
	uint64_t at = sim_time_ns() + be->delay_ns;
	for (unsigned int i = 0; i < be->flap_count; i++) {
		be_push(be, be->flap[i], at);
	}
	be->flap_count = 0;
	be_push(be, back, at);
}

/* One queued state per step, so the guest can see each one. */
static int be_step(void *ctx)
{
	struct sim_xs_backend *be = ctx;

	if (!be->queue_count || be->queue[0].at > sim_time_ns()) {
		return 0;
	}
	sim_xs_backend_set_state(be, be->queue[0].state);
	memmove(&be->queue[0], &be->queue[1], (be->queue_count - 1) * sizeof(be->queue[0]));
	be->queue_count--;
	return 1;
}

static const struct sim_backend_ops be_ops = {
    .name = "xenbus-backend",
    .step = be_step,
    .release = be_release,
};

int sim_xs_printf(const char *dir, const char *key, const char *fmt, ...)
{
	char path[256], value[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return sim_xs_write(path, value);
}

long long sim_xs_read_num(const char *dir, const char *key, long long dflt)
{
	char path[256], value[64], *end;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (sim_xs_read(path, value, sizeof(value))) {
		return dflt;
	}
	long long v = strtoll(value, &end, 10);
	return (*value && !*end && v >= 0) ? v : -1;
}

struct sim_xs_backend *sim_xs_backend_add(const char *type, unsigned int id)
{
	struct sim_xs_backend *be = calloc(1, sizeof(*be));
	unsigned int slot = 0;

	while (slot < MAX_BACKENDS && backends[slot]) {
		slot++;
	}
	if (!be || slot == MAX_BACKENDS || sim_xs_start()) {
		free(be);
		return NULL;
	}
	snprintf(be->front, sizeof(be->front), "/local/domain/%u/device/%s/%u", SIM_GUEST_DOMID,
		 type, id);
	snprintf(be->back, sizeof(be->back), "/local/domain/%u/backend/%s/%u/%u", SIM_BACKEND_DOMID,
		 type, SIM_GUEST_DOMID, id);
	int rc = sim_xs_printf(be->front, "backend", "%s", be->back);
	rc = rc ?: sim_xs_printf(be->front, "backend-id", "%lu", (unsigned long)SIM_BACKEND_DOMID);
	rc = rc ?: sim_xs_printf(be->front, "state", "%lu", (unsigned long)XenbusStateInitialising);
	rc = rc ?: sim_xs_printf(be->back, "frontend", "%s", be->front);
	rc = rc ?: sim_xs_printf(be->back, "frontend-id", "%lu", (unsigned long)SIM_GUEST_DOMID);
	rc = rc ?: sim_xs_printf(be->back, "state", "%lu", (unsigned long)XenbusStateInitWait);
	rc = rc ?: sim_xs_on_change(be->front, on_front_change, be);
	rc = rc ?: sim_backend_add(&be_ops, be);
	if (rc) {
		/* Hooks cannot be removed: leave it allocated but inert until reset. */
		be->is_frozen = true;
		return NULL;
	}
	backends[slot] = be;
	return be;
}

const char *sim_xs_backend_path(struct sim_xs_backend *be)
{
	return be->back;
}

int sim_xs_backend_set_state(struct sim_xs_backend *be, enum xenbus_state state)
{
	return sim_xs_printf(be->back, "state", "%lu", (unsigned long)state);
}

void sim_xs_backend_delay(struct sim_xs_backend *be, uint64_t ns)
{
	be->delay_ns = ns;
}

void sim_xs_backend_freeze(struct sim_xs_backend *be, bool is_frozen)
{
	be->is_frozen = is_frozen;
}

void sim_xs_backend_flap(struct sim_xs_backend *be, const enum xenbus_state *seq,
			 unsigned int count)
{
	be->flap_count = count < MAX_QUEUE ? count : MAX_QUEUE;
	memcpy(be->flap, seq, be->flap_count * sizeof(*seq));
}
