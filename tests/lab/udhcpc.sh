#!/bin/sh
# busybox udhcpc's event script in the lab's Linux guests (installed by
# tests/lab/build.sh as /etc/udhcpc/default.script, the path Debian's busybox
# has built in):
# puts the leased address, netmask, default route and DNS server on the
# interface. udhcpc passes them in the environment.
# shellcheck disable=SC2154 # interface, ip, mask, router, dns: from udhcpc
case "$1" in
deconfig)
	ip -4 addr flush dev "$interface"
	ip link set dev "$interface" up
	;;
bound | renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do
		ip route add default via "$r" dev "$interface"
		break
	done
	: > /etc/resolv.conf
	for d in $dns; do
		echo "nameserver $d" >> /etc/resolv.conf
	done
	;;
esac
exit 0
