#!/bin/sh
# rdinit of the Linux guest of make bench: Linux at its best on the bench
# disk. bench/bench.sh appends this file and tests/lab/lab-dd.sh, as a
# second cpio archive, to the lab's Linux domU initramfs (tests/lab/build.sh:
# busybox, xen-blkfront), so the shared lab needs no rebuild. The command
# line names the passes and the block size: bench.dd=PASSES,BS (one
# `dd iflag=direct` of 32 MiB blocks keeps the whole ring busy).
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s
while read -r m; do
	insmod "$m" || echo "LAB-DD linux error insmod $m failed"
done < /etc/modules.load
i=0
while [ ! -e /sys/block/xvda ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
mdev -s 2>/dev/null
passes=3
bs=32M
# shellcheck disable=SC2013 # the words of the command line
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	bench.dd=*,*) passes=${arg#bench.dd=}; bs=${passes#*,}; passes=${passes%,*} ;;
	esac
done
if [ -b /dev/xvda ]; then
	sh /lab-dd.sh linux /dev/xvda "$passes" "$bs"
else
	echo "LAB-DD linux error no /dev/xvda"
fi
echo "LAB-DD linux done"
sync
poweroff -f
