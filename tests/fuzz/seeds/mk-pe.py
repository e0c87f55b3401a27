#!/usr/bin/env python3
"""Seeds for the pe fuzz target: small AArch64 PE32+ EFI images, valid and
broken, covering every record the loader reads (MS-DOS header, COFF header,
PE32+ optional header, data directories, section headers, base relocation
blocks with ABSOLUTE and DIR64 entries).

Each real PE given after OUTDIR (a Linux arm64 Image, Debian's
systemd-bootaa64.efi or linuxaa64.efi.stub, ...) adds its first 4 KiB as
"<name>-head": the real headers, with the sections past the cut.

Usage: mk-pe.py OUTDIR [PE...]
"""
import os
import struct
import sys

ARM64, PE32PLUS = 0xAA64, 0x20B
ABSOLUTE, DIR64 = 0, 10


def reloc_block(page, entries):
    body = b"".join(struct.pack("<H", t << 12 | off) for t, off in entries)
    if len(body) % 4:
        body += struct.pack("<H", ABSOLUTE << 12)
    return struct.pack("<II", page, 8 + len(body)) + body


def image(sections, entry=0x1010, base=0x10000000, salign=0x1000, falign=0x200,
          subsystem=10, machine=ARM64, reloc=None, hdrs=0x400, dirs=16, chars=0x22,
          size=None):
    """sections: (name, va, vsize, data); data is placed at FileAlignment."""
    lfanew = 0x80
    opt_size = 112 + 8 * dirs
    raw = hdrs
    table, blobs = b"", b""
    end = 0
    for name, va, vsize, data in sections:
        rsize = (len(data) + falign - 1) // falign * falign if data else 0
        table += struct.pack("<8sIIIIIIHHI", name, vsize, va, rsize, raw if data else 0,
                             0, 0, 0, 0, 0x60000020)
        blobs += data + b"\0" * (rsize - len(data))
        raw += rsize
        end = max(end, va + vsize)
    size = size or (end + salign - 1) // salign * salign
    dd = [(0, 0)] * dirs
    if reloc and dirs > 5:
        dd[5] = reloc
    opt = struct.pack("<HBBIIIIIQIIHHHHHHIIIIHHQQQQII", PE32PLUS, 2, 40, 0, 0, 0, entry, 0,
                      base, salign, falign, 0, 0, 0, 0, 0, 0, 0, size, hdrs, 0, subsystem,
                      0, 0, 0, 0, 0, 0, dirs)
    opt += b"".join(struct.pack("<II", *d) for d in dd)
    coff = struct.pack("<HHIIIHH", machine, len(sections), 0, 0, 0, opt_size, chars)
    dos = b"MZ" + b"\0" * 0x3A + struct.pack("<I", lfanew)
    head = dos + b"\0" * (lfanew - len(dos)) + b"PE\0\0" + coff + opt + table
    return head + b"\0" * (hdrs - len(head)) + blobs


def app(**kw):
    text = bytearray(b"\x1f\x20\x03\xd5" * 128)  # nops
    text[8:16] = struct.pack("<Q", 0x10001234)
    data = bytearray(b"\xd2" * 0x200)
    data[0x10:0x18] = struct.pack("<Q", 0x10002000)
    rel = reloc_block(0x1000, [(DIR64, 8)]) + reloc_block(0x2000, [(DIR64, 0x10), (ABSOLUTE, 0)])
    secs = [(b".text", 0x1000, 0x200, bytes(text)), (b".data", 0x2000, 0x1800, bytes(data)),
            (b".reloc", 0x4000, len(rel), rel)]
    return image(secs, reloc=kw.pop("reloc", (0x4000, len(rel))), **kw)


def linux_like():
    """Like the kernel's Image: 64 KiB alignment, no relocations, .data with bss."""
    secs = [(b".text", 0x10000, 0x200, b"\x1f\x20\x03\xd5" * 128),
            (b".data", 0x20000, 0x30000, b"\x11" * 0x200)]
    return image(secs, entry=0x10000, base=0, salign=0x10000, reloc=None, dirs=6, chars=0x206)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/pe"
    os.makedirs(outdir, exist_ok=True)
    many = b"".join(reloc_block(0x1000 + 0x1000 * (i % 3), [(DIR64, 8 * i), (ABSOLUTE, 0)])
                    for i in range(8))
    seeds = {
        "app": app(),
        "driver-bs": app(subsystem=11),
        "driver-rt": app(subsystem=12),
        "linux-like": linux_like(),
        "no-reloc-dir": app(reloc=None, dirs=5),
        "stripped": app(reloc=None, chars=0x23),
        "reloc-many": image([(b".text", 0x1000, 0x1000, b"\0" * 0x200),
                             (b".data", 0x2000, 0x2000, b"\0" * 0x200),
                             (b".reloc", 0x4000, len(many), many)],
                            reloc=(0x4000, len(many))),
        "reloc-bad-type": image([(b".text", 0x1000, 0x200, b"\0" * 0x200),
                                 (b".reloc", 0x2000, 12, reloc_block(0x1000, [(3, 8), (DIR64, 0)]))],
                                reloc=(0x2000, 12)),
        "overlap": image([(b".text", 0x1000, 0x2000, b"\0" * 0x200),
                          (b".data", 0x2000, 0x200, b"\0" * 0x200)]),
        "x86-64": app(machine=0x8664),
        "truncated": app()[:0x500],
    }
    for path in sys.argv[2:]:
        name = os.path.basename(path).split(".")[0].lower()
        with open(path, "rb") as f:
            seeds[name + "-head"] = f.read(4096)
    for name, blob in seeds.items():
        assert len(blob) < 65536, name
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    main()
