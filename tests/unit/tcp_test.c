/* net/tcp.c and net/http.c against the simulated HTTP server
 * (sim/netpeer_tcp.c) over the simulated wire: whole transfers checked byte
 * for byte, with loss, duplicates, reordering and corruption, a reader that
 * stops reading, and servers that refuse, reset, stall, cut, overrun our
 * window or send hostile segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "net_world.h"
#include <lib/units.h>
#include <net/http.h>
#include <net/ip.h>
#include <net/tcp.h>
#include <sim/netpeer_tcp.h>
#include <stdio.h>
#include <stdlib.h>

#define FILE_LEN (1u << 20)

static uint8_t *file_data, *dst;
static struct sim_http_file files[] = {
    {.path = "/boot/Image"},
    {.path = "/small", .data = "hello, world\n", .len = 13},
};
static struct sim_tcp_server *srv;

static int setup(void **state)
{
	uint32_t x = 12345;

	file_data = malloc(FILE_LEN);
	dst = malloc(FILE_LEN + 4096);
	for (size_t i = 0; i < FILE_LEN; i++) {
		x = x * 1103515245 + 12345;
		file_data[i] = (uint8_t)(x >> 16);
	}
	files[0].data = file_data;
	files[0].len = FILE_LEN;
	return 0;
}

static int teardown(void **state)
{
	free(file_data);
	free(dst);
	return 0;
}

/* A world with knobs @pc on the wire and a server configured by @sc. */
static void up(const struct sim_netpeer_config *pc, struct sim_tcp_server_config sc)
{
	assert_int_equal(world_up_with(pc), 0);
	sc.files = files;
	sc.file_count = ARRAY_SIZE(files);
	srv = sim_tcp_server_add(w.host, &sc);
	assert_non_null(srv);
	memset(dst, 0xee, FILE_LEN + 4096);
}

static int get(const char *url, size_t max, size_t *len)
{
	return http_get(&w.ns, url, dst, max, len);
}

static void check_file(size_t len)
{
	assert_int_equal(len, FILE_LEN);
	assert_memory_equal(dst, file_data, FILE_LEN);
	assert_int_equal(dst[FILE_LEN], 0xee); /* nothing past the body */
	assert_null(w.ns.tcp_conns); /* closed and forgotten */
}

static void test_get_length(void **state)
{
	const struct sim_tcp_server_stats *st;
	size_t len;

	up(NULL, (struct sim_tcp_server_config){0});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), 0);
	check_file(len);
	st = sim_tcp_server_stats(srv);
	assert_int_equal(st->requests, 1);
	assert_int_equal(st->bad_requests, 0);
	assert_string_equal(st->last_path, "/boot/Image");
	assert_int_equal(st->syn_mss, TCP_MSS_MAX);
	assert_int_equal(st->syn_wscale, TCP_RCV_WSCALE);
	assert_true(st->syn_sack);
	/* A real window: most of the ring, scaled past 16 bits. */
	assert_true(st->window_max >= TCP_RBUF_SIZE - 4 * TCP_MSS_MAX);
	assert_int_equal(st->rtx, 0);
	assert_int_equal(st->closed, 1); /* both FINs exchanged */
	assert_int_equal(peer_stats()->from_guest_bad, 0);
	/* About one ACK per two segments, not one per segment. */
	assert_true(peer_stats()->from_guest < st->segs_out * 3 / 4);
}

static void test_get_chunked_and_eof(void **state)
{
	size_t len;

	up(NULL, (struct sim_tcp_server_config){.mode = SIM_HTTP_CHUNKED, .chunk_size = 777});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), 0);
	check_file(len);
	up(NULL, (struct sim_tcp_server_config){.mode = SIM_HTTP_EOF});
	assert_int_equal(get("http://10.0.0.1:80/boot/Image", FILE_LEN, &len), 0);
	check_file(len);
	up(NULL, (struct sim_tcp_server_config){.port = 8080, .mss = 536, .is_wscale_off = true});
	assert_int_equal(get("http://10.0.0.1:8080/small", 100, &len), 0);
	assert_int_equal(len, 13);
	assert_memory_equal(dst, "hello, world\n", 13);
}

static void test_lossy(void **state)
{
	static const struct sim_netfaults bad = {
	    .loss_pct = 5, .dup_pct = 5, .reorder_pct = 10, .corrupt_pct = 2};
	struct sim_netpeer_config pc = {.seed = 7, .to_guest = bad, .from_guest = bad};
	size_t len;

	/* With SACK the server goes back for one segment only: what we held must be right. */
	for (pc.seed = 1; pc.seed <= 4; pc.seed++) {
		const struct sim_tcp_server_stats *st;

		up(&pc, (struct sim_tcp_server_config){.is_sack_off = pc.seed > 2});
		assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), 0);
		check_file(len);
		st = sim_tcp_server_stats(srv);
		assert_true(st->rtx + st->fast_rtx > 0);
		assert_true(peer_stats()->lost > 0 && peer_stats()->reordered > 0);
		assert_int_equal(st->bad_sacks, 0);
		assert_true(pc.seed > 2 ? st->sack_blocks == 0 : st->sack_blocks > 0);
	}
}

static void test_chunked_lossy(void **state)
{
	static const struct sim_netfaults bad = {.loss_pct = 3, .dup_pct = 3, .reorder_pct = 5};
	struct sim_netpeer_config pc = {.seed = 11, .to_guest = bad, .from_guest = bad};
	size_t len;

	up(&pc, (struct sim_tcp_server_config){.mode = SIM_HTTP_CHUNKED, .chunk_size = 4000});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), 0);
	check_file(len);
}

static void test_errors(void **state)
{
	size_t len = 99;

	up(NULL, (struct sim_tcp_server_config){.is_refusing = true});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -ECONNREFUSED);
	assert_int_equal(len, 0);
	assert_null(w.ns.tcp_conns);

	up(NULL, (struct sim_tcp_server_config){0});
	uint64_t t0 = arch_time_ns();

	assert_int_equal(get("http://10.0.0.1:81/x", FILE_LEN, &len), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 12000000000ULL); /* bounded by the connect timeout */
	assert_int_equal(get("http://10.0.0.1/nothing", FILE_LEN, &len), -ENOENT);
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN - 1, &len), -EFBIG);
	assert_int_equal(get("https://10.0.0.1/boot/Image", FILE_LEN, &len), -EOPNOTSUPP);
	assert_int_equal(get("http://10.0.0.1/redirect/3/small", 100, &len), 0);
	assert_int_equal(len, 13);
	/* redirect/N is N + 1 redirects. */
	assert_int_equal(get("http://10.0.0.1/redirect/4/small", 100, &len), 0);
	assert_int_equal(get("http://10.0.0.1/redirect/5/small", 100, &len), -ELOOP);
	assert_null(w.ns.tcp_conns);

	up(NULL, (struct sim_tcp_server_config){.mode = SIM_HTTP_EOF});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN - 1, &len), -EFBIG);
	assert_int_equal(dst[FILE_LEN - 1], 0xee);
	up(NULL, (struct sim_tcp_server_config){.mode = SIM_HTTP_CHUNKED});
	assert_int_equal(get("http://10.0.0.1/boot/Image", 5000, &len), -EFBIG);
	assert_int_equal(dst[5000], 0xee);
}

static void test_hostile_server(void **state)
{
	size_t len;

	up(NULL, (struct sim_tcp_server_config){.rst_after = 300000});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -ENOTCONN);
	up(NULL, (struct sim_tcp_server_config){.fin_after = 300000});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -EBADMSG);

	uint64_t t0 = arch_time_ns();

	up(NULL, (struct sim_tcp_server_config){.stall_after = 300000});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 20000000000ULL);
	assert_null(w.ns.tcp_conns);

	/* A byte every 2 s keeps the connection alive but is no progress. */
	t0 = arch_time_ns();
	up(NULL, (struct sim_tcp_server_config){.trickle_ns = 2000000000ULL});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 < 17000000000ULL);
	assert_null(w.ns.tcp_conns);
	up(NULL,
	   (struct sim_tcp_server_config){
	       .raw_head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -EBADMSG);
	up(NULL, (struct sim_tcp_server_config){.raw_head = "HTTP/1.1 200 OK\r\nX: "});
	assert_int_equal(get("http://10.0.0.1/small", FILE_LEN, &len), -EBADMSG);
	/* Claims more than it sends, then closes. */
	up(NULL, (struct sim_tcp_server_config){
		     .raw_head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"});
	assert_int_equal(get("http://10.0.0.1/small", FILE_LEN, &len), -EBADMSG);
	/* A header that never ends: cut at HTTP_HEAD_MAX. */
	up(NULL, (struct sim_tcp_server_config){.raw_head = "HTTP/1.1 200 OK\r\nX: y\r\n"});
	assert_int_equal(get("http://10.0.0.1/boot/Image", FILE_LEN, &len), -EBADMSG);
	assert_null(w.ns.tcp_conns);
}

static void poll_for(uint64_t ns)
{
	int rc = net_poll(&w.ns, arch_time_ns() + ns);

	(void)rc; /* -ETIMEDOUT when nothing came */
}

/* Connect and send a request with the TCP calls themselves. */
static void open_get(struct tcp_conn *c, const char *path)
{
	char req[128];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);

	assert_int_equal(tcp_connect(&w.ns, c, HOST_IP, 80, 5000), 0);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(tcp_send(c, req, (size_t)n, 1000), 0);
}

/* Read everything to EOF into dst. */
static size_t read_all(struct tcp_conn *c)
{
	size_t pos = 0, got;

	do {
		assert_int_equal(tcp_recv(c, dst + pos, FILE_LEN + 4096 - pos, &got, 5000), 0);
		pos += got;
	} while (got);
	return pos;
}

/* A reader that stops: the window closes, the server waits, then all arrives intact. */
static void test_window(void **state)
{
	struct tcp_conn c;
	size_t total;

	for (int ignore = 0; ignore < 2; ignore++) {
		up(NULL, (struct sim_tcp_server_config){.is_window_ignored = ignore,
							.max_flight = ignore ? 64 * 1024 : 0});
		open_get(&c, "/boot/Image");
		for (int i = 0; i < 3000; i++) {
			poll_for(1000000);
		}
		assert_true(c.rlen <= TCP_RBUF_SIZE);
		if (!ignore) {
			assert_int_equal(c.rlen, TCP_RBUF_SIZE); /* full, nothing lost */
			assert_true(sim_tcp_server_stats(srv)->zero_windows > 0);
		} else {
			assert_true(c.stats.rx_dup > 0); /* past the window: dropped */
		}
		total = read_all(&c);
		assert_true(total > FILE_LEN);
		assert_memory_equal(dst + total - FILE_LEN, file_data, FILE_LEN);
		tcp_close(&c);
		assert_null(w.ns.tcp_conns);
	}
}

/* A frame from the host to the guest carrying one TCP segment. */
static void inject_to(uint32_t dst, const struct tcp_conn *c, uint32_t seq, uint32_t ack,
		      uint8_t flags, const char *data, bool is_csum_bad)
{
	uint8_t f[200] = {0};
	uint8_t *ip = f + 14, *t = ip + 20;
	size_t dlen = data ? strlen(data) : 0, tl = 20 + dlen;

	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	store_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)(20 + tl));
	ip[8] = 64;
	ip[9] = 6;
	store_be32(ip + 12, HOST_IP);
	store_be32(ip + 16, dst);
	store_be16(ip + 10, sim_net_csum(ip, 20, 0));
	store_be16(t, c->rport);
	store_be16(t + 2, c->lport);
	store_be32(t + 4, seq);
	store_be32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = flags;
	store_be16(t + 14, 65535);
	if (dlen) {
		memcpy(t + 20, data, dlen);
	}
	store_be16(t + 16, sim_net_csum(t, tl, sim_net_pseudo(HOST_IP, dst, 6, tl)));
	if (is_csum_bad) {
		t[16] ^= 1;
	}
	assert_int_equal(sim_netpeer_inject(w.peer, f, 14 + 20 + tl), 0);
}

static void inject(const struct tcp_conn *c, uint32_t seq, uint32_t ack, uint8_t flags,
		   const char *data, bool is_csum_bad)
{
	inject_to(GUEST_IP, c, seq, ack, flags, data, is_csum_bad);
}

static void drain(void)
{
	for (int i = 0; i < 50; i++) {
		poll_for(100000);
	}
}

static void test_hostile_segments(void **state)
{
	struct tcp_conn c;
	size_t got, len;

	up(NULL, (struct sim_tcp_server_config){.stall_after = 10});
	open_get(&c, "/small");
	drain();
	assert_int_equal(c.rlen, 10);
	uint32_t nxt = c.rcv_nxt, una = c.snd_una;

	inject(&c, nxt, una, TCP_ACK, "BADSUM", true); /* checksum */
	inject(&c, nxt + 5000000, una, TCP_ACK, "FAR", false); /* far outside the window */
	inject(&c, nxt - 100, una, TCP_ACK, "OLD", false); /* already had it */
	inject(&c, nxt + 1, una, TCP_RST, NULL, false); /* RST off by one: challenge ACK */
	inject(&c, nxt, una, TCP_SYN, NULL, false); /* SYN in ESTABLISHED: challenge ACK */
	inject(&c, nxt, una + 999999, TCP_ACK, "X", false); /* ACKs what we never sent */
	inject_to(0xffffffffu, &c, nxt, una, TCP_ACK, "BCAST", false); /* TCP is unicast */
	drain();
	assert_int_equal(c.state, TCP_ESTABLISHED);
	assert_int_equal(c.rlen, 10);
	assert_int_equal(c.rcv_nxt, nxt);
	/* Out of order, then the hole: held and joined. */
	inject(&c, nxt + 3, una, TCP_ACK, "def", false);
	inject(&c, nxt + 9, una, TCP_ACK, "jk", false);
	drain();
	assert_int_equal(c.ooo_count, 2);
	assert_int_equal(c.rcv_nxt, nxt);
	inject(&c, nxt, una, TCP_ACK, "abc", false);
	inject(&c, nxt + 6, una, TCP_ACK, "ghi", false);
	drain();
	assert_int_equal(c.ooo_count, 0);
	assert_int_equal(c.rcv_nxt, nxt + 11);
	assert_int_equal(tcp_recv(&c, dst, 100, &got, 100), 0);
	assert_int_equal(got, 21);
	assert_memory_equal(dst + 10, "abcdefghijk", 11);
	/* The exact RST ends it. */
	inject(&c, c.rcv_nxt, una, TCP_RST, NULL, false);
	drain();
	assert_int_equal(tcp_recv(&c, dst, 100, &got, 100), -ENOTCONN);
	tcp_abort(&c);
	assert_null(w.ns.tcp_conns);
	/* A stray segment for no connection gets a RST, and the stack goes on. */
	up(NULL, (struct sim_tcp_server_config){0});
	assert_int_equal(get("http://10.0.0.1/small", 100, &len), 0);
	assert_int_equal(peer_stats()->from_guest_bad, 0);
}

/* When the guest sent SYNs, data and FINs (sim_netpeer_capture sees every frame). */
static struct {
	uint64_t syn[8], data[8], fin[8];
	unsigned int syns, datas, fins;
} sent;

static void capture(void *ctx, const uint8_t *f, size_t len)
{
	const uint8_t *t = f + 14 + 20;
	uint64_t now = arch_time_ns();

	if (len < 14 + 20 + 20 || f[14 + 9] != 6) {
		return;
	}
	if ((t[13] & TCP_SYN) && sent.syns < 8) {
		sent.syn[sent.syns++] = now;
	}
	/* From the IP length: a short frame is padded to Ethernet's 60 bytes. */
	if (load_be16(f + 14 + 2) > 20 + (t[12] >> 4) * 4 && sent.datas < 8) {
		sent.data[sent.datas++] = now;
	}
	if ((t[13] & TCP_FIN) && sent.fins < 8) {
		sent.fin[sent.fins++] = now;
	}
}

/* Each retransmission waits about twice as long as the one before (RFC 6298 5.5). */
static void check_backoff(const uint64_t *t, unsigned int n, uint64_t first_ns)
{
	for (unsigned int i = 1; i < n; i++) {
		uint64_t gap = t[i] - t[i - 1], want = first_ns << (i - 1);

		assert_true(gap >= want && gap < want + want / 2);
	}
}

/* Run a GET of /small with the server deaf as @sc says, capturing what we send. */
static void get_deaf(struct sim_tcp_server_config sc, int want)
{
	size_t len;

	up(NULL, sc);
	memset(&sent, 0, sizeof(sent));
	sim_netpeer_capture(w.peer, capture, NULL);
	assert_int_equal(get("http://10.0.0.1/small", 100, &len), want);
	assert_null(w.ns.tcp_conns);
}

static void test_retransmit(void **state)
{
	/* SYN: the initial timeout (1 s), then 2 s. */
	get_deaf((struct sim_tcp_server_config){.ignore_syns = 2}, 0);
	assert_int_equal(sent.syns, 3);
	check_backoff(sent.syn, 3, 1000 * NS_PER_MS);
	/* The request: from the handshake's RTT, floored at 200 ms, then doubling. */
	get_deaf((struct sim_tcp_server_config){.ignore_data = 3}, 0);
	assert_int_equal(sent.datas, 4);
	check_backoff(sent.data, 4, 200 * NS_PER_MS);
	/* After a lost SYN, data starts from 3 s (RFC 6298 5.7). */
	get_deaf((struct sim_tcp_server_config){.ignore_syns = 1, .ignore_data = 1}, 0);
	assert_int_equal(sent.datas, 2);
	check_backoff(sent.data, 2, 3000 * NS_PER_MS);
	/* Our FIN, and the server's FIN still gets its ACK: both sides closed. */
	get_deaf((struct sim_tcp_server_config){.ignore_fins = 2}, 0);
	assert_int_equal(sent.fins, 3);
	check_backoff(sent.fin, 3, 200 * NS_PER_MS);
	assert_int_equal(sim_tcp_server_stats(srv)->closed, 1);
	/* A server that never answers: connect gives up at its timeout, in bounded tries. */
	get_deaf((struct sim_tcp_server_config){.ignore_syns = 100}, -ETIMEDOUT);
	assert_int_equal(sent.syns, 4); /* at 0, 1, 3 and 7 s; the 10 s timeout comes first */
}

/* inet_csum() against RFC 1071's definition (big-endian 16-bit words, a
 * zero byte after an odd one), for every length, alignment and many sums. */
static void test_csum(void **state)
{
	static uint8_t buf[1600 + 8];
	uint32_t x = 1;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	memset(buf + 100, 0xff, 64); /* runs of ones, where carries pile up */
	for (size_t len = 0; len <= 1600; len++) {
		for (size_t off = 0; off<8; off += len> 64 ? 7 : 1) {
			uint32_t sum = (uint32_t)(len * 2654435761u) & 0x3ffff;
			uint64_t ref = sum;

			for (size_t i = 0; i < len; i += 2) {
				ref += (uint32_t)buf[off + i] << 8 |
				       (i + 1 < len ? buf[off + i + 1] : 0);
			}
			while (ref >> 16) {
				ref = (ref & 0xffff) + (ref >> 16);
			}
			assert_int_equal(inet_csum(buf + off, len, sum), (uint16_t)~ref);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_get_length, world_down),
	    cmocka_unit_test_teardown(test_get_chunked_and_eof, world_down),
	    cmocka_unit_test_teardown(test_lossy, world_down),
	    cmocka_unit_test_teardown(test_chunked_lossy, world_down),
	    cmocka_unit_test_teardown(test_errors, world_down),
	    cmocka_unit_test_teardown(test_hostile_server, world_down),
	    cmocka_unit_test_teardown(test_window, world_down),
	    cmocka_unit_test_teardown(test_hostile_segments, world_down),
	    cmocka_unit_test_teardown(test_retransmit, world_down),
	    cmocka_unit_test(test_csum),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
