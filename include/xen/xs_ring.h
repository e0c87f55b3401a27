/* XenStore transport, below the xs_* API: the byte rings of the store page
 * and the framing of xsd_sockmsg messages (xen-abi.md §4). Only xen/xs*.c,
 * the unit tests and the reply fuzzer use this header. Nothing here calls a
 * hypercall, so the parser can be fuzzed on a plain buffer. */
#ifndef XEN_XS_RING_H
#define XEN_XS_RING_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/abi/xs_wire.h>
#include <xen/xs.h>

/* One received message. @body is our copy, NUL-terminated by us, valid
 * until the next xs_rsp_parse() on the same ring. */
struct xs_msg {
	struct xsd_sockmsg hdr;
	const char *body;
	uint32_t body_len; /* bytes in @body: hdr.len, or 0 when oversized */
	bool is_oversized; /* hdr.len > XENSTORE_PAYLOAD_MAX: payload drained */
};

struct xs_ring {
	struct xenstore_domain_interface *intf;
	uint32_t req_prod; /* shadows of the indices we own: the server */
	uint32_t rsp_cons; /* cannot steer us by writing to them */
	bool is_broken; /* impossible indices seen: every use fails -EIO */
	bool needs_kick; /* we moved an index: the server wants an event */
	/* Receive state: a message is assembled across ring refills. */
	uint32_t hdr_have;
	unsigned char hdr_buf[sizeof(struct xsd_sockmsg)];
	struct xsd_sockmsg hdr;
	uint32_t body_have;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

/** xs_ring_attach() - start using @intf where its indices stand now. */
void xs_ring_attach(struct xs_ring *r, struct xenstore_domain_interface *intf);

/**
 * xs_ring_write() - copy up to @len bytes of a request into the req ring.
 * Returns how many fit (0 when full), or -EIO when the ring is broken
 * (the server's req_cons is impossible).
 */
int __must_check xs_ring_write(struct xs_ring *r, const void *data, size_t len);

/**
 * xs_rsp_parse() - consume response bytes (untrusted: indices and contents)
 * until one whole message is assembled. Returns 1 and the message in @msg,
 * 0 when the ring holds no complete message yet (what was there is kept),
 * or -EIO when the ring is broken; the first reason is logged once.
 */
int __must_check xs_rsp_parse(struct xs_ring *r, struct xs_msg *msg);

/**
 * xs_error_parse() - the negative errno for an ERROR reply's payload, an
 * errno name such as "ENOENT" (untrusted, NUL-terminated by us). Unknown
 * names give -EIO.
 */
int xs_error_parse(const char *body, uint32_t len);

/**
 * xs_watch_event_parse() - split a WATCH_EVENT payload "path\0token[\0]"
 * (untrusted, NUL-terminated by us). Returns 0, or -EBADMSG if either part
 * is missing or empty.
 */
int __must_check xs_watch_event_parse(const char *body, uint32_t len, const char **path,
				      const char **token);

/* ---- the request layer (xen/xs.c), for xen/xs_ops.c ---- */

/* A piece of a request payload; pieces are sent back to back. */
struct xs_part {
	const void *data;
	size_t len;
};

/**
 * xs_request() - send one request and wait (bounded by XS_TIMEOUT_MS) for
 * the reply with the same req_id. The reply's payload is copied into
 * @reply and NUL-terminated; @reply_len (may be NULL) receives its length.
 * Returns 0, the server's error (-ENOENT, -EACCES, -EAGAIN...), -E2BIG (the
 * request or the reply is too big), -ETIMEDOUT, -EIO (broken or garbled
 * reply) or -ENODEV (xs_init() did not succeed). After two timeouts in a
 * row the server counts as dead: for 10 s after the last one, requests fail
 * with -ETIMEDOUT at once, unless a late reply shows it is alive.
 */
int __must_check xs_request(uint32_t type, xs_tx_t tx, const struct xs_part *parts,
			    unsigned int part_count, char *reply, size_t reply_size,
			    size_t *reply_len);

/* ---- open transactions (xen/xs_ops.c), for xs_reset() ---- */
/** xs_abort_open_transactions() - abort every transaction the server may hold open. */
int __must_check xs_abort_open_transactions(void);
bool xs_has_open_transactions(void);
/** xs_forget_transactions() - drop the record without a word to the server (xs_detach()). */
void xs_forget_transactions(void);

#endif
