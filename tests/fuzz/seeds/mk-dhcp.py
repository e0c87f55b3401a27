#!/usr/bin/env python3
"""Seeds for the dhcp fuzz target (tests/fuzz/dhcp_fuzz.c): OFFER then ACK
as dnsmasq and ISC dhcpd send them (options 1, 3, 6, 51, 54, 66, 67), an
ACK with option overload, and a NAK. Each packet is framed with a 2-byte
big-endian length. Usage: mk-dhcp.py OUTDIR"""
import os
import struct
import sys

MAC = bytes([0x00, 0x16, 0x3E, 0x12, 0x34, 0x56])
XID = 0x1234ABCD


def reply(mtype, yiaddr, opts, file=b"", sname=b""):
    hdr = struct.pack(">BBBBIHHIIII", 2, 1, 6, 0, XID, 0, 0x8000, 0, yiaddr, 0x0A000001, 0)
    hdr += MAC + bytes(10) + sname.ljust(64, b"\0") + file.ljust(128, b"\0")
    return hdr + struct.pack(">I", 0x63825363) + bytes([53, 1, mtype]) + opts + b"\xff"


def opt(code, value):
    return bytes([code, len(value)]) + value


BASE = (opt(1, bytes([255, 255, 255, 0])) + opt(3, bytes([10, 0, 0, 254])) +
        opt(6, bytes([10, 0, 0, 53])) + opt(51, struct.pack(">I", 3600)) +
        opt(54, bytes([10, 0, 0, 1])) + opt(66, b"10.0.0.1") + opt(67, b"pxelinux.0"))


def frame(*pkts):
    return b"".join(struct.pack(">H", len(p)) + p for p in pkts)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
seeds = {
    "offer-ack": frame(reply(2, 0x0A000002, BASE), reply(5, 0x0A000002, BASE)),
    "nak": frame(reply(2, 0x0A000002, BASE), reply(6, 0, opt(54, bytes([10, 0, 0, 1])))),
    "overload": frame(reply(2, 0x0A000002, BASE),
                      reply(5, 0x0A000002, opt(52, b"\x01"),
                            file=opt(54, bytes([10, 0, 0, 1])) + opt(67, b"Image") + b"\xff")),
    "bootp-fields": frame(reply(2, 0x0A000002, opt(54, bytes([10, 0, 0, 1])), file=b"grubaa64.efi",
                                sname=b"boot-server")),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
