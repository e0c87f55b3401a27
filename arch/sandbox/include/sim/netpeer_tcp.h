/* A TCP server with an HTTP/1.1 file server on a simulated host
 * (sim/netpeer_tcp.c), for the guest's net/tcp.c and net/http.c. Its TCP is
 * written apart from net/tcp.c: go-back-N on a timeout; on three duplicate
 * ACKs, NewReno (one segment at a time, trusting the client to hold what
 * follows) when the client permits SACK, whose blocks are checked, else
 * go-back-N; the client's window obeyed (unless told not to) and a cap on
 * bytes in flight. Knobs make it hostile: refuse, reset or stall in the
 * middle, send past the window, send a made-up header, cut the body. */
#ifndef SIM_NETPEER_TCP_H
#define SIM_NETPEER_TCP_H

#include <sim/netpeer.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_http_file {
	const char *path; /* "/boot/Image" */
	const void *data; /* the caller's, kept until sim_reset() */
	size_t len;
};

enum sim_http_mode {
	SIM_HTTP_LENGTH, /* Content-Length */
	SIM_HTTP_CHUNKED, /* chunks of chunk_size bytes */
	SIM_HTTP_EOF, /* no length: the body ends with the connection */
};

struct sim_tcp_server_config {
	uint16_t port; /* 0: 80 */
	uint16_t mss; /* announced and used; 0: 1460 */
	bool is_wscale_off; /* ignore the client's window-scale option */
	bool is_sack_off; /* no SACK: go back N on three duplicate ACKs */
	uint32_t max_flight; /* bytes in flight at most; 0: 64 KiB */
	enum sim_http_mode mode;
	size_t chunk_size; /* 0: 1000 */
	const struct sim_http_file *files;
	unsigned int file_count;
	/* Hostile knobs. */
	const char *raw_head; /* sent instead of our status line and headers */
	bool is_refusing; /* RST to every SYN */
	bool is_window_ignored; /* send up to max_flight whatever the client's window */
	size_t rst_after; /* RST after this many response bytes (0: never) */
	size_t stall_after; /* send nothing after this many response bytes (0: never) */
	size_t fin_after; /* FIN after this many response bytes (0: at the end) */
	uint64_t trickle_ns; /* one byte per this many ns (a slow-loris server; 0: off) */
	uint16_t rcv_window; /* the window we offer and keep to (never scaled); 0: 65535 */
	/* Deaf knobs: the first N SYNs, data segments, FINs from the client go unheard. */
	unsigned int ignore_syns, ignore_data, ignore_fins;
};

struct sim_tcp_server_stats {
	unsigned int connections, requests;
	unsigned int segs_out, rtx, fast_rtx;
	unsigned int dup_acks, rst_in;
	unsigned int syn_mss; /* the client's last MSS option; 0: none */
	int syn_wscale; /* the client's last window-scale option; -1: none */
	bool syn_sack; /* the client's last SYN permitted SACK */
	unsigned int sack_blocks, bad_sacks; /* SACK blocks received; malformed or out of range */
	uint32_t window_max,
	    window_min; /* the client's advertised windows, scaled, once established */
	unsigned int zero_windows; /* ACKs with a zero window */
	unsigned int bad_requests; /* not "GET <path> HTTP/1.1" with a Host header */
	unsigned int closed; /* connections that ended with both FINs */
	unsigned int syns_ignored, data_ignored, fins_ignored;
	char last_path[256];
};

/** sim_tcp_server_add() - serve @cfg (copied; files and raw_head kept) on @h. NULL on failure. */
struct sim_tcp_server *sim_tcp_server_add(struct sim_nethost *h,
					  const struct sim_tcp_server_config *cfg);
const struct sim_tcp_server_stats *sim_tcp_server_stats(const struct sim_tcp_server *s);

#endif
