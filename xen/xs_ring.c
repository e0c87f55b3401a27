/* XenStore byte rings (public/io/xs_wire.h, docs/misc/xenstore-ring.txt).
 * Both rings are 1024 bytes with free-running u32 indices. We own req_prod
 * and rsp_cons and keep shadows of them; req_cons and rsp_prod belong to the
 * server and are checked every time they are read (STYLE U1). A message is
 * a 16-byte header and up to 4096 bytes of payload, so one message may take
 * several refills of the 1 KiB ring: the receive state lives in the ring
 * struct, and every call reads the indices afresh. */
#define LOG_PREFIX "xenstore: "
#include <lib/barrier.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>
#include <xen/xs_ring.h>

#define RING_MASK (XENSTORE_RING_SIZE - 1)
#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

_Static_assert((XENSTORE_RING_SIZE & RING_MASK) == 0, "ring size is a power of two");

/* One clear message, then silence: every later request fails -EIO. */
static void ring_break(struct xs_ring *r, const char *why, uint32_t a, uint32_t b)
{
	if (!r->is_broken) {
		log_notice("%s (0x%x, 0x%x): xenstore disabled\n", why, a, b);
	}
	r->is_broken = true;
}

void xs_ring_attach(struct xs_ring *r, struct xenstore_domain_interface *intf)
{
	memset(r, 0, sizeof(*r));
	r->intf = intf;
	/* Continue where the toolstack (or an earlier user) left the ring. */
	r->req_prod = READ_ONCE(intf->req_prod);
	r->rsp_cons = READ_ONCE(intf->rsp_cons);
}

/* True if the server flagged a fatal ring error (only if it may do so). */
static bool server_error(struct xs_ring *r)
{
	uint32_t features = READ_ONCE(r->intf->server_features);
	uint32_t err = READ_ONCE(r->intf->error);

	if ((features & XENSTORE_SERVER_FEATURE_ERROR) && err) {
		ring_break(r, "xenstored reports a ring error", err, features);
		return true;
	}
	return false;
}

int xs_ring_write(struct xs_ring *r, const void *data, size_t len)
{
	const char *src = data;

	if (r->is_broken || server_error(r)) {
		return -EIO;
	}
	uint32_t cons = READ_ONCE(r->intf->req_cons);
	/* Read req_cons before writing into the slots it frees. */
	mb();
	uint32_t used = r->req_prod - cons;
	if (used > XENSTORE_RING_SIZE) {
		ring_break(r, "impossible req_cons", cons, r->req_prod);
		return -EIO;
	}
	size_t n = MIN(len, (size_t)(XENSTORE_RING_SIZE - used));
	for (size_t i = 0; i < n; i++) {
		r->intf->req[(r->req_prod + i) & RING_MASK] = src[i];
	}
	if (!n) {
		return 0;
	}
	/* The bytes must be visible before the index that publishes them. */
	wmb();
	r->req_prod += (uint32_t)n;
	WRITE_ONCE(r->intf->req_prod, r->req_prod);
	r->needs_kick = true;
	return (int)n;
}

/* Copy @n bytes from the rsp ring at our rsp_cons, then hand them back. */
static void rsp_take(struct xs_ring *r, void *dst, uint32_t n)
{
	unsigned char *d = dst;

	for (uint32_t i = 0; i < n; i++) {
		unsigned char c =
		    (unsigned char)READ_ONCE(r->intf->rsp[(r->rsp_cons + i) & RING_MASK]);
		if (d) {
			d[i] = c;
		}
	}
	/* Finish reading the slots before the server may refill them. */
	mb();
	r->rsp_cons += n;
	WRITE_ONCE(r->intf->rsp_cons, r->rsp_cons);
	r->needs_kick = true;
}

/* Bytes the server published and we did not take; -1 if impossible. */
static int64_t rsp_avail(struct xs_ring *r)
{
	uint32_t prod = READ_ONCE(r->intf->rsp_prod);

	/* Read the payload only after the index that covers it (U1 step 3). */
	rmb();
	uint32_t avail = prod - r->rsp_cons;
	if (avail > XENSTORE_RING_SIZE) {
		ring_break(r, "rsp_prod is more than a ring ahead of rsp_cons", prod, r->rsp_cons);
		return -1;
	}
	return avail;
}

/* Hand out the assembled message and get ready for the next header. */
static void rsp_emit(struct xs_ring *r, struct xs_msg *msg)
{
	msg->hdr = r->hdr;
	msg->is_oversized = r->hdr.len > XENSTORE_PAYLOAD_MAX;
	msg->body_len = msg->is_oversized ? 0 : r->hdr.len;
	r->body[msg->body_len] = '\0';
	msg->body = r->body;
	r->hdr_have = 0;
	r->body_have = 0;
}

int xs_rsp_parse(struct xs_ring *r, struct xs_msg *msg)
{
	if (r->is_broken || server_error(r)) {
		return -EIO;
	}
	for (;;) {
		if (r->hdr_have == HDR_SIZE && r->body_have == r->hdr.len) {
			rsp_emit(r, msg);
			return 1;
		}
		int64_t avail = rsp_avail(r);
		if (avail < 0) {
			return -EIO;
		}
		if (avail == 0) {
			return 0;
		}
		if (r->hdr_have < HDR_SIZE) {
			uint32_t n = MIN((uint32_t)avail, HDR_SIZE - r->hdr_have);
			rsp_take(r, r->hdr_buf + r->hdr_have, n);
			r->hdr_have += n;
			if (r->hdr_have == HDR_SIZE) {
				/* Decode our copy, never the ring (A4). */
				memcpy(&r->hdr, r->hdr_buf, sizeof(r->hdr));
			}
			continue;
		}
		/* Payload. An oversized one is drained without being kept, so
		 * the next message still starts at a header (U3). */
		uint32_t n = MIN((uint32_t)avail, r->hdr.len - r->body_have);
		bool keep = r->hdr.len <= XENSTORE_PAYLOAD_MAX;
		rsp_take(r, keep ? r->body + r->body_have : NULL, n);
		r->body_have += n;
	}
}

int xs_error_parse(const char *body, uint32_t len)
{
	char name[16];
	size_t n = strnlen(body, len);

	/* Names are short ("ENAMETOOLONG" is the longest); anything longer
	 * is not one of ours. */
	if (n == 0 || n >= sizeof(name)) {
		return -EIO;
	}
	memcpy(name, body, n);
	name[n] = '\0';
	int err = errno_parse(name);
	return err ? -err : -EIO;
}

int xs_watch_event_parse(const char *body, uint32_t len, const char **path, const char **token)
{
	size_t path_len = strnlen(body, len);

	/* "path\0token" at least: the path's NUL must be inside the payload. */
	if (path_len == 0 || path_len + 1 >= len) {
		return -EBADMSG;
	}
	const char *tok = body + path_len + 1;
	if (strnlen(tok, len - path_len - 1) == 0) {
		return -EBADMSG;
	}
	*path = body;
	*token = tok;
	return 0;
}
