#!/bin/sh
# /init of the Linux domU initramfs (tests/lab/build.sh): Debian's kernel with
# xen-blkfront and xen-netfront, for lab cases whose guest is Linux. Reports what it sees on
# hvc0, one "LAB-DOMU ..." line per fact, then powers the domain off.
#
# Always:
#   LAB-DOMU hello <kernel release>
#   LAB-DOMU disk <dev> sectors=<512-byte sectors> lbs=<logical block size> ro=<0|1>
#                                 one line per connected PV disk
# Kernel command line (xl extra =), each may be given several times:
#   lab.md5=DEV,OFF,LEN     LAB-DOMU md5 DEV OFF LEN <md5 of LEN 4 KiB blocks at 4 KiB block OFF>
#   lab.file=PART,FS,PATH   mounts /dev/PART (type FS) read-only:
#                           LAB-DOMU file PART PATH <md5 of the file> | MISSING
#   lab.dd=N                N passes of `dd iflag=direct bs=1M` over all of /dev/xvda
#                           (after an untimed 16 MiB warm-up), timed with /proc/uptime:
#                           LAB-DOMU dd pass=P bytes=B seconds=S MiBps=X
#   lab.net                 eth0 up by DHCP (busybox udhcpc, 10 tries):
#                           LAB-DOMU net eth0 <address> | LAB-DOMU net eth0 NONE
#   lab.ping=HOST           LAB-DOMU ping HOST ok | LAB-DOMU ping HOST FAIL (3 echoes)
#   lab.wget=URL[,N]        busybox wget of URL into RAM (tmpfs), then
#                           LAB-DOMU wget URL bytes=B md5=<md5> | LAB-DOMU wget URL FAIL;
#                           then N (default 0) timed passes to a byte counter:
#                           LAB-DOMU wget pass=P bytes=B seconds=S MiBps=X
#   lab.tftp=HOST,FILE[,N]  the same with busybox tftp (blksize 1468):
#                           LAB-DOMU tftp FILE bytes=B md5=<md5>, then
#                           LAB-DOMU tftp pass=P bytes=B seconds=S MiBps=X
# Ends with "LAB-DOMU done" and `poweroff -f`.
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /usr/bin /usr/sbin /sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s

say() { echo "LAB-DOMU $*"; }
up() { cut -d' ' -f1 /proc/uptime; }
say "hello $(uname -r)"
while read -r m; do
	insmod "$m" || say "insmod $m failed"
done < /etc/modules.load

# Wait (up to 10 s) until every vbd xenbus device has its block device; a
# guest with no vbd after 2 s has none (xenbus lists them before /init).
i=0
while [ $i -lt 100 ]; do
	want=$(ls -d /sys/bus/xen/devices/vbd-* 2>/dev/null | wc -l)
	have=$(ls -d /sys/block/xvd* 2>/dev/null | wc -l)
	[ "$want" -gt 0 ] && [ "$have" -ge "$want" ] && break
	[ "$want" = 0 ] && [ $i -ge 20 ] && break
	usleep 100000
	i=$((i + 1))
done
mdev -s 2>/dev/null
for b in /sys/block/xvd*; do
	[ -e "$b" ] || { say "no PV disks"; break; }
	say "disk ${b##*/} sectors=$(cat "$b/size") lbs=$(cat "$b/queue/logical_block_size") ro=$(cat "$b/ro")"
done

# $1 = wget|tftp, $2 = what, $3 = passes, then the command that writes the
# file to stdout. One fetch into RAM for the md5, then timed passes.
fetch() {
	kind=$1
	what=$2
	n=${3:-0}
	shift 3
	if "$@" > /tmp/fetch 2>/tmp/fetch.err; then
		sum=$(md5sum < /tmp/fetch)
		got=$(wc -c < /tmp/fetch)
		say "$kind $what bytes=$got md5=${sum%% *}"
	else
		say "$kind $what FAIL $(tail -n 1 /tmp/fetch.err)"
		n=0
	fi
	rm -f /tmp/fetch
	p=1
	while [ $p -le "$n" ]; do
		t0=$(up)
		got=$("$@" 2>/dev/null | wc -c)
		t1=$(up)
		say "$kind pass=$p bytes=$got $(awk -v a="$t0" -v b="$t1" -v n="$got" \
			'BEGIN { printf "seconds=%.2f MiBps=%.1f", b - a, n / 1048576 / (b - a) }')"
		p=$((p + 1))
	done
}

# shellcheck disable=SC2013 # the words of the command line
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	lab.md5=*)
		IFS=, read -r dev off len <<-EOF
		${arg#lab.md5=}
		EOF
		# Buffered, so readahead makes large requests (4 KiB direct reads
		# cost about 30 ms each under TCG); the domain is fresh, so the
		# page cache is empty and every byte comes from the backend.
		sum=$(dd if="/dev/$dev" bs=4096 skip="$off" count="$len" 2>/dev/null | md5sum)
		say "md5 $dev $off $len ${sum%% *}"
		;;
	lab.file=*)
		IFS=, read -r part fs path <<-EOF
		${arg#lab.file=}
		EOF
		if mount -t "$fs" -o ro "/dev/$part" /mnt && [ -f "/mnt$path" ]; then
			sum=$(md5sum "/mnt$path")
			say "file $part $path ${sum%% *}"
		else
			say "file $part $path MISSING"
		fi
		umount /mnt 2>/dev/null
		;;
	lab.net)
		i=0
		while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
			usleep 100000
			i=$((i + 1))
		done
		ip link set dev lo up
		ip link set dev eth0 up 2>/dev/null
		udhcpc -i eth0 -f -q -n -t 10 -T 1 > /tmp/udhcpc.log 2>&1
		a=$(ip -4 addr show dev eth0 2>/dev/null | awk '$1 == "inet" { print $2; exit }')
		a=${a:-NONE}
		say "net eth0 ${a%/*}"
		[ "$a" != NONE ] || sed 's/^/LAB-DOMU udhcpc: /' /tmp/udhcpc.log
		;;
	lab.ping=*)
		h=${arg#lab.ping=}
		if ping -c 3 -W 2 "$h" > /tmp/ping.log 2>&1; then
			say "ping $h ok"
		else
			say "ping $h FAIL $(tail -n 1 /tmp/ping.log)"
		fi
		;;
	lab.wget=*)
		IFS=, read -r url n <<-EOF
		${arg#lab.wget=}
		EOF
		fetch wget "$url" "$n" wget -q -O - "$url"
		;;
	lab.tftp=*)
		IFS=, read -r h f n <<-EOF
		${arg#lab.tftp=}
		EOF
		fetch tftp "$f" "$n" tftp -g -b 1468 -r "$f" -l - "$h"
		;;
	lab.dd=*)
		bytes=$(($(cat /sys/block/xvda/size) * 512))
		dd if=/dev/xvda of=/dev/null bs=1M count=16 iflag=direct 2>/dev/null
		p=1
		while [ $p -le "${arg#lab.dd=}" ]; do
			t0=$(up)
			dd if=/dev/xvda of=/dev/null bs=1M iflag=direct 2>/dev/null
			t1=$(up)
			say "dd pass=$p bytes=$bytes $(awk -v a="$t0" -v b="$t1" -v n="$bytes" \
				'BEGIN { printf "seconds=%.2f MiBps=%.1f", b - a, n / 1048576 / (b - a) }')"
			p=$((p + 1))
		done
		;;
	esac
done
say "done"
sync
poweroff -f
