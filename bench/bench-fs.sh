#!/bin/bash
# make bench-fs: is loading a file as fast as reading the disk? In one lab
# run (shared xenlab, one QEMU boot), xenboot alternately loads the 128 MiB
# /bench.bin from ext4 (`load`, timed by xenboot) and reads 128 MiB of the
# same disk from the first block of that file with `pvblock read` (the raw
# upper bound: one request stream, no filesystem), three times each; prints
# the median MiB/s of each and the ratio load/raw (target >= 0.9). The
# loaded bytes are checked against the host's CRC once.
#
# bench.bin is two extents (ext4 puts block group 1's backup superblock and
# descriptors between them), so the raw read covers the same 128 MiB span
# but not byte for byte the same blocks.
#
# usage: bench/bench-fs.sh [KERNEL]   (default build/xenboot.bin)
# env: XENLAB_BUILD (default /work/labcache), XENLAB (default /work/shared/lab)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KERNEL=$(realpath "${1:-build/xenboot.bin}")
export XENLAB_BUILD=${XENLAB_BUILD:-/work/labcache}
XENLAB=${XENLAB:-/work/shared/lab}
OUT=$XENLAB_BUILD/runs/bench-fs-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
IMG=$("$HERE/../tests/lab/fs/mkfsdisk.sh" "$XENLAB_BUILD/fsdisk") || exit 2
# shellcheck disable=SC1091
. "$XENLAB_BUILD/fsdisk/fsdisk.env"

{
	echo "expect '=> ' 90"
	echo "send pvblock list"
	echo "expect 'persistent' 60"
	echo "expect '=> '"
	for pass in 1 2 3; do
		echo "send load pvblock 0:2 0x50000000 /bench.bin"
		echo "expect '134217728 bytes read in [0-9]+ ms' 300"
		echo "send pvblock read 0x50000000 $(printf %x "$BENCH_LBA") $(printf %x "$BENCH_SECTORS")"
		echo "expect 'bytes in [0-9]+ us' 300"
	done
	echo "send load pvblock 0:2 0x50000000 /bench.bin"
	echo "expect '134217728 bytes read in [0-9]+ ms' 300"
	echo "send crc32 0x50000000 \$filesize"
	echo "expect '==> [0-9a-f]{8}' 120"
	echo "send pvblock shutdown"
	echo "expect 'shutdown OK' 60"
	echo "send poweroff"
	echo "waitdown 30"
} > "$OUT/bench-fs.script"

"$XENLAB/run.sh" --quiet --timeout 900 --out "$OUT" \
	--kernel "$KERNEL" --memory 512 --console-script "$OUT/bench-fs.script" \
	--disk "$IMG,xvda" --domu-timeout 700 > "$OUT/run.out" 2>&1
rc=$?

G=$OUT/domu-console-1.log
median() { sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'; }
# load: "134217728 bytes read in N ms (...)"; the last load is the CRC check.
LOADS=$(grep -Eo '134217728 bytes read in [0-9]+ ms' "$G" | head -3 |
	awk '{printf "%.1f\n", 128 / ($5 / 1000)}')
# pvblock read: "134217728 bytes in N us = K KiB/s"
RAWS=$(grep -Eo '134217728 bytes in [0-9]+ us' "$G" | awk '{printf "%.1f\n", 128 / ($4 / 1e6)}')
LD=$(echo "$LOADS" | median)
RW=$(echo "$RAWS" | median)
echo "load passes (MiB/s): $(echo $LOADS)"
echo "raw  passes (MiB/s): $(echo $RAWS)"
if grep -q "==> $BENCH_CRC" "$G"; then
	echo "bench.bin CRC matches the host ($BENCH_CRC)"
else
	echo "bench.bin CRC MISMATCH or missing (host $BENCH_CRC)"
fi
if [ -z "$LD" ] || [ -z "$RW" ]; then
	echo "bench-fs: missing results (run.sh rc $rc), see $OUT"
	exit 1
fi
echo "load: $LD MiB/s   raw: $RW MiB/s   ratio: $(awk -v a="$LD" -v b="$RW" 'BEGIN{printf "%.2f", a / b}') (target >= 0.90)"
echo "run directory: $OUT"
