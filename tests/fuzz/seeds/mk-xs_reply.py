#!/usr/bin/env python3
"""Seeds for the xs_reply fuzz target: a reply of every XenStore message
type (xs_wire.h), the ERROR and WATCH_EVENT payloads in their good and
malformed shapes, messages split across the ring's end, delivered a byte
at a time, and rsp_prod moving backwards or far ahead.

Input format (tests/fuzz/xs_reply_fuzz.c): le32 start index, then commands:
0xFF + le32 sets rsp_prod; any other byte b appends the next b + 1 bytes.

Usage: mk-xs_reply.py OUTDIR
"""
import os
import struct
import sys

T = dict(DEBUG=0, DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5, TRANSACTION_START=6,
         TRANSACTION_END=7, INTRODUCE=8, RELEASE=9, GET_DOMAIN_PATH=10, WRITE=11, MKDIR=12, RM=13,
         SET_PERMS=14, WATCH_EVENT=15, ERROR=16, IS_DOMAIN_INTRODUCED=17, RESUME=18, SET_TARGET=19,
         RESET_WATCHES=21, DIRECTORY_PART=22)


def msg(mtype, body, req_id=1, tx_id=0, length=None):
    return struct.pack("<IIII", mtype, req_id, tx_id, len(body) if length is None else length) + body


def feed(data, chunk=200):
    """Commands appending @data in chunks of at most @chunk bytes."""
    out = b""
    for i in range(0, len(data), chunk):
        piece = data[i : i + chunk]
        out += bytes([len(piece) - 1]) + piece
    return out


def prod(value):
    return b"\xff" + struct.pack("<I", value & 0xFFFFFFFF)


def seed(start, cmds):
    return struct.pack("<I", start & 0xFFFFFFFF) + cmds


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/xs_reply"
    os.makedirs(outdir, exist_ok=True)
    seeds = {}
    ok_bodies = {
        "DIRECTORY": b"vbd\0vif\0console\0",
        "DIRECTORY_PART": b"1234\0a\0b\0\0",
        "READ": b"4",
        "GET_PERMS": b"n0\0r7\0",
        "WATCH": b"OK\0",
        "UNWATCH": b"OK\0",
        "TRANSACTION_START": b"17\0",
        "TRANSACTION_END": b"OK\0",
        "GET_DOMAIN_PATH": b"/local/domain/7\0",
        "WRITE": b"OK\0",
        "MKDIR": b"OK\0",
        "RM": b"OK\0",
        "SET_PERMS": b"OK\0",
        "IS_DOMAIN_INTRODUCED": b"T\0",
        "RESET_WATCHES": b"OK\0",
        "DEBUG": b"",
        "INTRODUCE": b"OK\0",
        "RELEASE": b"OK\0",
        "RESUME": b"OK\0",
        "SET_TARGET": b"OK\0",
    }
    for name, body in ok_bodies.items():
        seeds["type-" + name.lower()] = seed(0, feed(msg(T[name], body, req_id=T[name] + 1)))
    # ERROR payloads: known names, an unknown one, without NUL, empty, one
    # with text after the NUL.
    for label, body in (("enoent", b"ENOENT\0"), ("eagain", b"EAGAIN\0"), ("eacces", b"EACCES\0"),
                        ("e2big", b"E2BIG\0"), ("unknown", b"EWHATEVER\0"), ("no-nul", b"EINVAL"),
                        ("empty", b""), ("nul-junk", b"EIO\0junk")):
        seeds["error-" + label] = seed(0, feed(msg(T["ERROR"], body, req_id=9)))
    # WATCH_EVENT payloads: path\0token\0, without the last NUL, without a
    # token, empty path, extra fields, many events back to back.
    for label, body in (("ok", b"device/vbd/51712/state\0xenbus1\0"),
                        ("no-last-nul", b"backend/vbd/7/51712/state\0xenbus2"),
                        ("no-token", b"device/vbd/51712/state\0"),
                        ("empty-path", b"\0tok\0"), ("extra", b"a\0b\0c\0d\0"),
                        ("one-string", b"device")):
        seeds["watch-event-" + label] = seed(0, feed(msg(T["WATCH_EVENT"], body, req_id=0)))
    burst = b"".join(msg(T["WATCH_EVENT"], b"device/vbd/%d/state\0xenbus%d\0" % (i, i), req_id=0)
                     for i in range(20))
    seeds["watch-event-burst"] = seed(0, feed(burst))
    # Every type back to back in one ring, with wrap: start just before 2^32.
    everything = b"".join(msg(T[n], b, req_id=i) for i, (n, b) in enumerate(ok_bodies.items()))
    seeds["all-types-wrap"] = seed(-700, feed(everything, 100))
    # A reply split across the end of the ring (index 1000 of 1024), and a
    # header split byte by byte.
    seeds["split-ring-end"] = seed(1000, feed(msg(T["READ"], b"x" * 60)))
    seeds["trickle"] = seed(5, feed(msg(T["READ"], b"trickled\0"), 1))
    # Payload exactly XENSTORE_PAYLOAD_MAX (4096: fits), and 4097 (drained).
    seeds["payload-max"] = seed(0, feed(msg(T["READ"], b"m" * 4096), 256))
    seeds["payload-max-plus-1"] = seed(0, feed(msg(T["READ"], b"m" * 4097), 256))
    # rsp_prod moved back, then ahead by more than a ring, then wrapped.
    seeds["prod-back"] = seed(100, feed(msg(T["WRITE"], b"OK\0")) + prod(100) + prod(90))
    seeds["prod-ring-ahead"] = seed(0, feed(msg(T["READ"], b"5")[:10]) + prod(1024 + 10))
    seeds["prod-wrap"] = seed(-10, prod(-10) + feed(msg(T["READ"], b"wrap\0")) + prod(5))
    # A header with len larger than its type allows and a tx_id set.
    seeds["tx-id-set"] = seed(0, feed(msg(T["READ"], b"1", req_id=3, tx_id=0x11223344)))
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds, %d bytes in all" % (len(seeds), sum(map(len, seeds.values()))))


if __name__ == "__main__":
    main()
