#!/bin/bash
# Filesystem lab case (issue 4, Tests): a GPT disk with a FAT32 ESP and an
# ext4 root holding a 64 MiB pseudo-random file, built here on the host
# (mkfsdisk.sh); xenboot lists both partitions, loads the file from ext4 and
# its `crc32` must equal the CRC computed on the host. Also: the U-Boot
# spellings (PARTLABEL=, fstype, fatload, save, size), and the refusals of
# loads over xenboot or beyond RAM. One QEMU boot of the shared xenlab (its
# runner can attach disks; tests/lab/run.sh cannot yet).
# Ends with one line per check and "N passed, N failed".
#
# usage: tests/lab/fs/fs-lab.sh [KERNEL]   (default build/xenboot.bin)
# env: XENLAB_BUILD (default /work/labcache), XENLAB (default /work/shared/lab)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KERNEL=$(realpath "${1:-build/xenboot.bin}")
export XENLAB_BUILD=${XENLAB_BUILD:-/work/labcache}
XENLAB=${XENLAB:-/work/shared/lab}
OUT=$XENLAB_BUILD/runs/fs-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
IMG=$("$HERE/mkfsdisk.sh" "$XENLAB_BUILD/fsdisk") || exit 2
# shellcheck disable=SC1091
. "$XENLAB_BUILD/fsdisk/fsdisk.env"

cp "$HERE/fs.script.in" "$OUT/fs.script"
"$XENLAB/run.sh" --quiet --timeout 600 --out "$OUT" \
	--kernel "$KERNEL" --memory 512 --console-script "$OUT/fs.script" \
	--disk "$IMG,xvda" --domu-timeout 420 > "$OUT/run.out" 2>&1
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
check "script-ran-to-end" "$OUT/console.log" "XENLAB-SCRIPT case=1 done"
if grep -q "XENLAB-SCRIPT FAIL case=1" "$OUT/console.log"; then
	grep "XENLAB-SCRIPT FAIL case=1" "$OUT/console.log"
	fail=$((fail + 1))
fi
check "part-list-gpt" "$G" "Partition Type: EFI"
check "ls-esp" "$G" "hello\.txt"
check "ls-rootfs" "$G" "67108864   big\.bin"
check "load-64MiB" "$G" "67108864 bytes read in [0-9]+ ms"
check "crc-matches-host" "$G" "==> $BIG_CRC"
check "refuse-over-xenboot" "$G" "overlaps xenboot"
check "refuse-beyond-ram" "$G" "not inside a RAM bank"
check "fat-save-size" "$G" "size=13"
grep -Eo "[0-9]+ bytes read in [0-9]+ ms[^\r]*" "$G" | head -1
echo "run directory: $OUT (run.sh rc $rc)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
