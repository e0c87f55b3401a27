#!/usr/bin/env python3
"""Seeds for the ext4 fuzz target: small filesystems with the structures a
single-file mke2fs image never has.

- ext4-extents-d1.img: /frag.bin, 12 one-block extents (holes between
  them): more than the inode's 4 slots, so the tree has depth 1 (an index
  in the inode, a leaf block). /d is an htree directory (dir_index: 150
  names, made by e2fsck -D) holding data.bin and y, the paths the target
  resolves.
- ext4-extents-d2.img: the same with the tree pushed to depth 2 (one more
  index block written by hand; no metadata_csum, so no checksum to fix).
- ext4-htree-csum.img: the depth-1 file and the htree directory with
  metadata_csum (inode checksums checked on every read).
- ext2-indirect.img: no extents; /frag.bin has blocks behind the single,
  double and triple indirect pointers (a sparse file), /d is an htree.
Images are 1 KiB-block filesystems of 192 KiB, made reproducibly (fixed
UUID, hash seed and time).

Usage: mk-ext4.py OUTDIR     (needs mke2fs, e2fsck, debugfs from e2fsprogs)
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

UUID = "2f1c7ac4-0d64-4e5b-9b0e-6a6c3a4d1e01"
HASH_SEED = "6c1b0a44-5f0e-4d57-a7de-0f3f35c5a2b1"
SIZE_KB = 192
ENV = dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000")


def run(*args, check=True):
    return subprocess.run(args, check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=ENV, text=True).stdout


def populate(root, indirect):
    os.makedirs(os.path.join(root, "d"))
    with open(os.path.join(root, "hello.txt"), "w") as f:
        f.write("hello\n")
    os.symlink("hello.txt", os.path.join(root, "link"))
    with open(os.path.join(root, "d", "data.bin"), "wb") as f:
        f.write(bytes(range(256)) * 12)
    with open(os.path.join(root, "d", "y"), "w") as f:
        f.write("y\n")
    # Names enough for several directory blocks: hard links to one inode,
    # so they cost no inode table.
    for i in range(150):
        os.link(os.path.join(root, "d", "y"),
                os.path.join(root, "d", "a hashed directory entry number %03d" % i))
    # One-block extents with a hole after each: one extent per block.
    with open(os.path.join(root, "frag.bin"), "wb") as f:
        if indirect:
            # Blocks behind the direct, single, double and triple pointers
            # (1 KiB blocks: 12, +256, +65536).
            for lblk in (0, 5, 20, 300, 66000):
                f.seek(lblk * 1024)
                f.write(b"%-1023d\n" % lblk)
        else:
            for i in range(12):
                f.seek(i * 2 * 1024)
                f.write(b"%-1023d\n" % i)
            f.truncate(12 * 2 * 1024 + 512)


def mkfs(img, src, features):
    with open(img, "wb") as f:
        f.truncate(SIZE_KB * 1024)
    run("mke2fs", "-q", "-F", "-b", "1024", "-I", "256", "-N", "32", "-m", "0", "-t", "ext4",
        "-O", features, "-U", UUID, "-E", "hash_seed=" + HASH_SEED + ",root_owner=0:0",
        "-d", src, img)
    # -D rebuilds every directory: large ones become htrees.
    out = run("e2fsck", "-fyD", img, check=False)
    flags = run("debugfs", "-R", "stat /d", img)
    assert int(re.search(r"Flags: (0x[0-9a-f]+)", flags).group(1), 16) & 0x1000, out + flags


def extent_leaf(img, path):
    """(inode block, byte offset in it) of @path's inode and its first leaf block."""
    m = re.search(r"located at block (\d+), offset (0x[0-9a-f]+)", run("debugfs", "-R", "imap " + path, img))
    ino_off = int(m.group(1)) * 1024 + int(m.group(2), 16)
    ex = run("debugfs", "-R", "ex " + path, img)
    leaf = None
    for line in ex.splitlines():
        f = line.split()
        # " 0/ 1   1/  1     0 - 4294967295  1234 ..." : level 0 of depth 1 is the index
        if len(f) > 5 and f[0].startswith("0/") and "-" in f:
            leaf = int(f[f.index("-") + 2])
    return ino_off, leaf


def free_block(img):
    out = run("debugfs", "-R", "ffb 1 150", img)
    return int(out.split()[-1])


def deepen(img):
    """Turn /frag.bin's depth-1 tree into depth 2: root -> new index block -> leaf."""
    ino_off, leaf = extent_leaf(img, "/frag.bin")
    blk = free_block(img)
    run("debugfs", "-w", "-R", "setb %d" % blk, img)
    data = bytearray(open(img, "rb").read())
    iblock = ino_off + 40
    magic, entries, emax, depth = struct.unpack_from("<HHHH", data, iblock)
    assert magic == 0xF30A and depth == 1 and entries == 1, (magic, entries, depth)
    # New middle node: depth 1, one index to the old leaf.
    node = struct.pack("<HHHHI", 0xF30A, 1, (1024 - 12) // 12, 1, 0)
    node += struct.pack("<IIHH", 0, leaf, 0, 0)
    data[blk * 1024 : blk * 1024 + len(node)] = node
    # Root: depth 2, its one index now points at the middle node.
    struct.pack_into("<HHHHI", data, iblock, 0xF30A, 1, emax, 2, 0)
    struct.pack_into("<IIHH", data, iblock + 12, 0, blk, 0, 0)
    open(img, "wb").write(data)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/ext4"
    os.makedirs(outdir, exist_ok=True)
    plain = "^metadata_csum,^64bit,^resize_inode,^has_journal,^flex_bg"
    kinds = [
        ("ext4-extents-d1.img", plain, False, False),
        ("ext4-extents-d2.img", plain, False, True),
        ("ext4-htree-csum.img", "metadata_csum,^has_journal,^resize_inode", False, False),
        ("ext2-indirect.img", "^extent,^metadata_csum,^64bit,^resize_inode,^has_journal,"
         "^flex_bg,^huge_file,^dir_nlink,^extra_isize", True, False),
    ]
    for name, features, indirect, deep in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            os.makedirs(src)
            populate(src, indirect)
            img = os.path.join(tmp, "fs.img")
            mkfs(img, src, features)
            if deep:
                deepen(img)
            print(name, run("debugfs", "-R", "ex /frag.bin", img).count("\n"), "extent lines")
            with open(os.path.join(outdir, name), "wb") as f:
                f.write(open(img, "rb").read())


if __name__ == "__main__":
    main()
