#!/bin/sh
# Builds the disk images the disk/fs unit tests read, with Debian's own
# tools (no root, no loop mounts): mkfs.ext2/3/4 -d, mkfs.vfat + mtools,
# sgdisk, sfdisk. Usage: mkimg.sh OUTDIR KIND; prints the image's path.
# Images are built once per OUTDIR (under $(O), never the source tree) and
# kept small (a few MiB; the 34 MiB FAT32 one is sparse on the host).
set -eu
out=$1
kind=$2
mkdir -p "$out"
img="$out/$kind.img"
if [ -f "$img" ]; then
	echo "$img"
	exit 0
fi
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1 E2FSPROGS_FAKE_TIME=1700000000

# The files every filesystem image holds; tests compare reads with these.
make_src() {
	src="$out/src"
	[ -f "$src/.done" ] && return 0
	rm -rf "$src" "$out/srcfat"
	mkdir -p "$src/dir/sub" "$src/many"
	echo "hello, xenboot" >"$src/hello.txt"
	head -c 100000 /dev/urandom >"$src/dir/sub/nested.bin"
	head -c 700000 /dev/urandom >"$src/big.bin"
	head -c 45 /dev/urandom >"$src/tiny.bin"
	head -c 150 /dev/urandom >"$src/small.bin"
	head -c 100 /dev/urandom >"$src/medium.bin"
	for i in $(seq 1 120); do
		echo "file $i" >"$src/many/entry-with-a-longish-name-$i.txt"
	done
	cp -r "$src" "$out/srcfat"
	# Sparse: data, a 3 MiB hole, data.
	head -c 65536 /dev/urandom >"$src/sparse.bin"
	head -c 65536 /dev/urandom | dd of="$src/sparse.bin" bs=65536 seek=49 conv=notrunc 2>/dev/null
	ln -s /dir/sub/nested.bin "$src/abs_link"
	ln -s dir/sub/nested.bin "$src/rel_link"
	ln -s ../hello.txt "$src/dir/up_link"
	ln -s sub "$src/dir/sub_link"
	ln -s loop_b "$src/loop_a"
	ln -s loop_a "$src/loop_b"
	# A target longer than 60 bytes: a slow symlink with a data block.
	ln -s "/dir/../dir/./sub/../sub/../sub/./../sub/../sub/../sub/../sub/nested.bin" \
		"$src/long_link"
	# Long and mixed-case names for FAT.
	echo "long name" >"$out/srcfat/A long file name.text"
	echo "mixed" >"$out/srcfat/MixedCase.Txt"
	echo "lower" >"$out/srcfat/lower.txt"
	touch "$src/.done"
}

# A >4 GiB sparse file with data at both ends (ext4 and 1K-block ext2 only).
add_huge() {
	rm -rf "$out/srchuge"
	cp -a "$out/src" "$out/srchuge"
	printf 'HEAD' >"$out/srchuge/huge.bin"
	truncate -s 5G "$out/srchuge/huge.bin"
	printf 'TAIL' | dd of="$out/srchuge/huge.bin" bs=1 seek=$((5 * 1024 * 1024 * 1024 - 4)) \
		conv=notrunc 2>/dev/null
}

mkext() {
	# $1: mkfs program, $2: size, rest: options
	prog=$1 size=$2
	shift 2
	"$prog" -q -F -E root_owner=0:0 "$@" -d "$out/srchuge" "$img.tmp" "$size" >/dev/null
	# Build htree indexes for the big directories (dir_index).
	e2fsck -fyD "$img.tmp" >/dev/null 2>&1 || [ $? -le 1 ]
}

make_src
case $kind in
ext4) add_huge; mkext mkfs.ext4 12M -b 4096 ;;
ext4csum) add_huge; mkext mkfs.ext4 8M -b 1024 -O 64bit,metadata_csum,^has_journal ;;
ext4inline) add_huge; mkext mkfs.ext4 8M -b 4096 -I 256 -O inline_data,^has_journal ;;
ext4metabg) add_huge; mkext mkfs.ext4 8M -b 1024 -g 1024 -O meta_bg,^resize_inode,^has_journal ;;
ext3) add_huge; mkext mkfs.ext3 8M -b 2048 ;;
ext2) add_huge; mkext mkfs.ext2 8M -b 1024 ;;
fat12 | fat16 | fat32)
	case $kind in
	fat12) opts="-F 12" size=2048 ;;
	fat16) opts="-F 16" size=16384 ;;
	fat32) opts="-F 32 -s 1 -S 512" size=34816 ;;
	esac
	rm -f "$img.tmp"
	# shellcheck disable=SC2086
	mkfs.vfat -C $opts -n XENBOOT "$img.tmp" $size >/dev/null
	mcopy -s -Q -i "$img.tmp" "$out/srcfat/"* ::/
	;;
gpt)
	truncate -s 4M "$img.tmp"
	sgdisk -n 1:2048:+1M -c 1:boot -t 1:ef00 -u 1:0FC63DAF-8483-4772-8E79-3D69D8477DE4 \
		-n 2:0:+1M -c 2:rootfs -u 2:11111111-2222-3333-4444-555555555555 \
		-n 3:0:+512K -c 3:"données" "$img.tmp" >/dev/null
	;;
mbr)
	truncate -s 8M "$img.tmp"
	sfdisk -q "$img.tmp" >/dev/null <<EOF
label: dos
label-id: 0x12345678
start=2048, size=2048, type=c, bootable
start=4096, size=2048, type=83
start=6144, size=10240, type=5
size=1024, type=83
size=1024, type=83
size=1024, type=82
EOF
	;;
disk)
	# GPT disk: p1 FAT12 "boot", p2 ext4 "rootfs" (the e2e layout).
	fat=$("$0" "$out" fat12)
	ext=$("$0" "$out" ext4csum)
	truncate -s 24M "$img.tmp"
	sgdisk -n 1:2048:+2M -c 1:boot -t 1:ef00 -n 2:0:+8M -c 2:rootfs "$img.tmp" >/dev/null
	dd if="$fat" of="$img.tmp" bs=512 seek=2048 conv=notrunc 2>/dev/null
	dd if="$ext" of="$img.tmp" bs=512 seek=$((2048 + 4096)) conv=notrunc 2>/dev/null
	;;
distro)
	# Distro-boot scan (sysboot_test): GPT, p1 ext4 "rootfs" with no boot
	# files, p2 FAT12 "boot" where the test writes extlinux.conf & co.
	fat=$("$0" "$out" fat12)
	ext=$("$0" "$out" ext4csum)
	truncate -s 16M "$img.tmp"
	sgdisk -n 1:2048:+8M -c 1:rootfs -n 2:0:+2M -c 2:boot -t 2:ef00 "$img.tmp" >/dev/null
	dd if="$ext" of="$img.tmp" bs=512 seek=2048 conv=notrunc 2>/dev/null
	dd if="$fat" of="$img.tmp" bs=512 seek=$((2048 + 16384)) conv=notrunc 2>/dev/null
	mmd -i "$img.tmp@@$(((2048 + 16384) * 512))" ::/extlinux ::/dtbs ::/overlays
	;;
distrombr)
	# MBR, p1 FAT12, p2 FAT12 marked bootable (scanned first).
	fat=$("$0" "$out" fat12)
	truncate -s 8M "$img.tmp"
	sfdisk -q "$img.tmp" >/dev/null <<EOF
label: dos
start=2048, size=4096, type=c
start=6144, size=4096, type=c, bootable
EOF
	dd if="$fat" of="$img.tmp" bs=512 seek=2048 conv=notrunc 2>/dev/null
	dd if="$fat" of="$img.tmp" bs=512 seek=6144 conv=notrunc 2>/dev/null
	mmd -i "$img.tmp@@$((6144 * 512))" ::/extlinux
	;;
*)
	echo "mkimg.sh: unknown kind $kind" >&2
	exit 1
	;;
esac
mv "$img.tmp" "$img"
echo "$img"
