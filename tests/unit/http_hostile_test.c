/* net/http.c against hostile servers (sim/netpeer_tcp.c with a made-up
 * response): what a server can do with the framing of a response rather
 * than with its TCP. Each case here failed before its fix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "net_world.h"
#include <net/http.h>
#include <net/tcp.h>
#include <sim/netpeer_tcp.h>
#include <stdio.h>
#include <stdlib.h>

#define DST_LEN (1u << 20)
#define CHUNKED_HEAD "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

static uint8_t *dst;
static char *body;
static struct sim_http_file file = {.path = "/f"};

static int setup(void **state)
{
	dst = malloc(DST_LEN);
	body = malloc(DST_LEN);
	return dst && body ? 0 : -1;
}

static int teardown(void **state)
{
	free(dst);
	free(body);
	return 0;
}

/* A server answering /f with @head, then @len bytes of body (as they are). */
static void up(const char *head, size_t len, uint64_t trickle_ns)
{
	struct sim_tcp_server_config sc = {
	    .raw_head = head, .files = &file, .file_count = 1, .trickle_ns = trickle_ns};

	assert_int_equal(world_up_with(NULL), 0);
	file.data = body;
	file.len = len;
	assert_non_null(sim_tcp_server_add(w.host, &sc));
	memset(dst, 0xee, DST_LEN);
}

/* http_get() of /f: its result, with the simulated time it took in *@ms. */
static int get(size_t max, size_t *len, uint64_t *ms)
{
	uint64_t t0 = arch_time_ns();
	int rc = http_get(&w.ns, "http://10.0.0.1/f", dst, max, len);

	*ms = (arch_time_ns() - t0) / NS_PER_MS;
	assert_null(w.ns.tcp_conns);
	return rc;
}

/* Chunked framing is no progress: a last chunk followed by trailer lines
 * without end, or chunk extensions with a byte of data each, sent at 2 KB/s
 * (well over the 16 KiB per 15 s the idle rule asks for) must end at that
 * rule's deadline, not when the server stops. Before, every byte received
 * counted as progress: these ran 18 s and more (as long as the server
 * liked) and the trailers were even a success. */
static void test_chunked_framing_is_no_progress(void **state)
{
	size_t len, n = 0;
	uint64_t ms;

	n += (size_t)sprintf(body + n, "0\r\n");
	while (n < 36000) {
		n += (size_t)sprintf(body + n, "X-Pad: %0100d\r\n", 0);
	}
	n += (size_t)sprintf(body + n, "\r\n");
	up(CHUNKED_HEAD, n, 500000);
	assert_int_equal(get(DST_LEN, &len, &ms), -ETIMEDOUT);
	assert_true(ms >= 15000 && ms < 17000);

	n = 0;
	while (n < 36000) {
		n += (size_t)sprintf(body + n, "1;x=%03000d\r\nA\r\n", 0);
	}
	n += (size_t)sprintf(body + n, "0\r\n\r\n");
	up(CHUNKED_HEAD, n, 500000);
	assert_int_equal(get(DST_LEN, &len, &ms), -ETIMEDOUT);
	assert_true(ms >= 15000 && ms < 17000);

	/* The same rate of real data is progress: the body arrives whole. */
	n = (size_t)sprintf(body, "%x\r\n", 40000u);
	memset(body + n, 'B', 40000);
	n += 40000;
	n += (size_t)sprintf(body + n, "\r\n0\r\n\r\n");
	up(CHUNKED_HEAD, n, 500000);
	assert_int_equal(get(DST_LEN, &len, &ms), 0);
	assert_int_equal(len, 40000);
	assert_true(ms > 15000);
	assert_int_equal(dst[0], 'B');
	assert_int_equal(dst[39999], 'B');
	assert_int_equal(dst[40000], 0xee);
}

/* Interim 1xx responses come before the final one (RFC 9110 15.2: a client
 * must parse them even unasked; servers send 103 Early Hints). Before, the
 * first was taken for the answer: "server answered 103 Early Hints". A
 * server sending only 1xx heads ends at the idle deadline. */
static void test_interim_responses(void **state)
{
	size_t len, n;
	uint64_t ms;

	strcpy(body,
	       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	up("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", strlen(body), 0);
	assert_int_equal(get(DST_LEN, &len, &ms), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(dst, "hello", 5);
	assert_int_equal(dst[5], 0xee);

	for (n = 0; n < 36000;) {
		n += (size_t)sprintf(body + n, "HTTP/1.1 100 Continue\r\n\r\n");
	}
	up("HTTP/1.1 100 Continue\r\n\r\n", n, 500000);
	assert_int_equal(get(DST_LEN, &len, &ms), -ETIMEDOUT);
	assert_true(ms >= 15000 && ms < 17000);

	/* 101 was not asked for: an error, not an interim answer. */
	strcpy(body, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	up("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", strlen(body), 0);
	assert_int_equal(get(DST_LEN, &len, &ms), -EIO);
}

/* A relative Location is resolved against the path without its query (RFC
 * 3986 5.2.3). Before, a '/' in the query was taken for the last of the
 * path: /dir/f?x=a/b redirecting to "g" asked for /dir/f?x=a/g. */
static void test_relative_redirect(void **state)
{
	size_t len;
	uint64_t ms;
	struct sim_tcp_server_config sc = {
	    .raw_head = "HTTP/1.1 302 Found\r\nLocation: g\r\nContent-Length: 0\r\n\r\n",
	    .files = &file,
	    .file_count = 1};
	struct sim_tcp_server *srv;

	assert_int_equal(world_up_with(NULL), 0);
	file.path = "/dir/f?x=a/b";
	file.len = 0;
	srv = sim_tcp_server_add(w.host, &sc);
	assert_non_null(srv);
	uint64_t t0 = arch_time_ns();

	assert_int_equal(http_get(&w.ns, "http://10.0.0.1/dir/f?x=a/b", dst, DST_LEN, &len),
			 -ENOENT);
	ms = (arch_time_ns() - t0) / NS_PER_MS;
	assert_true(ms < 1000);
	assert_string_equal(sim_tcp_server_stats(srv)->last_path, "/dir/g");
	file.path = "/f";
}

/* A server whose window is smaller than our request: the rest goes out as
 * its ACKs open the window again. Before, data past the first window waited
 * for a timer that an ACK of everything in flight had just stopped: the
 * request never ended and the GET gave up after 15 s. */
static void test_small_server_window(void **state)
{
	struct sim_tcp_server_config sc = {.files = &file, .file_count = 1, .rcv_window = 40};
	size_t len;
	uint64_t ms;

	assert_int_equal(world_up_with(NULL), 0);
	strcpy(body, "hello");
	file.data = body;
	file.len = 5;
	assert_non_null(sim_tcp_server_add(w.host, &sc));
	assert_int_equal(get(DST_LEN, &len, &ms), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(dst, "hello", 5);
	assert_true(ms < 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_chunked_framing_is_no_progress, world_down),
	    cmocka_unit_test_teardown(test_interim_responses, world_down),
	    cmocka_unit_test_teardown(test_relative_redirect, world_down),
	    cmocka_unit_test_teardown(test_small_server_window, world_down),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
