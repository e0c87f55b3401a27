/* The guest's ends of the simulated wire (sim/netpeer.h): sim_netwire, a
 * struct netdev straight onto the peer for testing the stack without
 * netfront and netback; and the glue between the peer and sim/netback.c. */
#include "internal.h"

#include <lib/errno.h>
#include <sim/netback.h>
#include <sim/netpeer.h>
#include <string.h>

static int wire_send(struct netdev *dev, const void *frame, size_t len)
{
	struct sim_netwire *w = dev->priv;

	if (w->is_tx_full) {
		return -EAGAIN;
	}
	dev->stats.tx_frames++;
	dev->stats.tx_bytes += len;
	sim_netpeer_from_guest(w->peer, frame, len);
	return 0;
}

static int wire_poll(struct netdev *dev, void *buf, size_t size, size_t *len)
{
	struct sim_netwire *w = dev->priv;

	if (sim_netpeer_to_guest(w->peer, buf, size, len)) {
		return -EAGAIN;
	}
	dev->stats.rx_frames++;
	dev->stats.rx_bytes += *len;
	return 0;
}

static void wire_wait(struct netdev *dev, uint64_t deadline_ns)
{
	struct sim_netwire *w = dev->priv;

	if (!sim_netpeer_pending(w->peer)) {
		sim_wait(deadline_ns);
	}
}

static const struct netdev_ops wire_ops = {
    .send = wire_send,
    .poll = wire_poll,
    .wait = wire_wait,
};

void sim_netwire_init(struct sim_netwire *w, struct sim_netpeer *peer, const char *name,
		      const uint8_t mac[6])
{
	memset(w, 0, sizeof(*w));
	w->peer = peer;
	w->dev.ops = &wire_ops;
	w->dev.priv = w;
	memcpy(w->dev.mac, mac, 6);
	strncpy(w->dev.name, name, sizeof(w->dev.name) - 1);
}

static void netback_to_peer(void *ctx, const uint8_t *frame, size_t len)
{
	sim_netpeer_from_guest(ctx, frame, len);
}

static int peer_to_netback(void *ctx, const uint8_t *frame, size_t len)
{
	return sim_netback_inject(ctx, frame, len);
}

void sim_netpeer_attach_netback(struct sim_netpeer *p, struct sim_netback *nb)
{
	sim_netback_set_tx_hook(nb, netback_to_peer, p);
	sim_netpeer_set_sink(p, peer_to_netback, nb);
}
