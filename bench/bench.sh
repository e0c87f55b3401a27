#!/bin/bash
# make bench: in one lab run (shared xenlab, one QEMU boot), read the whole
# 256 MiB disk sequentially into RAM with xenboot (`pvblock read`, timed by
# xenboot itself), then with a Linux domU (`dd iflag=direct bs=1M`, timed by
# the test initramfs), three passes each; print the median MiB/s of each and
# the ratio xenboot/Linux. xenboot first makes one untimed warm-up pass: its
# first touch of the 256 MiB buffer costs QEMU fresh host pages, while dd
# reuses one 1 MiB buffer (and the test initramfs warms up with 16 MiB).
#
# usage: bench/bench.sh [KERNEL]   (default build/xenboot.bin)
# env: XENLAB_BUILD (default /work/labcache), XENLAB (default /work/shared/lab),
#      BENCH_SEGS (optional `pvblock segs` value for xenboot)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KERNEL=$(realpath "${1:-build/xenboot.bin}")
export XENLAB_BUILD=${XENLAB_BUILD:-/work/labcache}
XENLAB=${XENLAB:-/work/shared/lab}
IMG=$XENLAB_BUILD/blk-pattern.img
OUT=$XENLAB_BUILD/runs/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
[ -f "$IMG" ] || "$HERE/../tests/lab/blk/mkdisk.py" make "$IMG" 256 || exit 2

{
	echo "expect '=> ' 90"
	echo "send pvblock list"
	echo "expect 'persistent' 60"
	echo "expect '=> '"
	[ -z "${BENCH_SEGS:-}" ] || { echo "send pvblock segs $BENCH_SEGS"; echo "expect '=> '"; }
	for pass in 0 1 2 3; do
		echo "send pvblock read 0x50000000 0 0x80000"
		echo "expect 'bytes in [0-9]+ us' 300"
		[ $pass = 0 ] && { echo "send echo warm-up-done"; echo "expect 'warm-up-done'"; }
	done
	echo "send pvblock stats"
	echo "expect 'max in flight'"
	echo "send pvblock shutdown"
	echo "expect 'shutdown OK' 60"
	echo "send poweroff"
	echo "waitdown 30"
} > "$OUT/bench.script"

"$XENLAB/run.sh" --quiet --timeout 900 --out "$OUT" \
	--kernel "$KERNEL" --memory 768 --console-script "$OUT/bench.script" \
	--disk "$IMG,xvda" --domu-timeout 400 \
	--next --disk "$IMG,xvda" --domu-timeout 300 > "$OUT/run.out" 2>&1
rc=$?

median() { sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'; }
# xenboot: "268435456 bytes in N us = K KiB/s"; the first is the warm-up.
xb_passes() {
	grep -Eo '268435456 bytes in [0-9]+ us' "$OUT/domu-console-1.log" |
		awk '{printf "%.1f\n", $1 / 1048576 / ($4 / 1e6)}'
}
XB=$(xb_passes | tail -n +2 | median)
# Linux: "DD-RESULT pass=N bytes=B seconds=S MBps=X MiBps=Y"
LX=$(grep -Eo 'MiBps=[0-9.]+' "$OUT/domu-console-2.log" | cut -d= -f2 | median)
echo "xenboot passes (MiB/s): warm-up $(xb_passes | head -1), then $(xb_passes | tail -n +2 | tr '\n' ' ')"
echo "linux   passes (MiB/s): $(grep -Eo 'MiBps=[0-9.]+' "$OUT/domu-console-2.log" | cut -d= -f2 | tr '\n' ' ')"
grep -E 'ring .* in flight max|^requests' "$OUT/domu-console-1.log" | head -2
if [ -z "$XB" ] || [ -z "$LX" ]; then
	echo "bench: missing results (run.sh rc $rc), see $OUT"
	exit 1
fi
echo "xenboot: $XB MiB/s   linux: $LX MiB/s   ratio: $(awk -v a="$XB" -v b="$LX" 'BEGIN{printf "%.2f", a / b}')"
echo "run directory: $OUT"
