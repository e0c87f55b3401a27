#!/usr/bin/env python3
"""Seeds for the xenbus fuzz target (format: tests/fuzz/xenbus_fuzz.c).

Usage: mk-xenbus.py OUTDIR
"""
import os
import sys

(UNKNOWN, INITIALISING, INITWAIT, INITIALISED, CONNECTED, CLOSING, CLOSED) = range(7)
FAULTS = ["wrong-req-id", "dup-req-id", "wrong-type", "oversized", "rsp-prod-jump", "event-first",
          "bad-event", "stall", "error", "no-nul", "tx-eagain", "wrong-tx"]


def field(b):
    return bytes([len(b)]) + b


def entry(value, ticks=0, after_change=False, chatter=False):
    return bytes([ticks | (0x80 if after_change else 0) | (0x40 if chatter else 0)]) + field(value)


def timing(fault_count=1, wait=4, teardown=4):
    return (fault_count - 1) | wait << 2 | teardown << 5


def seed(flags, tim, fields, script):
    return bytes([flags, tim]) + b"".join(field(f) for f in fields) + b"".join(script)


def num(n):
    return b"%d" % n


# A backend that does its job: connects after a while, then follows the
# frontend through the teardown (Closing, Closed, InitWait).
GOOD = [entry(num(CONNECTED), 3), entry(num(CLOSING), 0, True), entry(num(CLOSED), 0, True),
        entry(num(INITWAIT), 0, True)]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/xenbus"
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        "good": seed(0, timing(), [num(INITWAIT)], GOOD),
        "already-connected": seed(0, timing(), [num(CONNECTED)], GOOD[1:]),
        # Values that are not states, one after another.
        "garbage-states": seed(0, timing(wait=7), [b"4\0junk"], [
            entry(v, 1) for v in (b"09", b"", b"99", b"-1", b" 4", b"4 ", b"0x4", b"8", b"9",
                                  b"18446744073709551620", b"4\n")] + [entry(num(CONNECTED), 1)]),
        # Writes under the backend path that never change the state.
        "chatty": seed(4, timing(wait=2, teardown=2), [num(INITWAIT)], []),
        "chatty-then-good": seed(4, timing(), [num(INITWAIT)], GOOD),
        # The state node rewritten on every guest request (issue 8 #7:
        # a wait that returns at once on each event must still time out).
        "state-rewritten": seed(0x80, timing(wait=2, teardown=1), [num(INITWAIT)], []),
        # Connected, Closing, Connected... without waiting for us.
        "flapping": seed(0, timing(), [num(INITWAIT)],
                         [entry(num(s), 0) for s in (CONNECTED, CLOSING, CONNECTED, CLOSED, INITWAIT)
                          ] + GOOD[1:]),
        # Never moves: both waits time out.
        "frozen": seed(0, timing(wait=1, teardown=1), [num(INITWAIT)], []),
        # What the toolstack wrote is bad.
        "relative-backend": seed(1, timing(), [b"local/domain/0/backend/vbd/7/51712", num(INITWAIT)], GOOD),
        "long-backend": seed(1, timing(), [b"/" + b"b" * 150, num(INITWAIT)], GOOD),
        "unprintable-backend": seed(1, timing(), [b"/local/domain/0/back\x01end", num(INITWAIT)], GOOD),
        "other-backend": seed(1, timing(), [b"/local/domain/0/backend/vbd/7/768", num(INITWAIT)], GOOD),
        "backend-id-big": seed(2, timing(), [b"70000", num(INITWAIT)], GOOD),
        "backend-id-text": seed(2, timing(), [b"0x0", num(INITWAIT)], GOOD),
        "backend-id-nul": seed(2, timing(), [b"0\0" + b"9", num(INITWAIT)], GOOD),
        "state-removed": seed(0, timing(), [num(INITWAIT)], [entry(b"", 2)]),
    }
    for i, name in enumerate(FAULTS):
        seeds["fault-" + name] = seed((i + 1) << 3, timing(fault_count=2), [num(INITWAIT)], GOOD)
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
