#!/bin/bash
# The IMS test bed without our modules: IMS-AKA registration of BED_UES UEs
# through the P-CSCF pool's virtual IP, requests both ways over their ESP
# SAs, service-route policing, re-registration, de-registration, and the
# baseline failure: once pcscf1 dies and pcscf2 holds the virtual IP, no
# UE is reachable (BED_EXPECT_DELIVERY=1 turns that last check around,
# for a bed that runs our failover modules).
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/registration.sh
set -u
export BED_UES=${BED_UES:-5}

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
vip=$(bed_vip)
all=$(ue_list)

# --- registration ---------------------------------------------------------
t=$(now_ms)
# shellcheck disable=SC2086
read -r ok ko < <(ues_register $all)
bed_log "$n initial registrations in $(since "$t")"
assert_eq "$ok/$ko" "$n/0" "IMS-AKA registration of $n UEs through the virtual IP"
assert_eq "$(ues_registered)" "$n" "the UE agent sees $n UEs registered"
assert_eq "$(kam_stat hss hss_mar_answered)" "$n" "HSS answered one MAR per UE"
assert_eq "$(kam_stat hss hss_sar_answered)" "$n" "HSS answered one SAR per UE"
assert_eq "$(sa_count ue)" "$((4 * n))" "the UEs hold four ESP SAs each"
ue_dump
assert_eq "$(ues_sas_on pcscf1)" "$n" "pcscf1 holds the four SAs of every UE, same SPIs"
assert_eq "$(sa_count pcscf2)" "0" "the standby pcscf2 holds no SA"
assert_eq "$(vip_holder)" "pcscf1" "pcscf1 holds the virtual IP $vip"

# --- terminating: S-CSCF -> Path -> P-CSCF -> UE over ESP ------------------
in0=$(sum_ue_sa_packets in)
# shellcheck disable=SC2086
assert_all_ok "$n" "network-originated MESSAGE answered by each UE" net_message_to mt1 $all
in1=$(sum_ue_sa_packets in)
assert_ge "$((in1 - in0))" "$n" "the MESSAGEs reached the UEs through their inbound ESP SAs"

# --- originating: UE -> P-CSCF over ESP -> S-CSCF -> AS ------------------
out0=$(sum_ue_sa_packets out)
# shellcheck disable=SC2086
assert_all_ok "$n" "UE-originated MESSAGE along the Service-Route, asserted identity checked by the AS" ues_run mo1 ue-message.xml cur $all
out1=$(sum_ue_sa_packets out)
assert_ge "$((out1 - out0))" "$n" "the MESSAGEs left the UEs through their outbound ESP SAs"
assert_all_ok "1" "a MESSAGE off the Service-Route is refused by the P-CSCF (400)" ues_run badroute ue-message-badroute.xml cur 1

# --- re-registration: new SA set, old one gone ----------------------------
old_spi=$(ue_field 1 .sa.spi_us)
# shellcheck disable=SC2086
assert_all_ok "$n" "re-registration of $n UEs over their SAs, new SA sets" ues_run rereg ue-reregister.xml next $all
ue_dump
new_spi=$(ue_field 1 .sa.spi_us)
if [ -n "$new_spi" ] && [ "$new_spi" != "$old_spi" ]; then
	pass "UE 1 moved to a new SA set (spi-s $old_spi -> $new_spi)"
else
	fail "UE 1 kept spi-s $old_spi after re-registration"
fi
assert_eq "$(kam_stat hss hss_mar_answered)" "$((2 * n))" "HSS answered one more MAR per UE"
assert_eq "$(sa_count ue)" "$((4 * n))" "the UEs dropped their previous SAs"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs use the new SAs" net_message_to mt2 $all

bed_log "pcscf1 holds $(sa_count pcscf1) SAs after the re-registration of $n UEs"

# --- de-registration of the last UE ---------------------------------------
un=$(ue_field "$n" .ip)
spi_ps=$(ue_field "$n" .sa.spi_ps)
assert_all_ok "1" "UE $n de-registers over its SAs" ues_run dereg ue-deregister.xml cur "$n"
if wait_for 10 "pcscf1 to drop UE $n's SA $spi_ps" bash -c "! ip -n pcscf1 xfrm state get src $un dst $vip proto esp spi $spi_ps"; then
	pass "pcscf1 removed the SAs UE $n de-registered over"
else
	fail "pcscf1 still holds UE $n's SA $spi_ps"
fi
read -r ok ko < <(net_message_to mt3 "$n")
assert_eq "$ok" "0" "no MESSAGE reaches the de-registered UE $n"
read -r _ _ < <(ues_register "$n")

# --- the baseline failure: pcscf1 dies ------------------------------------
mars=$(kam_stat hss hss_mar_answered)
kam_kill pcscf1 KILL
vrrp_stop pcscf1
if wait_for 30 "pcscf2 to take the virtual IP" vip_held_by pcscf2; then
	pass "keepalived moved the virtual IP to pcscf2"
else
	fail "the virtual IP did not move (holder: '$(vip_holder)')"
	bed_diag
fi
sleep "${BED_TAKEOVER_WAIT:-2}"
# shellcheck disable=SC2086
read -r ok ko < <(net_message_to mt4 $all)
if [ "${BED_EXPECT_DELIVERY:-0}" = 1 ]; then
	assert_eq "$ok/$ko" "$n/0" "after the failover every UE is still reachable"
	assert_eq "$(kam_stat hss hss_mar_answered)" "$mars" "and the HSS saw no new MAR"
else
	assert_eq "$ok" "0" "baseline: after pcscf1 died no UE is reachable until it re-registers"
	assert_eq "$(sa_count pcscf2)" "0" "baseline: pcscf2 has no SA for any UE"
fi

bed_test_end
