#!/usr/bin/python3
# IMS test bed: the UEs' SIP transport and IPsec layer, under sipp.
# SPDX-License-Identifier: GPL-2.0-or-later
"""UE agent: what a phone's IMS stack does below its SIP user agent.

sipp plays every UE's SIP user agent (its AKAv1-MD5 checks the HSS's
vectors), but it has one UDP socket, while a 3GPP UE uses three ports: the
unprotected 5060 for the first REGISTER, its protected server port
(port-s) and a protected client port (port-c) that changes with every
registration (TS 33.203 7.4). The agent holds those sockets for every UE;
sipp sends everything to the agent on 127.0.0.1, and the agent

  * sends each request from the right UE address and port: a request
    carrying Security-Verify goes over the SA set it names (from that
    set's port-c to its P-CSCF port-s), any other request from 5060 to
    the P-CSCF's 5060 (the UE's own P-CSCF address, from --ues, or --vip); a response goes out of the socket its request
    came in on, back to where it came from;
  * passes everything a UE receives to sipp: responses to the sipp that
    sent the request, new requests to the sipp UAS (--uas);
  * on a 401 carrying Security-Server, plays the USIM: checks the
    network's MAC-A in AUTN and derives RES, CK and IK from the nonce with
    Milenage (milenage-vector --autn, the subscriber's K and OP), installs
    the UE's four SAs and policies (replay window 32 on the inbound SAs)
    with `ip -batch`, batched over UEs, and only then hands the 401 to
    sipp, which answers over the new SAs;
  * completes the Digest-AKAv1-MD5 Authorization of that answer (RFC 3310:
    RES is the password) from the challenge: sipp 3.6 cannot take a
    per-UE K from its injection file into [authentication] (SIPp issue
    640), so sipp sends the header with only username, realm and uri;
  * after a 200 to a REGISTER sent over new SAs deletes the UE's previous
    SAs; before sending a de-registration drops the inbound policies of
    the SAs in use (the stock P-CSCF deletes its SAs before its 200 OK
    leaves) and deletes all the UE's SAs once the answer is in.

Control: a Unix stream socket (--control) answers "dump" with the JSON
state of every UE (SPIs, ports, counters), "ping" with "pong", and
"forge VALUE" makes every request the UEs send carry an SA record header
VALUE (a hostile UE; "forge" alone stops it);
`ue-agent.py --control PATH --query dump` asks it.
Runs inside the UE network namespace.
"""

import argparse
import base64
import json
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import time

from digest_aka import auth_params, authorization

BATCH_DELAY = 0.05  # seconds to gather 401s before one SA installation
BATCH_MAX = 400  # UEs per ip -batch run
CALL_TTL = 64.0  # seconds a request is remembered for its responses


def log(msg):
    sys.stderr.write("%s ue-agent: %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class Msg:
    """A SIP message split into first line, headers and body."""

    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                name, value = self.headers[-1]
                self.headers[-1] = (name, value + " " + line.strip())
            elif ":" in line:
                name, value = line.split(":", 1)
                self.headers.append((name.strip(), value.strip()))
        self.is_response = self.first.startswith("SIP/2.0 ")
        self.status = int(self.first.split()[1]) if self.is_response else 0
        self.method = None if self.is_response else self.first.split()[0]

    def get(self, name):
        name = name.lower()
        for n, v in self.headers:
            if n.lower() == name:
                return v
        return None

    def call_id(self):
        return self.get("Call-ID") or self.get("i") or ""

    def cseq(self):
        return self.get("CSeq") or ""

    def expires(self):
        """Registration expiry asked for: Contact's expires, else Expires."""
        m = re.search(r";\s*expires\s*=\s*(\d+)", self.get("Contact") or "", re.I)
        if m:
            return int(m.group(1))
        v = self.get("Expires")
        return int(v) if v and v.isdigit() else None


def sec_params(value):
    """Parameters of an ipsec-3gpp Security-* header value, as a dict."""
    out = {}
    if not value:
        return out
    for part in value.split(";")[1:]:
        k, _, v = part.partition("=")
        out[k.strip().lower()] = v.strip()
    return out


class SASet:
    """The four SAs of one registration, seen from the UE."""

    def __init__(self, client, server):
        self.spi_uc = int(client["spi-c"])
        self.spi_us = int(client["spi-s"])
        self.port_uc = int(client["port-c"])
        self.port_us = int(client["port-s"])
        self.alg = client.get("alg", "hmac-sha-1-96")
        self.ealg = client.get("ealg", "null")
        self.spi_pc = int(server["spi-c"])
        self.spi_ps = int(server["spi-s"])
        self.port_pc = int(server["port-c"])
        self.port_ps = int(server["port-s"])
        self.ck = self.ik = self.res = None
        self.chal = {}  # the 401's WWW-Authenticate parameters
        self.in_policies = True

    def names(self, verify):
        return (int(verify.get("spi-c", -1)) == self.spi_pc
                and int(verify.get("spi-s", -1)) == self.spi_ps)

    def as_dict(self):
        return {k: getattr(self, k) for k in (
            "spi_uc", "spi_us", "spi_pc", "spi_ps", "port_uc", "port_us",
            "port_pc", "port_ps", "alg", "ealg")}

    def _algs(self):
        if self.alg.lower() == "hmac-md5-96":
            auth = "auth-trunc 'hmac(md5)' 0x%s 96" % self.ik
        else:
            auth = "auth-trunc 'hmac(sha1)' 0x%s 96" % self.ik
        if self.ealg.lower() == "aes-cbc":
            enc = "enc 'cbc(aes)' 0x%s" % self.ck
        elif self.ealg.lower() == "des-ede3-cbc":
            enc = "enc 'cbc(des3_ede)' 0x%s%s" % (self.ck, self.ck[:16])
        else:
            enc = "enc 'ecb(cipher_null)' \"\""
        return auth + " " + enc

    def _flows(self, ue, vip):
        """(src, dst, sport, dport, spi, direction) of SA1..SA4."""
        return [
            (ue, vip, self.port_uc, self.port_ps, self.spi_ps, "out"),
            (vip, ue, self.port_pc, self.port_us, self.spi_us, "in"),
            (vip, ue, self.port_ps, self.port_uc, self.spi_uc, "in"),
            (ue, vip, self.port_us, self.port_pc, self.spi_pc, "out"),
        ]

    def add_cmds(self, ue, vip):
        plen = 128 if ":" in ue else 32
        algs = self._algs()
        cmds = []
        for src, dst, sp, dp, spi, d in self._flows(ue, vip):
            cmds.append(
                "xfrm state add src %s dst %s proto esp spi %d reqid %d "
                "mode transport replay-window 32 %s" % (src, dst, spi, spi, algs))
            # update, not add: the new set may share a selector with the
            # set in use (the same protected server port, and a P-CSCF
            # that hands out the same client port again), and from now on
            # that flow is the new set's
            cmds.append(
                "xfrm policy update src %s/%d dst %s/%d proto udp sport %d "
                "dport %d dir %s tmpl src %s dst %s proto esp reqid %d "
                "mode transport" % (src, plen, dst, plen, sp, dp, d, src, dst, spi))
        return cmds

    def restore_cmds(self, ue, vip, other):
        """Policy updates giving back to this set the selectors it shares
        with `other`, a set given up after it took them over."""
        plen = 128 if ":" in ue else 32
        shared = other.selectors(ue, vip)
        return ["xfrm policy update src %s/%d dst %s/%d proto udp sport %d "
                "dport %d dir %s tmpl src %s dst %s proto esp reqid %d "
                "mode transport" % (src, plen, dst, plen, sp, dp, d, src, dst, spi)
                for src, dst, sp, dp, spi, d in self._flows(ue, vip)
                if (src, dst, sp, dp, d) in shared]

    def selectors(self, ue, vip):
        return {(src, dst, sp, dp, d) for src, dst, sp, dp, _, d in self._flows(ue, vip)}

    def del_cmds(self, ue, vip, policies_in=True, rest=True, keep=None):
        """Commands removing this set; a policy whose selector the set
        `keep` shares is that set's now and stays."""
        plen = 128 if ":" in ue else 32
        kept = keep.selectors(ue, vip) if keep is not None else set()
        cmds = []
        for src, dst, sp, dp, spi, d in self._flows(ue, vip):
            pol = ("xfrm policy delete src %s/%d dst %s/%d proto udp sport %d "
                   "dport %d dir %s" % (src, plen, dst, plen, sp, dp, d))
            mine = (src, dst, sp, dp, d) not in kept
            if d == "in" and policies_in and self.in_policies and mine:
                cmds.append(pol)
            if rest:
                if d == "out" and mine:
                    cmds.append(pol)
                cmds.append("xfrm state delete src %s dst %s proto esp spi %d"
                            % (src, dst, spi))
        return cmds


class UE:
    def __init__(self, idx, ip, k, op, pcscf):
        self.idx, self.ip, self.k, self.op = idx, ip, k, op
        self.pcscf = pcscf  # the P-CSCF address it registers through
        self.family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        self.socks = {}  # local port -> socket
        self.cur = None  # SASet in use
        self.pending = None  # SASet negotiated, not confirmed yet
        self.registered = False
        self.stats = {"requests_in": 0, "responses_in": 0, "sent": 0,
                      "sa_installs": 0, "auth_failures": 0,
                      "records_seen": 0}


class Agent:
    def __init__(self, args):
        self.args = args
        self.vip = args.vip
        self.sel = selectors.DefaultSelector()
        self.ues = {}
        self.by_sock = {}
        self.calls = {}  # Call-ID -> (sipp address, time)
        self.txns = {}  # (Call-ID, CSeq) -> request info
        self.inbound = {}  # (Call-ID, CSeq) -> (ue, sock, source)
        self.held = []  # (ue, 401 bytes, sipp addr, SASet)
        self.held_since = None
        self.done401 = {}  # (Call-ID, CSeq) -> time, answered 401s
        self.errors = 0
        self.milenage = None
        self.forge = None
        self.load_ues(args.ues)
        self.sipp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sipp.bind(("127.0.0.1", args.port))
        self.sel.register(self.sipp, selectors.EVENT_READ, "sipp")
        self.uas = ("127.0.0.1", args.uas)
        if os.path.exists(args.control):
            os.unlink(args.control)
        self.ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ctl.bind(args.control)
        self.ctl.listen(8)
        self.sel.register(self.ctl, selectors.EVENT_READ, "ctl")

    def load_ues(self, path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                f = line.split(";")
                idx, ip, k, op = f[:4]
                ue = UE(int(idx), ip, k, op, f[4] if len(f) > 4 and f[4] else self.vip)
                self.ues[ip] = ue
        log("%d UEs, P-CSCF %s" % (len(self.ues), self.vip))

    def sock(self, ue, port):
        s = ue.socks.get(port)
        if s is None:
            s = socket.socket(ue.family, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((ue.ip, port))
            ue.socks[port] = s
            self.by_sock[s] = (ue, port)
            self.sel.register(s, selectors.EVENT_READ, "ue")
        return s

    def close_port(self, ue, port):
        s = ue.socks.pop(port, None)
        if s is not None:
            self.sel.unregister(s)
            del self.by_sock[s]
            s.close()

    # --- from sipp ------------------------------------------------------
    def from_sipp(self, data, addr):
        msg = Msg(data)
        if msg.is_response:
            key = (msg.call_id(), msg.cseq())
            info = self.inbound.get(key)
            if info is None:
                log("response from sipp for unknown request %s" % (key,))
                return
            ue, s, src = info
            s.sendto(data, src)
            ue.stats["sent"] += 1
            return
        via = msg.get("Via") or ""
        m = re.match(r"SIP/2\.0/UDP\s+\[?([0-9a-fA-F.:]+?)\]?(?::\d+)?\s*(;|$)", via)
        ue = self.ues.get(m.group(1)) if m else None
        if ue is None:
            log("request from sipp with unknown UE in Via: %s" % via)
            return
        now = time.monotonic()
        self.calls[msg.call_id()] = (addr, now)
        verify = sec_params(msg.get("Security-Verify"))
        if verify:
            sa = None
            for cand in (ue.pending, ue.cur):
                if cand is not None and cand.names(verify):
                    sa = cand
                    break
            if sa is None:
                log("UE %d: Security-Verify names no SA set" % ue.idx)
                return
            src_port, dst = sa.port_uc, (ue.pcscf, sa.port_ps)
            if msg.method == "REGISTER" and sa is ue.pending and sa.res:
                data = self.authorize(msg, data, sa)
        else:
            sa = None
            src_port, dst = 5060, (ue.pcscf, 5060)
        if msg.method == "REGISTER":
            exp = msg.expires()
            self.txns[(msg.call_id(), msg.cseq())] = {
                "ue": ue, "client": sec_params(msg.get("Security-Client")),
                "sa": sa, "dereg": exp == 0, "t": now}
            if exp == 0 and sa is not None and sa.in_policies:
                # The P-CSCF drops its SAs before its 200 OK goes out.
                self.ip_batch(sa.del_cmds(ue.ip, ue.pcscf, rest=False))
                sa.in_policies = False
        if self.forge:
            data = data.replace(b"\r\nContent-Length:", (
                "\r\nX-IMS-SA-Record: %s\r\nContent-Length:" % self.forge).encode(), 1)
        self.sock(ue, src_port).sendto(data, dst)
        ue.stats["sent"] += 1

    def authorize(self, msg, data, sa):
        """The REGISTER's Authorization with the AKA answer filled in."""
        mine = auth_params(msg.get("Authorization"))
        user, realm = mine.get("username", ""), mine.get("realm", "")
        hdr = "Authorization: " + authorization(
            sa.chal, user, realm, mine.get("uri", "sip:" + realm), sa.res)
        text = data.decode("utf-8", "replace")
        text = re.sub(r"(?im)^Authorization:[^\r\n]*", lambda _: hdr, text, count=1)
        return text.encode()

    # --- from the network -----------------------------------------------
    def from_net(self, s, data, src):
        ue, port = self.by_sock[s]
        msg = Msg(data)
        if msg.get("X-IMS-SA-Record") is not None:
            ue.stats["records_seen"] += 1  # must never happen
        if not msg.is_response:
            ue.stats["requests_in"] += 1
            self.inbound[(msg.call_id(), msg.cseq())] = (ue, s, src)
            self.to_sipp(data, self.uas)
            return
        ue.stats["responses_in"] += 1
        call = self.calls.get(msg.call_id())
        if call is None:
            log("UE %d: response for unknown call %s" % (ue.idx, msg.call_id()))
            return
        key = (msg.call_id(), msg.cseq())
        txn = self.txns.get(key)
        if txn is not None and msg.method is None and "REGISTER" in msg.cseq():
            if msg.status == 401 and msg.get("Security-Server"):
                if key in self.done401:
                    # Another 401 to the same REGISTER (sipp retransmitted
                    # it while the MAR was slow): sipp is already answering
                    # the first challenge, with the SAs made for it; a
                    # second challenge would abort its call.
                    return
                if any(h[0] == ue for h in self.held):
                    return  # sipp retransmitted; one installation is enough
                self.challenge(ue, txn, msg, data, call[0])
                return
            if msg.status >= 200:
                self.register_done(ue, txn, msg)
        self.to_sipp(data, call[0])

    def challenge(self, ue, txn, msg, data, addr):
        try:
            sa = SASet(txn["client"], sec_params(msg.get("Security-Server")))
        except (KeyError, ValueError) as e:
            log("UE %d: bad sec-agree parameters: %s" % (ue.idx, e))
            self.to_sipp(data, addr)
            return
        sa.chal = auth_params(msg.get("WWW-Authenticate"))
        try:
            raw = base64.b64decode(sa.chal["nonce"])
        except (KeyError, ValueError):
            raw = b""
        if len(raw) < 32:
            log("UE %d: 401 without an AKA nonce" % ue.idx)
            self.to_sipp(data, addr)
            return
        sa.rand, sa.autn = raw[:16].hex(), raw[16:32].hex()
        self.held.append((ue, data, addr, sa, (msg.call_id(), msg.cseq())))
        if self.held_since is None:
            self.held_since = time.monotonic()
        if len(self.held) >= BATCH_MAX:
            self.install_held()

    def usim(self):
        """The milenage-vector --batch process that plays every USIM."""
        if self.milenage is None or self.milenage.poll() is not None:
            self.milenage = subprocess.Popen(
                [self.args.milenage, "--batch"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, bufsize=1)
        return self.milenage

    def install_held(self):
        held, self.held, self.held_since = self.held, [], None
        p = self.usim()
        p.stdin.write("".join(
            "--k %s --op %s --rand %s --autn %s\n" % (ue.k, ue.op, sa.rand, sa.autn)
            for ue, _, _, sa, _ in held))
        p.stdin.flush()
        cmds = []
        ready = []
        for ue, data, addr, sa, key in held:
            out = p.stdout.readline()
            if not out or "error" in out:
                # Network authentication failed (MAC-A): no SAs, no answer.
                log("UE %d: challenge refused (AUTN does not verify)" % ue.idx)
                self.errors += 1
                ue.stats["auth_failures"] += 1
                continue
            v = json.loads(out)
            sa.ck, sa.ik, sa.res = v["ck"], v["ik"], v["res"]
            if ue.pending is not None and ue.pending is not ue.cur:
                cmds += ue.pending.del_cmds(ue.ip, ue.pcscf, keep=ue.cur)
                if ue.cur is not None:
                    cmds += ue.cur.restore_cmds(ue.ip, ue.pcscf, ue.pending)
                self.release_ports(ue, ue.pending)
            cmds += sa.add_cmds(ue.ip, ue.pcscf)
            ue.pending = sa
            self.sock(ue, sa.port_uc)
            self.sock(ue, sa.port_us)
            ue.stats["sa_installs"] += 1
            ready.append((data, addr, key))
        self.ip_batch(cmds)
        now = time.monotonic()
        for data, addr, key in ready:
            self.done401[key] = now
            self.to_sipp(data, addr)

    def register_done(self, ue, txn, msg):
        sa = txn["sa"]
        if txn["dereg"]:
            if msg.status < 300:
                cmds = []
                for s in (ue.cur, ue.pending):
                    if s is not None:
                        cmds += s.del_cmds(ue.ip, ue.pcscf)
                        self.release_ports(ue, s)
                self.ip_batch(cmds)
                ue.cur = ue.pending = None
                ue.registered = False
            return
        if sa is None or sa is not ue.pending:
            return
        if msg.status < 300:
            old = ue.cur
            ue.cur, ue.pending = sa, None
            ue.registered = True
            if old is not None and old is not sa:
                self.ip_batch(old.del_cmds(ue.ip, ue.pcscf, keep=sa))
                self.release_ports(ue, old, keep=sa)
        else:
            cmds = sa.del_cmds(ue.ip, ue.pcscf, keep=ue.cur)
            if ue.cur is not None:
                cmds += ue.cur.restore_cmds(ue.ip, ue.pcscf, sa)
            self.ip_batch(cmds)
            self.release_ports(ue, sa, keep=ue.cur)
            ue.pending = None

    def release_ports(self, ue, sa, keep=None):
        keep_ports = {5060}
        if keep is not None:
            keep_ports |= {keep.port_uc, keep.port_us}
        for p in (sa.port_uc,):
            if p not in keep_ports:
                self.close_port(ue, p)

    def ip_batch(self, cmds):
        if not cmds:
            return
        p = subprocess.run(["ip", "-force", "-batch", "-"],
                           input="\n".join(cmds) + "\n", text=True,
                           capture_output=True)
        if p.returncode != 0:
            self.errors += 1
            log("ip -batch failed (%d commands): %s" % (len(cmds), p.stderr.strip()[:400]))

    def to_sipp(self, data, addr):
        try:
            self.sipp.sendto(data, addr)
        except OSError as e:
            log("cannot reach sipp at %s:%d: %s" % (addr[0], addr[1], e))

    # --- control ----------------------------------------------------------
    def control(self):
        conn, _ = self.ctl.accept()
        with conn:
            conn.settimeout(2)
            try:
                cmd = conn.recv(16384).decode().strip()
            except OSError:
                return
            if cmd == "ping":
                out = "pong"
            elif cmd.startswith("forge"):
                # "forge VALUE": from now on every request the UEs send
                # carries an SA record header of their own making; "forge"
                # alone stops it.
                self.forge = cmd[5:].strip() or None
                out = "ok"
            elif cmd == "dump":
                out = json.dumps({
                    "errors": self.errors,
                    "ues": {str(u.idx): {
                        "ip": u.ip, "pcscf": u.pcscf, "registered": u.registered,
                        "sa": u.cur.as_dict() if u.cur else None,
                        "pending": u.pending.as_dict() if u.pending else None,
                        "stats": u.stats} for u in self.ues.values()}})
            else:
                out = "unknown command"
            try:
                conn.sendall(out.encode() + b"\n")
            except OSError:
                pass

    def prune(self):
        now = time.monotonic()
        for d, get_t in ((self.calls, lambda v: v[1]),
                         (self.txns, lambda v: v["t"]),
                         (self.done401, lambda v: v)):
            for k in [k for k, v in d.items() if now - get_t(v) > CALL_TTL]:
                del d[k]
        if len(self.inbound) > 10000:
            self.inbound.clear()

    def run(self):
        last_prune = time.monotonic()
        while True:
            timeout = 1.0
            if self.held_since is not None:
                timeout = max(0.0, self.held_since + BATCH_DELAY - time.monotonic())
            for key, _ in self.sel.select(timeout):
                s = key.fileobj
                try:
                    if key.data == "ctl":
                        self.control()
                        continue
                    data, addr = s.recvfrom(65535)
                except OSError:
                    continue  # e.g. ICMP port unreachable from a gone sipp
                if key.data == "sipp":
                    self.from_sipp(data, addr)
                else:
                    self.from_net(s, data, addr)
            if self.held_since is not None and \
                    time.monotonic() >= self.held_since + BATCH_DELAY:
                self.install_held()
            if time.monotonic() - last_prune > 10:
                self.prune()
                last_prune = time.monotonic()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query", help="send this command to a running agent")
    ap.add_argument("--ues", help="idx;ip;K hex;OP hex[;P-CSCF address] per line")
    ap.add_argument("--vip", help="the P-CSCF address of UEs whose line in"
                    " --ues names none")
    ap.add_argument("--port", type=int, default=5080, help="sipp-facing port")
    ap.add_argument("--uas", type=int, default=5091, help="sipp UAS port")
    ap.add_argument("--control", required=True, help="control socket path")
    ap.add_argument("--milenage", help="milenage-vector path")
    args = ap.parse_args()
    if args.query:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # a wedged agent fails the check that asked instead of the suite
        c.settimeout(30)
        c.connect(args.control)
        c.sendall(args.query.encode())
        chunks = []
        while True:
            b = c.recv(65536)
            if not b:
                break
            chunks.append(b)
        sys.stdout.write(b"".join(chunks).decode())
        return
    if not (args.ues and args.vip and args.milenage):
        ap.error("--ues, --vip and --milenage are required")
    with open(args.ues) as f:
        n = sum(1 for _ in f)
    # three sockets per UE (5060, port-s, port-c) and a fourth while a new
    # SA set replaces the old one: far over the default 1024 at 1000 UEs
    need = 4 * n + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, max(need, hard)))
    agent = Agent(args)
    log("ready")
    agent.run()


if __name__ == "__main__":
    main()
