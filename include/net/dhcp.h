/* DHCP client (RFC 2131, options RFC 2132, PXE vendor class RFC 4578).
 *
 * Two halves: a pure one over byte buffers (building DISCOVER/REQUEST,
 * parsing and checking a server's reply, the client state machine) that
 * the unit tests and the fuzz target drive directly, and dhcp_run(), which
 * sends and receives through the UDP layer with retries and back-off.
 * Every reply is untrusted: it is parsed from (buf, len) with bounds on
 * every option, and its strings are kept only when short and printable. */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
/* Fixed BOOTP part (236 bytes) + magic cookie; options follow. */
#define DHCP_OPTIONS_OFF 240
/* What we build: a BOOTP-sized message (300 bytes) some servers insist on. */
#define DHCP_PKT_MIN 300
#define DHCP_PKT_BUILD_MAX 576
#define DHCP_FILE_MAX 128 /* bootfile: the BOOTP field's size; a longer option 67 is dropped */
#define DHCP_SNAME_MAX 64 /* TFTP server name (sname field or option 66) */

enum dhcp_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
};

/* What a server told us (host byte order; 0 / "" when absent). */
struct dhcp_lease {
	uint32_t ip; /* yiaddr */
	uint32_t netmask; /* option 1 */
	uint32_t gateway; /* option 3, first router */
	uint32_t dns; /* option 6, first server */
	uint32_t server_id; /* option 54 */
	uint32_t siaddr; /* next server (BOOTP field) */
	uint32_t lease_s; /* option 51 */
	char bootfile[DHCP_FILE_MAX]; /* option 67, else the file field */
	char tftp_server[DHCP_SNAME_MAX]; /* option 66, else the sname field */
};

struct dhcp_msg {
	uint8_t type; /* option 53 */
	struct dhcp_lease lease;
};

/**
 * dhcp_parse() - check and decode a server's message of @len bytes (untrusted).
 * It must be a BOOTREPLY for Ethernet with our @xid and @mac, carry the
 * magic cookie and a message type, and a usable yiaddr for OFFER/ACK.
 * Options are read with bounds (pad, end, overload into file/sname, first
 * occurrence wins); an option running past its area makes the whole message
 * malformed; bad values (a
 * non-contiguous netmask, a string with control bytes) are dropped.
 * Returns 0, -ENOENT (not for us) or -EINVAL (malformed).
 */
int __must_check dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6],
			    struct dhcp_msg *out);

/**
 * dhcp_build() - a client message of @type (DISCOVER or REQUEST) into @buf
 * (at least DHCP_PKT_BUILD_MAX bytes): broadcast flag, @secs, PXE vendor class
 * and client architecture, the parameter request list; a REQUEST also
 * names @requested and @server_id (when non-zero). Returns the length.
 */
size_t dhcp_build(uint8_t *buf, enum dhcp_type type, uint32_t xid, const uint8_t mac[6],
		  uint16_t secs, uint32_t requested, uint32_t server_id);

enum dhcp_state {
	DHCP_SELECTING, /* DISCOVER sent, waiting for an OFFER */
	DHCP_REQUESTING, /* REQUEST sent, waiting for ACK/NAK */
	DHCP_BOUND,
};

/* The client's state machine, with no I/O (dhcp_run() does the I/O). */
struct dhcp_client {
	uint8_t mac[6];
	uint32_t xid;
	enum dhcp_state state;
	struct dhcp_msg offer; /* the offer taken */
	struct dhcp_lease lease; /* valid when BOUND */
	unsigned int naks;
};

enum dhcp_event {
	DHCP_EV_IGNORE, /* not for us, malformed, or not expected now */
	DHCP_EV_SEND, /* the state changed: send dhcp_client_packet() now */
	DHCP_EV_BOUND,
};

/** dhcp_client_init() - a client for @mac with transaction id @xid. */
void dhcp_client_init(struct dhcp_client *c, const uint8_t mac[6], uint32_t xid);
/** dhcp_client_input() - feed one UDP payload from port 67 (untrusted). */
enum dhcp_event dhcp_client_input(struct dhcp_client *c, const uint8_t *pkt, size_t len);
/** dhcp_client_packet() - the message to (re)send in the current state. */
size_t dhcp_client_packet(const struct dhcp_client *c, uint8_t *buf, uint16_t secs);

struct net_stack;

/**
 * dhcp_run() - get a lease through @ns: DISCOVER, OFFER, REQUEST, ACK with
 * retransmission and back-off (1 s doubling to 8 s) until @timeout_ms;
 * a NAK restarts (at most 3 times). On success the stack's ip, netmask,
 * gateway, dns and server (siaddr, else the server id) are set and *@out
 * holds the lease. Prints U-Boot's "BOOTP broadcast N" lines. Returns 0,
 * -ETIMEDOUT, -ECONNREFUSED (NAKs), -EINTR (Ctrl-C on the console) or an
 * error of the UDP layer.
 */
int __must_check dhcp_run(struct net_stack *ns, struct dhcp_lease *out, unsigned int timeout_ms);

#endif
