# shellcheck shell=bash
# IMS test bed: the UE side (agent, sipp runs, state) and the network-side
# sipp instances (application server, MESSAGE sender) on the S-CSCF node.
# SPDX-License-Identifier: GPL-2.0-or-later

UE_RUN=$BED_RUN/ue
UE_CTL=$UE_RUN/agent.sock
SIPP_DIR=$BED_DIR/sipp
# Every sipp runs below the bed's own priority. sipp 3.6 wakes every
# millisecond even when idle (epoll_wait with a 1 ms timeout, whatever
# -timer_resol says); in the one-CPU UML guest the two idle UASes alone
# made a busy loop take 5.5 s instead of 2.3 s, and 2.9 s at nice 5: the
# test equipment no longer slows down the system under test.
SIPP_NICE=${BED_SIPP_NICE:-5}

# --- UE agent -------------------------------------------------------------

# ue_agent_start: the UEs' transport/IPsec agent in the UE namespace
ue_agent_start() {
	mkdir -p "$UE_RUN"
	# one process for all (a process start costs milliseconds in the guest)
	# the UEs that register through B (active-active) name it
	python3 - "$BED_UES" "$BED_UE_FAMILY" "$BED_UENET4" "$BED_UENET6" \
		"$BED_OP_TEXT" "$(bed_vip B)" "$BED_LAST_A" >"$UE_RUN/ues.txt" <<'PY'
import sys
n, fam, net4, net6, op = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
vip_b, last_a = sys.argv[6], int(sys.argv[7])
for i in range(1, n + 1):
    ip = "%s%x" % (net6, i) if fam == "6" else "%s.%d.%d" % (net4, i // 250, i % 250 + 1)
    print("%d;%s;%s;%s;%s" % (i, ip, ("bed-k-%010d" % i).encode().hex(), op.encode().hex(),
                              vip_b if i > last_a else ""))
PY
	setsid ip netns exec ue python3 "$BED_LIB/ue-agent.py" \
		--ues "$UE_RUN/ues.txt" --vip "$(bed_vip)" --port "$UE_AGENT_PORT" \
		--uas "$UE_SIPP_UAS_PORT" --control "$UE_CTL" --milenage "$MILENAGE" \
		</dev/null >>"$BED_OUT/ue-agent.log" 2>&1 &
	echo $! >"$UE_RUN/agent.pgid"
	wait_for 20 "UE agent" ue_agent_query ping
}

# ue_agent_query CMD: ask the agent (ping, dump)
ue_agent_query() {
	python3 "$BED_LIB/ue-agent.py" --control "$UE_CTL" --query "$1"
}

# ue_dump: refresh $UE_RUN/dump.json, the agent's view of every UE
ue_dump() {
	ue_agent_query dump >"$UE_RUN/dump.json.tmp" &&
		mv "$UE_RUN/dump.json.tmp" "$UE_RUN/dump.json"
}

# ue_field IDX JQ-PATH: one value of UE IDX from the last dump
ue_field() {
	jq -r --arg i "$1" ".ues[\$i]$2" "$UE_RUN/dump.json"
}

# ue_csv MODE FILE IDX...: sipp injection file for the UEs IDX...
#   MODE next: fields 4..7 offer a new SA set (a fresh port-c and SPIs)
#   MODE cur:  fields 4..7 are the SA set in use
# Fields 8..11 are the P-CSCF side of the set in use (Security-Verify), or
# 0 for a UE without one. Run ue_dump first.
ue_csv() {
	local mode=$1 out=$2
	shift 2
	{
		echo SEQUENTIAL
		printf '%s\n' "$@" | jq -R -r --slurpfile d "$UE_RUN/dump.json" \
			--arg mode "$mode" --argjson base "$UE_CLIENT_BASE" \
			--argjson us "$UE_SERVER_PORT" --arg fam "$BED_UE_FAMILY" '
			(. | tonumber) as $i |
			$d[0].ues[.] as $u |
			($u.sa) as $sa |
			(if $sa == null then 1 else ($sa.port_uc - $base) % 99 + 1 end) as $gen |
			(536870912 + $i * 256 + 2 * $gen) as $spi |
			(if $mode == "next" or $sa == null
			 then [$spi, $spi + 1, $base + $gen, $us]
			 else [$sa.spi_uc, $sa.spi_us, $sa.port_uc, $sa.port_us] end) as $offer |
			(if $sa == null then [0, 0, 0, 0]
			 else [$sa.spi_pc, $sa.spi_ps, $sa.port_pc, $sa.port_ps] end) as $ver |
			([$i, ("ue" + (("000000" + .)[-6:])),
			  (if $fam == "6" then "[" + $u.ip + "]" else $u.ip end),
			  ("bed-k-" + ("000000000" + .)[-10:])] + $offer + $ver)
			| map(tostring) | join(";")'
	} >"$out"
}

# --- sipp ---------------------------------------------------------------

# sipp_common: options every bed sipp run shares
# (non-INVITE retransmissions up to RFC 3261's timer F, 32 s, not sipp's
# default of 5: on a loaded machine an answer can take longer than 11 s;
# sipp's watchdog would end a niced sipp that a busy guest leaves waiting
# for the CPU, which says nothing about the SIP it is testing)
sipp_common() {
	printf '%s\n' -nostdin -max_non_invite_retrans 10 \
		-watchdog_minor_maxtriggers 1000000 -watchdog_major_maxtriggers 1000000 \
		-key domain "$BED_DOMAIN" -key expires "${BED_EXPIRES:-600}" \
		-key route "sip:orig@scscf.$BED_DOMAIN:$SCSCF_PORT;lr" \
		-key target as -auth_uri "$BED_DOMAIN"
}

# sipp_result STATFILE: "SUCCESSFUL FAILED" from a sipp -stf file
sipp_result() {
	local f=$1
	if [ ! -s "$f" ]; then
		echo "0 0"
		return
	fi
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ s = $col["SuccessfulCall(C)"]; f = $col["FailedCall(C)"] }
		END { print s + 0, f + 0 }' "$f"
}

# ue_sipp NAME SCENARIO CSV [SIPP-ARGS...]: run a UAC scenario for every
# UE in CSV, from the UE namespace through the agent. Prints "SUCCESSFUL
# FAILED"; logs and statistics go to $BED_OUT/sipp-NAME.*
# At most BED_CONCURRENCY (10) calls in flight: the bed's throughput is
# bounded by its CPU, not by the calls in flight, and on a loaded machine
# 100 in flight meant 40 s per registration (past sipp's 4 s
# retransmission and its 30 s wait, each retransmission a new challenge
# and more load); 10 keep each registration within a few seconds.
ue_sipp() {
	local name=$1 sf=$2 csv=$3 n rc=0
	shift 3
	local -a common
	mapfile -t common < <(sipp_common)
	n=$(($(wc -l <"$csv") - 1))
	rm -f "$BED_OUT/sipp-$name".*
	ip netns exec ue nice -n "$SIPP_NICE" sipp -sf "$SIPP_DIR/$sf" "127.0.0.1:$UE_AGENT_PORT" \
		-i 127.0.0.1 -p "$UE_SIPP_UAC_PORT" -t u1 -inf "$csv" -m "$n" \
		-r "${BED_RATE:-100}" -rp 1000 -l "${BED_CONCURRENCY:-10}" \
		-timeout "$((60 + n / 5))s" -timeout_error \
		-trace_stat -stf "$BED_OUT/sipp-$name.stat" -fd 1 \
		-trace_err -error_file "$BED_OUT/sipp-$name.errors" \
		${BED_TRACE:+-trace_msg -message_file "$BED_OUT/sipp-$name.$SECONDS.msgs"} \
		"${common[@]}" "$@" >"$BED_OUT/sipp-$name.out" 2>&1 || rc=$?
	[ "$rc" -le 1 ] || bed_log "sipp $name exited $rc"
	sipp_result "$BED_OUT/sipp-$name.stat"
}

# bg_sipp NS NAME ARGS...: a sipp UAS in the background, in its own group
bg_sipp() {
	local ns=$1 name=$2
	shift 2
	rm -f "$BED_OUT/sipp-$name".*
	setsid ip netns exec "$ns" nice -n "$SIPP_NICE" sipp "$@" -trace_stat \
		-stf "$BED_OUT/sipp-$name.stat" -fd 1 -trace_err \
		-error_file "$BED_OUT/sipp-$name.errors" </dev/null \
		>"$BED_OUT/sipp-$name.out" 2>&1 &
	echo $! >"$BED_RUN/sipp-$name.pgid"
}

# bg_stop NAME: stop a background sipp
bg_stop() {
	local pg f=$BED_RUN/sipp-$1.pgid
	read -r pg 2>/dev/null <"$f" || return 0
	kill -USR1 -- "-$pg" 2>/dev/null || true
	wait_for 5 "sipp $1 to exit" bash -c "! pgrep -g $pg >/dev/null" ||
		kill -KILL -- "-$pg" 2>/dev/null || true
	rm -f "$f"
}

# ue_uas_start: the UEs answer network-originated MESSAGEs
ue_uas_start() {
	local -a common
	mapfile -t common < <(sipp_common)
	bg_sipp ue ue-uas -sf "$SIPP_DIR/ue-uas.xml" -i 127.0.0.1 \
		-p "$UE_SIPP_UAS_PORT" -t u1 "${common[@]}"
}

# as_start: the test application server on the S-CSCF node
as_start() {
	local -a common
	mapfile -t common < <(sipp_common)
	bg_sipp scscf as -sf "$SIPP_DIR/as-uas.xml" -i "${BED_IP4[scscf]}" \
		-p "$AS_PORT" -t u1 "${common[@]}"
}

# net_message NAME CSV: a MESSAGE from the network (S-CSCF node) to every
# UE in CSV. Prints "SUCCESSFUL FAILED".
net_message() { net_sipp "$1" net-message.xml "$2"; }

# net_sipp NAME SCENARIO CSV [SIPP-ARGS...]: a network-side UAC scenario,
# from the S-CSCF node through the S-CSCF, for every UE in CSV. Prints
# "SUCCESSFUL FAILED".
net_sipp() {
	local name=$1 sf=$2 csv=$3 n rc=0
	shift 3
	local -a common
	mapfile -t common < <(sipp_common)
	n=$(($(wc -l <"$csv") - 1))
	rm -f "$BED_OUT/sipp-$name".*
	ip netns exec scscf nice -n "$SIPP_NICE" sipp -sf "$SIPP_DIR/$sf" \
		"${BED_IP4[scscf]}:$SCSCF_PORT" -i "${BED_IP4[scscf]}" \
		-p "$NET_UAC_PORT" -t u1 -inf "$csv" -m "$n" \
		-r "${BED_RATE:-100}" -rp 1000 -l "${BED_NET_CONCURRENCY:-30}" \
		-timeout "$((60 + n / 5))s" -timeout_error \
		-trace_stat -stf "$BED_OUT/sipp-$name.stat" -fd 1 \
		-trace_err -error_file "$BED_OUT/sipp-$name.errors" \
		"${common[@]}" "$@" >"$BED_OUT/sipp-$name.out" 2>&1 || rc=$?
	[ "$rc" -le 1 ] || bed_log "sipp $name exited $rc"
	sipp_result "$BED_OUT/sipp-$name.stat"
}

# --- kernel state ---------------------------------------------------------

# sa_count NS [ADDR]: ESP SAs in NS (with ADDR as source or destination)
sa_count() {
	if [ -n "${2:-}" ]; then
		ip -n "$1" xfrm state list | grep -c -E "^src ($2 |.* dst $2\$)" || true
	else
		ip -n "$1" xfrm state count | awk '{ print $NF }'
	fi
}

# policy_count NS [ADDR]: XFRM policies in NS (involving ADDR)
policy_count() {
	if [ -n "${2:-}" ]; then
		ip -n "$1" xfrm policy list | grep -c -E "^src $2/|^src [^ ]* dst $2/" || true
	else
		ip -n "$1" xfrm policy list | grep -c '^src ' || true
	fi
}

# sa_packets NS SRC DST SPI: packets an SA has processed (empty if none)
sa_packets() {
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" 2>/dev/null |
		awk '/lifetime current:/ { getline; sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit }'
}

# sa_exists NS SRC DST SPI
sa_exists() {
	ip -n "$1" xfrm state get src "$2" dst "$3" proto esp spi "$4" >/dev/null 2>&1
}

# pcscf_contacts NODE [WHERE]: rows of NODE's usrloc table (sqlite)
pcscf_contacts() {
	sqlite3 -separator ' ' "$BED_RUN/$1/usrloc.sqlite" \
		"select aor, received, received_port, reg_state, t_spi_pc, t_spi_ps, t_port_pc, t_port_ps from location ${2:+where $2};" 2>/dev/null
}
