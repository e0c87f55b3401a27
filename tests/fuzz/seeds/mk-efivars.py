#!/usr/bin/env python3
"""Seeds for the efivars fuzz target (tests/fuzz/efivars_fuzz.c): the first
byte is the mode, the rest a variable file image (EBBR chapter 5, U-Boot's
ubootefi.var) or, with mode bit 2, a script of store operations.

- file-kinds: one entry of every kind the loader meets: NV|BS, NV|BS|RT,
  volatile, time-authenticated, hardware error record, empty data, no
  access attribute, a name repeated, and a last entry without padding
  (mode 1: CRC re-sealed by the target; mode 3 adds our tail).
- file-plain: a valid image with its own CRC (mode 0), and with the tail.
- file-bad-*: a bad magic, a length past the end, an entry past the end,
  a name without its NUL.
- ops-*: set / append / get / next / query / delete before and after
  ExitBootServices, and an unterminated name.

Usage: mk-efivars.py OUTDIR
"""
import os
import struct
import sys
import zlib

GUID = bytes.fromhex("61dfe48bca93d211aa0d00e098032b8c")
NV, BS, RT = 1, 2, 4


def entry(attr, name, data, pad=True):
    n = (name + "\0").encode("utf-16-le")
    e = struct.pack("<IIQ", len(data), attr, 0) + GUID + n + data
    if pad:
        e += b"\0" * (-len(e) % 8)
    return e


def image(entries):
    body = b"".join(entries)
    length = 24 + len(body)
    return struct.pack("<Q", 0) + b"UbEfiVa\x01" + struct.pack("<II", length, zlib.crc32(body)) + body


KINDS = [
    entry(NV | BS, "Boot0000", b"\x01\x00\x00\x00\x2a\x00"),
    entry(NV | BS | RT, "BootOrder", b"\x00\x00"),
    entry(BS | RT, "Volatile", b"v"),
    entry(NV | BS | RT | 0x20, "db", b"auth"),
    entry(NV | BS | RT | 0x08, "HwErrRec0000", b"h"),
    entry(NV | BS, "Empty", b""),
    entry(NV, "NoAccess", b"n"),
    entry(NV | BS, "Twice", b"first"),
    entry(NV | BS, "Twice", b"second"),
    entry(NV | BS | RT, "Last", b"L", pad=False),
]


def op(kind, name, attr, data=b"", pick=0, nul=True):
    n = (name + ("\0" if nul else "")).encode("utf-16-le")
    return bytes([kind, len(n), attr, len(data), pick]) + n + data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {}
    kinds = image(KINDS)
    seeds["file-kinds"] = b"\x01" + kinds
    seeds["file-kinds-tail"] = b"\x03" + kinds
    plain = image(KINDS[:2])
    seeds["file-plain"] = b"\x00" + plain
    seeds["file-plain-tail"] = b"\x02" + plain
    seeds["file-bad-magic"] = b"\x00" + plain[:8] + b"UbEfiVb\x01" + plain[16:]
    seeds["file-bad-length"] = b"\x00" + plain[:16] + struct.pack("<I", 4096) + plain[20:]
    broken = bytearray(plain)
    broken[24:28] = struct.pack("<I", 0xFFFF)
    seeds["file-bad-entry"] = b"\x01" + bytes(broken)
    noname = bytearray(plain)
    noname[24 + 32 : 24 + 48] = b"A" * 16
    seeds["file-bad-name"] = b"\x01" + bytes(noname)
    seeds["ops-boot"] = b"\x04" + b"".join([
        op(0, "Boot0001", NV | BS | RT, b"hello"),
        op(0, "Boot0001", NV | BS | RT | 0x80, b"more"),
        op(0, "Temp", BS, b"t", pick=1),
        op(0, "RO", BS | RT | 0, b"r", pick=2),
        op(1, "Boot0001", 0, pick=64),
        op(2, "", 0),
        op(3, "", NV | BS),
        op(0, "Temp", BS, b"", pick=1),
    ])
    seeds["ops-runtime"] = b"\x04" + b"".join([
        op(0, "Vol", BS | RT, b"v"),
        op(0, "Keep", NV | BS | RT, b"k"),
        op(4, "", 0, pick=0x5A),
        op(0, "Vol", BS | RT, b"w"),
        op(0, "Keep", NV | BS | RT, b"kk"),
        op(0, "New", BS | RT, b"n"),
        op(2, "Keep", 0),
        op(3, "", NV | BS | RT),
        op(0, "Bad", 0x10 | BS, b"x"),
        op(2, "Unterminated", 0, nul=False),
    ])
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%s: %d bytes" % (name, len(data)))


if __name__ == "__main__":
    main()
