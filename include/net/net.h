/* TEMPORARY stand-in for netcore's include/net/net.h (the parts net/tcp.c
 * uses, same names), deleted before `git merge main` brings the real one. */
#ifndef NET_NET_H
#define NET_NET_H

#include <drivers/netdev.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_conn;

struct net_stack {
	struct netdev *dev;
	uint32_t ip, netmask, gateway, dns, server;
	struct tcp_conn *tcp_conns; /* owned by net/tcp.c */
};

int __must_check net_poll(struct net_stack *ns, uint64_t deadline_ns);
int __must_check net_acquire(struct net_stack **out);
int __must_check net_ip_parse(const char *s, uint32_t *ip);
char *net_ip_format(uint32_t ip, char buf[16]);

#endif
