#!/bin/bash
# A momentary double VRRP master: pcscf1's VRRP process stalls (SIGSTOP,
# as a busy host that does not schedule it would), pcscf2 hears no advert,
# becomes master and, through its notify script, takes over the UEs of a
# pcscf1 that still serves them. pcscf1 keeps the address (higher priority)
# and nobody loses a UE: they stay reachable through pcscf1, re-register
# there (which gives the records back to pcscf1), and when pcscf1 really
# dies, pcscf2 recovers them from those newer records; the copies its
# first takeover left behind do not stand in their way.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/double-master.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1

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
# A busy host's stall outlasts the switch; a blink would pass too.
sleep 1
kill -CONT "$vrrp"
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
if wait_for 10 "pcscf2 to go back to backup" grep -qx BACKUP "$BED_RUN/pcscf2/vrrp-state"; then
	pass "pcscf2 went back to backup on pcscf1's advert"
else
	fail "pcscf2 is $(cat "$BED_RUN/pcscf2/vrrp-state" 2>/dev/null)"
fi
assert_eq "$(vip_holder)" "pcscf1" "pcscf1 holds the virtual IP"
assert_eq "$(scscf_records_of pcscf2)" "$n" "the S-CSCF lists the records under pcscf2 for now"

# --- pcscf1 serves on --------------------------------------------------------
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach every UE through pcscf1" net_message_to mt-double $all
# shellcheck disable=SC2086
assert_all_ok "$n" "originating MESSAGEs from every UE pass pcscf1" ues_run mo-double ue-message.xml cur $all
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs re-register through pcscf1" ues_run rereg-double ue-reregister.xml next $all
assert_eq "$(scscf_records_of pcscf1)" "$n" "which gives every record back to pcscf1"

# --- pcscf1 dies for real ------------------------------------------------------
ue_dump
t=$(now_ms)
kam_kill pcscf1 KILL
wait_for 30 "pcscf2 to take the virtual IP" vip_held_by pcscf2 ||
	fail "the virtual IP did not move (holder: '$(vip_holder)')"
if wait_for 30 "pcscf2 to recover $n more UEs" stat_is pcscf2 recovered_ues "$((2 * n))"; then
	pass "pcscf2 recovered the $n UEs from their newer records ($(since "$t") after the kill)"
else
	fail "pcscf2 recovered $(kam_stat pcscf2 recovered_ues) UEs in all, expected $((2 * n))"
fi
assert_eq "$(ues_sas_on pcscf2)" "$n" "pcscf2's kernel holds the SAs each UE uses now"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach every UE through pcscf2" net_message_to mt-after $all
# shellcheck disable=SC2086
assert_all_ok "$n" "originating MESSAGEs from every UE pass pcscf2" ues_run mo-after ue-message.xml cur $all

bed_test_end
