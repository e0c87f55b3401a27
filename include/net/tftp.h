/* TFTP client, read requests only (RFC 1350), with the option extension
 * (RFC 2347) for blksize (RFC 2348), tsize (RFC 2349) and windowsize
 * (RFC 7440): with 1468-byte blocks and a window of several blocks a
 * transfer is not one round trip per 512 bytes.
 *
 * struct tftp_xfer is the transfer's state machine with no I/O: it takes
 * each packet from the server (untrusted) and says what to send back; the
 * unit tests and the fuzz target drive it directly. tftp_get() runs it over
 * UDP with timeouts and retransmissions. Data is written only into
 * [dst, dst + max): a file that would pass max ends the transfer before
 * the byte that would not fit. */
#ifndef NET_TFTP_H
#define NET_TFTP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFTP_PORT 69
#define TFTP_BLKSIZE_DEFAULT 512
/* 1500-byte MTU - IPv4 (20) - UDP (8) - TFTP header (4): no IP fragments. */
#define TFTP_BLKSIZE_MAX 1468
#define TFTP_WINDOW_MAX 64
#define TFTP_WINDOW_DEFAULT 16
#define TFTP_NAME_MAX 256 /* file names we ask for */
#define TFTP_MSG_MAX 80 /* the server's error text we keep */
#define TFTP_OUT_MAX (2 + TFTP_NAME_MAX + 64) /* RRQ with options, the largest we send */

enum tftp_status {
	TFTP_CONTINUE, /* send x->out if x->out_len, then wait */
	TFTP_DONE, /* the whole file is in; send the final ACK in x->out */
};

struct tftp_xfer {
	/* The caller's, set before tftp_start(). */
	uint8_t *dst;
	uint64_t max;
	uint16_t blksize_req; /* 0: no options at all (plain RFC 1350) */
	uint16_t window_req;

	/* Negotiated (OACK) or RFC 1350's defaults. */
	uint16_t blksize, window;
	uint64_t tsize;
	bool has_tsize;

	/* Progress. */
	uint16_t block; /* last block taken, modulo 65536 (wraps on big files) */
	uint16_t in_window; /* blocks taken since the last ACK */
	bool is_gap_acked; /* an out-of-order block was answered already */
	bool has_tid;
	uint16_t tid; /* the server's port for this transfer */
	uint64_t received;
	uint32_t stray; /* packets ignored: wrong port, duplicates, garbage */

	/* Why it failed (server error text, or ours), for one line. */
	char msg[TFTP_MSG_MAX];
	bool is_server_error; /* @msg is an ERROR packet's text, @err_code its code */
	uint16_t err_code;

	/* The packet to send next (also what a timeout resends). */
	uint8_t out[TFTP_OUT_MAX];
	size_t out_len;
	size_t rrq_len; /* x->out holds the RRQ until the server answers */
};

/**
 * tftp_start() - prepare the RRQ for @file (octet mode, and the options when
 * x->blksize_req is set: blksize, windowsize, tsize 0) in x->out. Returns 0
 * or -ENAMETOOLONG / -EINVAL (an empty name or a control byte in it).
 */
int __must_check tftp_start(struct tftp_xfer *x, const char *file);

/**
 * tftp_input() - one UDP payload of @len bytes from the server's port
 * @sport (untrusted). Returns TFTP_CONTINUE or TFTP_DONE, with x->out_len
 * set when something must be sent (an ACK, or an ERROR before a failure),
 * else a negative errno: -ENOENT (file not found), -EACCES, -EFBIG (the file
 * passes x->max: nothing beyond was written), -EBADMSG (the server broke the
 * protocol: bad options, a block larger than negotiated), -EOPNOTSUPP (the
 * server refused our options: start again without them), -EIO (another
 * server error); x->msg says why in one line.
 */
int __must_check tftp_input(struct tftp_xfer *x, uint16_t sport, const uint8_t *pkt, size_t len);

/**
 * tftp_timeout() - nothing came in time: x->out again (the RRQ, or the last
 * ACK, which makes the server restart its window after our last block).
 */
void tftp_timeout(struct tftp_xfer *x);

struct net_stack;

struct tftp_opts {
	uint16_t blksize; /* 0: plain RFC 1350 */
	uint16_t window;
	unsigned int timeout_ms; /* per packet, default 1000 */
	unsigned int retries; /* per packet, default 10 */
	bool has_progress; /* U-Boot's "Loading: ###" lines */
};

/**
 * tftp_get() - read @file from @server into [@dst, @dst + @max) through @ns;
 * *@len receives the bytes written (also on failure). The caller checked
 * that the range may be written (memmap_check). Prints the reason of a
 * failure in one line. Returns 0 or a negative errno (-ETIMEDOUT after the
 * retries, -EINTR on Ctrl-C, or what tftp_input() returned).
 */
int __must_check tftp_get(struct net_stack *ns, uint32_t server, const char *file, void *dst,
			  uint64_t max, uint64_t *len, const struct tftp_opts *opts);

#endif
