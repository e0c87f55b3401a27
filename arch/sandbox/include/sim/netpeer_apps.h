/* Services on a simulated network host (sim/netpeer.h): a DHCP server, a
 * TFTP server and a DNS server, the far ends of net/dhcp.c, net/tftp.c and
 * net/dns.c. Written apart from the client code (no shared parser), with
 * hostile modes that a correct client must survive. Each *_add() plugs a
 * service into @h; its state is freed by sim_reset(). */
#ifndef SIM_NETPEER_APPS_H
#define SIM_NETPEER_APPS_H

#include <sim/netpeer.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_dhcp_config {
	uint32_t offer_ip; /* the address every client is offered */
	uint32_t netmask, router, dns, next_server;
	uint32_t lease_s;
	const char *bootfile; /* option 67 (NULL: none) */
	const char *bootfile_field; /* the BOOTP file field (NULL: empty) */
	const char *tftp_server; /* option 66 (NULL: none) */
	/* Hostile modes. */
	unsigned int ignore_discovers; /* say nothing to the first N DISCOVERs */
	unsigned int naks; /* answer the first N REQUESTs with a NAK */
	bool has_rogue_replies; /* before each real reply: another xid, another
				   MAC, an option running past the end, a
				   broadcast yiaddr, an ACK for another address */
};

struct sim_dhcp_stats {
	unsigned int discovers, requests, offers, acks, naks;
	bool has_pxe_class; /* the last DISCOVER had PXEClient:Arch:00011 and arch 11 */
};

/** sim_dhcp_add() - a DHCP server on @h (port 67); @stats (may be NULL) is kept current. */
int sim_dhcp_add(struct sim_nethost *h, const struct sim_dhcp_config *cfg,
		 struct sim_dhcp_stats *stats);

struct sim_tftp_file {
	const char *name;
	const uint8_t *data;
	size_t size;
};

enum sim_tftp_hostile {
	SIM_TFTP_HONEST,
	SIM_TFTP_BIG_BLOCKS, /* OACK a larger blksize than asked */
	SIM_TFTP_OVERSIZE_DATA, /* a block longer than negotiated in the middle */
	SIM_TFTP_STRAY_TID, /* every DATA also sent from another port, with junk */
	SIM_TFTP_LIE_TSIZE, /* tsize says half the size; the data is whole */
	SIM_TFTP_STALL, /* stop answering after 3 blocks */
	SIM_TFTP_ERROR_MID, /* an ERROR after 3 blocks */
	SIM_TFTP_SILENT, /* requests are counted, never answered */
};

struct sim_tftp_config {
	const struct sim_tftp_file *files;
	unsigned int file_count;
	bool has_no_options; /* an RFC 1350 server: ignores options */
	bool has_no_window; /* answers blksize and tsize only (busybox tftpd) */
	bool has_option_error; /* refuses options with ERROR 8 (RFC 2347) */
	enum sim_tftp_hostile hostile;
};

struct sim_tftp_stats {
	unsigned int rrqs, data_sent, acks, resends, errors_sent, errors_received;
	unsigned int blksize, window; /* of the last transfer */
	bool is_done; /* the last transfer's final ACK came */
};

/** sim_tftp_add() - a TFTP server on @h (port 69, one transfer at a time).
 * @cfg is read at each request: it must live until sim_reset(), and a test
 * may change it between transfers. */
int sim_tftp_add(struct sim_nethost *h, const struct sim_tftp_config *cfg,
		 struct sim_tftp_stats *stats);

struct sim_dns_record {
	const char *name;
	uint32_t ip;
	const char *cname; /* answer with a CNAME to this name, then its A record */
};

enum sim_dns_hostile {
	SIM_DNS_HONEST,
	SIM_DNS_WRONG_ID_FIRST, /* a reply with another id, then the real one */
	SIM_DNS_LOOP, /* the answer's name is a pointer to itself */
	SIM_DNS_TRUNCATED, /* the reply cut in the middle of the answer */
	SIM_DNS_SILENT,
};

struct sim_dns_config {
	const struct sim_dns_record *records;
	unsigned int record_count;
	enum sim_dns_hostile hostile;
};

/** sim_dns_add() - a DNS server on @h (port 53); *@queries counts questions (may be NULL). */
int sim_dns_add(struct sim_nethost *h, const struct sim_dns_config *cfg, unsigned int *queries);

#endif
