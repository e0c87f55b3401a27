#!/usr/bin/env python3
"""Seeds for the tcp fuzz target (tests/fuzz/tcp_fuzz.c): series of records
against an open connection. A segment record is 8 bytes (flags | 0x40 for a
bad checksum, sequence offset from rcv_nxt as big-endian int16 (x4096 with
bit 4 of the last byte), ACK offset from snd_una as int8, window, payload
length / 6, option words in the low nibble) followed by options and payload;
a record with the top two bits of its first byte set is a read (3 bytes:
op | timeout ms, size / 256, time jump in MiB of ns).
Usage: mk-tcp.py [OUTDIR]."""
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "corpus", "tcp")
os.makedirs(out, exist_ok=True)

FIN, SYN, RST, PSH, ACK, BADSUM = 0x01, 0x02, 0x04, 0x08, 0x10, 0x40


def seg(flags, dseq, dack, win, units, words=0, big=False, payload=b""):
    last = (words & 0xF) | (0x10 if big else 0)
    return (bytes([flags]) + struct.pack(">h", dseq) + struct.pack("b", dack) +
            struct.pack(">H", win) + bytes([units, last]) + payload)


def read(size256=4, timeout=0, jump=0):
    return bytes([0xC0 | timeout, size256, jump])


seeds = {
    "inorder": seg(ACK | PSH, 0, 0, 65535, 2, payload=b"a" * 12) +
    seg(ACK | PSH, 12, 0, 65535, 2, payload=b"b" * 12) + read(),
    "ooo": seg(ACK, 24, 0, 65535, 2, payload=b"c" * 12) +
    seg(ACK, 0, 0, 65535, 4, payload=b"d" * 24) + read(),
    "fin": seg(ACK | FIN, 0, 0, 1000, 1, payload=b"x" * 6) + read(),
    "rst": seg(RST, 0, 0, 0, 0) + seg(RST | ACK, 5, 0, 0, 0),
    "ackdata": seg(ACK, 0, 10, 100, 0) + seg(ACK, 0, 30, 0, 0) + read(1, 3, 4),
    "syn-opts": seg(SYN | ACK, 0, 1, 100, 0, 2, payload=bytes([2, 4, 5, 0xB4, 1, 3, 3, 14])),
    "far": seg(ACK, 30000, 0, 100, 10, big=True, payload=b"z" * 60),
    "badsum": seg(ACK | BADSUM, 0, 0, 100, 1, payload=b"q" * 6),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")
