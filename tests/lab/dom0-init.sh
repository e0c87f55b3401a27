#!/bin/sh
# /init of the lab's dom0 (busybox sh). Starts the Xen toolstack, unpacks the
# payload the host runner attached as a virtio disk, then either runs every
# guest case in it (dom0-case.sh, one after another) or, in interactive mode,
# attaches the one guest's console to the serial line. Powers off at the end,
# which makes Xen power off the machine and QEMU exit.
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LD_LIBRARY_PATH=/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu

/bin/busybox mkdir -p /proc /sys /dev /run /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm /run/xen /run/xenstored /run/xen-hotplug /run/lock
mount -t devpts devpts /dev/pts
# devtmpfs has no /dev/fd or /dev/std*; the hotplug scripts' locking
# (stat -L /dev/stdin) loops forever without them.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

msg() { echo "LAB: $* (uptime $(cut -d' ' -f1 /proc/uptime))"; }
finish() {
	msg "DOM0-DONE rc=$1"
	sync
	poweroff -f
	sleep 5
	echo o > /proc/sysrq-trigger
	sleep 30
}
die() { msg "FATAL: $*"; finish 1; }

msg "dom0 init, kernel $(uname -r)"
while read -r m; do
	insmod "$m" 2>/dev/null || echo "insmod $m failed (built in?)"
done < /etc/modules.load
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen || die "cannot mount xenfs"
[ -e /dev/xen/privcmd ] || die "/dev/xen/privcmd missing"

xenstored --pid-file /run/xenstored.pid || die "xenstored failed"
i=0
until xenstore-exists / 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && die "xenstored not answering"
	usleep 100000
done
xen-init-dom0 >/dev/null || die "xen-init-dom0 failed"
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console ||
	die "xenconsoled failed"
xl list >/dev/null || die "xl list failed"
msg "DOM0-READY"

# The payload disk is found by its virtio serial: virtio-mmio devices
# enumerate in reverse order of QEMU's -device options. Other lab-* disks
# get a stable name for the guests' xl configs.
PAYLOAD_DEV=""
for b in /sys/block/vd*; do
	[ -e "$b" ] || continue
	s=$(cat "$b/serial" 2>/dev/null)
	case "$s" in
	lab-payload) PAYLOAD_DEV=/dev/${b##*/} ;;
	lab-*) ln -sf "/dev/${b##*/}" "/dev/$s" ;;
	esac
done
[ -n "$PAYLOAD_DEV" ] || die "no payload disk"
tar -xf "$PAYLOAD_DEV" -C /payload || die "cannot unpack the payload from $PAYLOAD_DEV"

if [ -f /payload/interactive ]; then
	# The serial line becomes the controlling tty, so xl's console client
	# can put it in raw mode.
	setsid cttyhack sh /payload/dom0-case.sh --interactive /payload/case1
	finish $?
fi

RUN_RC=0
while read -r c; do
	[ -n "$c" ] || continue
	sh /payload/dom0-case.sh "/payload/$c" < /dev/null || RUN_RC=1
	# A leftover domain would disturb the next case.
	for d in $(xl list 2>/dev/null | awk 'NR > 2 {print $1}'); do
		xl destroy "$d"
	done
done < /payload/cases.list
finish $RUN_RC
