#!/usr/bin/env python3
"""Seeds for the http fuzz target: URLs (first byte 0x00), response header
blocks (0x40) and chunked bodies (0x80 | feed mode). Usage: mk-http.py [OUTDIR]."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "corpus", "http")
os.makedirs(out, exist_ok=True)

seeds = {
    "url-plain": b"\x00http://10.0.0.1/boot/Image",
    "url-port-query": b"\x00HTTP://server.example:8080/a/b?c=d#frag",
    "url-https": b"\x00https://h/x",
    "head-length": b"\x40HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 1234\r\n\r\nbody",
    "head-chunked": b"\x40HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    "head-redirect": b"\x40HTTP/1.0 302 Found\nLocation: /new/place\n\n",
    "head-dup-length": b"\x40HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    "chunked-1": b"\x81" + b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer: x\r\n\r\n",
    "chunked-small-room": b"\xa3" + b"20\r\n" + b"x" * 32 + b"\r\n0\r\n\r\n",
    "chunked-lf": b"\x9f" + b"A\nabcdefghij\n0\n\n",
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")
