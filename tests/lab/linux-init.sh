#!/bin/sh
# /init of the initramfs that xenboot boots from a guest's own disk
# (/boot/initrd.img-<kver> on the boot disks of tests/lab/boot/mkbootdisk.sh;
# built by tests/lab/build.sh as LABDIR/linux-initrd.cpio.gz). It proves on
# hvc0 what Linux found after xenboot's handoff, one line per fact:
#   XENBOOT-LINUX-UP uptime=<s>   first line, <s> = Linux's /proc/uptime
#   XENBOOT-CMDLINE <the kernel command line>
#   XENBOOT-BLOCK <the names in /sys/block, sorted, space-separated>
#                 after every vbd xenbus device has its disk (or 20 s)
#   XENBOOT-VBD <dev> <xenbus state of the frontend>
#   XENBOOT-VIF <dev> <xenbus state of the frontend>   for each vif, and
#   XENBOOT-NET <iface> <ip>|NONE   its interface (xen-netfront), brought up
#                 with DHCP (busybox udhcpc, 10 tries): the booted Linux
#                 gets its own network after xenboot used the vif
#   XENBOOT-RAM <start>-<end>   each "System RAM" range of /proc/iomem
#   XENBOOT-KLOG <line>     each kernel log line naming xen, grant or evtchn
#   XENBOOT-XEN-ERRORS <n>  how many of those report an error or failure
#   XENBOOT-LINUX-DONE
# Then it powers off, unless the command line has lab.wait: it waits for a
# shutdown request instead (xl shutdown: Linux's xenbus watch runs
# /sbin/poweroff, here a script that sends SIGUSR2 to this PID 1 as
# busybox's init expects), prints XENBOOT-LINUX-SHUTDOWN and powers off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin /sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s

say() { echo "XENBOOT-$*"; }
say "LINUX-UP uptime=$(cut -d' ' -f1 /proc/uptime)"
say "CMDLINE $(cat /proc/cmdline)"
while read -r m; do
	insmod "$m" 2>/dev/null || say "KLOG insmod $m failed"
done < /etc/modules.load

# Every vbd xenbus device should get its disk: one xenboot left in a bad
# state never does (xen-blkfront waits for the backend forever). A guest
# with no vbd after 2 s has none (xenbus lists them before /init runs).
i=0
while [ $i -lt 200 ]; do
	want=$(ls -d /sys/bus/xen/devices/vbd-* 2>/dev/null | wc -l)
	have=$(ls -d /sys/block/xvd* 2>/dev/null | wc -l)
	[ "$want" -gt 0 ] && [ "$have" -ge "$want" ] && break
	[ "$want" = 0 ] && [ $i -ge 20 ] && break
	usleep 100000
	i=$((i + 1))
done
say "BLOCK $(ls /sys/block | grep -v -e '^loop' -e '^ram' | sort | tr '\n' ' ' | sed 's/ $//')"
for d in /sys/bus/xen/devices/vbd-*; do
	[ -e "$d" ] || continue
	say "VBD ${d##*/} $(cat "$d/state" 2>/dev/null)"
done
for d in /sys/bus/xen/devices/vif-*; do
	[ -e "$d" ] || continue
	i=0
	while [ ! -d "$d/net" ] && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	say "VIF ${d##*/} $(cat "$d/state" 2>/dev/null)"
	for n in "$d"/net/*; do
		[ -e "$n" ] || { say "NET ${d##*/} NONE"; continue; }
		n=${n##*/}
		ip link set dev "$n" up 2>/dev/null
		udhcpc -i "$n" -f -q -n -t 10 -T 1 > /tmp/udhcpc.log 2>&1
		a=$(ip -4 addr show dev "$n" 2>/dev/null | awk '$1 == "inet" { print $2; exit }')
		a=${a:-NONE}
		say "NET $n ${a%/*}"
	done
done
grep -E '^[0-9a-f]+-[0-9a-f]+ : System RAM' /proc/iomem | while read -r r _; do
	say "RAM $r"
done
dmesg | grep -i -E 'xen|grant|evtchn' > /tmp/klog
while IFS= read -r l; do
	say "KLOG $l"
done < /tmp/klog
say "XEN-ERRORS $(grep -c -i -E 'error|fail|bug|warn|unable|timed? ?out|refus|invalid|-ebusy|-16' /tmp/klog)"
say "LINUX-DONE"

case " $(cat /proc/cmdline) " in
*" lab.wait "*)
	rm -f /sbin/poweroff
	printf '#!/bin/sh\nkill -USR2 1\n' > /sbin/poweroff
	chmod 755 /sbin/poweroff
	trap 'say LINUX-SHUTDOWN; sync; /bin/busybox poweroff -f' USR2 TERM INT
	while :; do
		sleep 1
	done
	;;
esac
sync
poweroff -f
