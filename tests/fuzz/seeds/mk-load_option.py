#!/usr/bin/env python3
"""Seeds for the load_option fuzz target: Boot#### variables' data
(EFI_LOAD_OPTION) as efibootmgr and grub-install write them.

Usage: mk-load_option.py OUTDIR
"""
import os
import struct
import sys


def node(t, sub, body):
    return struct.pack("<BBH", t, sub, 4 + len(body)) + body


END = node(0x7F, 0xFF, b"")


def option(attrs, desc, path, optional=b""):
    d = (desc + "\0").encode("utf-16-le")
    return struct.pack("<IH", attrs, len(path)) + d + path + optional


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/load_option"
    os.makedirs(outdir, exist_ok=True)
    hd = node(4, 1, struct.pack("<IQQ", 1, 2048, 1048576) + bytes(range(16)) + b"\x02\x02")
    fp = node(4, 4, "\\EFI\\debian\\grubaa64.efi\0".encode("utf-16-le"))
    vendor = node(1, 4, bytes(16) + struct.pack("<I", 51712))
    seeds = {
        # efibootmgr's short form: hard drive node, file, end; no data.
        "hd-file": option(1, "debian", hd + fp + END),
        # A full path with optional data (a kernel command line in UCS-2).
        "full-optional": option(1, "Linux", vendor + hd + fp + END,
                                "root=/dev/xvda2 ro".encode("utf-16-le")),
        # Inactive, hidden, an application; two path instances.
        "inactive-two": option(8 | 0x100, "", fp + node(0x7F, 0x01, b"") + fp + END),
        # A path list longer than the first path.
        "trailing": option(1, "x", fp + END + b"\x00" * 8),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
