#!/usr/bin/env python3
"""Seeds for the blkif_race fuzz target (format: tests/fuzz/blkif_race_fuzz.c).

Ids are handed out as the driver does: 0, 1, 2, ... from a fresh ring.

Usage: mk-blkif_race.py OUTDIR
"""
import os
import struct
import sys

READ, WRITE, FLUSH, INDIRECT = 0, 1, 3, 6
OK, ERR, NOTSUPP, BAD = 0, 1, 2, 3


def head(n, direct, writes, held, base):
    return bytes([n, direct, writes, held]) + struct.pack("<I", base & 0xFFFFFFFF)


def rsp(slot, rid, op=READ, status=OK):
    return bytes([0, slot, rid, op | status << 4])


def op_of(writes, i):
    """The operation of request i of the head (bit i % 8 of the write mask)."""
    return WRITE if writes >> (i % 8) & 1 else READ


def prod(rel):
    return bytes([1, rel & 0xFF, rel >> 8, 0])


def parse():
    return bytes([2, 0, 0, 0])


def issue(count, unmap=False, direct=0xF, writes=0, held=0):
    return bytes([3, (count & 3) << 1 | unmap, direct, writes | held << 4])


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/blkif_race"
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        # Four direct reads answered in order, in one batch.
        "direct-ok": head(4, 0xFF, 0, 0, 0) + b"".join(rsp(i, i) for i in range(4)) + prod(4)
        + parse(),
        # Direct and pooled, reads and writes, answered out of order, with
        # an error and an EOPNOTSUPP; the ring index wraps past 2^32.
        "mixed-wrap": head(8, 0x55, 0x33, 0, -3) + rsp(0, 5, WRITE) + rsp(1, 0, WRITE)
        + rsp(2, 7, READ, ERR) + rsp(3, 1, WRITE, NOTSUPP) + prod(2) + parse() + prod(4) + parse()
        + rsp(4, 2) + rsp(5, 3) + rsp(6, 4, INDIRECT) + rsp(7, 6, INDIRECT) + prod(8) + parse(),
        # Pooled and direct reads and writes, all answered OKAY: the pooled
        # reads' data must reach the caller.
        "mixed-ok": head(8, 0x55, 0x33, 0, 0) + b"".join(rsp(i, 7 - i, op_of(0x33, 7 - i))
                                                         for i in range(8)) + prod(8) + parse(),
        # The backend answers while it still maps the page of request 0.
        "direct-held": head(2, 0xFF, 0, 0x01, 0) + rsp(0, 0) + rsp(1, 1) + prod(2) + parse(),
        # Held, then released before the answer: a clean completion.
        "direct-held-released": head(2, 0xFF, 0x02, 0x03, 0) + issue(0, unmap=True) + rsp(0, 1, WRITE)
        + rsp(1, 0) + prod(2) + parse(),
        # rsp_prod flips between values across calls: forward, back, forward.
        "prod-flip": head(4, 0x0F, 0, 0, 100) + b"".join(rsp(i, i) for i in range(4)) + prod(2)
        + parse() + prod(1) + parse() + prod(2) + parse() + prod(3) + parse() + prod(2) + parse()
        + prod(4) + parse(),
        # An id completed, issued again, and a stale duplicate answer for it.
        "id-reuse": head(2, 0xFF, 0, 0, 0) + rsp(0, 0) + prod(1) + parse() + issue(1) + rsp(1, 0)
        + rsp(2, 0) + prod(3) + parse(),
        # rsp_prod past everything sent.
        "prod-jump": head(3, 0, 0, 0, 7) + rsp(0, 0) + prod(300) + parse(),
        # All 32 ids in flight, answered in reverse, then refilled.
        "full-ring": head(32, 0xAA, 0x0F, 0, 0) + b"".join(rsp(i, 31 - i, op_of(0x0F, 31 - i))
                                                           for i in range(32))
        + prod(32) + parse() + issue(3) + issue(3) + b"".join(rsp(32 + i, i) for i in range(6))
        + prod(38) + parse(),
        # Bad answers: unknown id, wrong operation, undefined status.
        "bad-id": head(2, 0xFF, 0, 0, 0) + rsp(0, 200) + prod(1) + parse(),
        "bad-op": head(2, 0xFF, 0, 0, 0) + rsp(0, 0, FLUSH) + prod(1) + parse(),
        "bad-status": head(2, 0xFF, 0, 0, 0) + rsp(0, 0, READ, BAD) + prod(1) + parse(),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
