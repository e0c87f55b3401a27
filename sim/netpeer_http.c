/* The simulated server's HTTP side (sim/netpeer_tcp.h): a request's shape
 * checked, the response built whole (status line, headers, body plain or
 * chunked) for sim/netpeer_tcp.c to send. Paths "/redirect/N/rest" answer
 * 302 to "/redirect/N-1/rest", "/redirect/0/rest" to "/rest"; unknown
 * paths get 404. */
#include "internal.h"
#include "netpeer_tcp_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sim_http_file *srv_file(struct sim_tcp_server *s, const char *path)
{
	for (unsigned int i = 0; i < s->cfg.file_count; i++) {
		if (strcmp(s->cfg.files[i].path, path) == 0) {
			return &s->cfg.files[i];
		}
	}
	return NULL;
}

/* The status line and headers for @path; the file to send after them, or NULL. */
static const struct sim_http_file *srv_head(struct sim_tcp_server *s, const char *path, char *head,
					    size_t size)
{
	const struct sim_http_file *f = srv_file(s, path);
	unsigned int hops;
	int skip = 0;

	if (sscanf(path, "/redirect/%u/%n", &hops, &skip) == 1 && skip) {
		if (hops) {
			snprintf(head, size,
				 "HTTP/1.1 302 Found\r\nLocation: /redirect/%u/%s\r\n"
				 "Content-Length: 0\r\n\r\n",
				 hops - 1, path + skip);
		} else {
			snprintf(head, size,
				 "HTTP/1.1 302 Found\r\nLocation: /%s\r\nContent-Length: 0\r\n\r\n",
				 path + skip);
		}
		return NULL;
	}
	if (!f) {
		snprintf(head, size,
			 "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nNot found");
	} else if (s->cfg.raw_head) {
		snprintf(head, size, "%s", s->cfg.raw_head);
	} else if (s->cfg.mode == SIM_HTTP_LENGTH) {
		snprintf(head, size,
			 "HTTP/1.1 200 OK\r\nServer: sim\r\nContent-Length: %zu\r\n\r\n", f->len);
	} else {
		snprintf(head, size, "HTTP/1.1 200 OK\r\nServer: sim\r\n%s\r\n",
			 s->cfg.mode == SIM_HTTP_CHUNKED ? "Transfer-Encoding: chunked\r\n" : "");
	}
	return f;
}

/* The whole response, head and (encoded) body, in one buffer. */
static void srv_respond(struct sim_tcp_server *s, struct srv_conn *c, const char *path)
{
	size_t chunk = s->cfg.chunk_size ? s->cfg.chunk_size : 1000, cap, n = 0;
	char head[1400];
	const struct sim_http_file *f = srv_head(s, path, head, sizeof(head));

	cap = strlen(head) + (f ? f->len + (f->len / chunk + 2) * 32 : 0);
	c->resp = malloc(cap);
	if (!c->resp) {
		sim_fatal("netpeer_tcp: out of memory\n");
	}
	n = strlen(head);
	memcpy(c->resp, head, n);
	for (size_t off = 0; f && off < f->len;) {
		size_t k = s->cfg.mode == SIM_HTTP_CHUNKED
			       ? (f->len - off < chunk ? f->len - off : chunk)
			       : f->len - off;

		if (s->cfg.mode == SIM_HTTP_CHUNKED) {
			n += (size_t)sprintf((char *)c->resp + n, "%zx\r\n", k);
		}
		memcpy(c->resp + n, (const uint8_t *)f->data + off, k);
		n += k;
		off += k;
		if (s->cfg.mode == SIM_HTTP_CHUNKED) {
			memcpy(c->resp + n, "\r\n", 2);
			n += 2;
		}
	}
	if (f && s->cfg.mode == SIM_HTTP_CHUNKED) {
		memcpy(c->resp + n, "0\r\n\r\n", 5);
		n += 5;
	}
	c->resp_len = n;
	s->stats.requests++;
}

/* A request is complete: check its shape, then answer it. */
void sim_http_request(struct sim_tcp_server *s, struct srv_conn *c)
{
	char path[256] = "";

	if (sscanf(c->req, "GET %255s HTTP/1.1\r\n", path) != 1 || !strstr(c->req, "\r\nHost: ") ||
	    strncmp(c->req + 4 + strlen(path), " HTTP/1.1\r\n", 11)) {
		s->stats.bad_requests++;
	}
	snprintf(s->stats.last_path, sizeof(s->stats.last_path), "%s", path);
	srv_respond(s, c, path);
}
