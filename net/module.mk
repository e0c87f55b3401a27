# net/: the IP stack (Ethernet, ARP, IPv4, ICMP, UDP, TCP) and its clients
# (DHCP, DNS, TFTP, HTTP). Built with CONFIG_NET=y (the default).
obj-y += net.c eth.c arp.c ip.c icmp.c udp.c
# Clients (netapps): packets and state machines, then their UDP loops.
obj-y += dhcp.c dns.c tftp.c
obj-y += dhcp_run.c tftp_get.c
obj-y += tcp.c tcp_conn.c http.c http_parse.c
