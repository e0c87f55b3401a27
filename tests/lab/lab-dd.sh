#!/bin/sh
# Timed O_DIRECT reads of a whole block device or file, for the benchmarks:
# in dom0 (the payload's /payload/lab-dd.sh, from a case's exec line: the
# lab's own limit) and in the Linux guests of make bench and make bench-fs
# (bench/domu-bench-init.sh).
#
#   lab-dd.sh WHO PATH PASSES BS [DISK]
#
# PATH is a block device, or a regular file on the block device DISK. One
# untimed warm-up read of BS, then PASSES timed `dd iflag=direct bs=BS` of all
# of PATH, then one untimed read of all of PATH through md5sum. Prints:
#   LAB-DD WHO size=<bytes of PATH>
#   LAB-DD WHO pass=<p> bytes=<b> seconds=<s>   b: sectors read during the
#                  pass by the device's own counter (/sys/block/<dev>/stat) x 512
#                  (for a file: everything DISK read, metadata included)
#   LAB-DD WHO md5=<md5 of PATH>
#   LAB-DD WHO error <what>                     (dd failed)
# bench/bench-check.py judges them.
who=$1
dev=$(readlink -f "$2")
passes=$3
bs=$4
say() { echo "LAB-DD $who $*"; }
if [ -f "$dev" ]; then
	size=$(stat -c %s "$dev")
	name=$(readlink -f "${5:-}")
else
	name=$dev
	size=$(($(cat "/sys/class/block/${dev##*/}/size") * 512))
fi
name=${name##*/}
[ -r "/sys/class/block/$name/stat" ] || { say "error no /sys/class/block/$name/stat for $2"; exit 1; }
# Field 3 of the stat file: sectors read (counted when the I/O completes).
# shellcheck disable=SC2046 # the fields of the stat file
sectors_read() { set -- $(cat "/sys/class/block/$name/stat"); echo "$3"; }
up_cs() {
	read -r _u _x < /proc/uptime
	echo $((${_u%.*} * 100 + 1${_u#*.} - 100))
}
say "size=$size"
dd if="$dev" of=/dev/null bs="$bs" count=1 iflag=direct 2>/dev/null || say "error warm-up dd failed"
p=1
while [ "$p" -le "$passes" ]; do
	s0=$(sectors_read)
	t0=$(up_cs)
	dd if="$dev" of=/dev/null bs="$bs" iflag=direct 2>/tmp/lab-dd.err || say "error pass=$p dd: $(tail -n 1 /tmp/lab-dd.err)"
	t1=$(up_cs)
	s1=$(sectors_read)
	say "pass=$p bytes=$(((s1 - s0) * 512)) seconds=$(((t1 - t0) / 100)).$(printf '%02d' $(((t1 - t0) % 100)))"
	p=$((p + 1))
done
sum=$(dd if="$dev" bs="$bs" iflag=direct 2>/dev/null | md5sum)
say "md5=${sum%% *}"
