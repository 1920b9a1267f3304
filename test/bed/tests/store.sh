#!/bin/bash
# Export and store under bad input: a P-CSCF without a key file still
# registers UEs (and says why it exports nothing) until its keys are
# reloaded; a record header sent by a UE is stripped at the P-CSCF; a
# REGISTER reaching the S-CSCF with a truncated, malformed, misdirected,
# replayed, older, tampered, forged-generation or foreign-key record is
# counted and leaves the stored record as it was; a registration that
# expires takes its record with it, once no takeover is being served (the
# contact timer waits while fetches come back to back); a record that does not open on the
# peer (a key rotation it missed) is skipped at takeover while the other
# UEs recover; a restarted S-CSCF holds every live record again.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/store.sh
set -u
export BED_UES=${BED_UES:-5} BED_FAILOVER=1
# The registration the expiry check shortens must be allowed to be short,
# and purged soon after.
export BED_REG_MIN_EXPIRES=10 BED_UL_TIMER=5
# UE 1 registers some 15 times here (one AKA vector each).
export BED_HSS_VECTORS=20

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

# Both P-CSCFs start with a key file that does not exist yet.
export BED_KEY_FILE=$BED_RUN/store.keys
rm -f "$BED_KEY_FILE"

bed_test_up
n=$BED_UES
all=$(ue_list)
db=$BED_RUN/scscf/failover.sqlite

# record_of IDX: the S-CSCF's stored record text for UE IDX
record_of() {
	sqlite3 "$db" "select record from ims_ipsec_failover where contact like 'sip:$(ue_name "$1")@%'"
}

# direct_register IDX EXPIRES [HEADER...]: UE IDX's contact registered at
# the S-CSCF straight from pcscf1's namespace, as a faulty P-CSCF would
direct_register() {
	local i=$1 exp=$2
	shift 2
	ue_dump
	ip netns exec pcscf1 python3 "$BED_LIB/scscf-register.py" \
		--scscf "${BED_IP4[scscf]}:$SCSCF_PORT" --user "$(ue_name "$i")" \
		--domain "$BED_DOMAIN" --path "sip:term@pcscf.$BED_DOMAIN;lr" \
		--contact "sip:$(ue_name "$i")@$(ue_ip_uri "$i"):$(ue_field "$i" .sa.port_us)" \
		--k "$(hex "$(ue_k_text "$i")")" --op "$(hex "$BED_OP_TEXT")" \
		--milenage "$MILENAGE" --expires "$exp" "$@"
}

mangle() {
	python3 "$BED_LIB/record-mangle.py" "$@"
}

# bad_record WHAT STAT VALUE HEADER-VALUE: UE 1 registered directly with a
# bad record; the registration succeeds, STAT reaches VALUE, and UE 1's
# stored record is unchanged.
bad_record() {
	local what=$1 st=$2 want=$3 code
	code=$(direct_register 1 600 "X-IMS-SA-Record: $4")
	assert_eq "$code" "200" "a REGISTER with $what still registers"
	if wait_for 10 "$st to reach $want" stat_is scscf "$st" "$want"; then
		pass "the S-CSCF rejects $what ($st = $want)"
	else
		fail "$st is $(kam_stat scscf "$st"), expected $want after $what"
	fi
	assert_eq "$(record_of 1)" "$cur1" "and keeps UE 1's record as it was"
}

# --- no key file: registrations go on, nothing is exported -----------------
# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs register through pcscf1, which has no key file" ues_register $all
assert_eq "$(kam_stat pcscf1 exported_records)/$(kam_stat pcscf1 export_failures)" "0/$n" \
	"pcscf1 exported no record and counted $n export failures"
assert_eq "$(grep -c "no sealing keys: $BED_KEY_FILE" "$BED_OUT/pcscf1.log")" "1" \
	"pcscf1 said at start-up why it exports nothing"
assert_eq "$(kam_stat scscf records)" "0" "the S-CSCF holds no record"

cp "$BED_RUN/failover.keys" "$BED_KEY_FILE"
for p in pcscf1 pcscf2; do
	kam_cmd "$p" ims_ipsec_failover.reload_keys >/dev/null
done
assert_eq "$(kam_cmd pcscf1 ims_ipsec_failover.keys | grep -c k1)" "1" \
	"after the key file is in place and reloaded pcscf1 lists key k1"
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs re-register" ues_run rereg1 ue-reregister.xml next $all
assert_eq "$(kam_stat pcscf1 exported_records)" "$n" "pcscf1 exported their records"
assert_eq "$(kam_stat scscf records)" "$n" "the S-CSCF holds $n records"
ue_dump
good=0
for i in $all; do
	read -r node _ _ contact < <(mangle header "$(record_of "$i")")
	[ "$node $contact" = "pcscf1 sip:$(ue_name "$i")@$(ue_ip_uri "$i"):$(ue_field "$i" .sa.port_us)" ] &&
		good=$((good + 1))
done
assert_eq "$good" "$n" "each record names pcscf1 and its UE's contact"
old1=$(record_of 1)
rec2=$(record_of 2)

# --- a UE sends a record of its own: the P-CSCF strips it ------------------
strip0=$(kam_stat pcscf1 stripped_headers)
ue_agent_query "forge $rec2" >/dev/null
assert_all_ok "1" "UE 1 re-registers with UE 2's record in its REGISTERs" ues_run forged ue-reregister.xml next 1
assert_all_ok "1" "and sends a MESSAGE with it" ues_run forged-mo ue-message.xml cur 1
ue_agent_query forge >/dev/null
assert_eq "$(($(kam_stat pcscf1 stripped_headers) - strip0))" "3" \
	"pcscf1 stripped the header from all three requests"
rejected=0
for s in rejected_format rejected_contact rejected_stale rejected_expired rejected_auth; do
	rejected=$((rejected + $(kam_stat scscf "$s")))
done
assert_eq "$rejected" "0" "the S-CSCF never saw the forged record"
cur1=$(record_of 1)
read -r node gen1 _ _ < <(mangle header "$cur1")
read -r _ gen0 _ _ < <(mangle header "$old1")
assert_eq "$node:$((gen1 > gen0))" "pcscf1:1" "UE 1's record is pcscf1's, a newer generation"
assert_eq "$(record_of 2)" "$rec2" "UE 2's record is untouched"

# --- records never reach the UEs or the AS --------------------------------
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach the UEs" net_message_to mt $all
ue_dump
assert_eq "$(jq '[.ues[].stats.records_seen] | add' "$UE_RUN/dump.json")" "0" \
	"no SA record reached any UE"

# --- bad records from a faulty P-CSCF -------------------------------------
bad_record "a truncated record" rejected_format 1 "$(mangle truncate "$cur1")"
bad_record "a record that is not one" rejected_format 2 "not-a-record"
bad_record "UE 2's record" rejected_contact 1 "$rec2"
bad_record "a replay of the stored record" rejected_stale 1 "$cur1"
bad_record "an older generation" rejected_stale 2 "$old1"
bad_record "a record with a flipped ciphertext bit" rejected_auth 1 "$(mangle flip-ct "$cur1")"
bad_record "a forged, newer clear generation" rejected_auth 2 "$(mangle bump-gen "$cur1")"
assert_eq "$(kam_stat scscf records)" "$n" "the S-CSCF still holds $n records"
assert_eq "$(kam_cmd scscf ims_ipsec_failover_scscf.keys | grep -c '"id": "k1"\|id: k1')" "1" \
	"the S-CSCF lists verify key k1"

# --- the list RPC filters by node, and refuses what is not a node id -------
list_count() { # list_count ARGS...: records the list RPC prints
	kam_cmd scscf ims_ipsec_failover_scscf.list "$@" 2>/dev/null | grep -c 'contact:' || true
}
assert_eq "$(list_count)/$(list_count pcscf1)/$(list_count pcscf9)" "$n/$n/0" \
	"list shows all $n records, $n of pcscf1, none of an unknown node"
# kamcmd sends 123 as an integer: still the node id "123", which has none
out=$(kam_cmd scscf ims_ipsec_failover_scscf.list 123 2>&1)
assert_eq "$(grep -c 'error' <<<"$out")/$(grep -c 'contact:' <<<"$out")" "0/0" \
	"list 123 lists the records of node 123: none"
out=$(kam_cmd scscf ims_ipsec_failover_scscf.list 's:bad/node' 2>&1)
assert_eq "$(grep -c 'Invalid node id' <<<"$out")/$(grep -c 'contact:' <<<"$out")" "1/0" \
	"list of an invalid node id is refused and lists nothing"

# --- a P-CSCF sealing with keys not of the pool ----------------------------
# foreign_reg WHAT RING WANT: pcscf1 seals with RING, UE 1 re-registers;
# the registration succeeds, rejected_auth reaches WANT, the record stays.
foreign_reg() {
	(umask 077 && printf '%s\n' "$2" >"$BED_KEY_FILE")
	kam_cmd pcscf1 ims_ipsec_failover.reload_keys >/dev/null
	assert_all_ok "1" "UE 1 re-registers through pcscf1 sealing with $1" ues_run "rereg-$3" ue-reregister.xml next 1
	if wait_for 10 "rejected_auth to reach $3" stat_is scscf rejected_auth "$3"; then
		pass "the S-CSCF rejects the record sealed with $1 (rejected_auth = $3)"
	else
		fail "rejected_auth is $(kam_stat scscf rejected_auth), expected $3 after $1"
	fi
	assert_eq "$(record_of 1)" "$cur1" "and keeps UE 1's record as it was"
}
foreign_reg "a key id the pool does not have" "$("$KEYTOOL" new k9 active)" 3
foreign_reg "other bytes under the pool's key id" "$("$KEYTOOL" new k1 active)" 4
assert_eq "$(grep -c "record rejected (key id not in verify_key_file" "$BED_OUT/scscf.log")" "1" \
	"the S-CSCF log says which check refused the foreign key id"
cp "$BED_RUN/failover.keys" "$BED_KEY_FILE"
kam_cmd pcscf1 ims_ipsec_failover.reload_keys >/dev/null
assert_all_ok "1" "with the pool's key again UE 1 re-registers" ues_run rereg-good ue-reregister.xml next 1
record1_new() { [ "$(record_of 1)" != "$cur1" ]; }
if wait_for 10 "UE 1's new record" record1_new; then
	pass "and its new record replaces the stored one"
else
	fail "UE 1's record was not replaced"
fi
# An S-CSCF given the sealing file instead of its verify file refuses it.
cp "$BED_RUN/failover.verify" "$BED_RUN/failover.verify.good"
cp "$BED_RUN/failover.keys" "$BED_RUN/failover.verify"
out=$(kam_cmd scscf ims_ipsec_failover_scscf.reload_keys 2>&1)
assert_eq "$(grep -c "not a verify key" <<<"$out")" "1" \
	"the S-CSCF refuses a sealing key file as its verify file, saying why"
cp "$BED_RUN/failover.verify.good" "$BED_RUN/failover.verify"

# --- a registration that expires takes its record along -------------------
# ... but not while a takeover is being served: with fetches coming back
# to back, as a P-CSCF sends them, the contact timer's passes wait, and the
# record outlives its registration until the fetches stop.
fr0=$(kam_stat scscf fetch_requests)
ip netns exec pcscf2 python3 "$BED_LIB/sip-tcp.py" "${BED_IP4[scscf]}" "$SCSCF_PORT" OPTIONS \
	"sip:scscf.$BED_DOMAIN" "X-IMS-SA-Fetch: node=nobody;cursor=0;max=1" --for 45 \
	>"$BED_OUT/fetches.txt" 2>"$BED_OUT/fetches.err" &
fetches=$!
fetching() { [ "$(kam_stat scscf fetch_requests)" -gt "$fr0" ]; }
wait_for 30 "the fetches to start" fetching || fail "no fetch reached the S-CSCF"
exp0=$(kam_stat scscf expired)
code=$(direct_register "$n" 10)
assert_eq "$code" "200" "UE $n's registration at the S-CSCF is cut to 10 s"
nap 25
assert_eq "$(kam_stat scscf records)" "$n" \
	"while fetches come back to back, the contact timer waits: UE $n's record is there 25 s after its 10 s registration"
wait "$fetches"
assert_eq "$(head -1 "$BED_OUT/fetches.txt" | tr -d '\r')" "SIP/2.0 200 OK" \
	"the fetches were answered ($(cat "$BED_OUT/fetches.err"))"
if wait_for 60 "UE $n's record to expire" stat_is scscf records "$((n - 1))"; then
	pass "when it expires, with no message, its record goes too"
else
	fail "the S-CSCF holds $(kam_stat scscf records) records, expected $((n - 1))"
fi
assert_eq "$(($(kam_stat scscf expired) - exp0))" "1" "counted as expired"
assert_ge "$(grep -c "contact timer: pass paused" "$BED_OUT/scscf.log")" 1 \
	"the S-CSCF logged the timer's pause"
assert_eq "$(record_of "$n")" "" "and deleted from the database"

# --- a record that does not open is skipped at takeover -------------------
# A key rotation that reached pcscf1 and the S-CSCF but not pcscf2: UE 2's
# next record is sealed with a key pcscf2 does not hold.
ring=$(sed 's/ active$//' "$BED_RUN/failover.keys"; "$KEYTOOL" new k2 active)
printf '%s\n' "$ring" | "$KEYTOOL" verify >"$BED_RUN/failover.verify"
kam_cmd scscf ims_ipsec_failover_scscf.reload_keys >/dev/null
(umask 077 && printf '%s\n' "$ring" >"$BED_KEY_FILE")
kam_cmd pcscf1 ims_ipsec_failover.reload_keys >/dev/null
assert_all_ok "1" "UE 2 re-registers through pcscf1, now sealing with k2" ues_run rereg-k2 ue-reregister.xml next 2
keyid2() { sqlite3 "$db" "select keyid from ims_ipsec_failover where contact like 'sip:$(ue_name 2)@%'"; }
key2_is_k2() { [ "$(keyid2)" = k2 ]; }
if wait_for 10 "UE 2's k2 record" key2_is_k2; then
	pass "the S-CSCF, given k2's verify key, stores UE 2's record sealed with k2"
else
	fail "UE 2's stored record has key id '$(keyid2)', expected k2"
fi
cp "$BED_RUN/failover.keys" "$BED_KEY_FILE"
ue_dump
kam_kill pcscf1 KILL
want=$((n - 2))
if wait_for 40 "pcscf2 to recover $want UEs" stat_is pcscf2 recovered_ues "$want"; then
	pass "pcscf2 recovers the $want UEs whose records open"
else
	fail "pcscf2 recovered $(kam_stat pcscf2 recovered_ues) UEs, expected $want"
fi
assert_eq "$(kam_stat pcscf2 records_unopenable)" "1" "and skips and counts UE 2's record"
assert_eq "$(grep -c "record for sip:$(ue_name 2)@[^ ]* skipped" "$BED_OUT/pcscf2.log")" "1" \
	"naming UE 2's contact in one log line"
rest=$(for i in $all; do [ "$i" != 2 ] && [ "$i" != "$n" ] && echo "$i"; done)
# shellcheck disable=SC2086
assert_all_ok "$want" "terminating MESSAGEs reach the recovered UEs through pcscf2" net_message_to mt-after $rest

# --- the S-CSCF restarts ---------------------------------------------------
# Its registrations live in memory only (ims_usrloc_scscf persists them
# with MySQL alone), the records in its database: every live one comes back.
live=$(kam_stat scscf records)
kam_stop scscf
kam_start scscf keep || fail "the S-CSCF restarts"
wait_for 40 "the S-CSCF's Diameter connection" diameter_stable ||
	fail "the restarted S-CSCF reaches the HSS"
# the first SIP worker loads the table once it is up
if wait_for 40 "the S-CSCF to load its records" stat_is scscf records "$live"; then
	pass "the restarted S-CSCF holds the $live live records again"
else
	fail "the restarted S-CSCF holds $(kam_stat scscf records) records, expected $live"
fi
assert_eq "$(grep -c "loaded $live records from ims_ipsec_failover, dropped 0" "$BED_OUT/scscf.log")" "1" \
	"and says so in its log"
# The UEs' registrations are gone with its memory; the next REGISTER is
# an initial one for the S-CSCF and its record replaces the loaded one.
rep0=$(kam_stat scscf replaced)
assert_all_ok "1" "UE 1 re-registers through pcscf2 after the S-CSCF restart" ues_run rereg-after ue-reregister.xml next 1
assert_eq "$(($(kam_stat scscf replaced) - rep0))" "1" "its new record replaces the one loaded from the database"
read -r node _ _ _ < <(mangle header "$(record_of 1)")
assert_eq "$node" "pcscf2" "and names pcscf2"

bed_test_end
