#!/usr/bin/env python3
"""The judge of make bench and make bench-fs: reads the consoles of a lab run
and prints figures only for passes that are proven to have moved the data.

  bench-check.py disk --xenboot LOG [--linux LOG] [--dom0 LOG] --image IMG
  bench-check.py fs --xenboot LOG [--linux LOG --file-md5 HEX] [--dom0 LOG]
                    --image IMG --raw-offset B --raw-length B
                    --file-crc HEX --file-length B

xenboot's console holds passes marked by a line "BENCH-PASS <n> <kind>"
(`echo` in the case; n 0 is the untimed warm-up) made by bench/lib.sh:
  raw   `mw.q` poisons the buffer, `pvblock read` (its "N bytes in T us" counts
        what the driver moved: blkfront's read_bytes), `crc32` of the buffer
  load  poison, `pvblock stats`, `load`, `pvblock stats`, `crc32`
A pass counts only if its command said OK, the driver moved every byte (raw:
exactly the span; load: at least the file, between the two stats lines) and
the CRC equals the image's (raw: the span; load: the file's CRC from the
host). A buffer that still holds the poison is named as such: the pass moved
nothing.

The Linux guest and dom0 print lines of tests/lab/lab-dd.sh ("LAB-DD <who>
..."): each timed pass's bytes come from the block device's own counter
(/sys/block/<dev>/stat, sectors read), which must equal the disk size (make
bench; dom0 in both) or cover the file (the Linux guest of bench-fs reads
/bench.bin through ext4); an untimed read must have the image's (the
file's) md5.

Exit status 0 with the figures and ratios; 1 with one "bench: ERROR ..." line
per failure and no figure; 2 on bad usage.
"""
import argparse
import hashlib
import os
import re
import sys
import zlib

POISON = 0xDEADBEEFDEADBEEF  # as bench/lib.sh writes it with mw.q
MiB = 1 << 20


def crc_of(path, off, length):
    crc = 0
    with open(path, "rb") as f:
        f.seek(off)
        left = length
        while left:
            b = f.read(min(left, 8 * MiB))
            if not b:
                raise SystemExit("bench-check: %s is shorter than %d bytes" % (path, off + length))
            crc = zlib.crc32(b, crc)
            left -= len(b)
    return crc


def md5_of(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(8 * MiB), b""):
            h.update(b)
    return h.hexdigest()


def poison_crc(length):
    word = POISON.to_bytes(8, "little")
    chunk = word * (MiB // 8)
    crc, left = 0, length
    while left:
        n = min(left, len(chunk))
        crc = zlib.crc32(chunk[:n], crc)
        left -= n
    return crc


def read_log(path):
    with open(path, "rb") as f:
        return f.read().decode("latin-1").replace("\r", "")


def median(v):
    v = sorted(v)
    return v[(len(v) - 1) // 2] if v else None


class Judge:
    def __init__(self):
        self.errors = []

    def error(self, msg):
        self.errors.append(msg)


def split_passes(text):
    """[(n, kind, text of the pass)] in log order."""
    marks = list(re.finditer(r"^BENCH-PASS (\d+) (\w+)$", text, re.M))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((int(m.group(1)), m.group(2), text[m.end():end]))
    return out


def check_crc(j, where, seg, want, length):
    m = re.search(r"==> ([0-9a-f]{8})", seg)
    if not m:
        j.error("%s: no crc32 result" % where)
        return False
    got = int(m.group(1), 16)
    if got == want:
        return True
    if got == poison_crc(length):
        j.error("%s: the buffer still holds the poison: the pass moved nothing" % where)
    else:
        j.error("%s: CRC %08x, the disk's is %08x: wrong data" % (where, got, want))
    return False


def raw_pass(j, where, seg, want_crc, length):
    """MiB/s of a checked raw pass, or None."""
    if not re.search(r"blocks read: OK", seg):
        j.error("%s: pvblock read did not say OK" % where)
        return None
    m = re.search(r"^(\d+) bytes in (\d+) us", seg, re.M)
    if not m:
        j.error("%s: no 'bytes in' line" % where)
        return None
    moved, us = int(m.group(1)), int(m.group(2))
    if moved != length:
        j.error("%s: the driver moved %d bytes, the pass needs %d" % (where, moved, length))
        return None
    if not check_crc(j, where, seg, want_crc, length):
        return None
    return moved / MiB / (max(us, 1) / 1e6)


def load_pass(j, where, seg, want_crc, length):
    # Not at a line start: load's progress lines end in a bare CR.
    m = re.search(r"(\d+) bytes read in (\d+) ms", seg)
    if not m:
        j.error("%s: load did not finish" % where)
        return None
    got, ms = int(m.group(1)), int(m.group(2))
    if got != length:
        j.error("%s: load read %d bytes, the file has %d" % (where, got, length))
        return None
    stats = [int(x) for x in re.findall(r"^read (\d+) bytes, written", seg, re.M)]
    if len(stats) != 2:
        j.error("%s: want a pvblock stats line before and after the load" % where)
        return None
    if stats[1] - stats[0] < length:
        j.error("%s: the driver moved %d bytes for a %d-byte file" %
                (where, stats[1] - stats[0], length))
        return None
    if not check_crc(j, where, seg, want_crc, length):
        return None
    return got / MiB / (max(ms, 1) / 1e3), stats[1] - stats[0]


def xenboot_passes(j, log, kinds):
    """{kind: [(n, result)]} for the kinds wanted; kinds: {kind: checker}."""
    res = {k: [] for k in kinds}
    for n, kind, seg in split_passes(read_log(log)):
        if kind not in kinds:
            j.error("xenboot pass %d: unknown kind %s" % (n, kind))
            continue
        r = kinds[kind](j, "xenboot %s pass %d" % (kind, n), seg)
        res[kind].append((n, r))
    return res


def dd_passes(j, who, log, size, md5, is_file=False):
    """MiB/s of the timed passes of lab-dd.sh's lines for @who. A file's
    device also reads metadata: its count must cover the file, not equal it."""
    text = read_log(log)
    lines = re.findall(r"LAB-DD %s (.*)" % who, text)
    if not lines:
        j.error("%s: no LAB-DD lines in %s" % (who, log))
        return []
    rates, sums = [], []
    for ln in lines:
        m = re.match(r"pass=(\d+) bytes=(\d+) seconds=([0-9.]+)", ln)
        if m:
            p, b, s = int(m.group(1)), int(m.group(2)), float(m.group(3))
            if b < size if is_file else b != size:
                j.error("%s pass %d: the device counted %d bytes read, the %s has %d"
                        % (who, p, b, "file" if is_file else "disk", size))
            elif s <= 0:
                j.error("%s pass %d: no time measured" % (who, p))
            else:
                rates.append(b / MiB / s)
        elif ln.startswith("md5="):
            sums.append(ln[4:].strip())
        elif ln.startswith("error"):
            j.error("%s: %s" % (who, ln))
    if not sums:
        j.error("%s: no md5 of what it read" % who)
    for s in sums:
        if s != md5:
            j.error("%s: md5 %s, the host's is %s: wrong data" % (who, s, md5))
    return rates


def fmt(v):
    return " ".join("%.1f" % x for x in v)


def want_passes(j, who, got, n):
    if len(got) < n:
        j.error("%s: %d timed passes, want %d" % (who, len(got), n))


def cmd_disk(a):
    j = Judge()
    length = a.length
    crc = crc_of(a.image, 0, length)
    res = xenboot_passes(j, a.xenboot, {
        "raw": lambda j, w, s: raw_pass(j, w, s, crc, length)})["raw"]
    warm = [r for n, r in res if n == 0]
    xb = [r for n, r in res if n > 0 and r is not None]
    want_passes(j, "xenboot", [n for n, _ in res if n > 0], a.passes)
    rows = [("xenboot", xb)]
    if a.linux or a.dom0:
        md5 = md5_of(a.image)
        if a.linux:
            rows.append(("linux", dd_passes(j, "linux", a.linux, length, md5)))
        if a.dom0:
            rows.append(("dom0", dd_passes(j, "dom0", a.dom0, length, md5)))
        for who, r in rows[1:]:
            want_passes(j, who, r, a.passes)
    return report(j, rows, warm, "%d MiB disk, CRC %08x" % (length // MiB, crc))


def cmd_fs(a):
    j = Judge()
    raw_crc = crc_of(a.image, a.raw_offset, a.raw_length)
    file_crc = int(a.file_crc, 16)
    res = xenboot_passes(j, a.xenboot, {
        "raw": lambda j, w, s: raw_pass(j, w, s, raw_crc, a.raw_length),
        "load": lambda j, w, s: load_pass(j, w, s, file_crc, a.file_length)})
    warm = [r for n, r in res["raw"] if n == 0]
    raw = [r for n, r in res["raw"] if n > 0 and r is not None]
    loads = [r for n, r in res["load"] if r is not None]
    want_passes(j, "xenboot raw", [n for n, _ in res["raw"] if n > 0], a.passes)
    want_passes(j, "xenboot load", res["load"], a.passes)
    moved = [m for _, m in loads]
    if moved:
        print("load: the driver moved %s bytes per %d-byte file" %
              (" ".join(str(m) for m in moved), a.file_length))
    rows = [("load", [r for r, _ in loads]), ("raw", raw)]
    if a.linux:
        if not a.file_md5:
            raise SystemExit("bench-check: --linux needs --file-md5")
        rows.append(("linux", dd_passes(j, "linux", a.linux, a.file_length, a.file_md5,
                                        is_file=True)))
    if a.dom0:
        size = os.path.getsize(a.image)
        rows.append(("dom0", dd_passes(j, "dom0", a.dom0, size, md5_of(a.image))))
    for who, r in rows[2:]:
        want_passes(j, who, r, a.passes)
    return report(j, rows, warm, "file CRC %08x, raw span CRC %08x" % (file_crc, raw_crc))


def report(j, rows, warm, what):
    for who, r in rows:
        extra = ""
        if who in ("xenboot", "raw") and warm and warm[0] is not None:
            extra = " (warm-up %.1f, not counted)" % warm[0]
        print("%-8s passes (MiB/s): %s%s" % (who, fmt(r), extra))
    if j.errors:
        for e in j.errors:
            print("bench: ERROR " + e)
        print("bench: no figures: %d check(s) failed" % len(j.errors))
        return 1
    meds = [(who, median(r)) for who, r in rows]
    print("every timed pass checked: %s; bytes by the drivers' counters" % what)
    print("median MiB/s: " + "   ".join("%s %.1f" % m for m in meds))
    ratios = []
    for i in range(len(meds)):
        for k in range(i + 1, len(meds)):
            ratios.append("%s/%s %.2f" % (meds[i][0], meds[k][0], meds[i][1] / meds[k][1]))
    if ratios:
        print("ratios: " + "   ".join(ratios))
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("disk")
    d.add_argument("--xenboot", required=True)
    d.add_argument("--linux")
    d.add_argument("--dom0")
    d.add_argument("--image", required=True)
    d.add_argument("--length", type=int, required=True)
    d.add_argument("--passes", type=int, default=3)
    f = sub.add_parser("fs")
    f.add_argument("--xenboot", required=True)
    f.add_argument("--image", required=True)
    f.add_argument("--raw-offset", type=int, required=True)
    f.add_argument("--raw-length", type=int, required=True)
    f.add_argument("--file-crc", required=True)
    f.add_argument("--file-length", type=int, required=True)
    f.add_argument("--linux", help="console with lab-dd.sh lines of a Linux guest reading the file")
    f.add_argument("--dom0", help="console with lab-dd.sh lines of dom0 reading the whole disk")
    f.add_argument("--file-md5", help="md5 of the file, for --linux")
    f.add_argument("--passes", type=int, default=3)
    a = p.parse_args(argv)
    return cmd_disk(a) if a.mode == "disk" else cmd_fs(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
