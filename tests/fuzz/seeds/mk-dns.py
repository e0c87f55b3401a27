#!/usr/bin/env python3
"""Seeds for the dns fuzz target (tests/fuzz/dns_fuzz.c): replies for
boot.example.org with an A record, a CNAME chain with compression, NXDOMAIN
and a pointer loop. Usage: mk-dns.py OUTDIR"""
import os
import struct
import sys


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def reply(flags, answers, count):
    q = name("boot.example.org") + struct.pack(">HH", 1, 1)
    return struct.pack(">HHHHHH", 0x4242, flags, 1, count, 0, 0) + q + answers


def rr(owner, rtype, data):
    return owner + struct.pack(">HHIH", rtype, 1, 60, len(data)) + data


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
seeds = {
    "a": reply(0x8180, rr(b"\xc0\x0c", 1, bytes([10, 0, 0, 7])), 1),
    "cname": reply(0x8180, rr(b"\xc0\x0c", 5, b"\x03srv\xc0\x11") +
                   rr(b"\xc0\x22", 1, bytes([10, 0, 0, 8])), 2),
    "nxdomain": reply(0x8183, b"", 0),
    "loop": reply(0x8180, rr(b"\xc0\x22", 1, bytes([10, 0, 0, 9])), 1),
}
for n, data in seeds.items():
    with open(os.path.join(out, n), "wb") as f:
        f.write(data)
