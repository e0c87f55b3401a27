#!/usr/bin/env python3
"""Disk images for the PV block lab cases, and CRCs of their ranges.

  mkdisk.py make FILE [MIB]          a MIB MiB (default 256) raw image of a fixed
                                     pseudo-random pattern (same bytes every time)
  mkdisk.py crc FILE OFFSET LENGTH   zlib CRC-32 of LENGTH bytes at OFFSET, as
                                     8 lower-case hex digits (what `crc32` prints)
Numbers may be decimal or 0x-hex."""
import random
import sys
import zlib

CHUNK = 1 << 20


def make(path, mib):
    rng = random.Random(0x7E4B007)  # fixed seed: the pattern never changes
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(rng.randbytes(CHUNK))


def crc(path, offset, length):
    c = 0
    with open(path, "rb") as f:
        f.seek(offset)
        while length:
            data = f.read(min(length, CHUNK))
            if not data:
                raise SystemExit("mkdisk.py: range beyond the end of " + path)
            c = zlib.crc32(data, c)
            length -= len(data)
    return "%08x" % (c & 0xFFFFFFFF)


def main(argv):
    if len(argv) >= 3 and argv[1] == "make":
        make(argv[2], int(argv[3], 0) if len(argv) > 3 else 256)
    elif len(argv) == 5 and argv[1] == "crc":
        print(crc(argv[2], int(argv[3], 0), int(argv[4], 0)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
