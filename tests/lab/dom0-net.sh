#!/bin/sh
# The lab's network, in dom0 (busybox sh; shipped in the payload, so changing
# it needs no lab rebuild). dom0-case.sh runs it before a case with a `net`
# line:
#   dom0-net.sh up      once per dom0 boot (later calls only check): the
#                       bridge xenbr0 = 10.0.0.1/24, which Xen's vif-bridge
#                       hotplug script adds each guest vif to; dnsmasq on it
#                       serving DHCP (10.0.0.2-10.0.0.99; the lab MAC
#                       00:16:3e:4c:41:42 always gets 10.0.0.2; router and
#                       DNS 10.0.0.1, next-server 10.0.0.1, boot file
#                       pxelinux.0, vendor class PXEClient answered like any
#                       other), TFTP (root /srv, blksize and tsize as dnsmasq
#                       offers them) and DNS (dom0.lab = 10.0.0.1); busybox
#                       httpd serving /srv on port 80
#   dom0-net.sh serve SRC NAME    /srv/NAME is SRC (a hard link: both servers
#                       open it like a regular file)
#   dom0-net.sh clear   empties /srv
#   dom0-net.sh status  bridge ports, leases, the servers' logs (for a case's
#                       exec line when something fails)
# Logs: /run/dnsmasq.log (every DHCP exchange and TFTP transfer).
SRV=/srv
BR=xenbr0
IP=10.0.0.1

die() { echo "dom0-net: $*" >&2; exit 1; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

up() {
	mkdir -p "$SRV"
	if [ ! -e /sys/class/net/$BR/bridge ]; then
		brctl addbr $BR || die "brctl addbr $BR failed (bridge module?)"
		brctl stp $BR off
		brctl setfd $BR 0
		ip addr add $IP/24 dev $BR || die "cannot give $BR its address"
		ip link set dev $BR up || die "cannot bring $BR up"
		ip link set dev lo up
	fi
	if ! running /run/dnsmasq.pid; then
		# --no-ping: no ICMP probe (a second or more) before each offer;
		# --bind-interfaces: only xenbr0, never dom0's loopback.
		dnsmasq --user=root --group=root --pid-file=/run/dnsmasq.pid \
			--log-facility=/run/dnsmasq.log --log-dhcp \
			--interface=$BR --bind-interfaces --no-resolv --no-hosts \
			--host-record=dom0.lab,$IP \
			--dhcp-range=10.0.0.2,10.0.0.99,255.255.255.0,1h \
			--dhcp-host=00:16:3e:4c:41:42,10.0.0.2 \
			--dhcp-option=option:router,$IP --dhcp-option=option:dns-server,$IP \
			--dhcp-boot=pxelinux.0,dom0,$IP --dhcp-leasefile=/run/dnsmasq.leases \
			--dhcp-authoritative --no-ping \
			--enable-tftp --tftp-root=$SRV ||
			die "dnsmasq failed: $(tail -3 /run/dnsmasq.log 2>/dev/null)"
	fi
	if ! running /run/httpd.pid; then
		httpd -f -p $IP:80 -h $SRV > /run/httpd.log 2>&1 &
		echo $! > /run/httpd.pid
	fi
	i=0
	until running /run/dnsmasq.pid && running /run/httpd.pid; do
		i=$((i + 1))
		[ $i -gt 50 ] && die "the servers did not start: $(tail -3 /run/dnsmasq.log /run/httpd.log 2>/dev/null)"
		usleep 100000
	done
}

case "$1" in
up) up ;;
serve)
	[ -f "$2" ] && [ -n "$3" ] || die "usage: dom0-net.sh serve SRC NAME"
	case "$3" in /* | *..*) die "serve: bad name $3" ;; esac
	mkdir -p "$SRV/$(dirname "$3")"
	ln -f "$2" "$SRV/$3" 2>/dev/null || cp "$2" "$SRV/$3" || die "serve: cannot place $3"
	;;
clear) rm -rf "${SRV:?}"/* ;;
status)
	echo "ports of $BR: $(ls /sys/class/net/$BR/brif 2>/dev/null | tr '\n' ' ')"
	ip -4 addr show dev $BR
	echo "leases:"
	cat /run/dnsmasq.leases 2>/dev/null
	tail -n 20 /run/dnsmasq.log /run/httpd.log 2>/dev/null
	;;
*) die "usage: dom0-net.sh up|serve SRC NAME|clear|status" ;;
esac
