/* Fuzz target: the XenStore reply parser (xen/xs_ring.c) fed the way a
 * hostile xenstored would feed it: bytes appear in the rsp ring in chunks,
 * and rsp_prod may jump anywhere.
 *
 * Input: 4 bytes, the starting index (so wrap-around is covered); then a
 * list of commands. 0xFF + 4 bytes sets rsp_prod to that value; any other
 * byte b appends the next b + 1 input bytes to the ring (as far as they
 * fit). After each command every complete message is taken and its
 * payload given to the error and watch-event parsers too. */
#include <fuzz.h>
#include <lib/errno.h>
#include <string.h>
#include <xen/xs_ring.h>

static void take_all(struct xs_ring *r)
{
	struct xs_msg msg;
	const char *path, *token;

	/* Each call consumes at least one byte or returns, so this ends. */
	while (xs_rsp_parse(r, &msg) == 1) {
		fuzz_check(msg.body_len <= XENSTORE_PAYLOAD_MAX);
		fuzz_check(msg.body[msg.body_len] == '\0');
		fuzz_check(!msg.is_oversized || msg.hdr.len > XENSTORE_PAYLOAD_MAX);
		int err = xs_error_parse(msg.body, msg.body_len);
		fuzz_check(err < 0);
		if (!xs_watch_event_parse(msg.body, msg.body_len, &path, &token)) {
			fuzz_check(path[0] && token[0]);
		}
	}
}

static void xs_reply_fuzz(const uint8_t *data, size_t size)
{
	static struct xenstore_domain_interface intf;
	static struct xs_ring r;
	uint32_t start;

	if (size < 4) {
		return;
	}
	memset(&intf, 0, sizeof(intf));
	memcpy(&start, data, 4);
	intf.rsp_cons = intf.rsp_prod = start;
	intf.req_cons = intf.req_prod = start;
	xs_ring_attach(&r, &intf);
	for (size_t i = 4; i < size;) {
		uint8_t cmd = data[i++];
		if (cmd == 0xFF && size - i >= 4) {
			memcpy(&intf.rsp_prod, data + i, 4);
			i += 4;
		} else {
			size_t n = (size_t)cmd + 1 < size - i ? (size_t)cmd + 1 : size - i;
			uint32_t room = XENSTORE_RING_SIZE - (intf.rsp_prod - intf.rsp_cons);
			if (room <= XENSTORE_RING_SIZE && n > room) {
				n = room;
			}
			for (size_t k = 0; k < n; k++) {
				intf.rsp[(intf.rsp_prod + k) & (XENSTORE_RING_SIZE - 1)] = (char)data[i + k];
			}
			intf.rsp_prod += (uint32_t)n;
			i += (size_t)cmd + 1 < size - i ? (size_t)cmd + 1 : size - i;
		}
		take_all(&r);
	}
	/* Once broken, the ring stays broken. */
	if (r.is_broken) {
		struct xs_msg msg;
		fuzz_check(xs_rsp_parse(&r, &msg) == -EIO);
	}
}

FUZZ_TARGET(xs_reply_fuzz)
