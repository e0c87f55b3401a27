#!/bin/sh
# Builds the disk of the filesystem lab cases and bench-fs (the fsdisk recipe
# of tests/lab/gen.py), with
# Debian's tools only (sgdisk, mkfs.vfat + mtools, mkfs.ext4 -d, debugfs; no
# root, no loop mounts):
#   p1 "ESP"    FAT32, 40 MiB: /hello.txt, /EFI/BOOT/
#   p2 "rootfs" ext4, 256 MiB: /big.bin (64 MiB), /bench.bin (128 MiB),
#               /boot/hello.txt
# big.bin and bench.bin are pseudo-random with different fixed seeds (a
# block-mapping bug cannot pass by reading the other file).
# usage: mkfsdisk.sh OUTDIR   writes OUTDIR/fsdisk.img and OUTDIR/fsdisk.env:
#   BIG_CRC      zlib CRC-32 of big.bin, as `crc32` prints it
#   BIG_SIZE     its size in bytes
#   HEAD_LEN, HEAD_CRC, HEAD_MD5   the first HEAD_LEN (0x1234) bytes of big.bin
#                (what the lab case saves on the ESP) and their CRC-32 and md5
#   BENCH_CRC    CRC-32 of bench.bin
#   BENCH_LBA    first 512-byte sector of bench.bin's data on the disk
#   BENCH_SECTORS  its size in 512-byte sectors
set -eu
out=$1
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1 E2FSPROGS_FAKE_TIME=1700000000
mkdir -p "$out"
src=$out/fsdisk-src
rm -rf "$src" "$out/fsdisk.img" "$out/fsdisk.env" "$out"/fsdisk-p?.img
mkdir -p "$src/ext/boot" "$src/fat/EFI/BOOT"

# Fixed-seed data, and its CRC (the same CRC-32 as zlib and `crc32`).
python3 - "$src/ext/big.bin" 64 0x5eed0001 "$src/ext/bench.bin" 128 0x5eed0002 <<'PY'
import hashlib, random, sys, zlib
args = sys.argv[1:]
HEAD = 0x1234
for path, mib, seed in zip(args[0::3], args[1::3], args[2::3]):
    rng = random.Random(int(seed, 0))
    crc = 0
    with open(path, "wb") as f:
        for i in range(int(mib)):
            chunk = rng.randbytes(1 << 20)
            crc = zlib.crc32(chunk, crc)
            f.write(chunk)
            if i == 0:
                head = chunk[:HEAD]
    with open(path + ".crc", "w") as f:
        f.write("%08x\n" % crc)
    with open(path + ".head", "w") as f:
        f.write("HEAD_LEN=%d\nHEAD_CRC=%08x\nHEAD_MD5=%s\n"
                % (HEAD, zlib.crc32(head), hashlib.md5(head).hexdigest()))
PY
mv "$src/ext/big.bin.crc" "$src/big.crc"
mv "$src/ext/bench.bin.crc" "$src/bench.crc"
mv "$src/ext/big.bin.head" "$src/big.head"
rm "$src/ext/bench.bin.head"
echo "hello from ext4" >"$src/ext/boot/hello.txt"
echo "hello from the ESP" >"$src/fat/hello.txt"

# p1: FAT32 (40 MiB is above FAT32's minimum cluster count with 512-byte clusters).
mkfs.vfat -C -F 32 -s 1 -S 512 -n ESP "$out/fsdisk-p1.img" $((40 * 1024)) >/dev/null
mcopy -s -Q -i "$out/fsdisk-p1.img" "$src/fat/"* ::/
# p2: ext4, 4 KiB blocks.
mkfs.ext4 -q -F -b 4096 -L rootfs -E root_owner=0:0 -d "$src/ext" "$out/fsdisk-p2.img" 256M >/dev/null

# GPT: p1 at 1 MiB, p2 right after; the backup GPT needs the last 33 sectors.
truncate -s $((1 + 40 + 256 + 1))M "$out/fsdisk.img"
sgdisk -n 1:2048:+40M -c 1:ESP -t 1:ef00 -n 2:0:+256M -c 2:rootfs -t 2:8300 \
	"$out/fsdisk.img" >/dev/null
p2_lba=$(sgdisk -i 2 "$out/fsdisk.img" | awk '/^First sector/ {print $3}')
dd if="$out/fsdisk-p1.img" of="$out/fsdisk.img" bs=512 seek=2048 conv=notrunc 2>/dev/null
dd if="$out/fsdisk-p2.img" of="$out/fsdisk.img" bs=512 seek="$p2_lba" conv=notrunc 2>/dev/null

# Where bench.bin starts: its first physical block (debugfs `bmap`).
blk=$(debugfs -R "bmap /bench.bin 0" "$out/fsdisk-p2.img" 2>/dev/null)
{
	echo "BIG_CRC=$(cat "$src/big.crc")"
	echo "BIG_SIZE=$((64 << 20))"
	cat "$src/big.head"
	echo "BENCH_CRC=$(cat "$src/bench.crc")"
	echo "BENCH_LBA=$((p2_lba + blk * 8))"
	echo "BENCH_SECTORS=$(((128 << 20) / 512))"
	echo "TOTAL_SECTORS=$(($(stat -c %s "$out/fsdisk.img") / 512))"
} >"$out/fsdisk.env"
rm -rf "$src" "$out"/fsdisk-p?.img
echo "$out/fsdisk.img"
