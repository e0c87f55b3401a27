#!/usr/bin/env python3
"""Seeds for the net_input fuzz target (tests/fuzz/net_input_fuzz.c).

Input: a flags byte (bit 0: no address, bit 1: no UDP binding, bit 2:
send to 10.0.0.1 first, resolving it), then
frames as le16 length + bytes. The guest is 10.0.0.2/24, MAC
00:16:3e:12:34:56, UDP port 4000 bound; the peer is 10.0.0.1.

Usage: mk-net_input.py OUTDIR
"""
import os
import struct
import sys

GUEST_MAC = bytes.fromhex("00163e123456")
PEER_MAC = bytes.fromhex("525400aabb01")
BCAST = b"\xff" * 6
GUEST, PEER = bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, typ, payload):
    return dst + PEER_MAC + struct.pack("!H", typ) + payload


def ip(proto, l4, src=PEER, dst=GUEST, frag=0x4000, options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(l4), 7, frag, 64,
                    proto, 0, src, dst) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4


def udp(data, sport=5000, dport=4000, src=PEER, dst=GUEST):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    pseudo = src + dst + struct.pack("!BBH", 0, 17, len(u))
    c = csum(pseudo + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def icmp_echo(data=b"ping" * 8):
    m = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def arp(op, tpa, sha=PEER_MAC, spa=PEER):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + b"\0" * 6 + tpa


def frames(*fs):
    return b"".join(struct.pack("<H", len(f)) + f for f in fs)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        "arp-request": b"\0" + frames(eth(BCAST, 0x0806, arp(1, GUEST))),
        "arp-other": b"\0" + frames(eth(BCAST, 0x0806, arp(1, bytes([10, 0, 0, 9])))),
        "echo": b"\0" + frames(eth(GUEST_MAC, 0x0800, ip(1, icmp_echo()))),
        "udp": b"\0" + frames(eth(GUEST_MAC, 0x0800, ip(17, udp(b"hello world")))),
        "udp-options": b"\0" + frames(eth(GUEST_MAC, 0x0800,
                                          ip(17, udp(b"opts"), options=b"\x01\x01\x01\x00"))),
        "fragment": b"\0" + frames(eth(GUEST_MAC, 0x0800, ip(17, udp(b"frag"), frag=0x2000))),
        "tcp": b"\0" + frames(eth(GUEST_MAC, 0x0800, ip(6, b"\0" * 20))),
        "dhcp-offer": b"\1" + frames(eth(GUEST_MAC, 0x0800,
                                         ip(17, udp(b"offer", 67, 4000, dst=bytes([10, 0, 0, 50])),
                                            dst=bytes([10, 0, 0, 50])))),
        "resolve": b"\4" + frames(eth(GUEST_MAC, 0x0800, ip(17, udp(b"early"))),
                                  eth(BCAST, 0x0806, arp(1, GUEST)),
                                  eth(GUEST_MAC, 0x0806, arp(2, GUEST)),
                                  eth(GUEST_MAC, 0x0800, ip(17, udp(b"after")))),
        "mixed": b"\0" + frames(eth(BCAST, 0x0806, arp(1, GUEST)),
                                eth(GUEST_MAC, 0x0800, ip(1, icmp_echo())),
                                eth(GUEST_MAC, 0x0800, ip(17, udp(b"x" * 100))),
                                b"\0" * 10),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
