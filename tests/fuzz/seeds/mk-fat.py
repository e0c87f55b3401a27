#!/usr/bin/env python3
"""Seeds for the fat fuzz target: FAT12, FAT16 and FAT32 volumes whose
directories hold every kind of long-name record a disk can carry.

Each volume is made by mkfs.fat (dosfstools) and filled by mtools (LFN runs
of 1..17 entries, a non-ASCII name, a deleted long-named file, a
subdirectory). Then directory /lfn gets hand-made records the tools never
write: an orphaned run (checksum of another short entry), a run missing its
LAST entry, a run with a gap, an ord-0 entry after a complete run (issue 8
#1: it wrote before the name buffer) and a run of the maximal 20 entries.
The seed is the image cut after its last non-zero sector (the fuzz target
reads the rest of its 64 MiB disk as zeros).

Usage: mk-fat.py OUTDIR     (needs mkfs.fat, mmd, mcopy, mdel)
"""
import os
import struct
import subprocess
import sys
import tempfile

ATTR_LFN = 0x0F


def run(*args, env=None):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)


class Fat:
    """Just enough FAT to find a directory's entries in an image."""

    def __init__(self, img):
        self.img = img
        b = img[:512]
        self.bps = struct.unpack_from("<H", b, 11)[0]
        self.spc = b[13]
        reserved = struct.unpack_from("<H", b, 14)[0]
        fats = b[16]
        root_entries = struct.unpack_from("<H", b, 17)[0]
        total = struct.unpack_from("<H", b, 19)[0] or struct.unpack_from("<I", b, 32)[0]
        fatsz = struct.unpack_from("<H", b, 22)[0] or struct.unpack_from("<I", b, 36)[0]
        root_sectors = (root_entries * 32 + self.bps - 1) // self.bps
        self.fat_off = reserved * self.bps
        self.root_off = (reserved + fats * fatsz) * self.bps
        self.root_entries = root_entries
        self.data_off = self.root_off + root_sectors * self.bps
        meta = reserved + fats * fatsz + root_sectors
        clusters = (total - meta) // self.spc
        self.type = 12 if clusters < 4085 else 16 if clusters < 65525 else 32
        self.root_cluster = struct.unpack_from("<I", b, 44)[0] if self.type == 32 else 0

    def next(self, c):
        if self.type == 12:
            v = struct.unpack_from("<H", self.img, self.fat_off + c + c // 2)[0]
            v = v >> 4 if c & 1 else v & 0xFFF
            return None if v >= 0xFF8 else v
        if self.type == 16:
            v = struct.unpack_from("<H", self.img, self.fat_off + 2 * c)[0]
            return None if v >= 0xFFF8 else v
        v = struct.unpack_from("<I", self.img, self.fat_off + 4 * c)[0] & 0x0FFFFFFF
        return None if v >= 0x0FFFFFF8 else v

    def slots(self, cluster):
        """Byte offsets of every 32-byte entry of the directory at @cluster."""
        if cluster == 0:
            return [self.root_off + 32 * i for i in range(self.root_entries)]
        out, csize = [], self.bps * self.spc
        while cluster is not None:
            base = self.data_off + (cluster - 2) * csize
            out += [base + 32 * i for i in range(csize // 32)]
            cluster = self.next(cluster)
        return out

    def find(self, dir_cluster, short):
        for off in self.slots(dir_cluster):
            if self.img[off : off + 11] == short:
                e = self.img[off : off + 32]
                hi = struct.unpack_from("<H", e, 20)[0] if self.type == 32 else 0
                return hi << 16 | struct.unpack_from("<H", e, 26)[0]
        raise KeyError(short)


def checksum(short):
    s = 0
    for ch in short:
        s = (((s & 1) << 7) + (s >> 1) + ch) & 0xFF
    return s


def lfn(ord_byte, csum, text):
    """One LFN record holding 13 UTF-16 units of @text (padded as the spec says)."""
    units = [ord(c) for c in text][:13]
    if len(units) < 13:
        units += [0] + [0xFFFF] * (12 - len(units))
    u = struct.pack("<13H", *units)
    return bytes([ord_byte]) + u[0:10] + bytes([ATTR_LFN, 0, csum]) + u[10:22] + b"\0\0" + u[22:26]


def short_entry(short, attr=0x20, cluster=0, size=0):
    # name, attr, nt_case, ctime_tenth, ctime, cdate, adate, cluster_hi,
    # mtime, mdate, cluster_lo, size
    hi, lo = cluster >> 16, cluster & 0xFFFF
    return short + bytes([attr, 0, 0]) + b"\0" * 6 + struct.pack("<HHHHI", hi, 0, 0, lo, size)


def crafted(fat, file_cluster):
    """Records mtools never writes, as (description, bytes) in directory order."""
    name = "orphaned but complete run.txt"
    parts = [name[i : i + 13] for i in range(0, len(name), 13)]
    recs = []
    # 1. Complete run whose checksum names another short entry: show 8.3.
    s1 = b"ORPHAN  TXT"
    for i in range(len(parts), 0, -1):
        recs.append(lfn((0x40 if i == len(parts) else 0) | i, checksum(s1) ^ 0x55, parts[i - 1]))
    recs.append(short_entry(s1, cluster=file_cluster, size=5))
    # 2. Run without its LAST entry (starts at ord 2).
    s2 = b"NOLAST  TXT"
    recs.append(lfn(0x02, checksum(s2), "no last entry"))
    recs.append(lfn(0x01, checksum(s2), "starts here.."))
    recs.append(short_entry(s2, cluster=file_cluster, size=5))
    # 3. Run with a gap (3, then 1).
    s3 = b"GAP     TXT"
    recs.append(lfn(0x43, checksum(s3), "third part"))
    recs.append(lfn(0x01, checksum(s3), "first part..."))
    recs.append(short_entry(s3, cluster=file_cluster, size=5))
    # 4. Issue 8 #1: a complete run, then ord byte 0x80 (ord 0, not LAST)
    #    with the same checksum, then the short entry.
    s4 = b"ORDZERO TXT"
    recs.append(lfn(0x41, checksum(s4), "ord zero.txt"))
    recs.append(lfn(0x80, checksum(s4), "AAAAAAAAAAAAA"))
    recs.append(short_entry(s4, cluster=file_cluster, size=5))
    # 5. The longest run: 20 entries, 255 units (+ terminator).
    s5 = b"MAXLFN~1TXT"
    longest = ("max" * 90)[:251] + ".txt"
    chunks = [longest[i : i + 13] for i in range(0, 260, 13)]
    for i in range(20, 0, -1):
        recs.append(lfn((0x40 if i == 20 else 0) | i, checksum(s5), chunks[i - 1]))
    recs.append(short_entry(s5, cluster=file_cluster, size=5))
    # 6. A run whose LAST entry says ord 21 (too long), then a valid short.
    s6 = b"TOOLONG TXT"
    recs.append(lfn(0x40 | 21, checksum(s6), "too long run."))
    recs.append(short_entry(s6, cluster=file_cluster, size=5))
    # 7. A deleted run in the middle of a live one.
    s7 = b"DELMID  TXT"
    recs.append(lfn(0x42, checksum(s7), "deleted in"))
    recs.append(b"\xe5" + lfn(0x01, checksum(s7), "the middle..")[1:])
    recs.append(short_entry(s7, cluster=file_cluster, size=5))
    # 8. An LFN entry directly before the end marker.
    recs.append(lfn(0x41, 0x12, "dangling"))
    return b"".join(recs)


def build(kind, size_mib, mkfs_args, outdir, name):
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "v.img")
        with open(img, "wb") as f:
            f.truncate(size_mib << 20)
        run("mkfs.fat", *mkfs_args, "--invariant", "-i", "1234abcd", "-n", "FUZZ", img)
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        files = {
            "hello.txt": b"hello",
            "A long file name with spaces.txt": b"long name\n" * 10,
            "Gr\u00fc\u00dfe-\u65e5\u672c.txt": b"unicode",
            "x" * 200 + ".bin": b"seventeen entries",
            "deleted long name file.txt": b"gone",
            "y": b"yy",
            "f5": b"12345",
        }
        for fname, data in files.items():
            p = os.path.join(tmp, fname)
            with open(p, "wb") as f:
                f.write(data)
        m = ["-i", img]
        run("mmd", *m, "::/d", "::/lfn", "::/Another long directory name", env=env)
        for fname in ("hello.txt", "A long file name with spaces.txt", "Gr\u00fc\u00dfe-\u65e5\u672c.txt",
                      "x" * 200 + ".bin", "deleted long name file.txt"):
            run("mcopy", *m, os.path.join(tmp, fname), "::/", env=env)
        run("mcopy", *m, os.path.join(tmp, "y"), "::/d/y", env=env)
        run("mcopy", *m, os.path.join(tmp, "hello.txt"), "::/Another long directory name/", env=env)
        # Grow /lfn to several clusters with deleted entries, room for the
        # crafted records.
        for i in range(12):
            run("mcopy", *m, os.path.join(tmp, "f5"), "::/lfn/filler number %02d with a long name" % i, env=env)
        for i in range(12):
            run("mdel", *m, "::/lfn/filler number %02d with a long name" % i, env=env)
        run("mdel", *m, "::/deleted long name file.txt", env=env)
        data = bytearray(open(img, "rb").read())
    fat = Fat(data)
    assert fat.type == kind, (kind, fat.type)
    lfn_dir = fat.find(fat.root_cluster, b"LFN        ")
    file_cluster = fat.find(fat.root_cluster, b"HELLO   TXT")
    recs = crafted(fat, file_cluster)
    slots = fat.slots(lfn_dir)
    assert len(recs) // 32 + 1 <= len(slots), (len(recs) // 32, len(slots))
    for i in range(len(recs) // 32):
        data[slots[i] : slots[i] + 32] = recs[32 * i : 32 * i + 32]
    end = slots[len(recs) // 32]
    data[end : end + 32] = b"\0" * 32
    last = len(data.rstrip(b"\0"))
    cut = (last + 511) // 512 * 512
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data[:cut])
    print("%s: FAT%d, %d bytes" % (name, kind, cut))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/fat"
    os.makedirs(outdir, exist_ok=True)
    build(12, 1, ["-F", "12", "-s", "1", "-r", "64"], outdir, "fat12-lfn.img")
    build(16, 16, ["-F", "16", "-s", "4", "-r", "64"], outdir, "fat16-lfn.img")
    build(32, 33, ["-F", "32", "-s", "1", "-f", "1", "-R", "8", "-b", "6"], outdir, "fat32-lfn.img")


if __name__ == "__main__":
    main()
