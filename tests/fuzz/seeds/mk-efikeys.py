#!/usr/bin/env python3
"""Seeds for the efikeys fuzz target: console input as terminals send it.

Input format (tests/fuzz/efikeys_fuzz.c): raw console bytes.

Usage: mk-efikeys.py OUTDIR
"""
import os
import sys


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/efikeys"
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        # VT100/xterm arrows, Home/End, the ~ keys, F1..F12, modifiers.
        "xterm-keys": b"\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1bOH\x1bOF\x1b[2~\x1b[3~"
        b"\x1b[5~\x1b[6~\x1bOP\x1bOQ\x1bOR\x1bOS\x1b[15~\x1b[17~\x1b[24~\x1b[1;5A",
        # The Linux console's F1..F5, typed text, Enter as CR, CR LF, LF.
        "linux-console": b"\x1b[[A\x1b[[E\x1b[1~\x1b[4~menu\r\r\n\n\x7f\x08\t",
        # UTF-8 of every length, bad and overlong forms, a surrogate.
        "utf8": "é─↑😀".encode() + b"\xc0\xaf\xed\xa0\x80\xff\x80\xe2\x94",
        # Sequences cut short and absurdly long.
        "cut": b"\x1b\x1b[\x1bO\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16x\x1b[9999999999~\x1b",
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
