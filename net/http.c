/* HTTP/1.1 GET client (include/net/http.h). One connection per request with
 * "Connection: close"; the body goes from the TCP ring straight into the
 * caller's buffer (Content-Length or until EOF), or through the chunked
 * decoder from a small scratch buffer. Redirects (301, 302, 303, 307, 308)
 * restart on the new URL, at most HTTP_REDIRECT_MAX times. */
#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <net/http.h>
#include <net/tcp.h>
#include <net/dns.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_CONNECT_MS 10000
/* Less than HTTP_PROGRESS_MIN bytes of body in HTTP_IDLE_MS: give up. A
 * server that trickles a byte now and then must not hold us forever either;
 * nor one sending framing without end (chunk extensions, trailers), so only
 * body bytes count. */
#define HTTP_IDLE_MS 15000
#define HTTP_PROGRESS_MIN (16u << 10)
#define HTTP_SEND_MS 5000
#define HTTP_DNS_MS 5000

struct http_xfer {
	struct net_stack *ns;
	struct tcp_conn conn;
	struct http_url url;
	struct http_head head;
	struct http_chunked chunk;
	uint8_t *dst;
	size_t max, pos;
	uint64_t next_report;
	uint64_t stall_at; /* the deadline for the next HTTP_PROGRESS_MIN bytes */
	uint64_t rx_total, rx_mark; /* body bytes on this connection; at stall_at's start */
	bool has_progress;
	size_t blen; /* bytes in buf */
	char buf[HTTP_HEAD_MAX]; /* the request, the response head, chunked input */
};

/* A dotted address, or a name through DNS (net/dns.c). */
static int http_resolve(struct http_xfer *x, uint32_t *ip)
{
	int rc;

	if (net_ip_parse(x->url.host, ip) == 0) {
		return 0;
	}
	rc = dns_resolve(x->ns, x->url.host, ip, HTTP_DNS_MS);
	if (rc) {
		xb_printf("http: %pE: %s\n", x->url.host,
			  rc == -ENOENT	     ? "unknown host"
			  : rc == -ENXIO     ? "no DNS server (set dnsip)"
			  : rc == -ETIMEDOUT ? "the DNS server does not answer"
					     : errno_name(rc));
	}
	return rc;
}

static int http_request(struct http_xfer *x)
{
	char port[8] = "";
	int n;

	if (x->url.port != 80) {
		xb_snprintf(port, sizeof(port), ":%u", x->url.port);
	}
	n = xb_snprintf(x->buf, sizeof(x->buf),
			"GET %s HTTP/1.1\r\nHost: %s%s\r\nUser-Agent: xenboot/" XENBOOT_VERSION
			"\r\nAccept: */*\r\nConnection: close\r\n\r\n",
			x->url.path, x->url.host, port);
	if (n < 0 || (size_t)n >= sizeof(x->buf)) {
		return -ENAMETOOLONG;
	}
	return tcp_send(&x->conn, x->buf, (size_t)n, HTTP_SEND_MS);
}

/* tcp_recv() within the progress deadline. */
static int http_recv(struct http_xfer *x, void *buf, size_t size, size_t *got)
{
	uint64_t now = arch_time_ns();

	if (now >= x->stall_at) {
		return -ETIMEDOUT;
	}
	return tcp_recv(&x->conn, buf, size, got,
			(unsigned int)((x->stall_at - now + NS_PER_MS - 1) / NS_PER_MS));
}

/* @n more bytes of body: progress that moves the idle deadline. */
static void http_advance(struct http_xfer *x, size_t n)
{
	x->rx_total += n;
	if (x->rx_total - x->rx_mark >= HTTP_PROGRESS_MIN) {
		x->rx_mark = x->rx_total;
		x->stall_at = arch_time_ns() + HTTP_IDLE_MS * NS_PER_MS;
	}
}

/* Read until the empty line (x->blen bytes may be there already); what
 * follows it stays in buf, up to x->blen. */
static int http_read_head(struct http_xfer *x, size_t *head_len)
{
	size_t got, end = http_head_end(x->buf, x->blen);
	int rc;

	while (!end) {
		if (x->blen == sizeof(x->buf)) {
			xb_printf("http: response header over %u bytes\n", HTTP_HEAD_MAX);
			return -EBADMSG;
		}
		rc = http_recv(x, x->buf + x->blen, sizeof(x->buf) - x->blen, &got);
		if (rc) {
			return rc;
		}
		if (!got) {
			xb_printf("http: connection closed before the response header\n");
			return -EBADMSG;
		}
		x->blen += got;
		end = http_head_end(x->buf, x->blen);
	}
	*head_len = end;
	rc = http_head_parse(x->buf, end, &x->head);
	if (rc) {
		xb_printf("http: malformed response header (%s)\n", errno_name(rc));
	}
	return rc;
}

static void http_progress(struct http_xfer *x)
{
	uint64_t now = arch_time_ns();

	if (now < x->next_report) {
		return;
	}
	x->next_report = now + NS_PER_SEC;
	uint64_t total = x->head.has_length ? x->head.length : x->pos;
	uint64_t unit = total < 16 * MIB ? KIB : MIB;
	const char *name = unit == KIB ? "KiB" : "MiB";

	if (x->head.has_length) {
		xb_printf("\rhttp: %llu of %llu %s", (unsigned long long)(x->pos / unit),
			  (unsigned long long)(total / unit), name);
	} else {
		xb_printf("\rhttp: %llu %s", (unsigned long long)(x->pos / unit), name);
	}
	x->has_progress = true;
}

/* Body bytes into dst: @want more (Content-Length), or to EOF when !has_length. */
static int http_body_plain(struct http_xfer *x, const uint8_t *early, size_t early_len)
{
	uint64_t want = x->head.has_length ? x->head.length : UINT64_MAX;
	size_t got;
	int rc;

	if (x->head.has_length && want > x->max) {
		xb_printf("http: body of %llu bytes is larger than the room (%zu)\n",
			  (unsigned long long)want, x->max);
		return -EFBIG;
	}
	early_len = (size_t)MIN((uint64_t)early_len, want);
	if (early_len > x->max) {
		xb_printf("http: body is larger than the room (%zu)\n", x->max);
		return -EFBIG;
	}
	memcpy(x->dst, early, early_len);
	x->pos = early_len;
	http_advance(x, early_len);
	while (x->pos < want) {
		size_t room = (size_t)MIN(want - x->pos, (uint64_t)(x->max - x->pos));
		uint8_t *to = room ? x->dst + x->pos : (uint8_t *)x->buf;

		rc = http_recv(x, to, room ? room : 1, &got);
		if (rc) {
			return rc;
		}
		if (!got) {
			break; /* EOF */
		}
		if (!room) {
			xb_printf("http: body is larger than the room (%zu)\n", x->max);
			return -EFBIG;
		}
		x->pos += got;
		http_advance(x, got);
		http_progress(x);
	}
	if (x->head.has_length && x->pos < want) {
		xb_printf("http: connection closed after %zu of %llu bytes\n", x->pos,
			  (unsigned long long)want);
		return -EBADMSG;
	}
	return 0;
}

/* A chunked body: decode from buf into dst until the last chunk. */
static int http_body_chunked(struct http_xfer *x, size_t from)
{
	size_t used, made, got;
	int rc;

	memset(&x->chunk, 0, sizeof(x->chunk));
	x->pos = 0;
	for (;;) {
		while (from < x->blen && x->chunk.state != HTTP_CHUNK_DONE) {
			rc = http_chunked_parse(&x->chunk, (uint8_t *)x->buf + from, x->blen - from,
						&used, x->dst + x->pos, x->max - x->pos, &made);
			if (rc) {
				xb_printf("http: malformed chunked body\n");
				return rc;
			}
			from += used;
			x->pos += made;
			http_advance(x, made);
			if (!used && !made) {
				xb_printf("http: body is larger than the room (%zu)\n", x->max);
				return -EFBIG;
			}
		}
		if (x->chunk.state == HTTP_CHUNK_DONE) {
			return 0;
		}
		rc = http_recv(x, x->buf, sizeof(x->buf), &got);
		if (rc) {
			return rc;
		}
		if (!got) {
			xb_printf("http: connection closed inside the chunked body\n");
			return -EBADMSG;
		}
		x->blen = got;
		from = 0;
		http_progress(x);
	}
}

static bool http_is_redirect(unsigned int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int http_status_error(const struct http_head *h)
{
	xb_printf("http: server answered %u %pE\n", h->status, h->reason);
	return h->status == 404 || h->status == 410   ? -ENOENT
	       : h->status == 401 || h->status == 403 ? -EACCES
						      : -EIO;
}

/* One request on one connection. 1: redirected (x->head.location is set). */
static int http_exchange(struct http_xfer *x)
{
	size_t head_len;
	int rc = http_request(x);

	x->blen = 0;
	while (!rc) {
		rc = http_read_head(x, &head_len);
		if (rc || x->head.status >= 200 || x->head.status == 101) {
			break;
		}
		/* An interim 1xx answer (RFC 9110 15.2): the final one follows.
		 * No body progress: the idle deadline bounds a stream of them. */
		x->blen -= head_len;
		memmove(x->buf, x->buf + head_len, x->blen);
	}
	if (rc) {
		return rc;
	}
	if (http_is_redirect(x->head.status) && x->head.location[0]) {
		return 1;
	}
	if (x->head.status != 200) {
		return http_status_error(&x->head);
	}
	if (x->head.is_chunked) {
		return http_body_chunked(x, head_len);
	}
	return http_body_plain(x, (uint8_t *)x->buf + head_len, x->blen - head_len);
}

/* Location: an absolute http URL, an absolute path, or a path relative to the current one. */
static int http_follow(struct http_xfer *x)
{
	const char *loc = x->head.location;
	const struct http_url *u = &x->url;
	int n, rc;

	if (strstr(loc, "://")) {
		n = xb_snprintf(x->buf, sizeof(x->buf), "%s", loc);
	} else if (loc[0] == '/' && loc[1] == '/') {
		n = xb_snprintf(x->buf, sizeof(x->buf), "http:%s", loc);
	} else if (loc[0] == '/') {
		n = xb_snprintf(x->buf, sizeof(x->buf), "http://%s:%u%s", u->host, u->port, loc);
	} else {
		/* The directory of the path, not of its query (RFC 3986 5.2.3). */
		int dir = (int)strcspn(u->path, "?");

		while (dir > 0 && u->path[dir - 1] != '/') {
			dir--;
		}

		n = xb_snprintf(x->buf, sizeof(x->buf), "http://%s:%u%.*s%s", u->host, u->port, dir,
				u->path, loc);
	}
	rc = n < 0 || (size_t)n >= sizeof(x->buf) ? -ENAMETOOLONG : http_url_parse(x->buf, &x->url);
	if (rc) {
		xb_printf("http: cannot follow the redirect to %pE: %s\n", loc, errno_name(rc));
		return rc;
	}
	xb_printf("http: %u: redirected to %pE\n", x->head.status, x->buf);
	return 0;
}

static int http_fetch(struct http_xfer *x)
{
	uint32_t ip;
	int rc;

	for (unsigned int hops = 0;; hops++) {
		rc = http_resolve(x, &ip);
		if (rc) {
			return rc;
		}
		rc = tcp_connect(x->ns, &x->conn, ip, x->url.port, HTTP_CONNECT_MS);
		if (rc) {
			xb_printf("http: cannot connect to %pE port %u: %s\n", x->url.host,
				  x->url.port,
				  rc == -ECONNREFUSED	 ? "connection refused"
				  : rc == -ETIMEDOUT	 ? "no answer"
				  : rc == -EADDRNOTAVAIL ? "not a host's address"
							 : errno_name(rc));
			return rc;
		}
		x->rx_total = x->rx_mark = 0;
		x->stall_at = arch_time_ns() + HTTP_IDLE_MS * NS_PER_MS;
		rc = http_exchange(x);
		if (rc == -ETIMEDOUT) {
			xb_printf("http: less than %u KiB of body in %u s: giving up\n",
				  HTTP_PROGRESS_MIN >> 10, HTTP_IDLE_MS / 1000);
		} else if (rc == -ENOTCONN) {
			xb_printf("http: connection reset by the server\n");
		}
		if (rc < 0) {
			tcp_abort(&x->conn);
			return rc;
		}
		tcp_close(&x->conn);
		if (rc == 0) {
			return 0;
		}
		if (hops == HTTP_REDIRECT_MAX) {
			xb_printf("http: more than %u redirects\n", HTTP_REDIRECT_MAX);
			return -ELOOP;
		}
		rc = http_follow(x);
		if (rc) {
			return rc;
		}
	}
}

int http_get(struct net_stack *ns, const char *url, void *dst, size_t max, size_t *len)
{
	struct http_xfer *x = calloc(1, sizeof(*x));
	int rc;

	*len = 0;
	if (!x) {
		return -ENOMEM;
	}
	x->ns = ns;
	x->dst = dst;
	x->max = max;
	x->next_report = arch_time_ns() + NS_PER_SEC;
	rc = http_url_parse(url, &x->url);
	if (rc) {
		xb_printf("http: %pE: %s\n", url,
			  rc == -EOPNOTSUPP ? "only http:// URLs" : "not a valid URL");
	} else {
		rc = http_fetch(x);
	}
	if (x->has_progress) {
		xb_printf("\r%40s\r", "");
	}
	if (!rc) {
		*len = x->pos;
	}
	free(x);
	return rc;
}
