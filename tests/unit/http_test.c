/* net/http_parse.c: URLs, response headers and the chunked coding, with the
 * malformed and hostile inputs a server can send. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lib/errno.h>
#include <net/http.h>
#include <stdio.h>
#include <string.h>

static void test_url(void **state)
{
	struct http_url u;

	assert_int_equal(http_url_parse("http://10.0.0.1/boot/Image", &u), 0);
	assert_string_equal(u.host, "10.0.0.1");
	assert_int_equal(u.port, 80);
	assert_string_equal(u.path, "/boot/Image");
	assert_int_equal(http_url_parse("HTTP://server:8080", &u), 0);
	assert_string_equal(u.host, "server");
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.path, "/");
	assert_int_equal(http_url_parse("http://h?x=1#frag", &u), 0);
	assert_string_equal(u.path, "/?x=1");
	assert_int_equal(http_url_parse("https://h/x", &u), -EOPNOTSUPP);
	assert_int_equal(http_url_parse("ftp://h/x", &u), -EOPNOTSUPP);
	assert_int_equal(http_url_parse("h/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http:///x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://h:0/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://h:65536/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://h:/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://u@h/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://a b/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://a\r\nX: y/x", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://dom0.lab_1-2/x", &u), 0);
	assert_int_equal(http_url_parse("http://h/a b", &u), -EINVAL);
	assert_int_equal(http_url_parse("http://h/a\r\nX: y", &u), -EINVAL);

	char long_url[HTTP_PATH_MAX + 32] = "http://h/";

	memset(long_url + 9, 'a', HTTP_PATH_MAX);
	long_url[9 + HTTP_PATH_MAX] = '\0';
	assert_int_equal(http_url_parse(long_url, &u), -ENAMETOOLONG);
	long_url[9 + HTTP_PATH_MAX - 1] = '\0'; /* "/" + 1023 bytes: fits */
	assert_int_equal(http_url_parse(long_url, &u), 0);
}

static int head(const char *s, struct http_head *h)
{
	size_t end = http_head_end(s, strlen(s));

	assert_true(end > 0);
	return http_head_parse(s, end, h);
}

static void test_head(void **state)
{
	struct http_head h;
	const char *ok = "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length:  1234 \r\n\r\nBODY";

	assert_int_equal(http_head_end(ok, strlen(ok)), strlen(ok) - 4);
	assert_int_equal(head(ok, &h), 0);
	assert_int_equal(h.status, 200);
	assert_string_equal(h.reason, "OK");
	assert_true(h.has_length);
	assert_int_equal(h.length, 1234);
	assert_false(h.is_chunked);

	assert_int_equal(head("HTTP/1.0 302 Found\nLOCATION: /new\n\n", &h), 0);
	assert_int_equal(h.status, 302);
	assert_string_equal(h.location, "/new");
	assert_false(h.has_length);

	assert_int_equal(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n", &h), 0);
	assert_true(h.is_chunked);
	assert_int_equal(head("HTTP/1.1 200\r\n\r\n", &h), 0); /* no reason phrase */
	assert_string_equal(h.reason, "");

	/* Not complete yet. */
	assert_int_equal(http_head_end("HTTP/1.1 200 OK\r\n", 17), 0);
	assert_int_equal(http_head_end("HTTP/1.1 200 OK\r\n\r", 18), 0);
}

static void test_head_hostile(void **state)
{
	struct http_head h;

	assert_int_equal(head("HTTP/2 200 OK\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 20 OK\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 099 X\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 2000 OK\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(
	    head("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &h),
	    -EBADMSG);
	assert_int_equal(
	    head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", &h), 0);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 1,2\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(
	    head("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &h),
			 -EOPNOTSUPP);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", &h), -EBADMSG);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", &h), -EBADMSG);

	static const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";

	assert_int_equal(http_head_parse(nul, sizeof(nul) - 1, &h), -EBADMSG);

	char big[HTTP_PATH_MAX + 64];
	int n = snprintf(big, sizeof(big), "HTTP/1.1 301 M\r\nLocation: /");

	memset(big + n, 'x', HTTP_PATH_MAX);
	strcpy(big + n + HTTP_PATH_MAX, "\r\n\r\n");
	assert_int_equal(head(big, &h), -ENAMETOOLONG);

	/* A long reason phrase is cut, not overflowed. */
	char reason[200] = "HTTP/1.1 500 ";

	memset(reason + 13, 'r', 150);
	strcpy(reason + 163, "\r\n\r\n");
	assert_int_equal(head(reason, &h), 0);
	assert_int_equal(strlen(h.reason), HTTP_REASON_MAX);
}

/* Decode @in fed @step bytes at a time into out (room @room). */
static int chunked(const char *in, size_t step, uint8_t *out, size_t room, size_t *total,
		   struct http_chunked *d)
{
	size_t len = strlen(in), pos = 0, used, made;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	*total = 0;
	while (pos < len && d->state != HTTP_CHUNK_DONE) {
		size_t n = MIN(step, len - pos);

		rc = http_chunked_parse(d, (const uint8_t *)in + pos, n, &used, out + *total,
					room - *total, &made);
		if (rc) {
			return rc;
		}
		if (!used && !made) {
			return -EFBIG;
		}
		pos += used;
		*total += made;
	}
	return 0;
}

static void test_chunked(void **state)
{
	static const char body[] = "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
				   "0\r\nTrailer: x\r\n\r\n";
	struct http_chunked d;
	uint8_t out[64];
	size_t total;

	for (size_t step = 1; step <= sizeof(body); step++) {
		memset(out, 0, sizeof(out));
		assert_int_equal(chunked(body, step, out, sizeof(out), &total, &d), 0);
		assert_int_equal(d.state, HTTP_CHUNK_DONE);
		assert_int_equal(total, 23);
		assert_memory_equal(out, "Wikipedia in\r\n\r\nchunks.", 23);
	}
	/* Bare LF line ends, upper-case hex. */
	assert_int_equal(chunked("A\nabcdefghij\n0\n\n", 3, out, sizeof(out), &total, &d), 0);
	assert_int_equal(total, 10);
	assert_int_equal(d.state, HTTP_CHUNK_DONE);
	/* Larger than the room: stops, the caller says -EFBIG. */
	assert_int_equal(
	    chunked("20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n", 64, out, 8, &total, &d),
	    -EFBIG);
	assert_int_equal(total, 8);
}

static void test_chunked_hostile(void **state)
{
	struct http_chunked d;
	uint8_t out[64];
	size_t total;

	assert_int_equal(chunked("\r\n", 8, out, sizeof(out), &total, &d), -EBADMSG);
	assert_int_equal(chunked("g\r\n", 8, out, sizeof(out), &total, &d), -EBADMSG);
	assert_int_equal(chunked("-1\r\n", 8, out, sizeof(out), &total, &d), -EBADMSG);
	assert_int_equal(chunked("3\r\nabcX\r\n", 8, out, sizeof(out), &total, &d), -EBADMSG);
	assert_int_equal(chunked("3\rX", 8, out, sizeof(out), &total, &d), -EBADMSG);
	/* 2^64 and more would wrap: refused at the 16th digit. */
	assert_int_equal(chunked("10000000000000000\r\n", 8, out, sizeof(out), &total, &d),
			 -EBADMSG);
	assert_int_equal(chunked("0000000000000001\r\n", 8, out, sizeof(out), &total, &d),
			 -EBADMSG);
	/* An endless extension or trailer line is cut off. */
	char ext[5000] = "1;";

	memset(ext + 2, 'e', sizeof(ext) - 3);
	ext[sizeof(ext) - 1] = '\0';
	assert_int_equal(chunked(ext, 100, out, sizeof(out), &total, &d), -EBADMSG);
	/* Nothing is read past the end. */
	assert_int_equal(chunked("0\r\n\r\nGARBAGE", 100, out, sizeof(out), &total, &d), 0);
	assert_int_equal(d.state, HTTP_CHUNK_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url),
	    cmocka_unit_test(test_head),
	    cmocka_unit_test(test_head_hostile),
	    cmocka_unit_test(test_chunked),
	    cmocka_unit_test(test_chunked_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
