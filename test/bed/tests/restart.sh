#!/bin/bash
# Restart recovery, on its own: a P-CSCF that crashes and is started again
# with the same node id gets its UEs back from the S-CSCF by itself (no
# RPC, no peer), after the stock ims_ipsec_pcscf flushed every SA at
# start-up. The pool peer is stopped so that it cannot take over instead.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/restart.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)
vrrp_stop pcscf2
kam_stop pcscf2

# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all
# shellcheck disable=SC2086
assert_all_ok "$n" "and reachable" net_message_to mt-before $all
mars=$(kam_stat hss hss_mar_answered)

t=$(now_ms)
kam_kill pcscf1 KILL
ue_dump
assert_eq "$(ues_sas_on pcscf1)" "$n" "a crash leaves the SAs behind"
kam_start pcscf1 || fail "pcscf1 restarts"
if wait_for 60 "pcscf1 to recover its UEs" stat_is pcscf1 recovered_ues "$n"; then
	pass "the restarted pcscf1 recovered its $n UEs by itself ($(since "$t") after the crash)"
else
	fail "pcscf1 recovered $(kam_stat pcscf1 recovered_ues) of $n UEs"
fi
# recovered_ues counts UEs whose SAs were installed anew: had the stock
# start-up flush not removed the old ones, they would count as collisions.
assert_eq "$(kam_stat pcscf1 spi_collisions)" "0" "no SA was left over to collide with"
assert_eq "$(ues_sas_on pcscf1)" "$n" "pcscf1's kernel holds the four SAs of each UE again"
# shellcheck disable=SC2086
assert_all_ok "$n" "every UE is reachable again" net_message_to mt-after $all
# shellcheck disable=SC2086
assert_all_ok "$n" "every UE reaches the network again" ues_run mo-after ue-message.xml cur $all
assert_eq "$(kam_stat hss hss_mar_answered)" "$mars" "with no request to the HSS"

bed_test_end
