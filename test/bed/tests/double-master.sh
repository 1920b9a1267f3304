#!/bin/bash
# A momentary double VRRP master: pcscf1's VRRP process stalls (SIGSTOP,
# as a busy host that does not schedule it would), pcscf2 hears no advert,
# becomes master and, through its notify script, takes over the UEs of a
# pcscf1 that still serves them, and sends to two of them on its copies
# of their SAs: their replay windows move a stride above pcscf1's numbers.
# pcscf1 keeps the address (higher priority) and nobody loses a UE:
# pcscf1 learns from the S-CSCF that its records moved to pcscf2, takes
# its UEs back with its outbound sequence numbers jumped above pcscf2's,
# and pcscf2, no longer holding the address, lets its copies go. The UEs
# stay reachable through pcscf1, and when pcscf1 really dies, pcscf2
# recovers them from their newer records with nothing left over. In
# between, a second takeover (asked for while pcscf2 does not hold the
# address) has its claim arrive after a UE registered again: the UE's
# newer record stands, and the others come back to pcscf1 as well.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/double-master.sh
set -u
# A claim is held in the network below for as long as the test needs to
# look at the takeover waiting on it: on a slow, loaded guest longer than
# the P-CSCF waits for an answer (5 s by default) and than the S-CSCF
# waits for the rest of a request it has begun to read (20 s).
export BED_UES=${BED_UES:-5} BED_FAILOVER=1 BED_FETCH_TIMEOUT=180000 \
	BED_TCP_READ_TIMEOUT=200

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)

# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all

# --- pcscf1's VRRP process stalls ------------------------------------------
vrrp=$(cat "$BED_RUN/pcscf1/vrrp.pid")
kill -STOP "$vrrp"
wait_for 10 "pcscf2 to become master" grep -q " MASTER" "$BED_RUN/pcscf2/vrrp.log" ||
	true
if grep -q " MASTER" "$BED_RUN/pcscf2/vrrp.log"; then
	pass "pcscf2 became master while pcscf1 was stalled"
else
	fail "pcscf2 never became master"
fi
if wait_for 30 "pcscf2 to take the $n UEs over" stat_is pcscf2 recovered_ues "$n"; then
	pass "and took over the $n UEs of the live pcscf1"
else
	fail "pcscf2 recovered $(kam_stat pcscf2 recovered_ues) of $n UEs"
fi
# The master of the moment gets what is sent to the address (keepalived
# announced it): MESSAGEs to UEs 1 and 2 go out on pcscf2's copies.
ue_dump
assert_all_ok 2 "terminating MESSAGEs to UEs 1-2 pass pcscf2 while it is master" \
	net_message_to mt-interloper 1 2
ue1_out() { sa_packets pcscf2 "$(bed_vip)" "$(ue_field 1 .ip)" "$(ue_field 1 .sa.spi_us)"; }
assert_ge "$(ue1_out)" 1 "pcscf2 sent them on its copy of UE 1's SAs ($(ue1_out) packets)"
kill -CONT "$vrrp"
if wait_for 10 "pcscf2 to go back to backup" grep -qx BACKUP "$BED_RUN/pcscf2/vrrp-state"; then
	pass "pcscf2 went back to backup on pcscf1's advert"
else
	fail "pcscf2 is $(cat "$BED_RUN/pcscf2/vrrp-state" 2>/dev/null)"
fi
assert_eq "$(vip_holder)" "pcscf1" "pcscf1 holds the virtual IP"

# --- pcscf1 takes its UEs back, pcscf2 lets its copies go --------------------
# Both may have jumped more than once while both held the address; it
# settles when the one holding it has the records and the other no SA.
settled() {
	[ "$(scscf_records_of pcscf1)" = "$n" ] && [ "$(sa_count pcscf2)" = 0 ]
}
if wait_for 60 "pcscf1 to take its UEs back and pcscf2 to let go" settled; then
	pass "pcscf1 took its $n UEs back and pcscf2 let its copies go (no SA left there)"
else
	fail "records of pcscf1: $(scscf_records_of pcscf1) of $n; SAs left on pcscf2: $(sa_count pcscf2)"
fi
assert_ge "$(kam_stat pcscf1 reclaimed_ues)" "$n" "pcscf1 counts the UEs it took back (reclaimed_ues)"
assert_eq "$(kam_stat pcscf2 released_ues)" "$n" "pcscf2 counts the copies it let go (released_ues)"
assert_ge "$(kam_stat scscf records_moved)" "$((2 * n))" "the S-CSCF counts the moves both ways (records_moved)"
moves=$(kam_cmd scscf ims_ipsec_failover_scscf.moves)
assert_match "$moves" "from: pcscf1" "the S-CSCF's moves RPC lists them"

# --- pcscf1 serves on --------------------------------------------------------
# UEs 1 and 2 too: pcscf1's numbers are above pcscf2's now
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach every UE through pcscf1" net_message_to mt-double $all
# shellcheck disable=SC2086
assert_all_ok "$n" "originating MESSAGEs from every UE pass pcscf1" ues_run mo-double ue-message.xml cur $all
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs re-register through pcscf1" ues_run rereg-double ue-reregister.xml next $all
assert_eq "$(scscf_records_of pcscf1)" "$n" "which gives every record back to pcscf1"

# --- a UE registers again between a takeover's fetch and its claim ---------
# pcscf2 takes the live pcscf1's UEs over once more, but its claim (the
# one large request to the S-CSCF; a fetch is small) is held in pcscf2's
# network while UE 1 registers again through pcscf1. Made from the record
# fetched before that, the claim must not replace the newer one.
db=$BED_RUN/scscf/failover.sqlite
ue1() { sqlite3 "$db" "select $1 from ims_ipsec_failover where contact like 'sip:ue000001@%'"; }
sas_on_is() { [ "$(ues_sas_on "$1")" = "$2" ]; }
sup0=$(kam_stat scscf claims_superseded)
ue_dump
# IPv4 total length under 1024 passes, anything larger to the S-CSCF's
# port is dropped (TCP sends it again once the filter is gone)
tcf() { ip netns exec pcscf2 tc filter add dev eth0 parent 1: protocol ip "$@"; }
ip netns exec pcscf2 tc qdisc add dev eth0 root handle 1: prio
tcf prio 1 u32 match ip protocol 6 0xff match ip dport "$SCSCF_PORT" 0xffff \
	match u16 0 0xfc00 at 2 action ok
tcf prio 2 u32 match ip protocol 6 0xff match ip dport "$SCSCF_PORT" 0xffff action drop
kam_takeover pcscf2 pcscf1 >"$BED_OUT/takeover-held.txt" 2>&1 &
held=$!
wait_for 30 "pcscf2 to install the SAs the UEs use" sas_on_is pcscf2 "$n" ||
	fail "pcscf2 installed the SAs of $(ues_sas_on pcscf2) of $n UEs"
# The takeover runs in the module's own process: while it waits on its
# claim, pcscf2's control socket answers, shows the progress, lets a
# second request for pcscf1 join it and queues one for another node.
field() { sed -n "s/^[[:space:]]*$1: *//p" | head -n 1; }
t=$(now_ms)
kam_cmd pcscf2 core.version >/dev/null
dt=$(($(now_ms) - t))
assert_ge 2000 "$dt" "pcscf2's control socket answers while the takeover waits ($dt ms)"
ts=$(kam_cmd pcscf2 ims_ipsec_failover.takeover_status)
id=$(field id <<<"$ts")
assert_eq "$(field state <<<"$ts")/$(field node <<<"$ts")/$(field recovered <<<"$ts")" \
	"running/pcscf1/$n" "takeover_status shows it running, $n UEs recovered so far"
j=$(kam_cmd pcscf2 ims_ipsec_failover.takeover pcscf1)
assert_eq "$(field id <<<"$j")/$(field joined <<<"$j")" "$id/1" \
	"a second takeover request for pcscf1 joins takeover $id"
q=$(kam_cmd pcscf2 ims_ipsec_failover.takeover pcscf9)
id9=$(field id <<<"$q")
assert_eq "$(field state <<<"$q")/$(field joined <<<"$q")" "queued/0" \
	"one for another node waits for it (takeover $id9)"
assert_all_ok 1 "UE 1 registers again through pcscf1 meanwhile" ues_run rereg-held ue-reregister.xml next 1
gen=$(ue1 generation)
ip netns exec pcscf2 tc qdisc del dev eth0 root
if wait_for 60 "the held claim to reach the S-CSCF" stat_is scscf claims_superseded "$((sup0 + 1))"; then
	pass "the S-CSCF refuses the claim of UE 1's older record as superseded"
else
	fail "claims superseded at the S-CSCF: $(kam_stat scscf claims_superseded), expected $((sup0 + 1))"
fi
assert_eq "$(ue1 node)/$(ue1 generation)" "pcscf1/$gen" "UE 1's newer record stands, under pcscf1"
if wait "$held"; then
	pass "the notify script saw takeover $id end: $(cut -c1-60 "$BED_OUT/takeover-held.txt")..."
else
	fail "the notify script reports: $(cat "$BED_OUT/takeover-held.txt")"
fi
st() { kam_cmd pcscf2 ims_ipsec_failover.takeover_status "$id" | field "$1"; }
assert_eq "$(st claimed)/$(st superseded)" "$((n - 1))/1" \
	"takeover $id claimed the other $((n - 1)) UEs, UE 1's claim was superseded"
if wait_for 60 "pcscf1 to take them back and pcscf2 to let go" settled; then
	pass "pcscf1 took the $((n - 1)) UEs back, pcscf2 let go of its copies"
else
	fail "records of pcscf1: $(scscf_records_of pcscf1) of $n; SAs left on pcscf2: $(sa_count pcscf2)"
fi
st9() { kam_cmd pcscf2 ims_ipsec_failover.takeover_status "$id9" | field "$1"; }
st9_ended() { [ "$(st9 state)" = done ]; }
if wait_for 30 "takeover $id9 to end" st9_ended; then
	assert_eq "$(st9 fetched)" 0 "then takeover $id9 ran and found no record of pcscf9"
else
	fail "takeover $id9 of pcscf9 is $(st9 state)"
fi
# The other records are pcscf2's now, as after the first takeover; the
# UEs registering again through pcscf1 give them back.
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs register again through pcscf1" ues_run rereg-again ue-reregister.xml next $all
assert_eq "$(scscf_records_of pcscf1)" "$n" "every record is pcscf1's again"

# --- pcscf1 dies for real ------------------------------------------------------
ue_dump
rec0=$(kam_stat pcscf2 recovered_ues)
t=$(now_ms)
kam_kill pcscf1 KILL
wait_for 30 "pcscf2 to take the virtual IP" vip_held_by pcscf2 ||
	fail "the virtual IP did not move (holder: '$(vip_holder)')"
if wait_for 30 "pcscf2 to recover $n more UEs" stat_is pcscf2 recovered_ues "$((rec0 + n))"; then
	pass "pcscf2 recovered the $n UEs from their newer records ($(since "$t") after the kill)"
else
	fail "pcscf2 recovered $(($(kam_stat pcscf2 recovered_ues) - rec0)) UEs, expected $n"
fi
assert_eq "$(ues_sas_on pcscf2)" "$n" "pcscf2's kernel holds the SAs each UE uses now"
assert_eq "$(sa_count pcscf2)" "$((4 * n))" "and nothing else: no SA left over from the double masters"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach every UE through pcscf2" net_message_to mt-after $all
# shellcheck disable=SC2086
assert_all_ok "$n" "originating MESSAGEs from every UE pass pcscf2" ues_run mo-after ue-message.xml cur $all

bed_test_end
