#!/bin/sh
# The saved environment against Debian's own tools (libubootenv-tool):
# fw_printenv must read what xenboot's saveenv wrote, and xenboot must import
# what fw_setenv wrote, both with the two-copy fw_env.config documented in
# README ("FILE 0x0 0x4000" per copy), and a single copy written by fw_setenv
# with a one-line config. xenboot runs as the sandbox program on the
# simulated Xen, with a disk image file as its first PV disk (an MBR disk:
# p1 not FAT, p2 FAT, so "first FAT partition" is what finds it).
#
# Usage: fw-env-interop.sh SANDBOX_BINARY WORKDIR. Fails (never skips) when a
# tool is missing: run scripts/install-deps. Last line: "fw-env: N passed, N failed".
set -u
sbx=$1
work=$2
PATH=$PATH:/usr/sbin:/sbin
export MTOOLS_SKIP_CHECK=1 LC_ALL=C

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; }
check() { # check NAME FILE PATTERN: FILE has a line matching PATTERN
	if grep -qx -- "$3" "$2"; then ok "$1"; else bad "$1 (no line '$3' in $2)"; cat "$2"; fi
}
check_not() {
	if grep -q -- "$3" "$2"; then bad "$1 ('$3' in $2)"; else ok "$1"; fi
}

for tool in fw_printenv fw_setenv mkfs.vfat mcopy sfdisk; do
	if ! command -v "$tool" >/dev/null; then
		echo "fw-env-interop: $tool missing (scripts/install-deps installs libubootenv-tool, dosfstools, mtools, fdisk)"
		echo "fw-env: 0 passed, 1 failed"
		exit 1
	fi
done

rm -rf "$work"
mkdir -p "$work"
img=$work/disk.img
fat=$img@@2M # p2 starts at 2 MiB
cfg=$work/fw_env.config
one=$work/fw_env-single.config
printf '%s 0x0 0x4000\n%s 0x0 0x4000\n' "$work/uboot.env" "$work/uboot-redund.env" >"$cfg"
printf '%s 0x0 0x4000\n' "$work/single/uboot.env" >"$one"

make_disk() {
	rm -f "$img" "$work/fat.img"
	truncate -s 8M "$img"
	printf 'start=1M, size=1M, type=83\nstart=2M, type=c\n' | sfdisk -q "$img" >/dev/null
	mkfs.vfat -C -n XBENV "$work/fat.img" 6144 >/dev/null
	dd if="$work/fat.img" of="$img" bs=1M seek=2 conv=notrunc 2>/dev/null
}

# Run xenboot on the disk with the given shell lines (then poweroff). The
# first empty line stops autoboot (the key that stops it is consumed).
guest() {
	out=$1
	shift
	printf '%s\n' '' "$@" poweroff | timeout 60 "$sbx" -d "$img" 2>&1 | tr -d '\r' >"$out"
	grep -q 'guest shut down (poweroff)' "$out" || { bad "xenboot run ($out)"; cat "$out"; }
}

fetch() { # copy the env files out of the image into $work
	rm -f "$work/uboot.env" "$work/uboot-redund.env"
	mcopy -n -i "$fat" ::/uboot.env ::/uboot-redund.env "$work/"
}

flag() { od -An -tu1 -j4 -N1 "$1" | tr -d ' '; }

echo "fw-env: xenboot saveenv -> fw_printenv"
make_disk
guest "$work/run1.log" "setenv foo bar" "setenv two words here" "saveenv"
check "saveenv" "$work/run1.log" "Saving Environment to FAT... OK"
fetch
fw_printenv -c "$cfg" >"$work/print1.txt" 2>"$work/print1.err"
check "fw_printenv: foo" "$work/print1.txt" "foo=bar"
check "fw_printenv: two" "$work/print1.txt" "two=words here"
check "fw_printenv: bootdelay (a default)" "$work/print1.txt" "bootdelay=1"
[ "$(flag "$work/uboot.env")" = 1 ] && [ "$(flag "$work/uboot-redund.env")" = 2 ] &&
	ok "flags 1 and 2" || bad "flags $(flag "$work/uboot.env") $(flag "$work/uboot-redund.env")"
[ "$(stat -c %s "$work/uboot.env")" = 16384 ] && ok "copy is 0x4000 bytes" || bad "copy size"

echo "fw-env: fw_setenv -> xenboot start-up import"
fw_setenv -c "$cfg" fromlinux yes && fw_setenv -c "$cfg" foo || bad "fw_setenv"
mcopy -o -i "$fat" "$work/uboot.env" "$work/uboot-redund.env" ::/
guest "$work/run2.log" "printenv fromlinux" "printenv foo" "printenv two" "saveenv"
check "import: fromlinux" "$work/run2.log" "fromlinux=yes"
check "import: foo deleted by fw_setenv" "$work/run2.log" '## Error: "foo" not defined'
check "import: two" "$work/run2.log" "two=words here"
check_not "import: no warning" "$work/run2.log" "warning"
fetch
fw_printenv -c "$cfg" >"$work/print2.txt" 2>"$work/print2.err"
check "fw_printenv after second saveenv" "$work/print2.txt" "fromlinux=yes"
check_not "fw_printenv: foo stays deleted" "$work/print2.txt" "^foo="
# fw_setenv made 3 (4 after its second change); xenboot's save one more.
f1=$(flag "$work/uboot.env") f2=$(flag "$work/uboot-redund.env")
[ $((f1 > f2 ? f1 : f2)) = 5 ] && ok "flags count on (now $f1, $f2)" || bad "flags $f1 $f2"

echo "fw-env: fw_setenv with one FILE line (single layout) -> xenboot"
make_disk
mkdir -p "$work/single"
head -c 16384 /dev/zero >"$work/single/uboot.env"
: >"$work/empty-default"
# (Both copies blank: fw_setenv says it starts from the given defaults.)
fw_setenv -c "$one" -f "$work/empty-default" single yes 2>"$work/setenv3.err" ||
	bad "fw_setenv single"
mcopy -i "$fat" "$work/single/uboot.env" ::/
guest "$work/run3.log" "printenv single"
check "import: single-layout copy" "$work/run3.log" "single=yes"

echo "fw-env: both copies corrupt -> defaults and one warning"
make_disk
head -c 16384 /dev/urandom >"$work/uboot.env"
head -c 16384 /dev/urandom >"$work/uboot-redund.env"
mcopy -i "$fat" "$work/uboot.env" "$work/uboot-redund.env" ::/
guest "$work/run4.log" "printenv bootdelay"
check "defaults" "$work/run4.log" "bootdelay=1"
[ "$(grep -c warning "$work/run4.log")" = 1 ] && ok "one warning" || bad "warnings"

echo "fw-env: \$devtype \$devnum name the boot disk (pvblock 1: the second disk)"
make_disk
cp "$img" "$work/disk0.img"
printf '\nsetenv devtype pvblock\nsetenv devnum 1\nsetenv where second\nsaveenv\npoweroff\n' |
	timeout 60 "$sbx" -d "$work/disk0.img" -d "$img" 2>&1 | tr -d '\r' >"$work/run5.log"
check "saveenv to pvblock 1" "$work/run5.log" "Saving Environment to FAT... OK"
fetch
fw_printenv -c "$cfg" where >"$work/print5.txt" 2>&1
check "fw_printenv on the second disk" "$work/print5.txt" "where=second"
if mdir -i "$work/disk0.img@@2M" ::/uboot.env >/dev/null 2>&1; then
	bad "the first disk was written"
else
	ok "the first disk untouched"
fi

echo "fw-env: $passed passed, $failed failed"
[ "$failed" = 0 ]
