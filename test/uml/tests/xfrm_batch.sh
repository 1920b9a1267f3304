#!/bin/bash
# lib/ifo's batched XFRM install: the 4 SAs + 4 policies per UE as
# ims_ipsec_pcscf makes them, every message acknowledged; an existing SA is
# reported and never overwritten, a half-installed UE is rolled back; and
# the ESP sequence-number point of the whole product: a UE whose inbound
# SA has a replay window and already saw the old P-CSCF's numbers drops a
# new owner that starts at 0 and accepts one that starts above them.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/uml/tests/xfrm_batch.sh
set -eu

# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$(dirname "$0")/../lib.sh"

if [ -z "${UML_GUEST:-}" ]; then
	echo "xfrm_batch.sh: run me through test/uml/run" >&2
	exit 2
fi

tool=$PWD/test/xfrm/xfrm_tool
# count NS state|policy: SAs ("SAD count N") or policies of every
# direction ("SPD IN N OUT N FWD N (Sock: ...)")
count() {
	ip -n "$1" xfrm "$2" count |
		awk '/SAD/ {print $3} /SPD/ {print $3 + $5 + $7}'
}

ip netns add p
ip -n p link set lo up

# -- batched install, verify, idempotence -------------------------------
out=$(ip netns exec p "$tool" install 200 -o 0x1000000)
assert_eq "$(cut -d, -f1-2 <<<"$out")" "install: 200 ok, 0 failed" \
	"200 UEs installed in one call ($out)"
assert_eq "$(count p state)" 800 "kernel holds 4 SAs per UE"
assert_eq "$(count p policy)" 800 "kernel holds 4 policies per UE"
out=$(ip netns exec p "$tool" verify 200 -o 0x1000000 || true)
assert_eq "${out%%,*}" "verify: 200 ok" \
	"every SA has its SPI, reqid, selector tag, replay window, keys and start sequence"
sel=$(ip -n p xfrm state | grep -c 'sel src 10.64.0.7/32 dst 10.63.0.1/32 sport 31001 dport 5107' || true)
assert_eq "$sel" 1 "selector is exact /32 with both ports, as ims_ipsec_pcscf sets it"

out=$(ip netns exec p "$tool" install 200 -o 0x1000000 || true)
assert_eq "$(tail -1 <<<"$out" | cut -d, -f1-2)" "install: 0 ok, 200 failed" \
	"a second install reports every UE as existing"
assert_eq "$(count p state)" 800 "nothing was added or removed by the refused install"

# -- collision: one foreign SA makes exactly that UE fail, rolled back ---
ip netns exec p "$tool" remove 200 >/dev/null
assert_eq "$(count p state)" 0 "remove deletes every SA"
assert_eq "$(count p policy)" 0 "remove deletes every policy"
# UE 5's P->UE SA (spi_us = 100000 + 4*5 + 1) already exists with other keys
ip -n p xfrm state add src 10.63.0.1 dst 10.64.0.5 proto esp spi 100021 \
	reqid 100021 mode transport auth 'hmac(sha1)' 0x99999999999999999999999999999999 \
	enc 'cbc(aes)' 0x88888888888888888888888888888888
out=$(ip netns exec p "$tool" install 10 || true)
assert_eq "$(head -1 <<<"$out")" "ue 5: File exists" "the colliding UE is reported"
assert_eq "$(tail -1 <<<"$out" | cut -d, -f1-2)" "install: 9 ok, 1 failed" \
	"the other UEs are installed"
assert_eq "$(count p state)" $((9 * 4 + 1)) "the colliding UE's other SAs were rolled back"
assert_eq "$(count p policy)" $((9 * 4)) "the colliding UE's policies were rolled back"
key=$(ip -n p xfrm state get src 10.63.0.1 dst 10.64.0.5 proto esp spi 100021 |
	awk '/auth-trunc|auth/ {print $3; exit}')
assert_eq "$key" 0x99999999999999999999999999999999 "the existing SA was not overwritten"
ip netns exec p "$tool" remove 10 >/dev/null || true
ip -n p xfrm state flush

# -- lost answers: the kernel made part of a batch, nobody knows which ----
# Even UEs 0..18 install cleanly; each odd UE's P->UE SA exists with other
# keys (someone else's). With a tiny receive buffer the 10 failure answers
# overflow it (ENOBUFS): the batch is uncertain. Exactly its own objects
# must go (the kernel is asked), the foreign SAs must stay.
for i in $(seq 1 2 19); do
	spi=$((100000 + 4 * i + 1))
	ip -n p xfrm state add src 10.63.0.1 dst 10.64.0.$i proto esp spi $spi \
		reqid $spi mode transport auth 'hmac(sha1)' 0x99999999999999999999999999999999 \
		enc 'cbc(aes)' 0x88888888888888888888888888888888
done
out=$(ip netns exec p "$tool" install 20 -r 1 2>&1 || true)
assert_match "$out" "No buffer space" "the lost answers are reported ($out)"
assert_eq "$(count p state)" 10 "after the uncertain batch only the 10 foreign SAs are left"
assert_eq "$(count p policy)" 0 "no policy of the uncertain batch is left behind"
key=$(ip -n p xfrm state get src 10.63.0.1 dst 10.64.0.5 proto esp spi 100021 |
	awk '/auth-trunc|auth/ {print $3; exit}')
assert_eq "$key" 0x99999999999999999999999999999999 "a foreign SA was not touched"
out=$(ip netns exec p "$tool" install 20 || true)
assert_eq "$(tail -1 <<<"$out" | cut -d, -f1-2)" "install: 10 ok, 10 failed" \
	"a retry finds no orphan of ours: only the 10 real collisions fail"
ip netns exec p "$tool" remove 20 >/dev/null || true
ip -n p xfrm state flush
ip -n p xfrm policy flush

# -- IPv6 ------------------------------------------------------------------
out=$(ip netns exec p "$tool" install 50 -6 -o 77)
assert_eq "${out%%,*}" "install: 50 ok" "50 IPv6 UEs installed"
out=$(ip netns exec p "$tool" verify 50 -6 -o 77 || true)
assert_eq "${out%%,*}" "verify: 50 ok" "IPv6 SAs verified, /128 selectors"
ip -n p xfrm state flush
ip -n p xfrm policy flush

# -- ESP sequence numbers against a UE with a replay window ----------------
# UE 1 of the tool: 10.64.0.1, keys ik=0x12.., ck=0x23..; P->UE flow
# port_pc 5101 -> port_us 31001 over spi_us 100005.
netns_pair p ue 10.63.0.1/8 10.64.0.1/8
ik=0x$(printf '12%.0s' $(seq 16))
ck=0x$(printf '23%.0s' $(seq 16))
ue_in_sa() {
	ip -n ue xfrm state add src 10.63.0.1 dst 10.64.0.1 proto esp spi 100005 \
		reqid 100005 mode transport replay-window 32 replay-seq "$1" \
		auth 'hmac(sha1)' "$ik" enc 'cbc(aes)' "$ck" \
		sel src 10.63.0.1 dst 10.64.0.1 sport 5101 dport 31001
	ip -n ue xfrm policy add src 10.63.0.1 dst 10.64.0.1 sport 5101 \
		dport 31001 dir in tmpl src 10.63.0.1 dst 10.64.0.1 proto esp \
		reqid 100005 mode transport
}
# send 3 datagrams P:5101 -> UE:31001, print how many the UE received
exchange() {
	ip netns exec ue python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.64.0.1", 31001)); s.settimeout(2); n = 0
try:
    while True:
        s.recv(100); n += 1
except socket.timeout:
    pass
print(n)' >/tmp/recv.out &
	local rpid=$!
	sleep 0.5
	ip netns exec p python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.63.0.1", 5101))
for _ in range(3):
    s.sendto(b"MESSAGE", ("10.64.0.1", 31001))'
	wait "$rpid"
	cat /tmp/recv.out
}
ue_packets() {
	ip -n ue -s xfrm state get src 10.63.0.1 dst 10.64.0.1 proto esp spi 100005 |
		awk '/lifetime current:/ {getline; sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit}'
}

# The UE already took 5000 packets from the old owner.
ue_in_sa 5000
ip netns exec p "$tool" install 2 -o 0 >/dev/null
got=$(exchange)
assert_eq "$got" 0 "a new owner starting at sequence 0 is dropped by the UE's replay window"
replay_err=$(ip netns exec ue awk '/XfrmInStateSeqError/ {print $2}' /proc/net/xfrm_stat)
assert_ge "$replay_err" 3 "the UE kernel counted them as replays"
ip netns exec p "$tool" remove 2 >/dev/null
ip netns exec p "$tool" install 2 -o 0x1000000 >/dev/null
got=$(exchange)
assert_eq "$got" 3 "a new owner starting above the old numbers is accepted"
assert_eq "$(ue_packets)" 3 "the UE's inbound SA counted the new owner's packets"

# -- an owner whose UE a peer sent to meanwhile jumps in place --------------
# A peer sent from 0x2000000 on copies of these SAs (the UE's window is
# there now): this node's next numbers are replays until it raises its
# outbound SAs above the peer's, without replacing them.
ip -n ue xfrm state deleteall
ip -n ue xfrm policy deleteall
ue_in_sa 0x2000000
# the outbound number the P side's SA to UE 1 reached
p_oseq() {
	ip -s -n p xfrm state get src 10.63.0.1 dst 10.64.0.1 proto esp spi 100005 |
		sed -n 's/.*oseq \(0x[0-9a-f]*\).*/\1/p'
}
got=$(exchange)
assert_eq "$got" 0 "after a peer's numbers, this node's next ones are dropped"
out=$(ip netns exec p "$tool" raise 2 -o 0x3000000)
assert_eq "${out%%,*}" "raise: 2 ok" "the outbound SAs are raised in place ($out)"
oseq=$(p_oseq)
assert_eq "$((oseq))" "$((0x3000000))" "the kernel holds the new outbound number ($oseq)"
got=$(exchange)
assert_eq "$got" 3 "and the UE takes what follows"
out=$(ip netns exec p "$tool" raise 2 -o 5)
oseq=$(p_oseq)
assert_eq "$((oseq))" "$((0x3000003))" "a lower number never moves an SA back"
out=$(ip netns exec p "$tool" raise 3 -o 0x4000000 || true)
assert_eq "$(tail -1 <<<"$out" | cut -d, -f1-2)" "raise: 2 ok, 1 failed" \
	"a UE whose SAs are not there is reported, the others raised"

summary
