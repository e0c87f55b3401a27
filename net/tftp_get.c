/* tftp_get() (include/net/tftp.h): one read transfer over UDP. The RRQ goes
 * to port 69 from a fresh local port; the server answers from its own port
 * (the transfer id), and every answer goes through tftp_input(), which
 * says what to send back. ACKs are sent from the receive callback, so the
 * server's next window starts as soon as this one is in. A packet-long
 * silence resends the last packet (the RRQ, or the last ACK) up to
 * `retries` times; any progress resets the count. */
#include <arch/arch.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <net/net.h>
#include <net/tftp.h>
#include <net/udp.h>
#include <string.h>

#define HASHES_TSIZE 50 /* U-Boot: 50 marks for a file of known size */
#define HASH_BLOCKS 10 /* else one mark per 10 blocks */
#define HASHES_PER_LINE 65
#define PORT_BASE 49152
#define KEY_CTRL_C 0x03
#define KEY_CHECK_NS (100 * NS_PER_MS)

struct tftp_io {
	struct tftp_xfer x;
	struct net_stack *ns;
	uint32_t server;
	uint16_t port;
	int rc; /* TFTP_CONTINUE, TFTP_DONE or -errno */
	int send_rc;
	uint64_t next_key_check;
	unsigned int hashes;
	bool has_progress;
};

static void send_out(struct tftp_io *io)
{
	struct tftp_xfer *x = &io->x;

	if (x->out_len) {
		int rc = udp_send(io->ns, io->server, io->port, x->has_tid ? x->tid : TFTP_PORT,
				  x->out, x->out_len);
		io->send_rc = io->send_rc ? io->send_rc : rc;
	}
}

static void tftp_rx(void *ctx, uint32_t src, uint16_t sport, const uint8_t *data, size_t len)
{
	struct tftp_io *io = ctx;

	if (src != io->server || io->rc != TFTP_CONTINUE) {
		io->x.stray++; /* another host, or after the end */
		return;
	}
	io->rc = tftp_input(&io->x, sport, data, len);
	send_out(io);
}

/* "Loading: ###..." as U-Boot draws it. */
static void progress(struct tftp_io *io)
{
	const struct tftp_xfer *x = &io->x;
	uint64_t want;

	if (!io->has_progress) {
		return;
	}
	if (x->has_tsize && x->tsize) {
		want =
		    x->received >= x->tsize ? HASHES_TSIZE : x->received * HASHES_TSIZE / x->tsize;
	} else {
		want = x->received / ((uint64_t)x->blksize * HASH_BLOCKS);
	}
	while (io->hashes < want) {
		if (io->hashes && io->hashes % HASHES_PER_LINE == 0) {
			xb_printf("\n\t ");
		}
		xb_printf("#");
		io->hashes++;
	}
}

/* Ctrl-C on the console ends the transfer, as in U-Boot (checked ten times
 * a second: reading the console costs a ring check). */
static bool is_interrupted(struct tftp_io *io)
{
	uint64_t now = arch_time_ns();

	if (now < io->next_key_check) {
		return false;
	}
	io->next_key_check = now + KEY_CHECK_NS;
	return console_getc(0) == KEY_CTRL_C;
}

static int run(struct tftp_io *io, const struct tftp_opts *o)
{
	unsigned int tries = 0;
	uint64_t last = io->x.received, deadline = arch_time_ns() + o->timeout_ms * NS_PER_MS;
	bool had_tid = false;

	send_out(io);
	while (io->rc == TFTP_CONTINUE && !io->send_rc) {
		int rc = net_poll(io->ns, deadline);

		if (rc && rc != -ETIMEDOUT) {
			return rc;
		}
		if (is_interrupted(io)) {
			xb_snprintf(io->x.msg, sizeof(io->x.msg), "interrupted (Ctrl-C)");
			io->x.is_server_error = false; /* even if its ERROR came in this poll */
			return -EINTR;
		}
		progress(io);
		if (io->x.received != last || io->x.has_tid != had_tid) {
			last = io->x.received; /* progress: a fresh set of retries */
			had_tid = io->x.has_tid;
			tries = 0;
			deadline = arch_time_ns() + o->timeout_ms * NS_PER_MS;
		} else if (arch_time_ns() >= deadline) {
			if (++tries > o->retries) {
				xb_snprintf(io->x.msg, sizeof(io->x.msg),
					    "no answer from the server");
				return -ETIMEDOUT;
			}
			xb_printf("T ");
			tftp_timeout(&io->x);
			send_out(io);
			deadline = arch_time_ns() + o->timeout_ms * NS_PER_MS;
		}
	}
	return io->send_rc ? io->send_rc : io->rc < 0 ? io->rc : 0;
}

int tftp_get(struct net_stack *ns, uint32_t server, const char *file, void *dst, uint64_t max,
	     uint64_t *len, const struct tftp_opts *opts)
{
	static struct tftp_io io; /* the transfer state: not on the stack */
	const struct tftp_opts defaults = {.blksize = TFTP_BLKSIZE_MAX,
					   .window = TFTP_WINDOW_DEFAULT,
					   .timeout_ms = 1000,
					   .retries = 10};
	struct tftp_opts o = opts ? *opts : defaults;
	struct udp_bind b = {.rx = tftp_rx, .ctx = &io};
	int rc;

	memset(&io, 0, sizeof(io));
	io.ns = ns;
	io.server = server;
	o.timeout_ms = o.timeout_ms ? o.timeout_ms : defaults.timeout_ms;
	o.retries = o.retries ? o.retries : defaults.retries;
	io.has_progress = o.has_progress;
	io.x.dst = dst;
	io.x.max = max;
	io.x.blksize_req = MIN(o.blksize, (uint16_t)TFTP_BLKSIZE_MAX);
	io.x.window_req = MIN(o.window, (uint16_t)TFTP_WINDOW_MAX);
	*len = 0;
	rc = tftp_start(&io.x, file);
	if (rc) {
		xb_printf("tftp: bad file name '%pE'\n", file);
		return rc;
	}
	/* A new local port per transfer: late packets of the last one miss it. */
	io.port = (uint16_t)(PORT_BASE + (arch_time_ns() / 1000 + ns->stats.tx_frames) % 16000);
	b.port = io.port;
	rc = udp_bind(ns, &b);
	if (!rc) {
		if (io.has_progress) {
			xb_printf("Loading: ");
		}
		rc = run(&io, &o);
		if (rc == -EOPNOTSUPP) {
			/* A server that refuses options: plain RFC 1350, once. */
			io.x.blksize_req = 0;
			io.rc = TFTP_CONTINUE;
			rc = tftp_start(&io.x, file);
			rc = rc ? rc : run(&io, &o);
		}
		udp_unbind(ns, &b);
		if (io.has_progress) {
			xb_printf(rc ? "\n" : "\ndone\n");
		}
	}
	*len = io.x.received;
	if (rc && io.x.is_server_error) {
		/* U-Boot's line for the server's ERROR packet: its text and code. */
		xb_printf("TFTP error: '%pE' (%u)\n", io.x.msg, io.x.err_code);
	} else if (rc) {
		xb_printf("TFTP error: %pE (%s)\n", io.x.msg[0] ? io.x.msg : "transfer failed",
			  errno_name(rc));
	}
	return rc;
}
