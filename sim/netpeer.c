/* The simulated wire (sim/netpeer.h): the queue toward the guest, the
 * fault knobs, the hosts and their services. The hosts' protocols are in
 * sim/netpeer_host.c. */
#include "netpeer_internal.h"

/* A held-back frame goes out after this long even if nothing follows. */
#define HOLD_NS 2000000ULL

/* xorshift64*: deterministic for a seed. */
static unsigned int roll(struct sim_netpeer *p)
{
	p->rng ^= p->rng >> 12;
	p->rng ^= p->rng << 25;
	p->rng ^= p->rng >> 27;
	return (unsigned int)((p->rng * 0x2545f4914f6cdd1dULL) >> 33);
}

static bool chance(struct sim_netpeer *p, unsigned int pct)
{
	return pct && roll(p) % 100 < pct;
}

static void corrupt(struct sim_netpeer *p, uint8_t *f, size_t len)
{
	/* Past the Ethernet header, so the frame still reaches its target
	 * and its checks are what must catch it. */
	if (len > ETH_HLEN) {
		f[ETH_HLEN + roll(p) % (len - ETH_HLEN)] ^= (uint8_t)(1 + roll(p) % 255);
	}
}

static void push(struct sim_netpeer *p, const struct frame *fr)
{
	if (p->sink) {
		if (p->sink(p->sink_ctx, fr->data, fr->len)) {
			p->stats.overflow++;
		} else {
			p->stats.to_guest++;
		}
		return;
	}
	if (p->count == SIM_NET_QUEUE) {
		p->stats.overflow++;
		return;
	}
	p->queue[(p->head + p->count) % SIM_NET_QUEUE] = *fr;
	p->count++;
	p->stats.to_guest++;
}

int sim_netpeer_inject(struct sim_netpeer *p, const void *frame, size_t len)
{
	struct frame fr;

	if (len > SIM_NET_FRAME_MAX) {
		return -1;
	}
	unsigned int overflow = p->stats.overflow;

	fr.len = len;
	memcpy(fr.data, frame, len);
	push(p, &fr);
	return p->stats.overflow == overflow ? 0 : -1;
}

/* A frame toward the guest, through the to_guest knobs. */
void netpeer_to_guest(struct sim_netpeer *p, const uint8_t *frame, size_t len)
{
	const struct sim_netfaults *k = &p->cfg.to_guest;
	struct frame fr;

	if (chance(p, k->loss_pct)) {
		p->stats.lost++;
		return;
	}
	fr.len = len;
	memcpy(fr.data, frame, len);
	if (chance(p, k->corrupt_pct)) {
		p->stats.corrupted++;
		corrupt(p, fr.data, len);
	}
	if (!p->has_held && chance(p, k->reorder_pct)) {
		p->stats.reordered++;
		p->held = fr;
		p->has_held = true;
		p->held_until = sim_time_ns() + HOLD_NS;
		return;
	}
	push(p, &fr);
	if (chance(p, k->dup_pct)) {
		p->stats.duplicated++;
		push(p, &fr);
	}
	if (p->has_held) {
		p->has_held = false;
		push(p, &p->held);
	}
}

int sim_netpeer_to_guest(struct sim_netpeer *p, void *buf, size_t size, size_t *len)
{
	const struct frame *fr = &p->queue[p->head];

	if (!p->count) {
		return -1;
	}
	if (fr->len > size) {
		sim_fatal("netpeer: a %zu-byte frame for a %zu-byte buffer\n", fr->len, size);
	}
	memcpy(buf, fr->data, fr->len);
	*len = fr->len;
	p->head = (p->head + 1) % SIM_NET_QUEUE;
	p->count--;
	p->stats.taken++;
	return 0;
}

unsigned int sim_netpeer_pending(const struct sim_netpeer *p)
{
	return p->count;
}

void sim_netpeer_from_guest(struct sim_netpeer *p, const void *frame, size_t len)
{
	const struct sim_netfaults *k = &p->cfg.from_guest;
	uint8_t f[SIM_NET_FRAME_MAX];
	bool is_hurt = false;

	p->stats.from_guest++;
	if (p->capture) {
		p->capture(p->capture_ctx, frame, len);
	}
	if (len > SIM_NET_FRAME_MAX) {
		p->stats.from_guest_bad++;
		return;
	}
	if (chance(p, k->loss_pct)) {
		p->stats.lost++;
		return;
	}
	memcpy(f, frame, len);
	if (chance(p, k->corrupt_pct)) {
		p->stats.corrupted++;
		corrupt(p, f, len);
		is_hurt = true;
	}
	netpeer_deliver(p, f, len, is_hurt);
	if (chance(p, k->dup_pct)) {
		p->stats.duplicated++;
		netpeer_deliver(p, f, len, is_hurt);
	}
}

static int peer_step(void *ctx)
{
	struct sim_netpeer *p = ctx;
	int work = 0;

	if (p->has_held && sim_time_ns() >= p->held_until) {
		p->has_held = false;
		push(p, &p->held);
		work++;
	}
	for (unsigned int i = 0; i < p->host_count; i++) {
		struct sim_nethost *h = &p->hosts[i];

		for (unsigned int s = 0; s < h->svc_count; s++) {
			if (h->svcs[s].svc->step) {
				work += h->svcs[s].svc->step(h, h->svcs[s].ctx);
			}
		}
	}
	return work;
}

static void peer_release(void *ctx)
{
	struct sim_netpeer *p = ctx;

	for (unsigned int i = 0; i < p->host_count; i++) {
		struct sim_nethost *h = &p->hosts[i];

		for (unsigned int s = 0; s < h->svc_count; s++) {
			if (h->svcs[s].svc->release) {
				h->svcs[s].svc->release(h->svcs[s].ctx);
			}
		}
	}
	free(p->queue);
	free(p);
}

static const struct sim_backend_ops peer_ops = {
    .name = "netpeer",
    .step = peer_step,
    .release = peer_release,
};

struct sim_netpeer *sim_netpeer_new(const struct sim_netpeer_config *cfg)
{
	struct sim_netpeer *p = calloc(1, sizeof(*p));

	if (!p || !(p->queue = calloc(SIM_NET_QUEUE, sizeof(*p->queue)))) {
		sim_fatal("netpeer: out of memory\n");
	}
	if (cfg) {
		p->cfg = *cfg;
	}
	/* splitmix64 of the seed: small seeds still start well mixed. */
	uint64_t z = p->cfg.seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	p->rng = (z ^ (z >> 31)) | 1;
	if (sim_backend_add(&peer_ops, p)) {
		sim_fatal("netpeer: no backend slot\n");
	}
	return p;
}

struct sim_nethost *sim_netpeer_add_host(struct sim_netpeer *p,
					 const struct sim_nethost_config *cfg)
{
	struct sim_nethost *h;

	if (p->host_count == SIM_NET_HOSTS) {
		return NULL;
	}
	h = &p->hosts[p->host_count++];
	h->peer = p;
	h->cfg = *cfg;
	h->ip_id = (uint16_t)(0x1000 * p->host_count);
	return h;
}

int sim_nethost_add_service(struct sim_nethost *h, const struct sim_netsvc *svc, void *ctx)
{
	if (h->svc_count == SIM_NET_SERVICES) {
		return -1;
	}
	h->svcs[h->svc_count].svc = svc;
	h->svcs[h->svc_count].ctx = ctx;
	h->svc_count++;
	return 0;
}

void sim_netpeer_set_faults(struct sim_netpeer *p, const struct sim_netfaults *to_guest,
			    const struct sim_netfaults *from_guest)
{
	if (to_guest) {
		p->cfg.to_guest = *to_guest;
	}
	if (from_guest) {
		p->cfg.from_guest = *from_guest;
	}
}

const struct sim_netpeer_stats *sim_netpeer_stats(const struct sim_netpeer *p)
{
	return &p->stats;
}

void sim_netpeer_set_sink(struct sim_netpeer *p,
			  int (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx)
{
	p->sink = fn;
	p->sink_ctx = ctx;
}

void sim_netpeer_capture(struct sim_netpeer *p,
			 void (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx)
{
	p->capture = fn;
	p->capture_ctx = ctx;
}

struct sim_netpeer *sim_nethost_peer(struct sim_nethost *h)
{
	return h->peer;
}

uint32_t sim_nethost_ip(const struct sim_nethost *h)
{
	return h->cfg.ip;
}

const uint8_t *sim_nethost_mac(const struct sim_nethost *h)
{
	return h->cfg.mac;
}
