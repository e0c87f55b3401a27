/* The IP stack's state and entry points. One struct net_stack holds
 * everything the stack knows about one network device: our addresses, the
 * ARP cache, counters, the UDP bindings, the TCP connections and the frame
 * buffers. Incoming frames are handled in place in the receive buffer; no
 * protocol copies them. All multi-byte values here are in host order.
 *
 * Callbacks (UDP rx, tcp_input) run inside net_poll() with data pointing into
 * the receive buffer: valid until they return. They may send (udp_send,
 * ip_send) but must not call net_poll() themselves. */
#ifndef NET_NET_H
#define NET_NET_H

#include <drivers/netdev.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_MAC_LEN 6
#define NET_ETH_HLEN 14
#define NET_IP_HLEN 20 /* we send no IP options */
/* Where a transport header starts in a frame we send. */
#define NET_L4_OFF (NET_ETH_HLEN + NET_IP_HLEN)
/* Largest transport segment in one frame: no fragments are ever sent. */
#define NET_L4_MAX (NETDEV_FRAME_MAX - NET_L4_OFF)
#define NET_IP_BROADCAST 0xffffffffu

#define NET_ARP_SLOTS 8
#define NET_UDP_SLOTS 8

struct udp_bind;
struct tcp_conn;

struct arp_entry {
	uint32_t ip; /* 0: free slot */
	uint8_t mac[NET_MAC_LEN];
	uint64_t used_ns; /* the oldest is replaced first */
};

/* What happened to received frames (each frame counts once in rx_frames and
 * in exactly one of handled / the drop reasons) and what we sent. */
struct net_counters {
	uint64_t rx_frames;
	uint64_t rx_handled; /* delivered to a protocol or a binding, or answered */
	uint64_t rx_bad_eth; /* runt, not for our MAC, multicast, unknown type */
	uint64_t rx_bad_arp; /* malformed ARP or a request not for us */
	uint64_t rx_bad_ip; /* version, header or total length, addresses */
	uint64_t rx_bad_csum; /* IP header, ICMP or UDP checksum */
	uint64_t rx_fragments; /* IPv4 fragments: never reassembled */
	uint64_t rx_not_ours; /* IPv4 for another address */
	uint64_t rx_no_port; /* unknown protocol, ICMP type, UDP port; TCP refused */
	uint64_t rx_busy; /* IPv4 that arrived while we waited for ARP */
	uint64_t tx_frames;
	uint64_t tx_errors; /* refused by the device */
	uint64_t arp_requests; /* ARP requests we sent */
	uint64_t arp_replies; /* ARP replies we sent */
	uint64_t arp_timeouts;
	uint64_t icmp_echo_replies; /* echo replies we sent */
};

struct net_stack {
	struct netdev *dev;
	uint8_t mac[NET_MAC_LEN];
	uint32_t ip; /* 0 until configured (DHCP sends from 0.0.0.0) */
	uint32_t netmask;
	uint32_t gateway;
	uint32_t dns;
	uint32_t server; /* $serverip: TFTP server */
	struct arp_entry arp[NET_ARP_SLOTS];
	struct udp_bind *udp[NET_UDP_SLOTS];
	struct tcp_conn *tcp_conns; /* owned by net/tcp.c */
	struct net_counters stats;
	uint16_t ip_id;
	uint16_t ping_seq;
	uint32_t ping_dst;
	bool is_ping_answered;
	bool is_resolving; /* inside arp_resolve(): only ARP is handled */
	/* The one receive buffer: every protocol works on the frame here. */
	uint8_t rx[NETDEV_FRAME_MAX] __aligned(8);
	/* The frame being sent; transports may build their segment at
	 * tx + NET_L4_OFF so ip_send() has nothing to move. */
	uint8_t tx[NETDEV_FRAME_MAX] __aligned(8);
	/* ARP replies only, while ip_send() waits for one with a frame in tx
	 * and a callback may still be reading rx. */
	uint8_t arp_rx[NETDEV_FRAME_MAX] __aligned(8);
};

/**
 * net_start() - reset @ns and bind it to @dev (owned by its driver): our MAC
 * is the device's, no address yet. Returns 0 or -EINVAL (no device).
 */
int __must_check net_start(struct net_stack *ns, struct netdev *dev);

/**
 * net_config_from_env() - ipaddr, netmask, gatewayip, serverip, dnsip from
 * the environment (unset: 0). Every malformed value is reported on one line
 * and left 0; returns 0 or -EINVAL if any was malformed. An $ethaddr other
 * than the device's MAC gets U-Boot's warning; the device's MAC (Xen's) is
 * used all the same.
 */
int __must_check net_config_from_env(struct net_stack *ns);
/** net_config_to_env() - the non-zero addresses and ethaddr into the environment. */
int __must_check net_config_to_env(struct net_stack *ns);

/**
 * net_poll() - wait for frames and handle them until one was handled (see
 * struct net_counters) or @deadline_ns (arch_time_ns() scale) passed.
 * Returns 0 (one handled), -ETIMEDOUT, or the device's -EIO. Frames that are
 * not for us are counted and dropped along the way. 0 comes for any handled
 * frame, even past @deadline_ns (a deadline in the past polls once): a loop
 * waiting for one kind of frame checks the time itself, or a flood of
 * others (ARP requests, echo requests) keeps it going.
 */
int __must_check net_poll(struct net_stack *ns, uint64_t deadline_ns);

/**
 * net_input() - handle the frame of @len bytes in ns->rx (untrusted). True if
 * it was handled. net_poll() calls it; the fuzz target too.
 */
bool net_input(struct net_stack *ns, size_t len);

/**
 * net_acquire() - the shell's stack: started on $ethact (or the first
 * network device), addresses from the environment (net_config_from_env());
 * sets $ethact and $ethaddr when unset; prints "Using eth0 device". Returns
 * 0, -ENODEV (prints "No ethernet found."), -EINVAL (a malformed address
 * variable, reported; *@out is set all the same) or -ENOMEM.
 */
int __must_check net_acquire(struct net_stack **out);

/** net_ip_parse() - strict dotted quad "a.b.c.d" (decimal, 0..255 each). 0 or -EINVAL. */
int __must_check net_ip_parse(const char *s, uint32_t *ip);
/** net_ip_format() - "a.b.c.d" into @buf; returns @buf. */
char *net_ip_format(uint32_t ip, char buf[16]);
/** net_mac_parse() - "aa:bb:cc:dd:ee:ff" (hex pairs). 0 or -EINVAL. */
int __must_check net_mac_parse(const char *s, uint8_t mac[NET_MAC_LEN]);

/* For the stack's own files: net_input() and net_poll() on buffer @f / @buf. */
bool net_frame_input(struct net_stack *ns, uint8_t *f, size_t len);
int __must_check net_poll_buf(struct net_stack *ns, uint8_t *buf, uint64_t deadline_ns);

/** net_deadline_ms() - arch_time_ns() + @ms milliseconds. */
uint64_t net_deadline_ms(unsigned int ms);

#endif
