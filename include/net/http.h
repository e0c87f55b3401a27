/* HTTP/1.1 GET (RFC 9110, 9112) over net/tcp: one request per connection
 * ("Connection: close"), a body framed by Content-Length, chunked transfer
 * coding or the end of the connection, written straight into the caller's
 * buffer; interim 1xx answers skipped, redirects followed up to
 * HTTP_REDIRECT_MAX times; a transfer ends when less than 16 KiB of body came
 * in 15 s. The parsers take untrusted bytes with their length and are fuzzed
 * (tests/fuzz/http_*). */
#ifndef NET_HTTP_H
#define NET_HTTP_H

#include <lib/compiler.h>
#include <net/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX 8192 /* status line and headers of a response */
#define HTTP_HOST_MAX 254
#define HTTP_PATH_MAX 1024
#define HTTP_REASON_MAX 64
#define HTTP_REDIRECT_MAX 5

struct http_url {
	char host[HTTP_HOST_MAX + 1];
	uint16_t port;
	char path[HTTP_PATH_MAX + 1]; /* starts with '/' */
};

/**
 * http_url_parse() - "http://host[:port][/path]" (scheme case-insensitive;
 * no user info, no IPv6 literal). -EINVAL (not an http URL), -EOPNOTSUPP
 * (https or another scheme), -ENAMETOOLONG.
 */
int __must_check http_url_parse(const char *url, struct http_url *u);

struct http_head {
	unsigned int status; /* 100..999 */
	char reason[HTTP_REASON_MAX + 1]; /* cut, may hold any byte: print with %pE */
	bool has_length;
	bool is_chunked;
	uint64_t length; /* Content-Length, if has_length */
	char location[HTTP_PATH_MAX + 1]; /* "" if none */
};

/**
 * http_head_end() - the length of the header block at the start of @buf
 * (through the empty line), or 0 if it is not complete in @len bytes.
 */
size_t http_head_end(const char *buf, size_t len);

/**
 * http_head_parse() - the status line and the headers that matter to us from
 * the untrusted block @buf/@len (as http_head_end() measured it). -EBADMSG
 * (malformed, conflicting Content-Length), -EOPNOTSUPP (a transfer coding
 * other than chunked), -ENAMETOOLONG (Location too long).
 */
int __must_check http_head_parse(const char *buf, size_t len, struct http_head *h);

enum http_chunk_state {
	HTTP_CHUNK_SIZE, /* hex digits of the chunk size */
	HTTP_CHUNK_EXT, /* ";ext" up to the end of the size line */
	HTTP_CHUNK_SIZE_LF,
	HTTP_CHUNK_DATA,
	HTTP_CHUNK_DATA_CR, /* the CRLF after the data */
	HTTP_CHUNK_DATA_LF,
	HTTP_CHUNK_TRAILER, /* start of a trailer line (or the final empty line) */
	HTTP_CHUNK_TRAILER_LINE,
	HTTP_CHUNK_END_LF,
	HTTP_CHUNK_DONE,
};

/* The chunked decoder's state; zero it to start. */
struct http_chunked {
	enum http_chunk_state state;
	uint64_t left; /* bytes of the current chunk still to come */
	unsigned int digits; /* of the size, at most 15 */
	unsigned int line; /* bytes of the current extension or trailer line */
};

/**
 * http_chunked_parse() - decode @len untrusted bytes of a chunked body,
 * writing data into @out (room @room). *@used: input consumed, *@made: output
 * written. Stops early when @out is full in the middle of data (the caller
 * then has a body larger than its room) or at the end of the body
 * (d->state HTTP_CHUNK_DONE). 0 or -EBADMSG.
 */
int __must_check http_chunked_parse(struct http_chunked *d, const uint8_t *in, size_t len,
				    size_t *used, uint8_t *out, size_t room, size_t *made);

/**
 * http_get() - GET @url (http://...) into @dst, at most @max bytes; *@len
 * receives the body's length. Resolves a host name with DNS when the stack has
 * it. Prints one line on failure ("http: ...") and progress once a second on
 * long transfers. Returns 0, -EFBIG (body larger than @max), -ENOENT (404),
 * -EACCES (401/403), -EIO (another status), -ELOOP (too many redirects),
 * -EBADMSG (a malformed response), -ETIMEDOUT, or a TCP error.
 */
int __must_check http_get(struct net_stack *ns, const char *url, void *dst, size_t max,
			  size_t *len);

#endif
