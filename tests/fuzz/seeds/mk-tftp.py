#!/usr/bin/env python3
"""Seeds for the tftp fuzz target (tests/fuzz/tftp_fuzz.c): a first byte of
transfer settings, then packets framed as flags (bit 0: another port, bit 1:
a timeout first) + 2-byte big-endian length. A windowed transfer with an
OACK, one with a lost block, a plain RFC 1350 one, an error, and a file
larger than the room. Usage: mk-tftp.py OUTDIR"""
import os
import struct
import sys


def pkt(data, flags=0):
    return struct.pack(">BH", flags, len(data)) + data


def oack(**o):
    return struct.pack(">H", 6) + b"".join(k.encode() + b"\0" + str(v).encode() + b"\0"
                                           for k, v in o.items())


def data(n, payload):
    return struct.pack(">HH", 3, n) + payload


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
blocks = [bytes([i]) * 512 for i in range(7)]
seeds = {
    "window": b"\x00" + pkt(oack(blksize=512, windowsize=4, tsize=3100)) +
    b"".join(pkt(data(i + 1, blocks[i])) for i in range(6)) + pkt(data(7, b"end")),
    "lost-block": b"\x00" + pkt(oack(blksize=512, windowsize=4)) + pkt(data(1, blocks[0])) +
    pkt(data(3, blocks[2])) + pkt(data(2, blocks[1]), 2) + pkt(data(3, b"x")),
    "plain": b"\x80" + pkt(data(1, blocks[0])) + pkt(data(1, blocks[0])) + pkt(data(2, b"")),
    "error": b"\x00" + pkt(struct.pack(">HH", 5, 1) + b"File not found\0"),
    "too-big": b"\x3f" + pkt(oack(tsize=99999)) + pkt(data(1, blocks[0]), 1),
}
for n, d in seeds.items():
    with open(os.path.join(out, n), "wb") as f:
        f.write(d)
