#!/usr/bin/python3
# Register one UE's contact at the S-CSCF directly, the way a P-CSCF would
# (Path, IMS-AKA answered with the UE's USIM keys), carrying whatever SA
# record header the test hands it: the bed's stand-in for a P-CSCF that
# forwards a tampered, truncated, replayed or misdirected record.
#
# Usage: scscf-register.py --scscf HOST:PORT --user ue000001 --domain D
#          --contact URI --path URI --k HEX --op HEX --milenage PATH
#          [--expires S] ["Header: value"]...
# Prints the final status code; exit 0 on a 2xx.
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import base64
import json
import random
import socket
import subprocess
import sys

from digest_aka import auth_params, authorization


class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=15)
        self.me, self.myport = self.s.getsockname()[:2]
        self.buf = b""

    def send(self, text):
        self.s.sendall(text.encode())

    def response(self):
        """The next final response (provisional ones are skipped)."""
        while True:
            while b"\r\n\r\n" not in self.buf:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise SystemExit("connection closed by the S-CSCF")
                self.buf += chunk
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = head.decode(errors="replace").split("\r\n")
            hdrs = {}
            for ln in lines[1:]:
                k, _, v = ln.partition(":")
                hdrs.setdefault(k.strip().lower(), v.strip())
            clen = int(hdrs.get("content-length", "0") or 0)
            while len(self.buf) < clen:
                self.buf += self.s.recv(65536)
            self.buf = self.buf[clen:]
            code = int(lines[0].split()[1])
            if code >= 200:
                return code, hdrs


def main():
    ap = argparse.ArgumentParser()
    for a in ("--scscf", "--user", "--domain", "--contact", "--path", "--k",
              "--op", "--milenage"):
        ap.add_argument(a, required=True)
    ap.add_argument("--expires", default="600")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    host, port = a.scscf.rsplit(":", 1)
    c = Conn(host, int(port))
    impu = "sip:%s@%s" % (a.user, a.domain)
    impi = "%s@%s" % (a.user, a.domain)
    uri = "sip:" + a.domain
    tag = "%08x" % random.getrandbits(32)
    callid = "%s@%s" % (tag, c.me)

    def register(cseq, auth, extra):
        head = [
            "REGISTER %s SIP/2.0" % uri,
            "Via: SIP/2.0/TCP %s:%d;branch=z9hG4bK%s%d" % (c.me, c.myport, tag, cseq),
            "Max-Forwards: 70",
            "From: <%s>;tag=%s" % (impu, tag),
            "To: <%s>" % impu,
            "Call-ID: " + callid,
            "CSeq: %d REGISTER" % cseq,
            "Contact: <%s>;expires=%s" % (a.contact, a.expires),
            "Expires: " + a.expires,
            "Path: <%s>" % a.path,
            "Supported: path",
            "Authorization: " + auth,
        ] + extra + ["Content-Length: 0"]
        c.send("\r\n".join(head) + "\r\n\r\n")
        return c.response()

    code, hdrs = register(1, 'Digest username="%s",realm="%s",nonce="",uri="%s",'
                          'response=""' % (impi, a.domain, uri), [])
    if code != 401:
        print(code)
        return 1
    ch = auth_params(hdrs.get("www-authenticate"))
    raw = base64.b64decode(ch["nonce"])
    usim = subprocess.run(
        [a.milenage, "--k", a.k, "--op", a.op, "--rand", raw[:16].hex(),
         "--autn", raw[16:32].hex()], capture_output=True, text=True)
    if usim.returncode != 0:
        print("AUTN does not verify: " + usim.stderr.strip(), file=sys.stderr)
        return 1
    auth = authorization(ch, impi, a.domain, uri, json.loads(usim.stdout)["res"])
    code, _ = register(2, auth, a.extra)
    print(code)
    return 0 if 200 <= code < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
