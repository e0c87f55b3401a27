#!/usr/bin/env python3
"""Seeds for the memmap fuzz target (tests/fuzz/memmap_fuzz.c): two banks
with a gap, then regions, allocations top-down and bottom-up, at an
address, and frees (whole, middle, never allocated). The encoding follows
the target's reader: little-endian fields of 1, 2 or 3 bytes.
Usage: mk-memmap.py OUTDIR"""
import os
import struct
import sys

PG = 4096


def le(v, n):
    return (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little")


def addr_page(p):
    """addr(): the 'default' case, page @p of the window."""
    return le(((p % 130) << 3) | 2, 3)




def length_bytes(b):
    """length(): b < 32768 bytes."""
    return le((b << 1) | 1, 2)


def length_pages(n):
    """length(): n whole pages, n % 8 != 0."""
    return le(n << 1, 2)


def banks(*bs):
    out = le(len(bs) - 1, 1)
    for base_page, pages in bs:
        out += le(base_page * PG, 3) + le(pages * PG, 3)
    return out


def add(page, nbytes, kind):
    return le(0, 1) + addr_page(page) + length_bytes(nbytes) + le(kind, 1)


def alloc(nbytes, align_shift, lo_page, hi_page, top_down, tag):
    return (le(1, 1) + length_bytes(nbytes) + le(align_shift, 1) + addr_page(lo_page) +
            addr_page(hi_page) + le(top_down, 1) + le(tag, 1))


def alloc_at(page, npages, tag):
    return le(2, 1) + addr_page(page) + length_pages(npages) + le(tag, 1)


def free(page, npages):
    return le(3, 1) + addr_page(page) + length_pages(npages)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
two = banks((0, 40), (64, 32))
seeds = {
    "alloc-both-ways": two + alloc(5000, 0, 0, 129, 1, 1) + alloc(1, 0, 0, 129, 0, 2) +
    alloc(3 * PG, 15, 0, 129, 1, 3),
    "regions": two + add(2, 100, 3) + add(3, 5000, 5) + add(2, 3000, 2) + add(70, 1, 4) +
    alloc(PG, 0, 0, 129, 0, 1),
    "free-middle": two + alloc_at(10, 7, 1) + free(12, 2) + free(12, 1) + free(10, 7) +
    free(10, 2) + free(14, 3),
    "full": banks((0, 4)) + alloc(PG, 0, 0, 129, 0, 0) * 5 + free(1, 1) + alloc(2 * PG, 0, 0, 129, 0, 1),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
