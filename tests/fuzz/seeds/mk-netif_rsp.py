#!/usr/bin/env python3
"""Seeds for the netif_rsp fuzz target (format: tests/fuzz/netif_rsp_fuzz.c):
n, k, txbase le32, rxbase le32, txprod le32, rxprod le32, a spare byte, k
TX responses {id le16, status le16}, RX responses {id, offset, flags,
status: le16 each}, then bytes for the start of every RX page. TX frame i
has id i; RX ring slot base + j holds page j.

Usage: mk-netif_rsp.py OUTDIR
"""
import os
import struct
import sys

MORE, CSUM_BLANK, VALIDATED, EXTRA = 4, 2, 1, 8


def head(n, k, txbase, rxbase, txprod, rxprod):
    m = 0xFFFFFFFF
    return bytes([n, k]) + struct.pack("<IIII", txbase & m, rxbase & m, txprod & m, rxprod & m) + b"\0"


def tx(i, status=0):
    return struct.pack("<Hh", i, status)


def rx(i, size, offset=0, flags=0):
    return struct.pack("<HHHh", i, offset, flags, size)


# An IPv4/UDP frame 10.0.0.1:1000 -> 10.0.0.2:69, "hello", checksum blank.
UDP = bytes.fromhex("00163e010203525400000001" "0800"
                    "450000211234400040110000" "0a0000010a000002"
                    "03e80045000d0000") + b"hello"


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/netif_rsp"
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        # Half the frames in flight answered, indices wrapping past 2^32.
        "tx-wrap": head(64, 32, -16, 0, 32, 0) + b"".join(tx(i) for i in range(32)),
        # Honest TX errors between good answers.
        "tx-errors": head(4, 4, 0, 0, 4, 0) + tx(0) + tx(1, -1) + tx(2, -2) + tx(3),
        # Four single-slot frames, the RX index wrapping.
        "rx-frames": head(0, 0, 0, -2, 0, 4) + b"".join(rx(j, 60 + j) for j in range(4))
        + bytes(range(64)),
        # One frame in three slots (more_data), one after it.
        "rx-multi": head(0, 0, 0, 0, 0, 4) + rx(0, 500, 10, MORE) + rx(1, 500, 0, MORE)
        + rx(2, 514, 3000) + rx(3, 64) + bytes(range(200)),
        # A blank UDP checksum to fill in.
        "rx-csum": head(0, 0, 0, 0, 0, 1) + rx(0, len(UDP), 0, CSUM_BLANK | VALIDATED) + UDP,
        # An RX error drops its frame only.
        "rx-error": head(0, 0, 0, 0, 0, 2) + rx(0, -1) + rx(1, 60) + bytes(60),
        # Both rings at once.
        "both": head(2, 2, 7, 9, 2, 2) + tx(0) + tx(1) + rx(0, 100) + rx(1, 1514) + bytes(100),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
