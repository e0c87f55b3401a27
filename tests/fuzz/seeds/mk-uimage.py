#!/usr/bin/env python3
"""More seeds for the uimage fuzz target: legacy (mkimage) images with valid
CRCs in the shapes mkimage writes and some it does not.

Header (64 bytes, big-endian): magic, hcrc, time, size, load, ep, dcrc,
os, arch, type, comp, name[32].

Usage: mk-uimage.py OUTDIR
"""
import os
import struct
import sys
import zlib

MAGIC = 0x27051956
SCRIPT, MULTI, RAMDISK, KERNEL = 6, 4, 3, 2


def image(itype, data, name=b"seed", comp=0, size=None):
    size = len(data) if size is None else size
    dcrc = zlib.crc32(data[:size]) & 0xFFFFFFFF
    h = struct.pack(">IIIIIII4B32s", MAGIC, 0, 0, size, 0x40000000, 0x40000000, dcrc, 5, 22,
                    itype, comp, name)
    h = h[:4] + struct.pack(">I", zlib.crc32(h) & 0xFFFFFFFF) + h[8:]
    return h + data


def table(parts, end=True):
    t = b"".join(struct.pack(">I", len(p)) for p in parts) + (b"\0\0\0\0" if end else b"")
    return t + b"".join(p + b"\0" * (-len(p) % 4) for p in parts)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/uimage"
    os.makedirs(outdir, exist_ok=True)
    text = b"echo hello\nsetenv bootargs console=hvc0\nbooti ${kernel_addr_r} - ${fdt_addr_r}\n"
    seeds = {
        # A script with three parts (only the first is the script).
        "script-3-parts": image(SCRIPT, table([text, b"second part", b"x" * 9])),
        # Script table with no terminating zero size.
        "script-no-end": image(SCRIPT, table([text], end=False)),
        # Part size past the image.
        "script-part-too-big": image(SCRIPT, struct.pack(">II", 4096, 0) + text),
        # A 32-byte name with no NUL.
        "name-32": image(RAMDISK, b"initrd" * 10, name=b"N" * 32),
        # Multi-file image with a kernel and an initrd part.
        "multi-2": image(MULTI, table([b"K" * 40, b"I" * 24])),
        # Size field larger than the data (truncated download).
        "size-past-end": image(KERNEL, b"k" * 32, size=32)[:64 + 16],
        # gzip-compressed script flag with a gzip payload.
        "script-gzip-table": image(SCRIPT, table([zlib.compress(text)]), comp=1),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
