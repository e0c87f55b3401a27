#!/bin/bash
# The benchmarks can fail: make bench's and make bench-fs's own command
# lines (bench/lib.sh) run on the sandbox (xenboot on the simulated Xen, an
# 8 MiB pattern disk), and bench/bench-check.py must give figures for an
# honest backend and an error, never a figure, when a pass moved nothing or
# the wrong data:
#   honest             figures, exit 0
#   nodata, direct     the backend answers every read OKAY but writes no page
#                      (`-d disk,nodata`, persistent grants off): the buffer
#                      keeps the poison -> "moved nothing"
#   nodata, persistent the same through the grant pool: the buffer gets the
#                      pool's stale bytes -> "wrong data"
#   no poison          the old bench (no mw before a pass) on that nodata
#                      backend after one honest pass: the CRC matches, so only
#                      the poison catches it (this case proves the poison matters)
# and on edited copies of the honest log (the checker's other rules): a
# driver count short of the span, a CRC changed, a timed pass missing, a load
# whose driver count is below the file size; Linux/dom0 lines with a device
# count short of the disk (or of the file, for bench-fs), a wrong md5.
#
# usage: bench/selftest.sh SANDBOX_BINARY WORKDIR (make check-bench)
# Last line: "bench-selftest: N passed, N failed".
set -u
sbx=$1
work=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/bench/lib.sh"
check=$TOP/bench/bench-check.py
rm -rf "$work"
mkdir -p "$work"
img=$work/disk.img
BYTES=$((8 << 20))
ADDR=0x49000000
python3 -c "
import random, sys
sys.stdout.buffer.write(random.Random(8).randbytes($BYTES))" > "$img"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; }
# guest LOG DISKSPEC: run the commands on stdin on the sandbox.
guest() {
	{ echo; cat; echo poweroff; } | timeout 120 "$sbx" -d "$2" 2>&1 | tr -d '\r' > "$1"
	grep -q 'guest shut down (poweroff)' "$1" || { bad "sandbox run $1"; tail -5 "$1"; }
}
# judge NAME WANT(0|1) REGEX LOG...: the checker's exit status and a line
# of its output.
judge() {
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$check" "$@" > "$work/judge.out" 2>&1
	rc=$?
	if [ $rc = "$want" ] && grep -Eq -- "$re" "$work/judge.out"; then
		ok "$name"
	else
		bad "$name (exit $rc, want $want and /$re/)"
		sed 's/^/       /' "$work/judge.out"
	fi
	if [ "$want" = 1 ] && grep -q '^median' "$work/judge.out"; then
		bad "$name: figures printed despite the error"
	fi
}
disk() { judge "$1" "$2" "$3" disk --xenboot "$4" --image "$img" --length $BYTES; }

bench_disk_cmds $ADDR $BYTES 3 | guest "$work/honest.log" "$img"
disk "honest backend: figures" 0 '^median MiB/s: xenboot [0-9.]+$' "$work/honest.log"

{ printf '%s\n' "pvblock persistent 0" "pvblock shutdown" "pvblock scan"; bench_disk_cmds $ADDR $BYTES 3; } |
	guest "$work/nodata-direct.log" "$img,nodata"
disk "nodata backend, direct grants: moved nothing" 1 \
	'ERROR xenboot raw pass 1: the buffer still holds the poison' "$work/nodata-direct.log"

bench_disk_cmds $ADDR $BYTES 3 | guest "$work/nodata-pool.log" "$img,nodata"
disk "nodata backend, persistent grants: wrong data" 1 \
	'ERROR xenboot raw pass 1: CRC [0-9a-f]+, the disk.s is [0-9a-f]+: wrong data' \
	"$work/nodata-pool.log"

# The old way, without the poison: an honest pass fills the buffer, then the
# backend stops moving data (a second disk on the same file, with nodata;
# direct grants, so nothing touches the buffer); the CRC still matches.
# bench-check would count it: this is what the poison is for.
{
	printf '%s\n' "pvblock persistent 0" "pvblock shutdown" "pvblock scan" "pvblock dev 0"
	bench_disk_cmds $ADDR $BYTES 0 | grep -v '^mw'
	echo "pvblock dev 1"
	echo "echo BENCH-PASS 1 raw"
	echo "pvblock read $ADDR 0 $(printf '0x%x' $((BYTES / 512)))"
	printf 'crc32 %s 0x%x\n' $ADDR $BYTES
} | { echo; cat; echo poweroff; } | timeout 120 "$sbx" -d "$img" -d "$img,nodata,ro" 2>&1 |
	tr -d '\r' > "$work/nopoison.log"
if grep -q "xvdb.*read-only" "$work/nopoison.log" || grep -q "1: xvdb" "$work/nopoison.log"; then
	judge "without the poison a pass that moved nothing passes (why lib.sh poisons)" 0 \
		'^median' disk --xenboot "$work/nopoison.log" --image "$img" --length $BYTES --passes 1
else
	bad "two-disk sandbox run"
	tail -5 "$work/nopoison.log"
fi

# Edited copies of the honest log.
sed '0,/^\([0-9]*\) bytes in/s//4096 bytes in/' "$work/honest.log" > "$work/short.log"
disk "driver count short of the span" 1 'ERROR xenboot raw pass 0: the driver moved 4096 bytes' \
	"$work/short.log"
awk '/^BENCH-PASS 2 raw$/ { p = 1 } p && /==> / && !done { sub(/==> [0-9a-f]+/, "==> 0badc0de"); done = 1 } 1' \
	"$work/honest.log" > "$work/crc.log"
disk "CRC changed" 1 'ERROR xenboot raw pass 2: CRC 0badc0de' "$work/crc.log"
sed '/^BENCH-PASS 3 raw$/,$d' "$work/honest.log" > "$work/missing.log"
disk "a timed pass missing" 1 'ERROR xenboot: 2 timed passes, want 3' "$work/missing.log"
sed 's/blocks read: OK/blocks read: ERROR/' "$work/honest.log" > "$work/err.log"
disk "pvblock read not OK" 1 'pvblock read did not say OK' "$work/err.log"

# bench-fs's rules on a made-up load pass (the sandbox has no ext4 disk here);
# its result line follows a progress line ended by a bare CR, as in the lab.
crc=$(python3 -c "import zlib; print('%08x' % zlib.crc32(open('$img', 'rb').read(1 << 20)))")
fs_log() { # $1 = driver bytes moved by the load
	cat <<LOG
BENCH-PASS 0 raw
$((1 << 20)) bytes in 1000 us = 1024000 KiB/s
2048 blocks read: OK
crc32 0x49000000 +0x100000 ==> $crc
BENCH-PASS 1 load
read 1000 bytes, written 0 bytes
load: 1 of 1 MiB$(printf '\r')                    $((1 << 20)) bytes read in 10 ms (100 MiB/s)
read $((1000 + $1)) bytes, written 0 bytes
crc32 0x49000000 +0x100000 ==> $crc
BENCH-PASS 1 raw
$((1 << 20)) bytes in 1000 us = 1024000 KiB/s
2048 blocks read: OK
crc32 0x49000000 +0x100000 ==> $crc
LOG
}
fsj() { # NAME WANT REGEX LOG [more checker options]
	local name=$1 want=$2 re=$3 log=$4
	shift 4
	judge "$name" "$want" "$re" fs --xenboot "$log" --image "$img" --raw-offset 0 \
		--raw-length $((1 << 20)) --file-crc "$crc" --file-length $((1 << 20)) --passes 1 "$@"
}
fs_log $((1 << 20)) > "$work/fs-ok.log"
fsj "fs: a checked load pass gives figures" 0 '^median MiB/s: load [0-9.]+   raw' "$work/fs-ok.log"
fs_log 4096 > "$work/fs-short.log"
fsj "fs: a load the driver did not read" 1 'the driver moved 4096 bytes for a 1048576-byte file' \
	"$work/fs-short.log"

# bench-fs's Linux guest reads the file through ext4: its device count must
# cover the file (metadata may add to it), not equal it.
file_md5=$(head -c $((1 << 20)) "$img" | md5sum | cut -c1-32)
fs_dd_log() { # $1 = bytes the device counted in pass 1
	printf 'LAB-DD linux size=%d\nLAB-DD linux pass=1 bytes=%d seconds=0.01\n' $((1 << 20)) "$1"
	printf 'LAB-DD linux md5=%s\n' "$file_md5"
}
fs_dd_log $(((1 << 20) + 8192)) > "$work/fs-dd-ok.log"
fsj "fs: Linux file read, metadata on top" 0 '^median MiB/s: load [0-9.]+   raw [0-9.]+   linux' \
	"$work/fs-ok.log" --linux "$work/fs-dd-ok.log" --file-md5 "$file_md5"
fs_dd_log 4096 > "$work/fs-dd-short.log"
fsj "fs: Linux file read the device did not serve" 1 'linux pass 1: the device counted 4096 bytes read, the file has 1048576' \
	"$work/fs-ok.log" --linux "$work/fs-dd-short.log" --file-md5 "$file_md5"

# Linux and dom0 lines (tests/lab/lab-dd.sh).
md5=$(md5sum < "$img" | cut -c1-32)
dd_log() { # $1 = bytes of pass 2, $2 = md5
	printf 'LAB-DD linux size=%d\n' $BYTES
	printf 'LAB-DD linux pass=1 bytes=%d seconds=0.05\n' $BYTES
	printf 'LAB-DD linux pass=2 bytes=%d seconds=0.05\n' "$1"
	printf 'LAB-DD linux pass=3 bytes=%d seconds=0.04\n' $BYTES
	printf 'LAB-DD linux md5=%s\n' "$2"
	sed 's/linux/dom0/; s/^/[  1.00] LAB-EXEC bench-linux /' <<-EOF
	LAB-DD linux pass=1 bytes=$BYTES seconds=0.02
	LAB-DD linux pass=2 bytes=$BYTES seconds=0.02
	LAB-DD linux pass=3 bytes=$BYTES seconds=0.02
	LAB-DD linux md5=$md5
	EOF
}
dd_log $BYTES "$md5" > "$work/dd-ok.log"
judge "linux + dom0 lines: figures and ratios" 0 '^ratios: xenboot/linux [0-9.]+   xenboot/dom0' \
	disk --xenboot "$work/honest.log" --linux "$work/dd-ok.log" --dom0 "$work/dd-ok.log" \
	--image "$img" --length $BYTES
dd_log 0 "$md5" > "$work/dd-zero.log"
judge "linux pass whose device counted nothing" 1 'linux pass 2: the device counted 0 bytes' \
	disk --xenboot "$work/honest.log" --linux "$work/dd-zero.log" --image "$img" --length $BYTES
dd_log $BYTES 0123456789abcdef0123456789abcdef > "$work/dd-md5.log"
judge "linux md5 wrong" 1 'linux: md5 0123456789abcdef0123456789abcdef, the host.s is [0-9a-f]+: wrong data' \
	disk --xenboot "$work/honest.log" --linux "$work/dd-md5.log" --image "$img" --length $BYTES
judge "no dom0 lines" 1 'dom0: no LAB-DD lines' \
	disk --xenboot "$work/honest.log" --dom0 "$work/honest.log" --image "$img" --length $BYTES

echo "bench-selftest: $passed passed, $failed failed"
[ $failed = 0 ]
