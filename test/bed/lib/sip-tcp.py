#!/usr/bin/python3
# Send one SIP request over TCP (or UDP) and print the answer's status
# line and headers: the bed's stand-in for a misbehaving or hostile peer.
# Usage: sip-tcp.py [--udp] HOST PORT METHOD URI "Header: value"...
#                   [--body FILE]
# SPDX-License-Identifier: GPL-2.0-or-later
import random
import socket
import sys


def main():
    args = sys.argv[1:]
    body = b""
    if "--body" in args:
        i = args.index("--body")
        with open(args[i + 1], "rb") as f:
            body = f.read()
        del args[i:i + 2]
    udp = "--udp" in args
    if udp:
        args.remove("--udp")
    host, port, method, uri = args[0], int(args[1]), args[2], args[3]
    if udp:
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.settimeout(10)
        s.connect((host, port))
    else:
        s = socket.create_connection((host, port), timeout=10)
    me, myport = s.getsockname()[:2]
    if ":" in me:
        me = "[%s]" % me
    tag = "%08x" % random.getrandbits(32)
    head = [
        "%s %s SIP/2.0" % (method, uri),
        "Via: SIP/2.0/%s %s:%d;rport;branch=z9hG4bK%s" % (
            "UDP" if udp else "TCP", me, myport, tag),
        "Max-Forwards: 70",
        "From: <sip:bed@%s>;tag=%s" % (me, tag),
        "To: <%s>" % uri,
        "Call-ID: %s@%s" % (tag, me),
        "CSeq: 1 %s" % method,
    ] + args[4:] + ["Content-Length: %d" % len(body)]
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    data = b""
    while True:
        if udp:
            # a provisional answer is not the one we wait for
            data = s.recv(65536)
            if not data.startswith(b"SIP/2.0 1"):
                break
            continue
        if b"\r\n\r\n" in data:
            break
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    sys.stdout.write(data.split(b"\r\n\r\n")[0].decode(errors="replace") + "\n")


if __name__ == "__main__":
    main()
