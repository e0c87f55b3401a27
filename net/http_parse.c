/* HTTP/1.1 parsing over byte buffers (RFC 9112): URLs, the status line and
 * headers of a response, and the chunked transfer coding. Everything here
 * reads untrusted bytes with explicit lengths; nothing assumes a NUL. Line
 * ends are CRLF, and a bare LF is accepted as RFC 9112 2.2 allows. */
#include <lib/errno.h>
#include <lib/parse.h>
#include <net/http.h>
#include <string.h>

#define HTTP_LINE_MAX 4096 /* an extension or trailer line */
#define HTTP_SIZE_DIGITS 15 /* a chunk size below 2^60: no overflow */

static char http_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch + 'a' - 'A') : ch;
}

/* Does [p, p+len) equal the lower-case @word, ignoring case? */
static bool http_is_word(const char *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len != n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (http_lower(p[i]) != word[i]) {
			return false;
		}
	}
	return true;
}

static bool http_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int http_url_parse(const char *url, struct http_url *u)
{
	const char *p = url, *host, *end;
	size_t hlen;

	if (strncmp(p, "https://", 8) == 0 || strncmp(p, "HTTPS://", 8) == 0) {
		return -EOPNOTSUPP;
	}
	if (!http_is_word(p, MIN(strlen(p), (size_t)7), "http://")) {
		return strstr(p, "://") ? -EOPNOTSUPP : -EINVAL;
	}
	host = p + 7;
	end = host + strcspn(host, ":/?#");
	hlen = (size_t)(end - host);
	if (hlen == 0 || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789.-_") < hlen) {
		return -EINVAL; /* a name or a dotted address: nothing for the Host line to carry */
	}
	if (hlen > HTTP_HOST_MAX) {
		return -ENAMETOOLONG;
	}
	memcpy(u->host, host, hlen);
	u->host[hlen] = '\0';
	u->port = 80;
	if (*end == ':') {
		size_t dlen = strspn(end + 1, "0123456789");
		uint64_t port;

		if (dlen == 0 || dlen > 5 || parse_u64_n(end + 1, dlen, 10, &port) || port == 0 ||
		    port > 0xffff) {
			return -EINVAL;
		}
		u->port = (uint16_t)port;
		end += 1 + dlen;
	}
	if (*end != '\0' && *end != '/' && *end != '?') {
		return -EINVAL;
	}
	/* The fragment is the client's; the rest is sent as it is. */
	size_t plen = strcspn(end, "#");
	bool needs_slash = *end != '/';

	if (plen + needs_slash > HTTP_PATH_MAX) {
		return -ENAMETOOLONG;
	}
	u->path[0] = '/';
	memcpy(u->path + needs_slash, end, plen);
	u->path[plen + needs_slash] = '\0';
	for (size_t i = 0; u->path[i]; i++) {
		if ((unsigned char)u->path[i] <= ' ' || u->path[i] == 0x7f) {
			return -EINVAL; /* would break the request line */
		}
	}
	return 0;
}

size_t http_head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			continue;
		}
		if (i + 1 < len && buf[i + 1] == '\n') {
			return i + 2;
		}
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
			return i + 3;
		}
	}
	return 0;
}

/* "HTTP/1.x NNN reason": the version, the code, the reason cut to fit. */
static int http_status_parse(const char *p, size_t len, struct http_head *h)
{
	size_t rlen;

	if (len < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !http_is_digit(p[7]) || p[8] != ' ' ||
	    !http_is_digit(p[9]) || !http_is_digit(p[10]) || !http_is_digit(p[11]) ||
	    (len > 12 && p[12] != ' ')) {
		return -EBADMSG;
	}
	h->status = (unsigned int)((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
	if (h->status < 100) {
		return -EBADMSG;
	}
	rlen = len > 13 ? MIN(len - 13, (size_t)HTTP_REASON_MAX) : 0;
	memcpy(h->reason, p + 13, rlen);
	h->reason[rlen] = '\0';
	return 0;
}

/* Content-Length: digits only; a repeated header must say the same. */
static int http_length_parse(const char *v, size_t len, struct http_head *h)
{
	uint64_t n;

	if (len == 0 || len > 19 || strspn(v, "0123456789") < len || parse_u64_n(v, len, 10, &n)) {
		return -EBADMSG;
	}
	if (h->has_length && h->length != n) {
		return -EBADMSG; /* RFC 9112 6.3: a smuggling attempt or a broken server */
	}
	h->has_length = true;
	h->length = n;
	return 0;
}

static int http_field_parse(const char *p, size_t len, struct http_head *h)
{
	const char *colon = memchr(p, ':', len), *v;
	size_t nlen, vlen;

	if (!colon || colon == p || p[0] == ' ' || p[0] == '\t') {
		return -EBADMSG; /* no name, or obsolete line folding (RFC 9112 5.2) */
	}
	nlen = (size_t)(colon - p);
	if (memchr(p, ' ', nlen) || memchr(p, '\t', nlen)) {
		return -EBADMSG; /* RFC 9112 5.1: no space before the colon */
	}
	v = colon + 1;
	vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
		vlen--;
	}
	if (http_is_word(p, nlen, "content-length")) {
		return http_length_parse(v, vlen, h);
	}
	if (http_is_word(p, nlen, "transfer-encoding")) {
		if (!http_is_word(v, vlen, "chunked")) {
			return -EOPNOTSUPP;
		}
		h->is_chunked = true;
	} else if (http_is_word(p, nlen, "location")) {
		if (vlen > HTTP_PATH_MAX) {
			return -ENAMETOOLONG;
		}
		memcpy(h->location, v, vlen);
		h->location[vlen] = '\0';
	}
	return 0;
}

int http_head_parse(const char *buf, size_t len, struct http_head *h)
{
	size_t pos = 0;
	int rc;

	memset(h, 0, sizeof(*h));
	for (unsigned int line = 0; pos < len; line++) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end, llen;

		if (!nl) {
			return -EBADMSG;
		}
		end = (size_t)(nl - buf);
		llen = end - pos;
		if (llen && buf[end - 1] == '\r') {
			llen--;
		}
		if (memchr(buf + pos, '\0', llen) || memchr(buf + pos, '\r', llen)) {
			return -EBADMSG;
		}
		if (line == 0) {
			rc = http_status_parse(buf + pos, llen, h);
		} else if (llen == 0) {
			return 0; /* the empty line ends the block */
		} else {
			rc = http_field_parse(buf + pos, llen, h);
		}
		if (rc) {
			return rc;
		}
		pos = end + 1;
	}
	return -EBADMSG;
}

static int http_hex(uint8_t ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	ch = (uint8_t)http_lower((char)ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* One framing byte (anything but chunk data). 0 or -EBADMSG. */
static int http_chunk_byte(struct http_chunked *d, uint8_t ch)
{
	int x = http_hex(ch);

	switch (d->state) {
	case HTTP_CHUNK_SIZE:
		if (x >= 0 && d->digits < HTTP_SIZE_DIGITS) {
			d->left = d->left * 16 + (unsigned int)x;
			d->digits++;
			return 0;
		}
		if (x >= 0 || d->digits == 0) {
			return -EBADMSG;
		}
		if (ch == ';' || ch == ' ' || ch == '\t') {
			d->state = HTTP_CHUNK_EXT;
			d->line = 0;
			return 0;
		}
		d->state = HTTP_CHUNK_SIZE_LF;
		return ch == '\r' ? 0 : ch == '\n' ? http_chunk_byte(d, ch) : -EBADMSG;
	case HTTP_CHUNK_EXT:
		if (ch == '\r' || ch == '\n') {
			d->state = HTTP_CHUNK_SIZE_LF;
			return ch == '\n' ? http_chunk_byte(d, ch) : 0;
		}
		return ++d->line > HTTP_LINE_MAX ? -EBADMSG : 0;
	case HTTP_CHUNK_SIZE_LF:
		if (ch != '\n') {
			return -EBADMSG;
		}
		d->state = d->left ? HTTP_CHUNK_DATA : HTTP_CHUNK_TRAILER;
		d->digits = 0;
		return 0;
	case HTTP_CHUNK_DATA_CR:
		d->state = HTTP_CHUNK_DATA_LF;
		return ch == '\r' ? 0 : ch == '\n' ? http_chunk_byte(d, ch) : -EBADMSG;
	case HTTP_CHUNK_DATA_LF:
		d->state = HTTP_CHUNK_SIZE;
		return ch == '\n' ? 0 : -EBADMSG;
	case HTTP_CHUNK_TRAILER:
		d->line = 0;
		d->state = ch == '\r'	? HTTP_CHUNK_END_LF
			   : ch == '\n' ? HTTP_CHUNK_DONE
					: HTTP_CHUNK_TRAILER_LINE;
		return 0;
	case HTTP_CHUNK_TRAILER_LINE:
		if (ch == '\n') {
			d->state = HTTP_CHUNK_TRAILER;
		}
		return ++d->line > HTTP_LINE_MAX ? -EBADMSG : 0;
	case HTTP_CHUNK_END_LF:
		d->state = HTTP_CHUNK_DONE;
		return ch == '\n' ? 0 : -EBADMSG;
	default:
		return -EBADMSG;
	}
}

int http_chunked_parse(struct http_chunked *d, const uint8_t *in, size_t len, size_t *used,
		       uint8_t *out, size_t room, size_t *made)
{
	size_t i = 0, o = 0;
	int rc = 0;

	while (i < len && d->state != HTTP_CHUNK_DONE) {
		if (d->state == HTTP_CHUNK_DATA) {
			size_t n = (size_t)MIN(d->left, (uint64_t)MIN(len - i, room - o));

			if (n == 0) {
				break; /* out is full */
			}
			memcpy(out + o, in + i, n);
			i += n;
			o += n;
			d->left -= n;
			if (d->left == 0) {
				d->state = HTTP_CHUNK_DATA_CR;
			}
			continue;
		}
		rc = http_chunk_byte(d, in[i++]);
		if (rc) {
			break;
		}
	}
	*used = i;
	*made = o;
	return rc;
}
