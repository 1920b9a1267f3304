# shellcheck shell=bash
# Helpers for test scripts run inside user-mode-linux by test/uml/run:
# network namespace pairs, plus the one-line checks and the summary line of
# test/lib/assert.sh.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Use:  . "$(dirname "$0")/../lib.sh"   ...checks...   summary
# (summary last: its status becomes the script's exit status).

# shellcheck source=../lib/assert.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

# netns_pair NS1 NS2 ADDR1/PFX ADDR2/PFX [ADDR1/PFX ADDR2/PFX ...]
# Creates the namespaces if needed (loopback up) and a veth pair between
# them, named v-NS2 in NS1 and v-NS1 in NS2 (cut to 15 characters), with
# the addresses (IPv4 or IPv6; IPv6 without duplicate address detection).
netns_pair() {
	local ns1=$1 ns2=$2 if1 if2 f
	shift 2
	if1=v-$ns2
	if2=v-$ns1
	if1=${if1:0:15}
	if2=${if2:0:15}
	for f in "$ns1" "$ns2"; do
		if [ ! -e "/run/netns/$f" ]; then
			ip netns add "$f"
			ip -n "$f" link set lo up
		fi
	done
	ip link add "$if1" netns "$ns1" type veth peer name "$if2" netns "$ns2"
	while [ $# -ge 2 ]; do
		netns_addr "$ns1" "$if1" "$1"
		netns_addr "$ns2" "$if2" "$2"
		shift 2
	done
	ip -n "$ns1" link set "$if1" up
	ip -n "$ns2" link set "$if2" up
}

# netns_addr NS IF ADDR/PFX: add an address (IPv6 without DAD, usable at once).
netns_addr() {
	case $3 in
	*:*) ip -n "$1" addr add "$3" dev "$2" nodad ;;
	*) ip -n "$1" addr add "$3" dev "$2" ;;
	esac
}

# outdir: print test/out/uml/NAME (NAME: the script's name less .sh), emptied
# and created, relative to the repository root (the working directory). Logs
# put there survive the guest; everything else belongs in the guest's /tmp.
outdir() {
	local d=test/out/uml/${0##*/}
	d=${d%.sh}
	rm -rf -- "$d"
	mkdir -p -- "$d"
	echo "$d"
}
