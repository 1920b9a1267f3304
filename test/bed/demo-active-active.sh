#!/bin/bash
# `make demo DEMO=active-active`: an active-active P-CSCF pool loses a
# host, narrated. Two virtual addresses: pcscf1 serves A and pcscf2 serves
# B, and each host also runs a standby instance for the other's address
# (pcscf1b, pcscf2a; pcscf3 on a third host is a second standby for A).
# BED_UES (default 10) phones register, half through A, half through B;
# phone 1 (on A) calls the first phone on B. Host 1 dies: pcscf2a takes A
# and its phones over from the S-CSCF's sealed records while B's phones
# on pcscf2 notice nothing; every phone stays reachable with no
# re-registration and no HSS request, and the call goes on.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run --mem 2G test/bed/demo-active-active.sh
set -u
export BED_UES=${BED_UES:-10} BED_FAILOVER=1 BED_LAYOUT=active-active
[ "${KAMAILIO_GEN:-}" = 6.0 ] || export IPSEC_MAX_CONN=${IPSEC_MAX_CONN:-$((BED_UES + 6))}

# shellcheck source-path=SCRIPTDIR source=lib/narrate.sh
. "$(dirname "$0")/lib/narrate.sh"

holders() { echo "A ($(bed_vip A)) on $(vip_holder A), B ($(bed_vip B)) on $(vip_holder B)"; }

trap 'bed_down' EXIT
step "Bringing up the IMS core and three P-CSCF hosts: host 1 runs pcscf1 (serves A) and pcscf1b (stands by for B), host 2 pcscf2 (serves B) and pcscf2a (stands by for A), host 3 pcscf3 (second standby for A)"
bed_up || {
	bed_diag
	exit 1
}
n=$BED_UES
mapfile -t aset < <(ue_list A)
mapfile -t bset < <(ue_list B)
echo "  $(holders)"

step "Phones ${aset[0]}-${aset[-1]} register through A, phones ${bset[0]}-${bset[-1]} through B (IMS-AKA, four ESP SAs each)"
read -r s1 f1 < <(ues_register "${aset[@]}")
read -r s2 f2 < <(ues_register "${bset[@]}")
check "all phones registered" "$((s1 + s2))/$((f1 + f2))" "$n/0"
echo "  pcscf1's kernel: $(sa_count pcscf1) ESP SAs; pcscf2's: $(sa_count pcscf2); the standbys': none"
echo "  The S-CSCF keeps each phone's sealed SA record under the node that serves it:"
show kam_cmd scscf ims_ipsec_failover_scscf.counts

step "Phone ${aset[0]} (on A) calls phone ${bset[0]} (on B); the call stays up"
read -r s f < <(ue_call demo-call "${aset[0]}" "${bset[0]}")
check "the call is up through pcscf1 and pcscf2" "$s/$f" "1/0"

step "Host 1 dies: pcscf1 and pcscf1b with their keepalived, no goodbye"
mars=$(kam_stat hss hss_mar_answered)
t=$(now_ms)
node_crash pcscf1
node_crash pcscf1b
wait_for 30 "A to move" vip_held_by pcscf2a A
echo "  keepalived moved A to $(vip_holder A) after $(since "$t"); B stays on $(vip_holder B)"
settled() { [ "$(scscf_records_of pcscf2a)" = "${#aset[@]}" ] && [ "$(sa_count pcscf3)" = 0 ]; }
wait_for 60 "pcscf2a to take A's phones" settled
echo "  pcscf2a's notify script took over the other members of A, pcscf1 and pcscf3"
echo "  (its log, $BED_RUN/pcscf2a/vrrp.log):"
grep -a 'takeover' "$BED_RUN/pcscf2a/vrrp.log" | cut -c1-150 | sed 's/^/    /'
echo "  pcscf2a recovered_ues: $(kam_stat pcscf2a recovered_ues)"
echo "  pcscf2a's kernel now holds $(sa_count pcscf2a) ESP SAs, pcscf3's $(sa_count pcscf3)"

step "A message to every phone and one from every phone, through whichever instance holds its address"
# shellcheck disable=SC2046
read -r s f < <(net_message_to demo-mt $(ue_list))
check "every phone answered (A's through pcscf2a, B's through pcscf2)" "$s/$f" "$n/0"
# shellcheck disable=SC2046
read -r s f < <(ues_run demo-mo ue-message.xml cur $(ue_list))
check "every phone's message passed its P-CSCF" "$s/$f" "$n/0"
read -r s f < <(ue_reinvite_bye demo-call "${aset[0]}" "${bset[0]}")
check "the call survived: phone ${aset[0]}'s re-INVITE and BYE reached phone ${bset[0]} and got 200 OK" "$s/$f" "1/0"
check "no request reached the HSS" "$(kam_stat hss hss_mar_answered)" "$mars"
check "no phone registered again" "$(ues_registered)" "$n"

step "No host stood idle: host 2 serves both addresses now, until an admin moves A back (docs/deployment.md)"
echo "  $(holders)"
if [ "$ok" = 1 ]; then
	echo "Demo complete: $n phones on two addresses and a call survived the loss of a P-CSCF host."
	exit 0
fi
bed_diag
exit 1
