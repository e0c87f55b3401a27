/* DNS client for A records (RFC 1035): one question, recursion desired,
 * to $dnsip. The reply is untrusted: its header, the question echoed back
 * and every answer are parsed from (buf, len) with bounds, compression
 * pointers followed a bounded number of times, and only an IN A record of
 * exactly 4 bytes is taken (through a CNAME chain: any A answer counts). */
#ifndef NET_DNS_H
#define NET_DNS_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_NAME_MAX 253 /* dotted text, without a trailing dot */
#define DNS_QUERY_MAX (12 + DNS_NAME_MAX + 2 + 4)
#define DNS_REPLY_MAX 512 /* UDP without EDNS0 */

/**
 * dns_build_query() - the query for @name's A record with @id into @buf
 * (DNS_QUERY_MAX bytes). Returns the length, or -EINVAL (an empty label, a
 * label over 63 bytes, a name over DNS_NAME_MAX).
 */
int __must_check dns_build_query(uint8_t *buf, uint16_t id, const char *name);

/**
 * dns_parse_reply() - the first A record for @name in a reply of @len
 * bytes (untrusted) to query @id. Returns 0 with *@ip (host order),
 * -ENOENT (NXDOMAIN, or no A record), -EAGAIN (not our reply: another id,
 * a query, another question), -EIO (server failure, refused) or -EINVAL
 * (malformed, truncated).
 */
int __must_check dns_parse_reply(const uint8_t *pkt, size_t len, uint16_t id, const char *name,
				 uint32_t *ip);

struct net_stack;

/**
 * dns_resolve() - @name's address through the stack's DNS server (ns->dns),
 * a dotted address as it is; retried 3 times within @timeout_ms. Returns 0,
 * -ENOENT, -ETIMEDOUT, -ENXIO (no DNS server: $dnsip unset) or a parse error.
 */
int __must_check dns_resolve(struct net_stack *ns, const char *name, uint32_t *ip,
			     unsigned int timeout_ms);

#endif
