#!/bin/sh
# rdinit of the Linux guests of make bench and make bench-fs: Linux at its
# best on the bench disk. bench_domu_initrd (bench/lib.sh) appends this file,
# tests/lab/lab-dd.sh and, for bench-fs, the ext4 modules, as a second cpio
# archive, to the lab's Linux domU initramfs (tests/lab/build.sh: busybox,
# xen-blkfront), so the shared lab needs no rebuild. Command line:
#   bench.dd=PASSES,BS      passes and block size (one `dd iflag=direct` of
#                           32 MiB blocks keeps the whole ring busy)
#   bench.file=PART,PATH    read the file PATH of the ext4 on /dev/PART
#                           (mounted read-only) instead of all of /dev/xvda
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s
while read -r m; do
	insmod "$m" || echo "LAB-DD linux error insmod $m failed"
done < /etc/modules.load
if [ -f /etc/bench-modules.load ]; then
	while read -r m; do
		insmod "$m" || echo "LAB-DD linux error insmod $m failed"
	done < /etc/bench-modules.load
fi
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
	bench.file=*,*) part=${arg#bench.file=}; path=${part#*,}; part=${part%%,*} ;;
	esac
done
if [ ! -b /dev/xvda ]; then
	echo "LAB-DD linux error no /dev/xvda"
elif [ -z "${part:-}" ]; then
	sh /lab-dd.sh linux /dev/xvda "$passes" "$bs"
elif mount -t ext4 -o ro "/dev/$part" /mnt; then
	sh /lab-dd.sh linux "/mnt$path" "$passes" "$bs" /dev/xvda
	umount /mnt
else
	echo "LAB-DD linux error cannot mount /dev/$part"
fi
echo "LAB-DD linux done"
sync
poweroff -f
