#!/bin/bash
# The S-CSCF's records in PostgreSQL instead of SQLite, through the same
# Kamailio DB API: rows follow registration, re-registration, takeover and
# de-registration, and a restarted S-CSCF loads the live ones back.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/bed/tests/postgres.sh
set -u
# One record per fetch page, and a claim may wait 15 s (see the takeover);
# Kamailio 6.0's S-CSCF would otherwise close a connection whose reader
# has been busy with one request for 20 s (tcp_msg_read_timeout)
export BED_UES=${BED_UES:-3} BED_FAILOVER=1 BED_SCSCF_DB=postgres \
	BED_FETCH_PAGE=1 BED_FETCH_TIMEOUT=15000 BED_TCP_READ_TIMEOUT=200

# shellcheck source-path=SCRIPTDIR/.. source=../lib/bedtest.sh
. "$(dirname "$0")/../lib/bedtest.sh"

bed_test_up
n=$BED_UES
all=$(ue_list)

rows() { # rows NODE: the S-CSCF's rows in PostgreSQL naming NODE
	pg_sql -c "SELECT count(*) FROM ims_ipsec_failover WHERE node = '$1'"
}
total_rows() { # total_rows N: the table holds N rows
	[ "$(pg_sql -c "SELECT count(*) FROM ims_ipsec_failover")" = "$1" ]
}
generations() {
	pg_sql -c "SELECT string_agg(generation::text, ',' ORDER BY contact) FROM ims_ipsec_failover"
}

assert_eq "$(ls "$BED_RUN/scscf/failover.sqlite" 2>/dev/null)" "" "no SQLite file in sight"
# shellcheck disable=SC2086
assert_all_ok "$n" "$n UEs registered through pcscf1" ues_register $all
assert_eq "$(rows pcscf1)" "$n" "PostgreSQL holds $n rows naming pcscf1"
good=0
for i in $all; do
	c=$(pg_sql -c "SELECT count(*) FROM ims_ipsec_failover WHERE contact LIKE 'sip:$(ue_name "$i")@$(ue_ip_uri "$i"):%' AND record <> ''")
	[ "$c" = 1 ] && good=$((good + 1))
done
assert_eq "$good" "$n" "one row per UE contact, with its sealed record"
g0=$(generations)
# shellcheck disable=SC2086
assert_all_ok "$n" "the UEs re-register" ues_run rereg ue-reregister.xml next $all
g1=$(generations)
newer=0
IFS=, read -r -a a0 <<<"$g0"
IFS=, read -r -a a1 <<<"$g1"
for i in "${!a0[@]}"; do
	[ "${a1[$i]:-0}" -gt "${a0[$i]}" ] && newer=$((newer + 1))
done
assert_eq "$newer" "$n" "each row now holds a newer generation"

# --- a slow database holds up no one but the writer ------------------------
# Another client locks the table; UE 1 re-registers, so a SIP worker of the
# S-CSCF waits in its write. The store's other readers (here the list RPC,
# which walks every slot under its lock) must not wait with it: the write
# runs after the slot lock is released. The contact timer runs in the
# module's own process, not in the core's shared slow timer.
assert_eq "$(kam_procs scscf 'IMS IPSEC FAILOVER TIMER')" "1" \
	"the contact timer runs in a process of its own"
lock_waiters() { # processes waiting for a lock
	pg_sql -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
}
holder_locked() {
	[ "$(pg_sql -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE a.application_name = 'ifo-holder' AND l.mode = 'AccessExclusiveLock' AND l.granted")" -ge 1 ]
}
write_waits() { [ "$(lock_waiters)" -ge 1 ]; }
ue1_gen() {
	pg_sql -c "SELECT generation FROM ims_ipsec_failover WHERE contact LIKE 'sip:$(ue_name 1)@%'"
}
gen_before=$(ue1_gen)
PGAPPNAME=ifo-holder pg_sql -c "BEGIN; LOCK TABLE ims_ipsec_failover IN ACCESS EXCLUSIVE MODE;
	SELECT pg_sleep(120); COMMIT;" >/dev/null 2>&1 &
holder=$!
wait_for 20 "the table lock to be held" holder_locked || fail "the lock holder did not get its lock"
ues_run rereg1 ue-reregister.xml next 1 >"$BED_RUN/rereg1.result" &
rereg=$!
if wait_for 30 "the S-CSCF's write to wait for the lock" write_waits; then
	t0=$(now_ms)
	listed=$(timeout 100 kamcmd -s "unix:$BED_RUN/scscf/ctl.sock" ims_ipsec_failover_scscf.list 2>/dev/null |
		grep -c 'contact:' || true)
	ms=$(($(now_ms) - t0))
	bed_log "list answered in $ms ms with $listed records while $(lock_waiters) write(s) waited"
	assert_eq "$listed/$([ "$ms" -lt 3000 ] && echo fast)" "$n/fast" \
		"while a write waits for the database, the store lists its $n records at once (${ms} ms)"
else
	fail "no write of the S-CSCF waited for the table lock"
fi
pg_sql -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ifo-holder'" >/dev/null
wait "$holder" 2>/dev/null || true
wait "$rereg" || true
assert_eq "$(cat "$BED_RUN/rereg1.result")" "1 0" "UE 1's re-registration completes once the database is free"
gen_after=$(ue1_gen)
assert_eq "$([ "${gen_after:-0}" -gt "${gen_before:-0}" ] && echo newer)" "newer" \
	"its row holds the re-registration's newer generation"
assert_eq "$(kam_stat scscf db_errors)" "0" "with no database error"

# --- takeover: the claims are written through, a late answer is dropped ---
# The table is locked again when pcscf1 dies: the claim of pcscf2's first
# page waits for it at the S-CSCF, past pcscf2's fetch_timeout. Once that
# has run out the lock goes, so the claim's answer comes late, just ahead
# of the answer to the next fetch on the same connection: pcscf2 must
# know it by CSeq and branch, drop and count it, and go on with its walk.
claim_timed_out() { grep -q "no answer from S-CSCF .* within 15000 ms" "$BED_OUT/pcscf2.log"; }
late0=$(kam_stat pcscf2 late_answers)
fin0=$(kam_stat pcscf2 takeovers_finished)
cerr0=$(kam_stat pcscf2 claim_errors)
PGAPPNAME=ifo-holder pg_sql -c "BEGIN; LOCK TABLE ims_ipsec_failover IN ACCESS EXCLUSIVE MODE;
	SELECT pg_sleep(300); COMMIT;" >/dev/null 2>&1 &
holder=$!
wait_for 20 "the table lock to be held" holder_locked || fail "the lock holder did not get its lock"
kam_kill pcscf1 KILL
if wait_for 120 "pcscf2's first claim to time out" claim_timed_out; then
	pass "pcscf2's first claim waits for the locked table past fetch_timeout"
else
	fail "pcscf2 logged no claim timeout"
fi
pg_sql -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ifo-holder'" >/dev/null
wait "$holder" 2>/dev/null || true
if wait_for 60 "pcscf2 to recover $n UEs" stat_is pcscf2 recovered_ues "$n"; then
	pass "pcscf2 takes the $n UEs over from the records, one page each"
else
	fail "pcscf2 recovered $(kam_stat pcscf2 recovered_ues) of $n UEs"
fi
wait_for 30 "the takeover to finish" stat_is pcscf2 takeovers_finished "$((fin0 + 1))" ||
	fail "pcscf2's takeover did not finish"
assert_eq "$(($(kam_stat pcscf2 late_answers) - late0))/$(grep -c "dropped an answer to an earlier request" "$BED_OUT/pcscf2.log")" \
	"1/1" "the late claim answer was dropped and counted (late_answers), once"
assert_eq "$(($(kam_stat pcscf2 claim_errors) - cerr0))" "1" \
	"the timed-out claim counts as one claim error, the other pages' claims none"
ts=$(kam_cmd pcscf2 ims_ipsec_failover.takeover_status)
assert_eq "$(sed -n 's/^[[:space:]]*pages: *//p' <<<"$ts" | tail -n 1)" "$n" \
	"the walk went on after the late answer: $n pages"
assert_eq "$(rows pcscf2)/$(rows pcscf1)" "$n/0" \
	"every row now names pcscf2 (the S-CSCF applied the late claim too)"
assert_eq "$(kam_stat scscf db_errors)/$(grep -c "batched write" "$BED_OUT/scscf.log")" "0/0" \
	"each claim's rows written at once (no row-by-row fallback), with no database error"
# shellcheck disable=SC2086
assert_all_ok "$n" "terminating MESSAGEs reach the UEs through pcscf2" net_message_to mt $all

# --- de-registration deletes the row ---------------------------------------
assert_all_ok "1" "UE $n de-registers" ues_run dereg ue-deregister.xml cur "$n"
if wait_for 20 "UE $n's row to go" total_rows "$((n - 1))"; then
	pass "its row is deleted"
else
	fail "PostgreSQL holds $(rows pcscf2) rows, expected $((n - 1))"
fi

# --- the S-CSCF restarts and loads the live rows ---------------------------
kam_stop scscf
kam_start scscf keep || fail "the S-CSCF restarts"
# the first SIP worker loads the table once it is up
if wait_for 20 "the S-CSCF to load its records" stat_is scscf records "$((n - 1))"; then
	pass "the restarted S-CSCF holds the $((n - 1)) live records"
else
	fail "the restarted S-CSCF holds $(kam_stat scscf records) records, expected $((n - 1))"
fi
assert_eq "$(grep -c "loaded $((n - 1)) records from ims_ipsec_failover" "$BED_OUT/scscf.log")" "1" \
	"loaded from PostgreSQL"
assert_eq "$(kam_stat scscf db_errors)" "0" "with no database error since the restart"

bed_test_end
