#!/bin/bash
# Lazy recovery, on its own: the virtual IP reaches pcscf2 without any
# takeover (keepalived stopped, the address moved by hand, as after a
# takeover that never ran or missed UEs). A terminating request for a UE
# pcscf2 does not know carries the UE's record, attached by the S-CSCF;
# pcscf2 recovers that one UE from it and forwards the request over the
# UE's SAs. The record never reaches the UE.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/lazy.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)
vip=$(bed_vip)

# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all
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
