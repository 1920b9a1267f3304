#!/usr/bin/python3
# Send one SIP request over TCP (or UDP) and print the answer's status
# line and headers: the bed's stand-in for a misbehaving or hostile peer.
# Usage: sip-tcp.py [--udp] HOST PORT METHOD URI "Header: value"...
#                   [--body FILE] [--for SECONDS]
# --for (TCP): the same request again on the connection every 0.1 s, each
# after the previous answer, for SECONDS; prints the last answer and, on
# stderr, how many were answered.
# SPDX-License-Identifier: GPL-2.0-or-later
import random
import re
import socket
import sys
import time


def main():
    args = sys.argv[1:]
    body = b""
    if "--body" in args:
        i = args.index("--body")
        with open(args[i + 1], "rb") as f:
            body = f.read()
        del args[i:i + 2]
    repeat = 0.0
    if "--for" in args:
        i = args.index("--for")
        repeat = float(args[i + 1])
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
    if repeat > 0 and not udp:
        end = time.monotonic() + repeat
        cseq = n = 0
        buf = b""
        while time.monotonic() < end:
            cseq += 1
            send(s, method, uri, me, myport, tag, cseq, args[4:], body, udp)
            head, buf = read_answer(s, buf)
            if head is None:
                break
            n += 1
            time.sleep(0.1)
        sys.stderr.write("%d answered\n" % n)
        sys.stdout.write((head or b"").decode(errors="replace") + "\n")
        return
    send(s, method, uri, me, myport, tag, 1, args[4:], body, udp)
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


def send(s, method, uri, me, myport, tag, cseq, headers, body, udp):
    branch = "%s%d" % (tag, cseq)
    head = [
        "%s %s SIP/2.0" % (method, uri),
        "Via: SIP/2.0/%s %s:%d;rport;branch=z9hG4bK%s" % (
            "UDP" if udp else "TCP", me, myport, branch),
        "Max-Forwards: 70",
        "From: <sip:bed@%s>;tag=%s" % (me, tag),
        "To: <%s>" % uri,
        "Call-ID: %s@%s" % (tag, me),
        "CSeq: %d %s" % (cseq, method),
    ] + headers + ["Content-Length: %d" % len(body)]
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def read_answer(s, buf):
    """One whole answer from a TCP stream: (headers, what follows it)."""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    m = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)", head)
    blen = int(m.group(1)) if m else 0
    while len(rest) < blen:
        chunk = s.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return head, rest[blen:]


if __name__ == "__main__":
    main()
