#!/bin/bash
# `make demo`: a P-CSCF failover, end to end, narrated. BED_UES (default 20)
# phones register with IMS-AKA through pcscf1 and talk SIP over ESP; pcscf1
# is killed; keepalived hands the virtual IP to pcscf2, which takes the
# phones over from the S-CSCF's sealed records; the phones stay reachable
# without re-registering and without one request to the HSS, and a call set
# up before the kill goes on (re-INVITE, BYE) through pcscf2.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/demo.sh
set -u
export BED_UES=${BED_UES:-20} BED_FAILOVER=1

# shellcheck source-path=SCRIPTDIR source=lib/narrate.sh
. "$(dirname "$0")/lib/narrate.sh"

ue_sas_of() { # ue_sas_of UE-IP NODE: the UE's ESP SAs in NODE's kernel, no keys
	ip -n "$2" xfrm state list | grep -A1 -E "^src ($1|$(bed_vip)) dst ($1|$(bed_vip))$" |
		grep -E "^src|proto esp" | sed 's/^/    /'
}

trap 'bed_down' EXIT
step "Bringing up the IMS core: HSS, S-CSCF, pcscf1 (holds the virtual IP $(bed_vip)), pcscf2 (standby)"
bed_up || {
	bed_diag
	exit 1
}
n=$BED_UES

step "$n phones register (IMS-AKA, Milenage vectors from the HSS, four ESP SAs each)"
t=$(now_ms)
# shellcheck disable=SC2046
read -r s f < <(ues_register $(ue_list))
echo "  $s registered, $f failed, in $(since "$t")"
check "all phones registered" "$s" "$n"
echo "  pcscf1's kernel: $(sa_count pcscf1) ESP SAs; the HSS answered $(kam_stat hss hss_mar_answered) MAR and $(kam_stat hss hss_sar_answered) SAR"
echo "  Each registration carried the phone's sealed SA record to the S-CSCF:"
show kam_cmd scscf ims_ipsec_failover_scscf.counts
ue_dump
u1=$(ue_field 1 .ip)
echo "  Phone 1 ($u1), as pcscf1's kernel holds it (keys not shown):"
ue_sas_of "$u1" pcscf1

step "A message from the network to every phone, through pcscf1 and the phones' SAs"
# shellcheck disable=SC2046
read -r s f < <(net_message_to demo-mt1 $(ue_list))
check "every phone answered" "$s/$f" "$n/0"

step "Phone 1 calls phone 2 through pcscf1 (INVITE, 200 OK, ACK); the call stays up"
read -r s f < <(ue_call demo-call 1 2)
check "the call is up" "$s/$f" "1/0"
echo "  Its route set (pcscf1's Record-Route: the virtual IP and its protected ports):"
sed -n 's/^DIALOG|[^|]*|[^|]*|Route: /    /p' "$BED_OUT/sipp-demo-call.dialog" | tail -n 1

step "pcscf1 dies (SIGKILL: no goodbye, its SAs and usrloc are gone with it)"
mars=$(kam_stat hss hss_mar_answered)
t=$(now_ms)
kam_kill pcscf1 KILL
wait_for 30 "the virtual IP to move" vip_held_by pcscf2
echo "  keepalived moved $(bed_vip) to $(vip_holder) after $(since "$t")"
wait_for 30 "the takeover" stat_is pcscf2 recovered_ues "$n"
echo "  pcscf2's takeover process started the takeover the moment the address"
echo "  arrived (takeover_peer pcscf1; address_gained: $(kam_stat pcscf2 address_gained));"
echo "  keepalived's notify script joined it and followed it to its end:"
show kam_cmd pcscf2 ims_ipsec_failover.takeover_status
show kam_cmd pcscf2 ims_ipsec_failover.status
echo "  pcscf2's kernel now holds $(sa_count pcscf2) ESP SAs; phone 1's:"
ue_sas_of "$u1" pcscf2

step "The same message to every phone, now through pcscf2, with no re-registration"
# shellcheck disable=SC2046
read -r s f < <(net_message_to demo-mt2 $(ue_list))
check "every phone answered" "$s/$f" "$n/0"
# shellcheck disable=SC2046
read -r s f < <(ues_run demo-mo ue-message.xml cur $(ue_list))
check "every phone sent a message through pcscf2" "$s/$f" "$n/0"
read -r s f < <(ue_reinvite_bye demo-call 1 2)
check "the call survived: phone 1's re-INVITE and BYE reached phone 2 and got 200 OK through pcscf2" "$s/$f" "1/0"
check "no request reached the HSS during the failover" "$(kam_stat hss hss_mar_answered)" "$mars"

step "Without ims_ipsec_failover, every one of these $n phones would be unreachable until it re-registered."
if [ "$ok" = 1 ]; then
	echo "Demo complete: $n phones and a call survived the loss of their P-CSCF."
	exit 0
fi
bed_diag
exit 1
