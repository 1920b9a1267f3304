#!/bin/bash
# Lazy recovery, on its own: the virtual IP reaches pcscf2 without any
# takeover (keepalived stopped, the address moved by hand, no
# takeover_peer to watch for it: as after a takeover that never ran or
# missed UEs). A terminating request for a UE
# pcscf2 does not know carries the UE's record, attached by the S-CSCF;
# pcscf2 recovers that one UE from it and forwards the request over the
# UE's SAs. The record never reaches the UE.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/lazy.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1 BED_ADDRESS_WATCH=0

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)
vip=$(bed_vip)

# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all

# UE n's record of this registration, as someone on the path between the
# S-CSCF and the P-CSCFs could have captured it; then UE n registers again.
db=$BED_RUN/scscf/failover.sqlite
row() { sqlite3 "$db" "select $1 from ims_ipsec_failover where contact like 'sip:$(printf 'ue%06d' "$n")@%'"; }
old_rec=$(row record)
contact=$(row contact)
assert_all_ok 1 "UE $n registers again" ues_run rereg-$n ue-reregister.xml next "$n"
new_rec=$(row record)
assert_ne "$new_rec" "$old_rec" "which gives it a new record at the S-CSCF"
mars=$(kam_stat hss hss_mar_answered)

# The address moves, nobody runs a takeover.
vrrp_stop pcscf2
vrrp_stop pcscf1
kam_kill pcscf1 KILL
ip -n pcscf1 addr del "$vip/24" dev eth0 2>/dev/null
ip -n pcscf2 addr add "$vip/24" dev eth0
# What keepalived's gratuitous ARP would do: the others forget the old MAC.
for ns in ue scscf; do
	ip -n "$ns" neigh flush dev eth0
done
assert_eq "$(vip_holder)" "pcscf2" "pcscf2 holds the virtual IP, without a takeover"
assert_eq "$(sa_count pcscf2)" "0" "and knows none of the UEs"

# --- replayed records never build SAs ----------------------------------------
# A terminating request for UE n with its captured (older) record, sent to
# pcscf2 from outside the S-CSCFs, and then from the S-CSCF's own address.
replay() {
	ip netns exec "$1" python3 "$BED_LIB/sip-tcp.py" --udp "$vip" 5060 MESSAGE \
		"$contact" "Route: <sip:term@pcscf.$BED_DOMAIN;lr>" \
		"X-IMS-SA-Record: $old_rec" 2>&1 | head -1
}
replay ue >"$BED_OUT/replay-ue.txt"
assert_eq "$(kam_stat pcscf2 lazy_refused)" "1" \
	"pcscf2 refuses a record that does not come from a configured S-CSCF"
assert_eq "$(sa_count pcscf2)" "0" "and installs nothing"
replay scscf >"$BED_OUT/replay-scscf.txt"
assert_eq "$(kam_stat scscf claims_superseded)" "1" \
	"from the S-CSCF's address, its claim of the old record is refused as superseded"
assert_eq "$(kam_stat pcscf2 claims_superseded)/$(kam_stat pcscf2 lazy_recovered)" "1/0" \
	"pcscf2 counts it and recovers nothing"
assert_eq "$(kam_stat pcscf2 lazy_failed)" "1" "the failed lazy recovery is counted"
assert_eq "$(sa_count pcscf2)" "0" "no SA was installed for it"
assert_eq "$(row record)" "$new_rec" "the S-CSCF still holds UE $n's newer record"
assert_eq "$(head -c 11 "$BED_OUT/replay-scscf.txt")" "SIP/2.0 480" \
	"and the replayed request is answered 480"

# shellcheck disable=SC2086
assert_all_ok "$n" "a terminating MESSAGE reaches every UE through pcscf2" net_message_to mt-lazy $all
assert_eq "$(kam_stat scscf attached_records)" "$n" "the S-CSCF attached each UE's record"
assert_eq "$(kam_stat pcscf2 lazy_recovered)" "$n" "pcscf2 recovered each UE from its request"
assert_eq "$(kam_stat scscf claims_accepted)" "$n" "and claimed each record at the S-CSCF"
assert_eq "$(scscf_records_of pcscf2)" "$n" \
	"whose database lists them under pcscf2 now"
ue_dump
assert_eq "$(ues_sas_on pcscf2)" "$n" "with the four SAs the UE uses"
assert_eq "$(jq '[.ues[].stats.records_seen] | add' "$UE_RUN/dump.json")" "0" \
	"no SA record reached any UE"
# shellcheck disable=SC2086
assert_all_ok "$n" "the next MESSAGE goes straight over the recovered SAs" net_message_to mt-lazy2 $all
assert_eq "$(kam_stat pcscf2 lazy_recovered)" "$n" "without a second recovery"
assert_eq "$(kam_stat hss hss_mar_answered)" "$mars" "no request to the HSS"

bed_test_end
