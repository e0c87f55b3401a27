/* net/http.c against hostile servers (sim/netpeer_tcp.c with a made-up
 * response): what a server can do with the framing of a response rather
 * than with its TCP. Each case here failed before its fix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "console_out.h"
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

/* Frames the guest sent: the largest, and how many carried TCP payload. */
static struct {
	size_t max_len;
	unsigned int datas;
} seen;

static void capture(void *ctx, const uint8_t *f, size_t len)
{
	const uint8_t *t = f + 14 + 20;

	seen.max_len = len > seen.max_len ? len : seen.max_len;
	if (len >= 14 + 20 + 20 && f[14 + 9] == 6 &&
	    load_be16(f + 14 + 2) > 20 + (t[12] >> 4) * 4) {
		seen.datas++;
	}
}

/* One segment from the server to the guest's connection @c. */
static void inject(const struct tcp_conn *c, uint32_t seq, const char *data)
{
	uint8_t f[100] = {0};
	uint8_t *ip = f + 14, *t = ip + 20;
	size_t tl = 20 + strlen(data);

	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)(20 + tl));
	ip[8] = 64;
	ip[9] = 6;
	store_be32(ip + 12, HOST_IP);
	store_be32(ip + 16, GUEST_IP);
	store_be16(ip + 10, sim_net_csum(ip, 20, 0));
	store_be16(t, c->rport);
	store_be16(t + 2, c->lport);
	store_be32(t + 4, seq);
	store_be32(t + 8, c->snd_una);
	t[12] = 5 << 4;
	t[13] = TCP_ACK;
	store_be16(t + 14, 65535);
	memcpy(t + 20, data, strlen(data));
	store_be16(t + 16, sim_net_csum(t, tl, sim_net_pseudo(HOST_IP, GUEST_IP, 6, tl)));
	assert_int_equal(sim_netpeer_inject(w.peer, f, 14 + 20 + tl), 0);
}

static void poll_ms(unsigned int ms)
{
	for (unsigned int i = 0; i < ms; i++) {
		int rc = net_poll(&w.ns, arch_time_ns() + NS_PER_MS);

		(void)rc; /* -ETIMEDOUT when nothing came */
	}
}

/* Data we send while holding out-of-order bytes carries SACK blocks: they
 * come out of the MSS (RFC 9293 3.7.1), or the segment is over the MTU.
 * Before, a full-sized segment with one block was 1512 bytes of IP: refused
 * by ip_send() (-EMSGSIZE), so it never left, nor its retransmissions. */
static void test_sack_within_mss(void **state)
{
	static uint8_t req[TCP_MSS_MAX];
	struct tcp_conn c;

	assert_int_equal(world_up_with(NULL), 0);
	assert_non_null(sim_tcp_server_add(w.host, &(struct sim_tcp_server_config){0}));
	assert_int_equal(tcp_connect(&w.ns, &c, HOST_IP, 80, 5000), 0);
	assert_true(c.has_sack);
	assert_int_equal(c.snd_mss, TCP_MSS_MAX);
	inject(&c, c.rcv_nxt + 100, "held"); /* a hole before it */
	poll_ms(10);
	assert_int_equal(c.ooo_count, 1);
	memset(&seen, 0, sizeof(seen));
	sim_netpeer_capture(w.peer, capture, NULL);
	memset(req, 'x', sizeof(req));
	assert_int_equal(tcp_send(&c, req, sizeof(req), 1000), 0);
	poll_ms(10);
	assert_int_equal(seen.datas, 2); /* 1448 bytes, then the rest */
	assert_true(seen.max_len <= 1514);
	assert_int_equal(c.snd_una, c.snd_max); /* all of it acknowledged */
	tcp_abort(&c);
}

/* TCP never opens to a broadcast or multicast address (RFC 1122 4.2.3.10):
 * a redirect to http://255.255.255.255/ or to the subnet's broadcast is
 * refused at once. Before, SYNs went to every host of the LAN for the
 * whole connect timeout (10 s), and no answer could ever be taken. */
static void test_no_broadcast_connect(void **state)
{
	static const uint32_t bad[] = {0xffffffffu, IP4(10, 0, 0, 255), IP4(224, 0, 0, 1), 0};
	struct tcp_conn c;
	size_t len;
	uint64_t ms;

	assert_int_equal(world_up_with(NULL), 0);
	memset(&seen, 0, sizeof(seen));
	sim_netpeer_capture(w.peer, capture, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t t0 = arch_time_ns();

		assert_int_equal(tcp_connect(&w.ns, &c, bad[i], 80, 2000), -EADDRNOTAVAIL);
		assert_true(arch_time_ns() - t0 < NS_PER_MS);
		assert_null(w.ns.tcp_conns);
	}
	assert_int_equal(seen.max_len, 0); /* not a frame sent */

	file.path = "/f";
	up("HTTP/1.1 302 Found\r\nLocation: http://10.0.0.255/\r\nContent-Length: 0\r\n\r\n", 0, 0);
	sim_console_output_clear();
	assert_int_equal(get(DST_LEN, &len, &ms), -EADDRNOTAVAIL);
	assert_true(ms < 2000);
	assert_out_has("http: cannot connect to 10.0.0.255 port 80: not a host's address\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_chunked_framing_is_no_progress, world_down),
	    cmocka_unit_test_teardown(test_interim_responses, world_down),
	    cmocka_unit_test_teardown(test_relative_redirect, world_down),
	    cmocka_unit_test_teardown(test_small_server_window, world_down),
	    cmocka_unit_test_teardown(test_sack_within_mss, world_down),
	    cmocka_unit_test_teardown(test_no_broadcast_connect, world_down),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
