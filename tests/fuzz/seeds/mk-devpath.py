#!/usr/bin/env python3
"""Seeds for the devpath fuzz target. The first byte splits the rest into
two device paths (a, b) at 1 + (len - 1) * byte / 256.

- disk-file.bin: a = Xen vbd vendor node + hard drive node + end, b = the
  same with a file path node "\\EFI\\BOOT\\BOOTAA64.EFI" (a is b's prefix).
- initrd.bin: the LINUX_EFI_INITRD_MEDIA vendor media node + end, twice.
- instances.bin: two instances (end-instance node between them).
- two-files.bin: two file path nodes "\\EFI" + "grubaa64.efi".
- short-node.bin: a node claiming 2 bytes, and one claiming 0xffff.

Usage: mk-devpath.py OUTDIR
"""
import os
import struct
import sys
import uuid


def node(t, s, body):
    return struct.pack("<BBH", t, s, 4 + len(body)) + body


END = node(0x7F, 0xFF, b"")
VBD = node(1, 4, uuid.UUID("da3297f5-db44-4425-b32f-873a764cf518").bytes_le + struct.pack("<I", 51712))
HD = node(4, 1, struct.pack("<IQQ", 1, 2048, 4096) + uuid.UUID(int=0x1234).bytes_le + b"\x02\x02")
INITRD = node(4, 3, uuid.UUID("5568e427-68fc-4f3d-ac74-ca555231cc68").bytes_le)


def file_node(path):
    return node(4, 4, (path + "\0").encode("utf-16-le"))


def pair(a, b):
    # Choose the split byte so that a gets exactly len(a) bytes.
    total = len(a) + len(b) + 1
    for k in range(256):
        if 1 + (total - 1) * k // 256 == 1 + len(a):
            return bytes([k]) + a + b
    raise SystemExit("no split byte")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        "disk-file.bin": pair(VBD + HD + END, VBD + HD + file_node("\\EFI\\BOOT\\BOOTAA64.EFI") + END),
        "initrd.bin": pair(INITRD + END, INITRD + END),
        "instances.bin": pair(VBD + node(0x7F, 0x01, b"") + VBD + HD + END, VBD + END),
        "two-files.bin": pair(file_node("\\EFI") + file_node("grubaa64.efi") + END, END),
        "short-node.bin": pair(struct.pack("<BBH", 1, 4, 2) + END, struct.pack("<BBH", 4, 4, 0xFFFF)),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


main()
