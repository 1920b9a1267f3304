#!/bin/bash
# An active-active pool with no idle host: pcscf1 serves address A and
# pcscf2 address B, each host also runs a standby instance for the other's
# address (pcscf1b for B, pcscf2a for A), and a third host a second
# standby for A (pcscf3). Half the UEs register through A, half through B.
# Host 1 dies (both its instances, no goodbye): pcscf2a takes A and
# pcscf1's UEs, and in the end A's UEs live on that one node, not on
# pcscf3 too; B's UEs on pcscf2 never notice; every UE is reachable both
# ways with no HSS request, and a call from an A UE to a B UE goes on.
# Host 1 comes back and does not pull A back; the admin moves A back by
# restarting keepalived on pcscf2a: pcscf1 takes the UEs back from the
# S-CSCF's records and pcscf2a lets its copies go. Then host 2 dies and
# pcscf1b takes B's UEs over while A's stay on pcscf1.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run --mem 2G test/bed/tests/active-active.sh
set -u
# Five P-CSCF instances: with Kamailio 5.6 each protected port is a
# process, so each instance gets ports for its own address's UEs only.
export BED_UES=${BED_UES:-4} BED_FAILOVER=1 BED_LAYOUT=active-active
[ "$BED_UES" -ge 4 ] || { echo "active-active.sh needs BED_UES >= 4 (two per address)" >&2; exit 2; }
[ "${KAMAILIO_GEN:-}" = 6.0 ] || export IPSEC_MAX_CONN=${IPSEC_MAX_CONN:-$((BED_UES + 6))}

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)
mapfile -t aset < <(ue_list A)
mapfile -t bset < <(ue_list B)
na=${#aset[@]}
nb=${#bset[@]}
a1=${aset[0]}
b1=${bset[0]}

# hss_requests: MARs and SARs the HSS answered so far
hss_requests() { echo "$(kam_stat hss hss_mar_answered)/$(kam_stat hss hss_sar_answered)"; }
# sa_free NODE: NODE's kernel holds no SA
sa_free() { [ "$(sa_count "$1")" = 0 ]; }
# settled NODE N: the S-CSCF lists all of A's N UEs under NODE, which
# holds their SAs, and no other A member holds an SA
settled() {
	local m
	[ "$(scscf_records_of "$1")" = "$2" ] && [ "$(ues_sas_on "$1")" -ge "$2" ] || return 1
	for m in pcscf1 pcscf2a pcscf3; do
		[ "$m" = "$1" ] || ! kam_alive "$m" || sa_free "$m" || return 1
	done
}
# everyone_reachable TAG: a MESSAGE each way to and from every UE
everyone_reachable() {
	# shellcheck disable=SC2086
	assert_all_ok "$n" "terminating MESSAGEs reach all $n UEs ($1)" net_message_to "mt-$1" $all
	# shellcheck disable=SC2086
	assert_all_ok "$n" "originating MESSAGEs from all $n UEs pass their P-CSCF ($1)" \
		ues_run "mo-$1" ue-message.xml cur $all
}

assert_eq "$(vip_holder A)/$(vip_holder B)" "pcscf1/pcscf2" \
	"pcscf1 holds address A and pcscf2 address B; pcscf1b, pcscf2a and pcscf3 stand by"
assert_all_ok "$na" "UEs ${aset[*]} register through A (pcscf1)" ues_register "${aset[@]}"
assert_all_ok "$nb" "UEs ${bset[*]} register through B (pcscf2)" ues_register "${bset[@]}"
assert_eq "$(scscf_records_of pcscf1)/$(scscf_records_of pcscf2)" "$na/$nb" \
	"the S-CSCF holds their records under pcscf1 and pcscf2"
ue_dump
assert_eq "$(ues_sas_on pcscf1)/$(ues_sas_on pcscf2)" "$na/$nb" \
	"each serving instance holds the SAs of its own address's UEs"
everyone_reachable before
assert_all_ok 1 "UE $a1 (on A) calls UE $b1 (on B): INVITE, 200, ACK through pcscf1 and pcscf2" \
	ue_call call1 "$a1" "$b1"

# --- host 1 dies ----------------------------------------------------------
hss0=$(hss_requests)
b_in0=$(ue_sa_packets "$b1" in)
t=$(now_ms)
node_crash pcscf1
node_crash pcscf1b
if wait_for 30 "A to move" vip_held_by pcscf2a A; then
	pass "pcscf2a took address A ($(since "$t") after host 1 died)"
else
	fail "address A is held by '$(vip_holder A)'"
fi
if wait_for 60 "pcscf2a to take A's UEs" settled pcscf2a "$na"; then
	pass "pcscf2a took A's $na UEs over, and only it holds them ($(since "$t") after host 1 died)"
else
	fail "records under pcscf2a: $(scscf_records_of pcscf2a) of $na; SAs on pcscf3: $(sa_count pcscf3)"
fi
assert_eq "$(vip_holder A)/$(vip_holder B)" "pcscf2a/pcscf2" \
	"A on pcscf2a (not pcscf3 as well), B still on pcscf2"
assert_eq "$(scscf_records_of pcscf2)/$(ues_sas_on pcscf2)" "$nb/$nb" \
	"pcscf2 still serves B's $nb UEs, untouched"
everyone_reachable host1-dead
assert_ge "$(($(ue_sa_packets "$b1" in) - b_in0))" 1 \
	"B's UEs were reached over the SAs they had all along"
assert_all_ok 1 "UE $a1's re-INVITE and BYE reach UE $b1 through pcscf2a and pcscf2, and get their 200 OK" \
	ue_reinvite_bye call1 "$a1" "$b1"
assert_eq "$(hss_requests)" "$hss0" "no HSS request (MAR/SAR) for the failover"
assert_eq "$(ues_registered)" "$n" "no UE re-registered"

# --- host 1 is back; the admin moves A back to pcscf1 -----------------------
node_boot pcscf1 || fail "pcscf1 starts again"
node_boot pcscf1b || fail "pcscf1b starts again"
wait_for 10 "pcscf1's keepalived to settle" grep -qx BACKUP "$BED_RUN/pcscf1/vrrp-state" || true
sleep 2
assert_eq "$(vip_holder A)/$(vip_holder B)" "pcscf2a/pcscf2" \
	"the instances of host 1 come back as standbys: neither pulls its address back"
# What docs/deployment.md tells an admin to do: restart keepalived where
# the address is now; the highest-priority standby, pcscf1, takes it.
t=$(now_ms)
vrrp_stop pcscf2a
vrrp_start pcscf2a
if wait_for 30 "A to move back" vip_held_by pcscf1 A; then
	pass "restarting keepalived on pcscf2a moved A back to pcscf1 ($(since "$t"))"
else
	fail "address A is held by '$(vip_holder A)'"
fi
if wait_for 60 "pcscf1 to take A's UEs back and pcscf2a to let go" settled pcscf1 "$na"; then
	pass "pcscf1 took A's $na UEs back from the S-CSCF's records, pcscf2a let its copies go ($(since "$t"))"
else
	fail "records under pcscf1: $(scscf_records_of pcscf1) of $na; SAs left on pcscf2a: $(sa_count pcscf2a)"
fi
assert_ge "$(kam_stat pcscf1 recovered_ues)" "$na" "pcscf1 counts them in recovered_ues"
everyone_reachable moved-back
assert_eq "$(hss_requests)" "$hss0" "moving A back cost no HSS request"

# --- host 2 dies ----------------------------------------------------------
t=$(now_ms)
node_crash pcscf2
node_crash pcscf2a
if wait_for 30 "B to move" vip_held_by pcscf1b B; then
	pass "pcscf1b took address B ($(since "$t") after host 2 died)"
else
	fail "address B is held by '$(vip_holder B)'"
fi
if wait_for 60 "pcscf1b to take B's UEs" stat_is pcscf1b recovered_ues "$nb"; then
	pass "pcscf1b took B's $nb UEs over ($(since "$t") after host 2 died)"
else
	fail "pcscf1b recovered $(kam_stat pcscf1b recovered_ues) of $nb UEs"
fi
assert_eq "$(vip_holder A)" "pcscf1" "A stays on pcscf1"
assert_eq "$(scscf_records_of pcscf1)/$(scscf_records_of pcscf1b)" "$na/$nb" \
	"the S-CSCF lists A's UEs under pcscf1 and B's under pcscf1b"
everyone_reachable host2-dead
assert_eq "$(hss_requests)" "$hss0" "with no HSS request all along"
assert_eq "$(ues_registered)" "$n" "and no UE re-registered"

bed_test_end
