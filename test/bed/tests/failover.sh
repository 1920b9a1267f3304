#!/bin/bash
# P-CSCF failover with ims_ipsec_failover: BED_UES UEs register through
# pcscf1 (IMS-AKA, ESP), their sealed SA records reach the S-CSCF with each
# registration; pcscf1 dies, keepalived moves the virtual IP to pcscf2,
# whose notify script runs the takeover: pcscf2 fetches the records,
# re-creates the same SAs and usrloc contacts and claims the records. The
# UEs stay reachable both ways with no re-registration and no HSS request,
# and two calls set up through pcscf1 go on through pcscf2 (a re-INVITE and
# a BYE from a UE, a BYE from the network); later the UEs re-register
# through pcscf2 as usual.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/failover.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1
[ "$BED_UES" -ge 3 ] || { echo "failover.sh needs BED_UES >= 3 (the calls)" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
vip=$(bed_vip)
all=$(ue_list)

# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all
# At least one each: on a loaded machine a UE may retransmit its REGISTER
# after the P-CSCF's transaction has ended; that copy is exported again
# (and refused by the S-CSCF's nonce check), so the S-CSCF's count is the
# exact one.
assert_ge "$(kam_stat pcscf1 exported_records)" "$n" "pcscf1 exported a sealed SA record for each registration"
assert_eq "$(kam_stat pcscf1 export_failures)" "0" "pcscf1 had no export failure"
assert_eq "$(kam_stat scscf records)" "$n" "the S-CSCF holds $n records"
assert_eq "$(scscf_records_of pcscf1)" \
	"$n" "the S-CSCF's database holds them, under node pcscf1"
# The kernel's ESP keys of pcscf1 must appear nowhere at the S-CSCF.
leaks=0
for k in $(ip -n pcscf1 xfrm state | sed -n 's/.* 0x\([0-9a-f]\{32,\}\).*/\1/p' | sort -u); do
	if sqlite3 "$BED_RUN/scscf/failover.sqlite" .dump | grep -qi "$k" ||
		grep -qi "$k" "$BED_OUT/scscf.log" "$BED_OUT/pcscf1.log"; then
		leaks=$((leaks + 1))
	fi
done
assert_eq "$leaks" "0" "no ESP key in the S-CSCF database or in any log"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach the UEs through pcscf1" net_message_to mt-before $all

# --- bad input never costs a working SA ----------------------------------
db=$BED_RUN/scscf/failover.sqlite
sip_tcp() { ip netns exec pcscf2 python3 "$BED_LIB/sip-tcp.py" "${BED_IP4[scscf]}" "$SCSCF_PORT" OPTIONS "sip:scscf.$BED_DOMAIN" "$@"; }
IFS='|' read -r gen rec < <(sqlite3 "$db" "select generation, record from ims_ipsec_failover limit 1")
{
	echo "$gen $rec"                    # replayed as is: not newer
	echo "$gen ${rec:0:40}x${rec:41}"   # tampered, and sealed for pcscf1
	echo "$gen not-a-record"            # malformed
	echo "$rec"                         # names no record it replaces
} >"$BED_RUN/claim.txt"
ans=$(sip_tcp "X-IMS-SA-Claim: node=pcscf1" --body "$BED_RUN/claim.txt")
assert_eq "$(sed -n 's/^X-IMS-SA-Accepted: *//p' <<<"$ans" | tr -d '\r')" "0" \
	"the S-CSCF accepts no replayed, tampered or malformed record in a claim"
assert_eq "$(kam_stat scscf claims_rejected)" "4" "and counts the four rejections"
ans=$(sip_tcp "X-IMS-SA-Fetch: node=pcscf1;cursor=0;max=0")
assert_eq "$(head -1 <<<"$ans" | cut -d' ' -f2)" "400" "a malformed fetch gets 400"
assert_eq "$(scscf_records_of pcscf1)" "$n" \
	"the stored records are untouched"
# A pool member with the wrong key ring asks for pcscf1's UEs while pcscf1
# is alive: nothing opens, nothing is installed, nothing is torn down.
cp "$BED_RUN/failover.keys" "$BED_RUN/failover.keys.good"
(umask 077 && printf 'k9 %s active\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$BED_RUN/failover.keys")
kam_cmd pcscf2 ims_ipsec_failover.reload_keys >/dev/null
kam_takeover pcscf2 pcscf1 >"$BED_OUT/takeover-wrong-key.txt" 2>&1 ||
	fail "the takeover did not end as done: $(cat "$BED_OUT/takeover-wrong-key.txt")"
assert_eq "$(kam_stat pcscf2 records_unopenable)" "$n" "pcscf2 with a foreign key cannot open any of the $n records"
assert_eq "$(sa_count pcscf2)" "0" "so it installs no SA"
assert_eq "$(ues_sas_on pcscf1)" "$n" "and pcscf1 keeps every UE's SAs"
cp "$BED_RUN/failover.keys.good" "$BED_RUN/failover.keys"
kam_cmd pcscf2 ims_ipsec_failover.reload_keys >/dev/null
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs are still reachable through pcscf1" net_message_to mt-badinput $all

# --- calls in progress ---------------------------------------------------
# Two calls are up through pcscf1 when it dies: UE 1 called UE 2, and the
# network called UE 3. pcscf.cfg keeps no dialog state (record_route only),
# so after the takeover their in-dialog requests find the same Record-Route
# addresses (the virtual IP, the same protected ports) on pcscf2.
assert_all_ok 1 "UE 1 calls UE 2 through pcscf1 (INVITE, 200, ACK)" ue_call call1 1 2
assert_all_ok 1 "the network calls UE 3 through pcscf1" net_call call2 3

# --- pcscf1 dies -----------------------------------------------------------
ue_dump
mars=$(kam_stat hss hss_mar_answered)
sars=$(kam_stat hss hss_sar_answered)
scscf_mark=$(wc -l <"$BED_OUT/scscf.log")
t=$(now_ms)
kam_kill pcscf1 KILL
if wait_for 30 "pcscf2 to take the virtual IP" vip_held_by pcscf2; then
	pass "keepalived moved the virtual IP to pcscf2 ($(since "$t") after the kill)"
else
	fail "the virtual IP did not move (holder: '$(vip_holder)')"
fi
if wait_for 30 "pcscf2 to recover $n UEs" stat_is pcscf2 recovered_ues "$n"; then
	pass "pcscf2 took the $n UEs over ($(since "$t") after the kill)"
else
	fail "pcscf2 recovered $(kam_stat pcscf2 recovered_ues) of $n UEs"
	cat "$BED_RUN/pcscf2/vrrp.log" 2>/dev/null
fi
# pcscf2's takeover process saw the address arrive and started it; the
# notify script's request joined it
assert_ge "$(kam_stat pcscf2 address_gained)" 1 \
	"pcscf2 started the takeover itself when the address arrived (address_gained)"
# the status RPC's view of it (written as the takeover ends)
last_of() { kam_cmd pcscf2 ims_ipsec_failover.status | sed -n "s/^[[:space:]]*$1: //p"; }
last_is() { [ "$(last_of last_takeover)/$(last_of last_takeover_recovered)" = "pcscf1/$n" ]; }
if wait_for 10 "pcscf2's status to show the takeover" last_is; then
	pass "pcscf2's status shows the last takeover: pcscf1, $n UEs recovered"
else
	fail "pcscf2's status shows last takeover '$(last_of last_takeover)', $(last_of last_takeover_recovered) UEs"
fi
assert_ge "$(kam_stat pcscf2 last_takeover_ms)" 1 "and last_takeover_ms its duration"
watched=$BED_VIP4
[ "$BED_UE_FAMILY" = 6 ] && watched="$BED_VIP4 $BED_VIP6"
assert_eq "$(last_of takeover_peers)/$(last_of watched_address)/$(last_of holds_address)" \
	"pcscf1/$watched/1" "and its takeover peer, the address it watches, and that it holds it now"
assert_eq "$(kam_stat pcscf2 takeovers_finished)" "$(kam_stat pcscf2 takeovers_started)" \
	"and no takeover is left running"
assert_eq "$(ues_sas_on pcscf2)" "$n" "pcscf2's kernel holds each UE's four SAs with the SPIs the UE uses"
assert_eq "$(kam_stat scscf claims_accepted)" "$n" "the S-CSCF now lists the records under pcscf2"
# what the fetches served beside each record was kept from the REGISTER
# that brought it; usrloc was not asked again
read -r served asked < <(tail -n "+$((scscf_mark + 1))" "$BED_OUT/scscf.log" |
	sed -n 's/.*fetch of node pcscf1 .*: \([0-9]*\) records, \([0-9]*\) completed from usrloc.*/\1 \2/p' |
	awk '{ r += $1; u += $2 } END { print r + 0, u + 0 }')
assert_eq "$served/$asked" "$n/0" \
	"the S-CSCF served the $n records with the Path and identities kept from their registration"

# --- the UEs are still reachable, both ways --------------------------------
in0=$(sum_ue_sa_packets in)
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach every UE through pcscf2" net_message_to mt-after $all
in1=$(sum_ue_sa_packets in)
assert_ge "$((in1 - in0))" "$n" "over the UEs' unchanged inbound ESP SAs"
# shellcheck disable=SC2086
assert_all_ok "$n" "originating MESSAGEs from every UE pass pcscf2 (identity asserted)" ues_run mo-after ue-message.xml cur $all
assert_eq "$(kam_stat hss hss_mar_answered)/$(kam_stat hss hss_sar_answered)" "$mars/$sars" \
	"no HSS request (MAR/SAR) for the failover"
assert_eq "$(ues_registered)" "$n" "no UE re-registered"
assert_all_ok 1 "UE 1's re-INVITE, then its BYE, reach UE 2 over the SAs and get their 200 OK through pcscf2" \
	ue_reinvite_bye call1 1 2
assert_all_ok 1 "the network's BYE reaches UE 3 and its 200 OK comes back through pcscf2" net_bye call2 3
assert_eq "$(kam_stat hss hss_mar_answered)/$(kam_stat hss hss_sar_answered)" "$mars/$sars" \
	"the calls cost no HSS request either"

# --- life goes on: re-registration through pcscf2 -------------------------
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs re-register over the recovered SAs" ues_run rereg-after ue-reregister.xml next $all
assert_ge "$(kam_stat pcscf2 exported_records)" "$n" "pcscf2 exported their new SA records"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs use the new SAs" net_message_to mt-rereg $all

assert_eq "$(kam_stat scscf replaced)" "$n" "each re-registration replaced the UE's record with a newer one"
assert_eq "$(scscf_records_of pcscf2)" "$n" \
	"the records now name pcscf2"

# --- a UE leaves ----------------------------------------------------------
ue_dump
un=$(ue_field "$n" .ip)
spi_ps=$(ue_field "$n" .sa.spi_ps)
assert_all_ok "1" "UE $n de-registers through pcscf2" ues_run dereg-after ue-deregister.xml cur "$n"
if wait_for 10 "pcscf2 to drop UE $n's SAs" bash -c "! ip -n pcscf2 xfrm state get src $un dst $vip proto esp spi $spi_ps"; then
	pass "its SAs vanish from pcscf2's kernel"
else
	fail "pcscf2 still holds UE $n's SA $spi_ps"
fi
if wait_for 30 "the S-CSCF to drop UE $n's record" stat_is scscf records "$((n - 1))"; then
	pass "and its record from the S-CSCF"
else
	fail "the S-CSCF holds $(kam_stat scscf records) records, expected $((n - 1))"
fi

# --- and back: pcscf1 restarts, then pcscf2 dies ---------------------------
m=$((n - 1))
kam_start pcscf1 || fail "pcscf1 restarts"
sleep 3
assert_eq "$(vip_holder)" "pcscf2" "the restarted pcscf1 does not pull the address back (nopreempt)"
mars=$(kam_stat hss hss_mar_answered)
t=$(now_ms)
kam_kill pcscf2 KILL
if wait_for 60 "pcscf1 to take pcscf2's UEs" stat_is pcscf1 recovered_ues "$m"; then
	pass "pcscf1 took the $m UEs back over ($(since "$t") after pcscf2 died)"
else
	fail "pcscf1 recovered $(kam_stat pcscf1 recovered_ues) of $m UEs"
fi
# shellcheck disable=SC2046
assert_all_ok "$m" "terminating MESSAGEs reach them through pcscf1 again" net_message_to mt-back $(seq 1 "$m")
# shellcheck disable=SC2046
assert_all_ok "$m" "and they reach the network" ues_run mo-back ue-message.xml cur $(seq 1 "$m")
assert_eq "$(kam_stat hss hss_mar_answered)" "$mars" "with no request to the HSS"

bed_test_end
