#!/usr/bin/env python3
"""Seeds for the mbr fuzz target (the input is the disk, parsed with 512-byte
and with 4096-byte sectors).

- mbr-ext-chain.img: a bootable primary, an extended partition (0x0f)
  holding a chain of five EBRs, one logical partition outside its extended
  partition, a second extended partition (0x85, not followed), and a chain
  whose last link points back to its first EBR (a loop the walk must cut).
- mbr-66-logicals.img: a chain longer than the 64 logical partitions
  followed.
- mbr-4k.img: the same kind of chain laid out in 4096-byte sectors.

Usage: mk-mbr.py OUTDIR
"""
import os
import struct
import sys


def rec(status, ptype, first, count):
    return struct.pack("<B3sB3sII", status, b"\0\1\0", ptype, b"\xfe\xff\xff", first, count)


def sector(recs, sig=0x5EED0001, size=512):
    s = bytearray(size)
    s[440:444] = struct.pack("<I", sig)
    for i, r in enumerate(recs):
        s[446 + 16 * i : 462 + 16 * i] = r
    s[510:512] = b"\x55\xaa"
    return s


def put(img, lba, data, ss):
    img[lba * ss : lba * ss + len(data)] = data


def write(outdir, name, img):
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(img)
    print("%s: %d bytes" % (name, len(img)))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/mbr"
    os.makedirs(outdir, exist_ok=True)

    # 512-byte sectors, small LBAs to keep the seed small.
    ss = 512
    img = bytearray(64 * ss)
    put(img, 0, sector([
        rec(0x80, 0x0C, 4, 4),      # bootable FAT32 LBA
        rec(0x00, 0x0F, 8, 40),     # extended (LBA), followed
        rec(0x00, 0x85, 48, 8),     # Linux extended: only the first is followed
        rec(0x00, 0x83, 56, 100),   # runs past the disk's end: ignored
    ]), ss)
    # EBR chain inside 8..47: logicals at 9, 11, 13, then one whose start
    # lies outside the extended partition, then a link back to the second EBR.
    for i in range(5):
        ebr = 8 + 2 * i
        lp = rec(0, 0x83, 1, 1) if i != 3 else rec(0, 0x83, 100, 1)
        nxt = rec(0, 0x05, 2 * (i + 1), 2) if i < 4 else rec(0, 0x05, 2, 2)
        put(img, ebr, sector([lp, nxt], 0), ss)
    # A second chain for the 0x85 partition that must not be read.
    put(img, 48, sector([rec(0, 0x83, 1, 1)], 0), ss)
    write(outdir, "mbr-ext-chain.img", img)

    # 66 logicals: more than MBR_MAX_LOGICAL.
    n = 66
    img = bytearray((2 + 2 * n + 2) * ss)
    put(img, 0, sector([rec(0, 0x05, 2, 2 * n + 2)]), ss)
    for i in range(n):
        ebr = 2 + 2 * i
        recs = [rec(0, 0x83, 1, 1)]
        if i + 1 < n:
            recs.append(rec(0, 0x05, 2 * (i + 1), 2))
        put(img, ebr, sector(recs, 0), ss)
    write(outdir, "mbr-66-logicals.img", img)

    # 4096-byte sectors: MBR, extended at LBA 2..9 with three logicals.
    ss = 4096
    img = bytearray(12 * ss)
    put(img, 0, sector([rec(0x80, 0x83, 1, 1), rec(0, 0x0F, 2, 8)], 0x4B4B4B4B, ss)[:512], ss)
    for i in range(3):
        ebr = 2 + 2 * i
        recs = [rec(0, 0x83, 1, 1)]
        if i < 2:
            recs.append(rec(0, 0x05, 2 * (i + 1), 2))
        put(img, ebr, sector(recs, 0, ss)[:512], ss)
    write(outdir, "mbr-4k.img", img)


if __name__ == "__main__":
    main()
