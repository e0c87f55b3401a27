#!/usr/bin/env python3
"""Seeds for the gpt fuzz target (512-byte sectors, the disk is the input).

Written from the UEFI 2.10 layout (5.3), not by a tool, so the odd cases
are easy: arrays larger than xenboot's block cache (32 x 4 KiB), entry
sizes other than 128, a bad primary with a good backup, more used entries
than PART_MAX, names with surrogate pairs. Every image starts with a
protective MBR so part_scan() takes the GPT path too.

Usage: mk-gpt.py OUTDIR
"""
import os
import struct
import sys
import zlib

SECTOR = 512
LINUX = bytes.fromhex("af3dc60f838472478e793d69d8477de4")  # 0FC63DAF-8483-4772-8E79-3D69D8477DE4, on-disk order
ESP = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")  # C12A7328-F81F-11D2-BA4B-00A0C93EC93B


def guid(n):
    return struct.pack("<IHH", 0x1234 + n, 0x5678, 0x4000 | n & 0xFFF) + bytes([0x80, n & 0xFF]) + bytes(range(6))


def name16(units):
    raw = struct.pack("<%dH" % len(units), *units)
    return (raw + b"\0" * 72)[:72]


def entry(size, type_guid, n, first, last, name, attrs=0):
    e = type_guid + guid(n) + struct.pack("<QQQ", first, last, attrs) + name16(name)
    return e + bytes((i * 7 + n) & 0xFF for i in range(size - 128))  # the spec's reserved tail


def header(my, alt, first, last, arr_lba, count, size, arr_crc, hdr_size=92):
    h = b"EFI PART" + struct.pack("<IIII", 0x00010000, hdr_size, 0, 0)
    h += struct.pack("<QQQQ", my, alt, first, last) + guid(99)
    h += struct.pack("<QIII", arr_lba, count, size, arr_crc)
    h += b"\0" * (hdr_size - 92)
    crc = zlib.crc32(h) & 0xFFFFFFFF
    h = h[:16] + struct.pack("<I", crc) + h[20:]
    return h + b"\0" * (SECTOR - len(h))


def protective_mbr(sectors):
    m = bytearray(SECTOR)
    m[446:462] = struct.pack("<B3sB3sII", 0, b"\0\2\0", 0xEE, b"\xff\xff\xff", 1, min(sectors - 1, 0xFFFFFFFF))
    m[510:512] = b"\x55\xaa"
    return bytes(m)


def disk(entries, count, size, usable, backup=True, hdr_size=92):
    """A disk: MBR, header, array, @usable sectors of data, [backup array, backup header]."""
    arr = b"".join(entries)
    arr += b"\0" * (count * size - len(arr))
    arr_sectors = (len(arr) + SECTOR - 1) // SECTOR
    arr += b"\0" * (arr_sectors * SECTOR - len(arr))
    first = 2 + arr_sectors
    last = first + usable - 1
    total = last + 1 + (arr_sectors + 1 if backup else 1)
    crc = zlib.crc32(arr[: count * size]) & 0xFFFFFFFF
    img = bytearray(total * SECTOR)
    img[0:SECTOR] = protective_mbr(total)
    img[SECTOR : 2 * SECTOR] = header(1, total - 1, first, last, 2, count, size, crc, hdr_size)
    img[2 * SECTOR : 2 * SECTOR + len(arr)] = arr
    if backup:
        b_arr = last + 1
        img[b_arr * SECTOR : b_arr * SECTOR + len(arr)] = arr
        img[(total - 1) * SECTOR :] = header(total - 1, 1, first, last, b_arr, count, size, crc, hdr_size)
    # A recognisable pattern at the start of each partition.
    return img, first, last


def write(outdir, name, img):
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(img)
    print("%s: %d bytes" % (name, len(img)))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/gpt"
    os.makedirs(outdir, exist_ok=True)
    usable = 64

    # 2048 x 128: a 256 KiB array, twice the block cache; used entries at
    # the start, the middle and the very end. No backup (keeps it small).
    first = 2 + 2048 * 128 // SECTOR
    ents = [b"\0" * 128] * 2048
    ents[0] = entry(128, ESP, 1, first, first + 7, [ord(c) for c in "EFI system"], 1 << 2)
    ents[1023] = entry(128, LINUX, 2, first + 8, first + 31, [ord(c) for c in "root"])
    ents[2047] = entry(128, LINUX, 3, first + 32, first + usable - 1, [0xD83D, 0xDE00, 0xD800, 0x41, 0xDC00])
    img, _, _ = disk(ents, 2048, 128, usable, backup=False)
    write(outdir, "gpt-2048x128-no-backup.img", img)

    # 600 x 256: entry size 256 (reserved tails), 150 KiB array, with backup.
    first = 2 + (600 * 256 + SECTOR - 1) // SECTOR
    ents = [b"\0" * 256] * 600
    ents[5] = entry(256, LINUX, 1, first, first + 15, [ord(c) for c in "a name of thirty-six characters!!!!!"])
    ents[599] = entry(256, LINUX, 2, first + 16, first + 16, [0x65E5, 0x672C, 0xDBFF, 0xDFFF])
    img, _, _ = disk(ents, 600, 256, 32, backup=True)
    write(outdir, "gpt-600x256.img", img)

    # Primary header with a bad CRC, backup good: the fallback path.
    first = 2 + 128 * 128 // SECTOR
    ents = [entry(128, LINUX, i + 1, first + 4 * i, first + 4 * i + 3, [ord("p"), ord("0") + i]) for i in range(4)]
    img, _, _ = disk(ents, 128, 128, 16, backup=True)
    img[SECTOR + 16] ^= 0xFF
    write(outdir, "gpt-bad-primary.img", img)

    # 130 used entries of one sector each: more than PART_MAX (128).
    count = 256
    first = 2 + count * 128 // SECTOR
    ents = [entry(128, LINUX, i + 1, first + i, first + i, [ord("x")] * (i % 37)) for i in range(130)]
    img, _, _ = disk(ents, count, 128, 130, backup=False)
    write(outdir, "gpt-130-parts.img", img)

    # Header size 512 (the whole sector is covered by the CRC), overlap
    # between two entries (the second must be refused).
    first = 2 + 128 * 128 // SECTOR
    ents = [entry(128, LINUX, 1, first, first + 7, [0x61]), entry(128, LINUX, 2, first + 4, first + 9, [0x62])]
    img, _, _ = disk(ents, 128, 128, 16, backup=False, hdr_size=512)
    write(outdir, "gpt-hdr512-overlap.img", img)


if __name__ == "__main__":
    main()
