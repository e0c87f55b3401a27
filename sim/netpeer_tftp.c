/* A TFTP server on a simulated host (sim/netpeer_apps.h), written apart from
 * net/tftp.c: RRQ with blksize, tsize and windowsize (RFC 2347/2348/2349/
 * 7440), one transfer at a time from its own port, a window sent on each
 * new ACK, and the window again on a repeated ACK that comes after a pause
 * (the client timed out), not on one that is merely a duplicate frame.
 * Hostile modes break the protocol in the ways a client must survive. */
#include "internal.h"

#include <sim/netpeer_apps.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PKT_MAX 1468 /* the largest block in one 1500-byte frame */
#define RESEND_GAP_NS 100000000ULL /* a repeated ACK later than this means a timeout */
#define PORT_FIRST 33000

struct xfer {
	bool is_active;
	uint32_t client;
	uint8_t mac[6];
	uint16_t cport, sport;
	const struct sim_tftp_file *file;
	uint32_t blksize, window;
	uint64_t blocks; /* size / blksize + 1: the last one is short */
	uint64_t acked, sent;
	uint64_t last_send_ns;
	uint8_t oack[256];
	size_t oack_len;
};

struct tftpd {
	const struct sim_tftp_config *cfg;
	struct sim_tftp_stats *stats, own;
	struct xfer x;
	uint16_t next_port;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void send_to(struct sim_nethost *h, struct xfer *x, uint16_t sport, const void *p,
		    size_t len)
{
	sim_nethost_send_udp(h, x->mac, x->client, sport, x->cport, p, len);
}

static void send_error(struct tftpd *d, struct sim_nethost *h, struct xfer *x, uint16_t code,
		       const char *msg)
{
	uint8_t p[128];
	size_t n = strlen(msg) + 1;

	put16(p, 5);
	put16(p + 2, code);
	memcpy(p + 4, msg, n);
	send_to(h, x, x->sport, p, 4 + n);
	d->stats->errors_sent++;
	x->is_active = false;
}

static void send_block(struct tftpd *d, struct sim_nethost *h, struct xfer *x, uint64_t b)
{
	uint8_t p[4 + PKT_MAX + 1];
	uint64_t off = (b - 1) * x->blksize;
	size_t n = off >= x->file->size ? 0 : x->file->size - off;

	n = n > x->blksize ? x->blksize : n;
	put16(p, 3);
	put16(p + 2, (uint16_t)b);
	if (n) {
		memcpy(p + 4, x->file->data + off, n);
	}
	if (d->cfg->hostile == SIM_TFTP_OVERSIZE_DATA && b == 3) {
		p[4 + n] = 0xee;
		n++;
	}
	send_to(h, x, x->sport, p, 4 + n);
	d->stats->data_sent++;
	if (d->cfg->hostile == SIM_TFTP_STRAY_TID) {
		memset(p + 4, 0x5a, n);
		send_to(h, x, (uint16_t)(x->sport + 1), p, 4 + n);
	}
}

static void send_window(struct tftpd *d, struct sim_nethost *h, struct xfer *x)
{
	uint64_t last = x->acked + x->window;

	if ((d->cfg->hostile == SIM_TFTP_STALL || d->cfg->hostile == SIM_TFTP_ERROR_MID) &&
	    x->acked >= 3) {
		if (d->cfg->hostile == SIM_TFTP_ERROR_MID) {
			send_error(d, h, x, 0, "disk on fire");
		}
		return;
	}
	last = last > x->blocks ? x->blocks : last;
	for (uint64_t b = x->acked + 1; b <= last; b++) {
		send_block(d, h, x, b);
	}
	x->sent = last > x->sent ? last : x->sent;
	x->last_send_ns = sim_time_ns();
}

/* "name\0value\0" pairs after the mode: the options we answer. */
static size_t read_options(struct tftpd *d, struct xfer *x, const uint8_t *p, size_t len,
			   size_t off, uint8_t *oack)
{
	size_t n = 2;
	bool has_tsize = false;

	while (off < len) {
		const char *name = (const char *)p + off;
		size_t nl = strnlen(name, len - off);
		if (off + nl + 1 >= len) {
			break;
		}
		const char *val = name + nl + 1;
		size_t vl = strnlen(val, len - off - nl - 1);
		unsigned long v = strtoul(val, NULL, 10);
		off += nl + vl + 2;
		if (!strcasecmp(name, "blksize") && v >= 8) {
			x->blksize = v > PKT_MAX ? PKT_MAX : (uint32_t)v;
			/* Hostile: the OACK says more than asked (the data never comes). */
			unsigned long said =
			    d->cfg->hostile == SIM_TFTP_BIG_BLOCKS ? v + 100 : x->blksize;
			n += (size_t)sprintf((char *)oack + n, "blksize%c%lu", 0, said) + 1;
		} else if (!strcasecmp(name, "windowsize") && v >= 1 && !d->cfg->has_no_window) {
			x->window = v > 64 ? 64 : (uint32_t)v;
			n += (size_t)sprintf((char *)oack + n, "windowsize%c%u", 0, x->window) + 1;
		} else if (!strcasecmp(name, "tsize")) {
			has_tsize = true;
		}
	}
	if (has_tsize) {
		size_t size = x->file->size / (d->cfg->hostile == SIM_TFTP_LIE_TSIZE ? 2 : 1);
		n += (size_t)sprintf((char *)oack + n, "tsize%c%zu", 0, size) + 1;
	}
	return n > 2 ? n : 0;
}

static void start(struct tftpd *d, struct sim_nethost *h, const struct sim_netpkt *pkt)
{
	const uint8_t *p = pkt->data;
	size_t len = pkt->data_len, nl, ml;
	struct xfer *x = &d->x;
	uint8_t *oack = x->oack;

	d->stats->rrqs++;
	if (x->is_active && pkt->src == x->client && pkt->sport == x->cport) {
		/* The same request again: our first answer was lost, or a duplicate. */
		if (x->acked == 0 && sim_time_ns() - x->last_send_ns >= RESEND_GAP_NS) {
			d->stats->resends++;
			if (x->oack_len) {
				send_to(h, x, x->sport, x->oack, x->oack_len);
				x->last_send_ns = sim_time_ns();
			} else {
				send_window(d, h, x);
			}
		}
		return;
	}
	nl = strnlen((const char *)p + 2, len - 2);
	if (len < 4 || 2 + nl + 1 >= len) {
		return;
	}
	ml = strnlen((const char *)p + 3 + nl, len - 3 - nl);
	*x = (struct xfer){.is_active = true,
			   .client = pkt->src,
			   .cport = pkt->sport,
			   .sport = d->next_port++,
			   .blksize = 512,
			   .window = 1};
	memcpy(x->mac, pkt->src_mac, 6);
	for (unsigned int i = 0; i < d->cfg->file_count; i++) {
		if (!strcmp(d->cfg->files[i].name, (const char *)p + 2)) {
			x->file = &d->cfg->files[i];
		}
	}
	if (!x->file) {
		send_error(d, h, x, 1, "File not found");
		return;
	}
	size_t n = d->cfg->has_no_options ? 0 : read_options(d, x, p, len, 3 + nl + ml + 1, oack);
	if (n && d->cfg->has_option_error) {
		send_error(d, h, x, 8, "options refused");
		return;
	}
	x->blocks = x->file->size / x->blksize + 1;
	d->stats->blksize = x->blksize;
	d->stats->window = x->window;
	d->stats->is_done = false;
	x->oack_len = n;
	if (n) {
		put16(oack, 6);
		send_to(h, x, x->sport, oack, n); /* data starts at its ACK 0 */
		x->last_send_ns = sim_time_ns();
		return;
	}
	send_window(d, h, x);
}

static void ack(struct tftpd *d, struct sim_nethost *h, uint16_t n)
{
	struct xfer *x = &d->x;
	uint64_t b = x->acked + (uint16_t)(n - (uint16_t)x->acked);

	d->stats->acks++;
	if (b > x->sent) {
		return; /* a block we never sent */
	}
	if (b == x->blocks) {
		x->is_active = false;
		d->stats->is_done = true;
		return;
	}
	if (b > x->acked || x->sent == 0) {
		x->acked = b; /* new blocks acknowledged, or ACK 0 after the OACK */
	} else if (sim_time_ns() - x->last_send_ns < RESEND_GAP_NS) {
		return; /* a duplicate frame, not a timeout */
	} else {
		d->stats->resends++;
	}
	send_window(d, h, x);
}

static int tftpd_rx(struct sim_nethost *h, void *ctx, const struct sim_netpkt *pkt)
{
	struct tftpd *d = ctx;
	const uint8_t *p = pkt->data;

	if (pkt->dport == 69) {
		if (d->cfg->hostile == SIM_TFTP_SILENT) {
			d->stats->rrqs++;
		} else if (pkt->data_len >= 2 && get16(p) == 1) {
			start(d, h, pkt);
		}
		return 1;
	}
	if (!d->x.is_active || pkt->dport != d->x.sport || pkt->src != d->x.client ||
	    pkt->sport != d->x.cport || pkt->data_len < 4) {
		return 0;
	}
	if (get16(p) == 4) {
		ack(d, h, get16(p + 2));
	} else if (get16(p) == 5) {
		d->stats->errors_received++;
		d->x.is_active = false;
	}
	return 1;
}

static void tftpd_release(void *ctx)
{
	free(ctx);
}

/* Port 0: RRQs come to 69, the transfer's packets to its own port. */
static const struct sim_netsvc tftpd_svc = {
    .name = "tftp", .proto = 17, .port = 0, .rx = tftpd_rx, .release = tftpd_release};

int sim_tftp_add(struct sim_nethost *h, const struct sim_tftp_config *cfg,
		 struct sim_tftp_stats *stats)
{
	struct tftpd *d = calloc(1, sizeof(*d));

	if (!d) {
		return -1;
	}
	d->cfg = cfg;
	d->stats = stats ? stats : &d->own;
	memset(d->stats, 0, sizeof(*d->stats));
	d->next_port = PORT_FIRST;
	if (sim_nethost_add_service(h, &tftpd_svc, d)) {
		free(d);
		return -1;
	}
	return 0;
}
