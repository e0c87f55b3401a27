# net/: the IP stack (Ethernet, ARP, IPv4, ICMP, UDP, TCP) and its clients
# (DHCP, DNS, TFTP, HTTP). Built with CONFIG_NET=y (the default).
obj-y += net.c eth.c arp.c ip.c icmp.c udp.c
