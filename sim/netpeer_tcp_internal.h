/* What sim/netpeer_tcp.c (the server's TCP) and sim/netpeer_http.c (its
 * HTTP answers) share. */
#ifndef SIM_NETPEER_TCP_INTERNAL_H
#define SIM_NETPEER_TCP_INTERNAL_H

#include <sim/netpeer_tcp.h>

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10
#define SRV_CONNS 4
#define SRV_REQ_MAX 4096
#define SRV_RTO_NS 200000000ULL
#define SRV_RTO_MAX_NS 3000000000ULL

struct srv_conn {
	bool is_used;
	bool is_established;
	bool has_cli_fin;
	bool is_fin_sent;
	uint32_t cli_ip;
	uint16_t cli_port;
	uint8_t cli_mac[6];
	uint32_t iss, snd_una, snd_nxt, snd_max, rcv_nxt, fin_seq;
	uint32_t cli_wnd; /* scaled */
	uint8_t cli_wscale;
	uint16_t mss;
	unsigned int dups;
	uint64_t rtx_at, rto;
	char req[SRV_REQ_MAX];
	size_t req_len;
	uint8_t *resp; /* sequence iss + 1 is resp[0] */
	size_t resp_len;
	bool is_reset_sent;
	bool has_sack; /* both sides permitted SACK: NewReno recovery, no going back */
	bool is_recovering;
	uint32_t recover; /* snd_max when recovery began */
	uint64_t next_trickle;
};

struct sim_tcp_server {
	struct sim_netsvc svc;
	struct sim_tcp_server_config cfg;
	struct sim_nethost *host;
	struct srv_conn conns[SRV_CONNS];
	uint32_t next_iss;
	struct sim_tcp_server_stats stats;
};

/** sim_http_request() - the request in c->req is complete: build c->resp. */
void sim_http_request(struct sim_tcp_server *s, struct srv_conn *c);

#endif
