#!/usr/bin/env python3
"""More seeds for the blkif_rsp fuzz target (format: tests/fuzz/blkif_rsp_fuzz.c):
n, ops, base le32, prod le32, then 16-byte response slots {id le64,
operation u8, pad, status le16, pad}. Request i has id 31 - i.

Usage: mk-blkif_rsp.py OUTDIR
"""
import os
import struct
import sys

READ, WRITE, INDIRECT = 0, 1, 6
OK, ERR, NOTSUPP = 0, -1, -2


def head(n, ops, base, prod):
    return bytes([n, ops]) + struct.pack("<II", base & 0xFFFFFFFF, prod & 0xFFFFFFFF)


def slot(rid, op=READ, status=OK):
    return struct.pack("<QBxhxxxx", rid, op, status)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/blkif_rsp"
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        # Every request in flight, answered in reverse order, the ring
        # index wrapping past 2^32 half way.
        "all-32-wrap": head(32, 0, -16, 32) + b"".join(slot(i) for i in range(32)),
        # Writes (ops byte 0xff: every request writes), error statuses.
        "writes-errors": head(4, 0xFF, 0, 4) + slot(31, WRITE) + slot(30, WRITE, ERR)
        + slot(29, WRITE, NOTSUPP) + slot(28, INDIRECT),
        # EOPNOTSUPP on a read, then OK.
        "eopnotsupp": head(2, 0, 5, 2) + slot(31, READ, NOTSUPP) + slot(30),
        # Fewer published than answered: the rest stays in the ring.
        "prod-behind": head(4, 0, 0, 2) + b"".join(slot(31 - i) for i in range(4)),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
