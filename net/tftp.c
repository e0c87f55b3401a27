/* TFTP read transfer state machine (include/net/tftp.h); the UDP loop is
 * tftp_get() in net/tftp_get.c.
 *
 * Packets (RFC 1350 §5): RRQ = 1, name, 0, "octet", 0 [, option, 0, value,
 * 0]...; DATA = 3, block (2), data; ACK = 4, block; ERROR = 5, code (2),
 * text, 0; OACK = 6, option, 0, value, 0, ... (RFC 2347).
 *
 * Windows (RFC 7440 §4): the server sends `window` blocks, we ACK the last
 * one. A block from the future means one was lost: we ACK the last block we
 * have, once per gap, and the server goes on from there. An old block is a
 * duplicate; the last one again means our ACK was lost, so it is repeated. */
#include <lib/be.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <net/tftp.h>
#include <string.h>

enum { OP_RRQ = 1, OP_DATA = 3, OP_ACK = 4, OP_ERROR = 5, OP_OACK = 6 };
enum { ERR_UNDEF = 0, ERR_NOT_FOUND = 1, ERR_ACCESS = 2, ERR_FULL = 3, ERR_OPTION = 8 };

static size_t put_str(uint8_t *p, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	return n;
}

int tftp_start(struct tftp_xfer *x, const char *file)
{
	size_t n = strlen(file), len = 2;
	char num[8];

	if (n == 0) {
		return -EINVAL;
	}
	if (n >= TFTP_NAME_MAX) {
		return -ENAMETOOLONG;
	}
	for (size_t i = 0; i < n; i++) {
		if ((uint8_t)file[i] < 0x20 || (uint8_t)file[i] == 0x7f) {
			return -EINVAL;
		}
	}
	x->blksize = TFTP_BLKSIZE_DEFAULT;
	x->window = 1;
	x->block = 0;
	x->in_window = 0;
	x->received = 0;
	x->has_tid = x->has_tsize = x->is_gap_acked = false;
	x->tsize = 0;
	x->stray = 0;
	x->msg[0] = '\0';
	x->is_server_error = false;
	store_be16(x->out, OP_RRQ);
	len += put_str(x->out + len, file);
	len += put_str(x->out + len, "octet");
	if (x->blksize_req) {
		xb_snprintf(num, sizeof(num), "%u", x->blksize_req);
		len += put_str(x->out + len, "blksize");
		len += put_str(x->out + len, num);
		xb_snprintf(num, sizeof(num), "%u", x->window_req ? x->window_req : 1);
		len += put_str(x->out + len, "windowsize");
		len += put_str(x->out + len, num);
		len += put_str(x->out + len, "tsize");
		len += put_str(x->out + len, "0");
	}
	x->out_len = x->rrq_len = len;
	return 0;
}

static void put_ack(struct tftp_xfer *x)
{
	store_be16(x->out, OP_ACK);
	store_be16(x->out + 2, x->block);
	x->out_len = 4;
	x->in_window = 0;
}

/* Tell the server why we stop (it would otherwise retry for a while). */
static int fail(struct tftp_xfer *x, int rc, uint16_t code, const char *why)
{
	store_be16(x->out, OP_ERROR);
	store_be16(x->out + 2, code);
	x->out_len = 4 + put_str(x->out + 4, why);
	xb_snprintf(x->msg, sizeof(x->msg), "%s", why);
	return rc;
}

static int server_error(struct tftp_xfer *x, const uint8_t *pkt, size_t len)
{
	uint16_t code = len >= 4 ? load_be16(pkt + 2) : ERR_UNDEF;
	size_t n = len > 4 ? strnlen((const char *)pkt + 4, len - 4) : 0;

	/* The text is the server's: printed later with %pE (escaped). */
	xb_snprintf(x->msg, sizeof(x->msg), "%.*s", (int)MIN(n, sizeof(x->msg) - 1),
		    (const char *)pkt + 4);
	x->is_server_error = true;
	x->err_code = code;
	x->out_len = 0; /* never answer an ERROR */
	if (code == ERR_OPTION && !x->has_tid && x->blksize_req) {
		return -EOPNOTSUPP; /* RFC 2347: options refused; ask again without */
	}
	return code == ERR_NOT_FOUND ? -ENOENT : code == ERR_ACCESS ? -EACCES : -EIO;
}

/* One "name\0value\0" pair of an OACK at *@off; false at a malformed end. */
static bool next_pair(const uint8_t *p, size_t len, size_t *off, const char **name,
		      const char **value)
{
	const char *s = (const char *)p;
	size_t a = *off, na, nv;

	if (a >= len) {
		return false;
	}
	na = strnlen(s + a, len - a);
	if (a + na >= len) {
		return false;
	}
	nv = strnlen(s + a + na + 1, len - a - na - 1);
	if (a + na + 1 + nv >= len) {
		return false;
	}
	*name = s + a;
	*value = s + a + na + 1;
	*off = a + na + 1 + nv + 1;
	return true;
}

static bool name_is(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if ((*a | 0x20) != *b) {
			return false;
		}
	}
	return *a == *b;
}

/* RFC 2347: the server may only accept options we sent, and only lower. */
static int take_oack(struct tftp_xfer *x, const uint8_t *pkt, size_t len)
{
	const char *name, *value;
	size_t off = 2;
	uint64_t v;

	if (!x->blksize_req) {
		return fail(x, -EBADMSG, ERR_OPTION, "no options were requested");
	}
	while (next_pair(pkt, len, &off, &name, &value)) {
		if (parse_u64(value, 10, &v)) {
			return fail(x, -EBADMSG, ERR_OPTION, "bad option value");
		}
		if (name_is(name, "blksize") && v >= 8 && v <= x->blksize_req) {
			x->blksize = (uint16_t)v;
		} else if (name_is(name, "windowsize") && v >= 1 && v <= MAX(x->window_req, 1)) {
			x->window = (uint16_t)v;
		} else if (name_is(name, "tsize")) {
			x->tsize = v;
			x->has_tsize = true;
		} else {
			return fail(x, -EBADMSG, ERR_OPTION, "unrequested option or value");
		}
	}
	if (off != len) {
		return fail(x, -EBADMSG, ERR_OPTION, "malformed option acknowledgement");
	}
	if (x->has_tsize && x->tsize > x->max) {
		return fail(x, -EFBIG, ERR_FULL, "file too large for the load area");
	}
	put_ack(x); /* ACK 0 starts the data */
	return TFTP_CONTINUE;
}

/* A block from outside the current one: duplicate, or a gap. */
static int other_block(struct tftp_xfer *x, uint16_t n)
{
	uint16_t ahead = (uint16_t)(n - x->block);

	x->stray++;
	if (ahead > 0 && ahead <= x->window * 2u) {
		if (!x->is_gap_acked) {
			x->is_gap_acked = true;
			put_ack(x); /* restart the window after our last block */
		}
	} else if (n == x->block && x->in_window == 0 && (x->block || x->has_tid)) {
		put_ack(x); /* our last ACK was lost */
	}
	return TFTP_CONTINUE;
}

static int take_data(struct tftp_xfer *x, const uint8_t *pkt, size_t len)
{
	uint16_t n = load_be16(pkt + 2);
	size_t count = len - 4;

	if (n != (uint16_t)(x->block + 1)) {
		return other_block(x, n);
	}
	if (count > x->blksize) {
		return fail(x, -EBADMSG, ERR_UNDEF, "block larger than negotiated");
	}
	if (count > x->max - x->received) {
		return fail(x, -EFBIG, ERR_FULL, "file too large for the load area");
	}
	if (count) {
		memcpy(x->dst + x->received, pkt + 4, count);
	}
	x->received += count;
	x->block = n;
	x->in_window++;
	x->is_gap_acked = false;
	if (count < x->blksize) {
		put_ack(x);
		return TFTP_DONE;
	}
	if (x->in_window >= x->window) {
		put_ack(x);
	}
	return TFTP_CONTINUE;
}

int tftp_input(struct tftp_xfer *x, uint16_t sport, const uint8_t *pkt, size_t len)
{
	x->out_len = 0;
	if (len < 4 && !(len >= 2 && load_be16(pkt) == OP_OACK)) {
		x->stray++;
		return TFTP_CONTINUE;
	}
	uint16_t op = load_be16(pkt);
	bool is_first = !x->has_tid;
	if (x->has_tid && sport != x->tid) {
		x->stray++; /* RFC 1350 §4: another transfer's packet */
		return TFTP_CONTINUE;
	}
	if (op == OP_ERROR) {
		return server_error(x, pkt, len);
	}
	if (op == OP_OACK && is_first) {
		x->has_tid = true;
		x->tid = sport;
		return take_oack(x, pkt, len);
	}
	if (op == OP_OACK && x->block == 0 && x->blksize_req) {
		put_ack(x); /* the OACK again: our ACK 0 was lost */
		return TFTP_CONTINUE;
	}
	if (op == OP_DATA) {
		if (is_first) {
			x->has_tid = true; /* no OACK: the server ignored our options */
			x->tid = sport;
		}
		return take_data(x, pkt, len);
	}
	x->stray++;
	return TFTP_CONTINUE;
}

void tftp_timeout(struct tftp_xfer *x)
{
	if (x->has_tid) {
		put_ack(x);
		x->is_gap_acked = false;
	} else {
		x->out_len = x->rrq_len; /* x->out still holds the RRQ */
	}
}
