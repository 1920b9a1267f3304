#!/usr/bin/python3
# Damage a sealed SA record (text form) the ways a faulty or hostile P-CSCF
# could, for the bed's bad-input tests. The layout is the one ifo_seal.h
# documents: base64url(header | ctlen(2) | ciphertext | tag(16) | vtag(16)),
# header =
# version(1) keyid(1+n) nonce(12) node(1+n) contact(1+n) generation(8)
# expires(8), integers big-endian.
#
# Usage: record-mangle.py MODE RECORD
#   truncate   drop the last 8 characters
#   flip-ct    flip one bit in the ciphertext (header untouched)
#   bump-gen   add 1000 to the clear generation (neither tag fits any more)
#   header     print "node generation expires contact" and nothing else
# SPDX-License-Identifier: GPL-2.0-or-later
import base64
import sys


def b64d(t):
    return base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def header_fields(blob):
    """Offsets of the fields of the clear header."""
    off = 1
    off += 1 + blob[off]          # keyid
    off += 12                     # nonce
    node_off = off
    off += 1 + blob[off]          # node
    contact_off = off
    off += 1 + blob[off]          # contact
    return node_off, contact_off, off, off + 8, off + 16


def main():
    mode, text = sys.argv[1], sys.argv[2].strip()
    if mode == "truncate":
        print(text[:-8])
        return 0
    blob = bytearray(b64d(text))
    node_off, contact_off, gen_off, exp_off, end = header_fields(blob)
    if mode == "header":
        node = blob[node_off + 1:node_off + 1 + blob[node_off]].decode()
        contact = blob[contact_off + 1:contact_off + 1 + blob[contact_off]].decode()
        gen = int.from_bytes(blob[gen_off:exp_off], "big")
        exp = int.from_bytes(blob[exp_off:end], "big")
        print(node, gen, exp, contact)
        return 0
    if mode == "flip-ct":
        blob[end + 2 + 5] ^= 0x01
    elif mode == "bump-gen":
        gen = int.from_bytes(blob[gen_off:exp_off], "big") + 1000
        blob[gen_off:exp_off] = gen.to_bytes(8, "big")
    else:
        print("unknown mode " + mode, file=sys.stderr)
        return 2
    print(b64e(bytes(blob)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
