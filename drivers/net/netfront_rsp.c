/* The netfront response consumers: everything netback writes to the two
 * rings passes through here first (STYLE U1, U2). A response is copied out
 * of the ring field by field before it is looked at; its id must name one
 * of our buffers that the backend holds (a frame in flight, a posted RX
 * page), its status must be one netif defines, and an RX slot's offset +
 * size must stay inside its page. Anything else is a misbehaving backend:
 * the device is marked broken with one message and later calls fail -EIO.
 * Honest errors (NETIF_RSP_ERROR/DROPPED) only drop the frame. */
#define LOG_PREFIX "netfront: "
#include "netfront_internal.h"

#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>
#include <xen/gnttab.h>
#include <xen/ring.h>

#define ETH_HLEN 14
#define ETH_P_IPV4 0x0800

/* Check and complete one copied-out TX response. */
static int nf_tx_complete(struct netfront *nf, const struct netif_tx_response *rsp)
{
	unsigned int id = rsp->id;

	if (id >= NF_TX_BUFS || !nf->tx_is_in_flight[id]) {
		nf_mark_broken(nf, "TX response id names no frame in flight");
		return -EIO;
	}
	if (rsp->status != NETIF_RSP_OKAY && rsp->status != NETIF_RSP_ERROR &&
	    rsp->status != NETIF_RSP_DROPPED) {
		/* NETIF_RSP_NULL answers extra-info slots, which we never send. */
		nf_mark_broken(nf, "TX response status is not one netif defines");
		return -EIO;
	}
	if (gnttab_end(nf->tx_refs[id])) {
		/* It answered but still maps the frame's page: that page (and
		 * its other buffer) can never be used again. */
		nf_lose(nf, nf_tx_buf(nf, id), NF_TX_BUF_SIZE);
		nf->tx_is_in_flight[id] = false;
		nf_mark_broken(nf, "backend still maps a sent frame it answered");
		return -EIO;
	}
	nf->tx_is_in_flight[id] = false;
	nf->tx_free[nf->tx_free_count++] = (uint16_t)id;
	nf_stats.tx_errors += rsp->status != NETIF_RSP_OKAY;
	return 0;
}

/* Consume TX responses in [tx_cons, prod): how many, or -EIO. */
static int nf_tx_batch(struct netfront *nf, uint32_t prod)
{
	int done = 0;

	while (nf->tx_cons != prod) {
		const struct netif_tx_response *slot =
		    &nf->tx_ring[nf->tx_cons & (NET_TX_RING_SIZE - 1)].rsp;
		/* Each field read once: only our copy is used (XSA-155). */
		struct netif_tx_response rsp = {
		    .id = READ_ONCE(slot->id),
		    .status = READ_ONCE(slot->status),
		};

		nf->tx_cons++;
		if (nf_tx_complete(nf, &rsp)) {
			return -EIO;
		}
		done++;
	}
	return done;
}

int nf_tx_reclaim(struct netfront *nf)
{
	bool has_rechecked = false;
	int done = 0;

	if (nf->nd.is_broken) {
		return -EIO;
	}
	/* Even with nothing in flight: a producer that moved anyway is
	 * caught here, not left to look like pending work to nf_wait(). */
	for (;;) {
		uint32_t prod;

		if (xen_ring_rsp_prod(nf->tx_sring, nf->tx_cons, nf->tx_pushed, &prod)) {
			nf_mark_broken(nf, "TX response producer jumped past the frames sent");
			return -EIO;
		}
		int n = nf_tx_batch(nf, prod);
		if (n < 0) {
			return n;
		}
		done += n;
		/* The producer moved and moved back: nothing new. rsp_event
		 * is set, so a real response raises an event (issue 8 #8). */
		if ((n == 0 && has_rechecked) ||
		    !xen_ring_rsp_final_check(nf->tx_sring, nf->tx_cons)) {
			break;
		}
		has_rechecked = true;
	}
	if (done) {
		nf->tx_stall_since = 0;
	}
	return done;
}

/* Check RX response @rsp, copied out of ring slot @slot, and take its page
 * out of the posted set. */
static int nf_rx_take(struct netfront *nf, const struct netif_rx_response *rsp, uint32_t slot)
{
	if (rsp->id >= NF_RX_BUFS || !nf->rx_is_posted[rsp->id] ||
	    rsp->id != nf->rx_slot_id[slot & (NET_RX_RING_SIZE - 1)]) {
		nf_mark_broken(nf, "RX response id is not its slot's posted page");
		return -EIO;
	}
	if (rsp->status < 0 && rsp->status != NETIF_RSP_ERROR && rsp->status != NETIF_RSP_DROPPED) {
		nf_mark_broken(nf, "RX response status is not one netif defines");
		return -EIO;
	}
	if (rsp->status > 0 && (uint32_t)rsp->offset + (uint32_t)rsp->status > PAGE_SIZE) {
		nf_mark_broken(nf, "RX response offset + size lies outside the page");
		return -EIO;
	}
	if (rsp->flags & NETRXF_EXTRA_INFO) {
		/* Only GSO, multicast control or hashing bring extra slots,
		 * and we negotiated none of them. */
		nf_mark_broken(nf, "RX extra-info slot we never asked for");
		return -EIO;
	}
	if (nf->rx_part_count == NF_RX_MAX_PARTS) {
		nf_mark_broken(nf, "RX frame spread over more slots than netif allows");
		return -EIO;
	}
	nf->rx_is_posted[rsp->id] = false;
	nf->rx_parts[nf->rx_part_count++] = *rsp;
	return 0;
}

/* The frame in rx_parts is complete: copy it to @buf, or drop it. The
 * pages go back to the free list either way. Returns 1 if delivered. */
static int nf_rx_deliver(struct netfront *nf, uint8_t *buf, size_t size, size_t *len)
{
	size_t total = 0;
	bool is_error = false;

	for (unsigned int i = 0; i < nf->rx_part_count; i++) {
		const struct netif_rx_response *p = &nf->rx_parts[i];
		is_error |= p->status < 0;
		total += p->status > 0 ? (size_t)p->status : 0;
	}
	bool is_ok = !is_error && total >= ETH_HLEN && total <= NETDEV_FRAME_MAX && total <= size;
	if (is_ok) {
		size_t at = 0;
		for (unsigned int i = 0; i < nf->rx_part_count; i++) {
			const struct netif_rx_response *p = &nf->rx_parts[i];
			size_t n = p->status > 0 ? (size_t)p->status : 0;
			memcpy(buf + at, nf_rx_page(nf, p->id) + p->offset, n);
			at += n;
		}
		/* Flags are the first slot's (netif.h: they describe the frame). */
		if ((nf->rx_parts[0].flags & NETRXF_CSUM_BLANK) && nf_csum_fill(buf, total) == 0) {
			nf_stats.rx_csum_blank++;
		}
		nf_stats.rx_multi_slot += nf->rx_part_count > 1;
		nf->nd.stats.rx_frames++;
		nf->nd.stats.rx_bytes += total;
		*len = total;
	} else {
		nf_stats.rx_errors += is_error;
		nf_stats.rx_oversize += !is_error && total > NETDEV_FRAME_MAX;
		nf->nd.stats.rx_dropped++;
	}
	for (unsigned int i = 0; i < nf->rx_part_count; i++) {
		nf->rx_free[nf->rx_free_count++] = nf->rx_parts[i].id;
	}
	nf->rx_part_count = 0;
	return is_ok;
}

/* Consume responses in [rx_cons, prod) until a frame is delivered. */
static int nf_rx_batch(struct netfront *nf, uint32_t prod, uint8_t *buf, size_t size, size_t *len)
{
	while (nf->rx_cons != prod) {
		const struct netif_rx_response *slot =
		    &nf->rx_ring[nf->rx_cons & (NET_RX_RING_SIZE - 1)].rsp;
		struct netif_rx_response rsp = {
		    .id = READ_ONCE(slot->id),
		    .offset = READ_ONCE(slot->offset),
		    .flags = READ_ONCE(slot->flags),
		    .status = READ_ONCE(slot->status),
		};

		if (nf_rx_take(nf, &rsp, nf->rx_cons++)) {
			return -EIO;
		}
		if (!(rsp.flags & NETRXF_MORE_DATA) && nf_rx_deliver(nf, buf, size, len)) {
			return 1;
		}
	}
	return 0;
}

int nf_rx_parse(struct netfront *nf, uint8_t *buf, size_t size, size_t *len)
{
	bool has_rechecked = false;

	if (nf->nd.is_broken) {
		return -EIO;
	}
	for (;;) {
		uint32_t prod, from = nf->rx_cons;

		if (xen_ring_rsp_prod(nf->rx_sring, nf->rx_cons, nf->rx_pushed, &prod)) {
			nf_mark_broken(nf, "RX response producer jumped past the pages posted");
			return -EIO;
		}
		int rc = nf_rx_batch(nf, prod, buf, size, len);
		if (rc) {
			/* A frame (more may wait: the caller polls again
			 * before it sleeps), or broken. */
			return rc;
		}
		/* As in nf_tx_reclaim(): a producer that moved back ends it. */
		if ((nf->rx_cons == from && has_rechecked) ||
		    !xen_ring_rsp_final_check(nf->rx_sring, nf->rx_cons)) {
			return 0;
		}
		has_rechecked = true;
	}
}

/* One's-complement sum of @len bytes at @p, added to @sum (RFC 1071). */
static uint32_t nf_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2) {
		sum += (uint32_t)p[0] << 8 | p[1];
	}
	if (len) {
		sum += (uint32_t)p[0] << 8;
	}
	return sum;
}

static uint16_t nf_fold(uint32_t sum)
{
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

/*
 * NETRXF_csum_blank: the sender left the TCP/UDP checksum to "hardware"
 * (a local domain with offload on). The stack checks every checksum, so
 * compute it here, over our copy, from the headers alone: IPv4 without
 * fragments, the L4 length from the IP total length, all bounded by the
 * frame. Anything else is left as it came (the stack then drops it).
 */
int nf_csum_fill(uint8_t *f, size_t len)
{
	if (len < ETH_HLEN + 20 || (f[12] << 8 | f[13]) != ETH_P_IPV4 || (f[14] >> 4) != 4) {
		return -EINVAL;
	}
	uint8_t *ip = f + ETH_HLEN;
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	size_t tot = (size_t)(ip[2] << 8 | ip[3]);
	uint8_t proto = ip[9];
	size_t off = proto == 6 ? 16 : proto == 17 ? 6 : 0;

	if (!off || ihl < 20 || tot < ihl + off + 2 || tot > len - ETH_HLEN ||
	    ((ip[6] & 0x3f) | ip[7])) {
		return -EINVAL; /* not TCP/UDP, malformed, or a fragment */
	}
	uint8_t *l4 = ip + ihl;
	size_t l4_len = tot - ihl;
	l4[off] = l4[off + 1] = 0;
	/* Pseudo header: addresses, protocol, L4 length. */
	uint32_t sum = nf_sum(ip + 12, 8, proto + (uint32_t)l4_len);
	uint16_t c = nf_fold(nf_sum(l4, l4_len, sum));
	if (proto == 17 && c == 0) {
		c = 0xffff; /* 0 means "no checksum" in UDP */
	}
	l4[off] = (uint8_t)(c >> 8);
	l4[off + 1] = (uint8_t)c;
	return 0;
}
