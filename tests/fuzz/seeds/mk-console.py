#!/usr/bin/env python3
"""Seeds for the console fuzz target: PV console ring states.

Input format (tests/fuzz/console_fuzz.c): 9-byte steps {op, in_prod le32,
out_cons le32}; op bit 0: read (bits 1..6 pick the size), else write;
bit 7: the backend says disconnected. The bytes after the last whole step
fill the "in" ring (1024 bytes).

Usage: mk-console.py OUTDIR
"""
import os
import struct
import sys

IN_SIZE, OUT_SIZE = 1024, 2048


def step(op, in_prod, out_cons):
    return struct.pack("<BII", op, in_prod & 0xFFFFFFFF, out_cons & 0xFFFFFFFF)


def read(size_sel, in_prod, out_cons=0, down=False):
    return step(1 | (size_sel & 0x3F) << 1 | (0x80 if down else 0), in_prod, out_cons)


def write(in_prod, out_cons, down=False):
    return step(0x80 if down else 0, in_prod, out_cons)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/console"
    os.makedirs(outdir, exist_ok=True)
    text = bytes(range(32, 127)) * 11
    seeds = {
        # Input arriving in pieces, read in several sizes, all of the ring.
        "read-pieces": read(0, 10) + read(3, 60) + read(63, 1024) + read(1, 1024),
        # A full ring then wrap: in_prod runs past 2^32.
        "read-wrap": read(63, 0xFFFFFF00) + read(63, 0x100) + read(63, 0x500),
        # in_prod more than a ring ahead, then behind in_cons.
        "read-prod-jump": read(10, 5000) + read(10, 3) + read(10, 0xFFFFFFFF),
        # Output with a backend that consumes, stops, goes back, and
        # jumps past what we produced.
        "write-cons-moves": write(0, 5) + write(0, 10) + write(0, 0) + write(0, 4096) + write(0, 15),
        # A backend that never consumes: the ring fills (2048 / 5 writes).
        "write-stuck": b"".join(write(0, 0) for _ in range(60)),
        # Disconnected and back, reads and writes interleaved.
        "flapping": read(5, 20, 0, True) + write(20, 0, True) + read(5, 40) + write(40, 10)
        + write(40, 20, True) + read(63, 2000, 20),
        # Control bytes, NULs and high bytes in the input ring.
        "binary-input": read(63, 1024),
    }
    tails = {"binary-input": bytes(range(256)) * 4}
    for name, steps in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(steps + tails.get(name, text[:IN_SIZE]))
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
