# Digest AKAv1-MD5 (RFC 3310) client side for the bed's Python tools: the
# UE agent and scscf-register.py answer IMS-AKA challenges the same way.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import re


def auth_params(value):
    """Parameters of a Digest WWW-Authenticate/Authorization value."""
    out = {}
    for m in re.finditer(r'([A-Za-z-]+)\s*=\s*("([^"]*)"|[^,\s]+)', value or ""):
        out[m.group(1).lower()] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def md5hex(*parts):
    h = hashlib.md5()
    for i, p in enumerate(parts):
        if i:
            h.update(b":")
        h.update(p if isinstance(p, bytes) else p.encode())
    return h.hexdigest()


def authorization(chal, user, realm, uri, res_hex):
    """The Authorization value answering challenge chal (auth_params of the
    WWW-Authenticate) with the USIM's RES as the password."""
    realm = chal.get("realm", realm)
    ha1 = md5hex(user, realm, bytes.fromhex(res_hex))
    ha2 = md5hex("REGISTER", uri)
    fields = ['username="%s"' % user, 'realm="%s"' % realm,
              'nonce="%s"' % chal["nonce"], 'uri="%s"' % uri,
              "algorithm=%s" % chal.get("algorithm", "AKAv1-MD5")]
    qops = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        nc, cnonce = "00000001", os.urandom(8).hex()
        resp = md5hex(ha1, chal["nonce"], nc, cnonce, "auth", ha2)
        fields += ["qop=auth", "nc=" + nc, 'cnonce="%s"' % cnonce]
    else:
        resp = md5hex(ha1, chal["nonce"], ha2)
    fields.append('response="%s"' % resp)
    if "opaque" in chal:
        fields.append('opaque="%s"' % chal["opaque"])
    return "Digest " + ",".join(fields)
