#!/bin/bash
# ESP transport mode between two network namespaces joined by veth, over IPv4
# and IPv6: SAs and policies both ways, ping and a UDP datagram through them,
# then check the SAs' packet counters and that plaintext is refused.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/uml/tests/esp_netns.sh
set -eu

# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$(dirname "$0")/../lib.sh"

if [ -z "${UML_GUEST:-}" ]; then
	echo "esp_netns.sh: run me through test/uml/run" >&2
	exit 2
fi

# Test keys: HMAC-SHA1-96 (20 bytes) and AES-128-CBC (16 bytes), one pair
# for each direction.
auth12=0x0102030405060708090a0b0c0d0e0f1011121314
enc12=0x2122232425262728292a2b2c2d2e2f30
auth21=0x4142434445464748494a4b4c4d4e4f5051525354
enc21=0x6162636465666768696a6b6c6d6e6f70

out=$(outdir)
bg_pid=
cleanup() {
	if [ -n "$bg_pid" ]; then
		kill "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

# sa_packets NS SRC DST SPI: packets counted by an SA ("lifetime current").
sa_packets() {
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		awk '/lifetime current:/ { getline; sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit }'
}

# xfrm_stat NS NAME: a counter from the namespace's /proc/net/xfrm_stat.
xfrm_stat() {
	# shellcheck disable=SC2016 # awk program
	ip netns exec "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/xfrm_stat
}

# sa_add NS SRC DST SPI REQID AUTHKEY ENCKEY
sa_add() {
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		mode transport reqid "$5" replay-window 32 \
		auth 'hmac(sha1)' "$6" enc 'cbc(aes)' "$7"
}

# policy_add NS DIR SRC DST REQID
policy_add() {
	ip -n "$1" xfrm policy add src "$3" dst "$4" dir "$2" \
		tmpl src "$3" dst "$4" proto esp reqid "$5" mode transport
}

# esp_case FAMILY A1 A2 PLEN: namespaces esp$FAMILY-1 and -2, SPIs per family.
esp_case() {
	local fam=$1 a1=$2 a2=$3 plen=$4
	local ns1=esp$fam-1 ns2=esp$fam-2
	local spi12=0x${fam}0001 spi21=0x${fam}0002
	local n before after got ns

	netns_pair "$ns1" "$ns2" "$a1/$plen" "$a2/$plen"

	# Each side holds both SAs; policies send out/accept in only through ESP.
	for ns in "$ns1" "$ns2"; do
		sa_add "$ns" "$a1" "$a2" "$spi12" 12 "$auth12" "$enc12"
		sa_add "$ns" "$a2" "$a1" "$spi21" 21 "$auth21" "$enc21"
	done
	policy_add "$ns1" out "$a1" "$a2" 12
	policy_add "$ns1" in "$a2" "$a1" 21
	policy_add "$ns2" out "$a2" "$a1" 21
	policy_add "$ns2" in "$a1" "$a2" 12
	n=$(ip -n "$ns1" xfrm state count | awk '{ print $NF }')
	assert_eq "$n" 2 "IPv$fam: $ns1 holds 2 SAs"

	if ip netns exec "$ns1" ping -c 3 -i 0.2 -W 2 -q "$a2" >/dev/null; then
		pass "IPv$fam: ping $a1 -> $a2 through ESP"
	else
		fail "IPv$fam: ping $a1 -> $a2 through ESP"
	fi
	assert_ge "$(sa_packets "$ns1" "$a1" "$a2" "$spi12")" 3 \
		"IPv$fam: $ns1 outbound SA $spi12 packets"
	assert_ge "$(sa_packets "$ns2" "$a1" "$a2" "$spi12")" 3 \
		"IPv$fam: $ns2 inbound SA $spi12 packets"
	assert_ge "$(sa_packets "$ns2" "$a2" "$a1" "$spi21")" 3 \
		"IPv$fam: $ns2 outbound SA $spi21 packets"
	assert_ge "$(sa_packets "$ns1" "$a2" "$a1" "$spi21")" 3 \
		"IPv$fam: $ns1 inbound SA $spi21 packets"

	# A UDP datagram to a listener in ns2 (background process in a netns).
	rm -f /tmp/udp.ready /tmp/udp.got
	ip netns exec "$ns2" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5060))
open("/tmp/udp.ready", "w").close()
data, peer = s.recvfrom(2000)
open("/tmp/udp.got", "w").write(data.decode() + "\n")
' "$a2" &
	bg_pid=$!
	for _ in $(seq 100); do
		[ -e /tmp/udp.ready ] && break
		sleep 0.1
	done
	before=$(sa_packets "$ns2" "$a1" "$a2" "$spi12")
	# shellcheck disable=SC2016 # $1 expands in the inner bash
	ip netns exec "$ns1" bash -c 'echo "OPTIONS sip:x SIP/2.0" >"/dev/udp/$1/5060"' _ "$a2"
	wait "$bg_pid" || true
	bg_pid=
	got=$(cat /tmp/udp.got 2>/dev/null) || got=
	assert_eq "$got" "OPTIONS sip:x SIP/2.0" "IPv$fam: UDP datagram delivered through ESP"
	after=$(sa_packets "$ns2" "$a1" "$a2" "$spi12")
	assert_ge "$((after - before))" 1 "IPv$fam: $ns2 inbound SA counted the datagram"

	# Without its outbound policy ns1 sends plaintext: ns2 must drop it.
	before=$(xfrm_stat "$ns2" XfrmInTmplMismatch)
	ip -n "$ns1" xfrm policy delete src "$a1" dst "$a2" dir out
	if ip netns exec "$ns1" ping -c 1 -W 1 -q "$a2" >/dev/null; then
		fail "IPv$fam: plaintext ping was answered"
	else
		pass "IPv$fam: plaintext ping refused"
	fi
	after=$(xfrm_stat "$ns2" XfrmInTmplMismatch)
	assert_ge "$((after - before))" 1 "IPv$fam: $ns2 XfrmInTmplMismatch counted it"
	assert_eq "$(xfrm_stat "$ns2" XfrmInStateProtoError)" 0 \
		"IPv$fam: $ns2 no ESP integrity/decrypt errors"

	# Kept in test/out/uml/esp_netns/ for a look after the run.
	for ns in "$ns1" "$ns2"; do
		{
			ip -n "$ns" -s xfrm state
			ip -n "$ns" xfrm policy
			ip netns exec "$ns" cat /proc/net/xfrm_stat
		} >"$out/$ns.xfrm"
	done
}

esp_case 4 10.200.0.1 10.200.0.2 24
if [ -d /proc/sys/net/ipv6 ]; then
	esp_case 6 fd00:200::1 fd00:200::2 64
else
	echo "skip IPv6: no ipv6 in this kernel"
fi

summary
