#!/bin/bash
# Restart recovery, on its own: a P-CSCF that crashes and is started again
# with the same node id gets its UEs back from the S-CSCF by itself (no
# RPC, no peer). The crash leaves every SA and policy in the kernel, and
# the stock ims_ipsec_pcscf's start-up flush removes at most about a
# hundred of them: recovery must take what is left of its own UEs for
# its own, replace it, and count no collision. Then a UE that was never
# registered registers: the stock SPI generator starts again from the
# beginning of its range, and must not hand it a recovered UE's SPIs.
# 200 UEs on Kamailio 6.0, 30 on 5.6 (one process per protected port):
# both above what the stock flush can remove.
# The pool peer is stopped so that it cannot take over instead.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/restart.sh
set -u
if [ "${KAMAILIO_GEN:-}" = 6.0 ]; then
	n=${BED_UES:-200}
else
	n=${BED_UES:-30}
fi
# the bed's last UE registers only after the restart
export BED_UES=$((n + 1)) BED_FAILOVER=1

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
new=$BED_UES
all=$(seq 1 "$n")
vrrp_stop pcscf2
kam_stop pcscf2
# 4 policies per UE with Kamailio 5.6, 8 with 6.0 (see ifo_stock.c)
ppu=4
[ "${KAMAILIO_GEN:-}" = 6.0 ] && ppu=8

# The process count with 5 UEs, then with all of them. With Kamailio 6.0
# no protected port has a receiver process of its own (one threaded
# receiver serves them all), with 5.6 every protected UDP port has one.
first=$(seq 1 5)
# shellcheck disable=SC2086
assert_all_ok 5 "5 UEs registered through pcscf1" ues_register $first
procs5=$(kam_procs pcscf1)
# shellcheck disable=SC2086
assert_all_ok "$((n - 5))" "then $((n - 5)) more" ues_register $(seq 6 "$n")
procs=$(kam_procs pcscf1)
assert_eq "$procs" "$procs5" "pcscf1 runs as many processes with $n UEs as with 5"
port_re="sock=[^ ]*:($(seq -s '|' "$IPSEC_SERVER_PORT" $((IPSEC_SERVER_PORT + IPSEC_MAX_CONN - 1))))( |\$)"
if [ "${KAMAILIO_GEN:-}" = 6.0 ]; then
	assert_eq "$(kam_procs pcscf1 "$port_re")" 0 \
		"no protected port has a process of its own ($procs processes for $IPSEC_MAX_CONN port pairs)"
else
	assert_eq "$(kam_procs pcscf1 "$port_re")" "$IPSEC_MAX_CONN" \
		"Kamailio 5.6: a process per protected server port ($procs processes)"
fi
# shellcheck disable=SC2086
assert_all_ok "$n" "and reachable" net_message_to mt-before $all
mars=$(kam_stat hss hss_mar_answered)

t=$(now_ms)
before=$(sa_count pcscf1)
kam_kill pcscf1 KILL
ue_dump
assert_eq "$(ues_sas_on pcscf1)" "$n" "a crash leaves the SAs behind"
kam_start pcscf1 || fail "pcscf1 restarts"
if wait_for 120 "pcscf1 to recover its UEs" stat_is pcscf1 recovered_ues "$n"; then
	pass "the restarted pcscf1 recovered its $n UEs by itself ($(since "$t") after the crash)"
else
	fail "pcscf1 recovered $(kam_stat pcscf1 recovered_ues) of $n UEs"
fi
assert_eq "$(kam_stat pcscf1 spi_collisions)" "0" "no SPI collision"
# The stock flush removes at most 136 SAs and 102 policies: past that,
# what is left of this node's UEs is in the way of their recovery.
left=$(kam_stat pcscf1 leftovers_replaced)
if [ $((4 * n)) -le 136 ]; then
	pass "$n UEs' SAs are few enough for the stock flush (leftovers replaced: ${left:-0})"
elif [ "${left:-0}" -gt 0 ]; then
	pass "what the stock flush left of $left UEs was taken for theirs and replaced"
else
	fail "no leftover recognised, although the stock flush cannot remove $((4 * n)) SAs"
fi
ue_dump
assert_eq "$(ues_sas_on pcscf1)" "$n" "pcscf1's kernel holds the four SAs of each UE again, same SPIs"
assert_eq "$(ues_policies_on pcscf1 "$ppu")" "$n" "and the $ppu policies of each UE, naming them"
after=$(sa_count pcscf1)
if [ "$after" -le "$before" ]; then
	pass "no SA more than before the crash ($after, $before before)"
else
	fail "$after SAs after the recovery, $before before the crash"
fi
# shellcheck disable=SC2086
assert_all_ok "$n" "every UE is reachable again" net_message_to mt-after $all
# shellcheck disable=SC2086
assert_all_ok "$n" "every UE reaches the network again" ues_run mo-after ue-message.xml cur $all
assert_eq "$(kam_stat hss hss_mar_answered)" "$mars" "with no request to the HSS"

# --- a new UE: the SPI generator starts afresh, in the other half ---------
assert_all_ok 1 "a new UE registers through the restarted pcscf1" ues_register "$new"
ue_dump
spi=$(ue_field "$new" .sa.spi_pc)
# one jq run over the dump, not one per UE (a process each in the guest)
clash=$(jq --argjson s "$spi" --argjson n "$n" '[.ues | to_entries[]
	| select((.key | tonumber) <= $n and .value.sa.spi_pc == $s)] | length' \
	"$UE_RUN/dump.json")
assert_eq "$clash" 0 "it got SPIs no recovered UE holds (spi-c $spi)"
assert_all_ok 1 "the new UE is reachable" net_message_to mt-new "$new"
# shellcheck disable=SC2086
assert_all_ok "$n" "and so is every recovered UE" net_message_to mt-last $all
assert_eq "$(ues_sas_on pcscf1)" "$new" "pcscf1 holds the four SAs of all $new UEs"

bed_test_end
