/* The HTTP parsers on hostile bytes: the first byte picks the parser and
 * how the input is fed (URL, response header block, chunked body in pieces
 * of a chosen size into a chosen room). */
#include "fuzz.h"
#include <net/http.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_url(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct http_url u;

	memcpy(s, data, size);
	s[size] = '\0';
	if (http_url_parse(s, &u) == 0) {
		fuzz_check(strlen(u.host) <= HTTP_HOST_MAX && u.host[0]);
		fuzz_check(strlen(u.path) <= HTTP_PATH_MAX && u.path[0] == '/');
		fuzz_check(u.port != 0);
		fuzz_check(!strpbrk(u.path, " \r\n"));
	}
	free(s);
}

static void fuzz_head(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so ASan sees any read past the end. */
	char *buf = malloc(size ? size : 1);
	struct http_head h;
	size_t end;

	memcpy(buf, data, size);
	end = http_head_end(buf, size);
	fuzz_check(end <= size);
	if (http_head_parse(buf, end ? end : size, &h) == 0) {
		fuzz_check(h.status >= 100 && h.status <= 999);
		fuzz_check(strlen(h.reason) <= HTTP_REASON_MAX);
		fuzz_check(strlen(h.location) <= HTTP_PATH_MAX);
	}
	free(buf);
}

static void fuzz_chunked(uint8_t mode, const uint8_t *data, size_t size)
{
	size_t step = 1 + (mode & 0x1f) * 37, room = (mode & 0x20) ? 64 : 1 << 16;
	uint8_t *in = malloc(size ? size : 1), *out = malloc(room);
	struct http_chunked d = {0};
	size_t pos = 0, total = 0, used, made;

	memcpy(in, data, size);
	while (pos < size && d.state != HTTP_CHUNK_DONE) {
		size_t n = size - pos < step ? size - pos : step;

		if (http_chunked_parse(&d, in + pos, n, &used, out + total, room - total, &made)) {
			break;
		}
		fuzz_check(used <= n && made <= room - total && made <= used);
		if (!used && !made) {
			break; /* out is full */
		}
		pos += used;
		total += made;
	}
	fuzz_check(total <= size && total <= room);
	free(in);
	free(out);
}

static void fuzz_http(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return;
	}
	switch (data[0] >> 6) {
	case 0:
		fuzz_url(data + 1, size - 1);
		break;
	case 1:
		fuzz_head(data + 1, size - 1);
		break;
	default:
		fuzz_chunked(data[0], data + 1, size - 1);
		break;
	}
}

FUZZ_TARGET(fuzz_http)
