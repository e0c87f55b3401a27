# shellcheck shell=bash
# What make bench and make bench-fs type at xenboot's prompt, shared by the
# lab scripts (bench.sh, bench-fs.sh: one `send` + `expect` per line) and
# their self-test on the sandbox (bench/selftest.sh: the same lines on
# standard input). bench/bench-check.py reads the console they produce.
#
# Every pass, warm-up included, starts with "echo BENCH-PASS <n> <kind>" and
# poisons the whole buffer first (mw.q with POISON), so a pass that moved
# nothing leaves the poison and fails its CRC, whatever an earlier pass left.
POISON=0xdeadbeefdeadbeef

# bench_raw_pass N KIND ADDR BLK CNT BYTES: poison, pvblock read, crc32.
bench_raw_pass() {
	echo "echo BENCH-PASS $1 $2"
	printf 'mw.q %s %s 0x%x\n' "$3" "$POISON" $(($6 / 8))
	echo "pvblock read $3 $4 $5"
	printf 'crc32 %s 0x%x\n' "$3" "$6"
}

# bench_load_pass N ADDR IFACE DEV PATH BYTES: poison, stats, load, stats, crc32.
bench_load_pass() {
	echo "echo BENCH-PASS $1 load"
	printf 'mw.q %s %s 0x%x\n' "$2" "$POISON" $(($6 / 8))
	echo "pvblock stats"
	echo "load $3 $4 $2 $5"
	echo "pvblock stats"
	printf 'crc32 %s 0x%x\n' "$2" "$6"
}

# bench_disk_cmds ADDR BYTES PASSES: make bench, the whole disk (512-byte
# blocks): pass 0 is the untimed warm-up.
bench_disk_cmds() {
	local p
	echo "pvblock list"
	for ((p = 0; p <= $3; p++)); do
		bench_raw_pass $p raw "$1" 0 "$(printf '0x%x' $(($2 / 512)))" "$2"
	done
	echo "pvblock stats"
}

# bench_fs_cmds ADDR DEV PATH FILE_BYTES LBA SECTORS PASSES: make bench-fs:
# an untimed raw warm-up, then PASSES times a load of PATH and a raw read
# of SECTORS from LBA.
bench_fs_cmds() {
	local p raw_bytes=$(($6 * 512)) lba cnt
	lba=$(printf '0x%x' "$5")
	cnt=$(printf '0x%x' "$6")
	echo "pvblock list"
	bench_raw_pass 0 raw "$1" "$lba" "$cnt" $raw_bytes
	for ((p = 1; p <= $7; p++)); do
		bench_load_pass $p "$1" pvblock "$2" "$3" "$4"
		bench_raw_pass $p raw "$1" "$lba" "$cnt" $raw_bytes
	done
	echo "pvblock stats"
}

# bench_case_lines TIMEOUT: commands on stdin -> case lines, each waiting
# for the next prompt (at a line start: crc32 prints "==> ").
bench_case_lines() {
	local line
	while IFS= read -r line; do
		echo "send $line"
		printf "expect '\\\\n=> ' %s\\n" "$1"
	done
}

# bench_domu_initrd LAB GEN OUT [ext4]: OUT = the lab's Linux domU initramfs
# with a second archive appended: /bench-init (bench/domu-bench-init.sh, the
# guest's rdinit), /lab-dd.sh and, with ext4, the ext4 modules of the lab's
# kernel package (listed in /etc/bench-modules.load, in load order).
bench_domu_initrd() {
	local lab=$1 dir=$2/domu-overlay out=$3 kver deb m
	rm -rf "$dir"
	mkdir -p "$dir/etc"
	install -m 755 bench/domu-bench-init.sh "$dir/bench-init" || return 1
	install -m 755 tests/lab/lab-dd.sh "$dir/lab-dd.sh" || return 1
	if [ "${4:-}" = ext4 ]; then
		kver=$(cat "$lab/kver") || return 1
		deb=$(ls "$lab/debs/linux-image-${kver}_"*_arm64.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || { echo "bench: no linux-image-$kver package in $lab/debs" >&2; return 1; }
		: > "$dir/etc/bench-modules.load"
		for m in lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4; do
			echo "./lib/modules/$kver/kernel/$m.ko"
			echo "/lib/modules/$kver/kernel/$m.ko" >> "$dir/etc/bench-modules.load"
		done > "$dir/modules.want"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" -T "$dir/modules.want" || return 1
		rm "$dir/modules.want"
	fi
	{
		cat "$lab/domu-initrd.cpio.gz" &&
			(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1)
	} > "$out"
}
