# shellcheck shell=bash
# IMS test bed: bring the whole bed up and down; what tests source.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   . test/bed/lib/bed.sh
#   bed_up      topology, HSS, S-CSCF, pcscf1 (holding the virtual IP),
#               pcscf2 (standby), keepalived on both, UE agent, UE sipp
#               UAS, test AS
#   bed_down    everything stopped and removed
# Runs inside user-mode-linux (the host kernel has no ESP).

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source-path=SCRIPTDIR
. "$BED_LIB/topology.sh"
# shellcheck source-path=SCRIPTDIR
. "$BED_LIB/nodes.sh"
# shellcheck source-path=SCRIPTDIR
. "$BED_LIB/ue.sh"

# bed_check_env: what the bed needs, before it touches anything
bed_check_env() {
	local t
	[ -n "${UML_GUEST:-}" ] || bed_die "run inside user-mode-linux (test/uml/run)"
	[ "$(id -u)" = 0 ] || bed_die "needs root"
	for t in kamailio kamcmd keepalived sipp jq sqlite3 python3 ip; do
		command -v "$t" >/dev/null || bed_die "$t not installed"
	done
	[ -x "$MILENAGE" ] || bed_die "$MILENAGE missing: make -C test/hss/milenage"
}

# diameter_open: the Diameter connection between S-CSCF and HSS is open,
# as both ends see it (the HSS never dials, see hss-diameter.xml: the
# S-CSCF's connection is the only one)
diameter_open() {
	local n
	for n in scscf hss; do
		kam_cmd "$n" cdp.list_peers 2>/dev/null | grep -q -E "State: (I|R)_Open" || return 1
	done
}

# diameter_stable: open, and still open a moment later
diameter_stable() {
	diameter_open && sleep 2 && diameter_open
}

bed_up() {
	local t0 t n
	t0=$(now_ms)
	bed_check_env
	mkdir -p "$BED_RUN" "$BED_OUT"
	rm -f "$BED_OUT"/*.log "$BED_OUT"/sipp-*
	# One key ring for the pool; the S-CSCF only gets its verify keys.
	(umask 077 && "$KEYTOOL" new k1 active >"$BED_RUN/failover.keys" &&
		"$KEYTOOL" verify "$BED_RUN/failover.keys" >"$BED_RUN/failover.verify") ||
		return 1
	bed_log "bed up: $BED_UES UEs, IPv$BED_UE_FAMILY, failover modules: $BED_FAILOVER"
	topo_up || return 1
	bed_log "topology up in $(since "$t0")"
	t=$(now_ms)
	kam_start hss || return 1
	kam_start scscf || return 1
	if ! wait_for 30 "the Diameter connection between S-CSCF and HSS" diameter_stable; then
		tail_logs "$BED_OUT/scscf.log" "$BED_OUT/hss.log"
		return 1
	fi
	kam_start pcscf1 || return 1
	vrrp_start pcscf1
	if ! wait_for 30 "pcscf1 to hold the virtual IP" vip_held_by pcscf1; then
		tail_logs "$BED_OUT/pcscf1-keepalived.log"
		return 1
	fi
	kam_start pcscf2 || return 1
	vrrp_start pcscf2
	if [ "$BED_LAYOUT" = active-active ]; then
		# each address on its serving instance first, then the standbys
		if ! wait_for 30 "pcscf2 to hold address B" vip_held_by pcscf2 B; then
			tail_logs "$BED_OUT/pcscf2-keepalived.log"
			return 1
		fi
		for n in pcscf1b pcscf2a pcscf3; do
			kam_start "$n" || return 1
			vrrp_start "$n"
		done
	fi
	bed_log "core up in $(since "$t")"
	ue_agent_start || {
		tail_logs "$BED_OUT/ue-agent.log"
		return 1
	}
	ue_uas_start
	as_start
	sleep 1
	bed_log "bed up in $(since "$t0")"
}

bed_down() {
	local n
	bg_stop ue-uas
	bg_stop as
	if [ -f "$UE_RUN/agent.pgid" ]; then
		kill -TERM -- "-$(cat "$UE_RUN/agent.pgid")" 2>/dev/null || true
		rm -f "$UE_RUN/agent.pgid"
	fi
	for n in $BED_PCSCFS; do
		vrrp_stop "$n"
	done
	for n in $BED_PCSCFS scscf hss; do
		kam_kill "$n" TERM
	done
	pg_down
	topo_down
	rm -rf "$BED_RUN"
}

# bed_diag: the errors every log holds and its end, for a failed check
bed_diag() {
	local f n logs=()
	for n in $BED_PCSCFS; do
		logs+=("$BED_OUT/$n.log")
	done
	logs+=("$BED_OUT"/scscf.log "$BED_OUT"/hss.log "$BED_OUT"/ue-agent.log
		"$BED_OUT"/sipp-*.errors)
	for f in "${logs[@]}"; do
		[ -s "$f" ] || continue
		# An error of the first minutes is long gone from the tail.
		echo "----- errors in ${f#"$REPO"/}, each once -----"
		grep -E 'ERROR|CRITICAL|Traceback' "$f" | sed -E 's/^ *[0-9]+\([0-9]+\) //' |
			awk '!seen[$0]++' | head -n 15
	done
	# Who held the virtual IP when, and why it moved.
	for f in "$BED_OUT"/pcscf*-keepalived.log; do
		[ -s "$f" ] || continue
		echo "----- state changes in ${f#"$REPO"/} -----"
		grep -E 'STATE|timed_out|failed|timeout' "$f" | tail -n 15
	done
	tail_logs "${logs[@]}"
}

# --- registration state used by several tests --------------------------

# ue_list [A|B]: 1..BED_UES, or those that register through A or B
ue_list() {
	case ${1:-} in
	A) seq 1 "$BED_LAST_A" ;;
	B) [ "$BED_UES" -le "$BED_LAST_A" ] || seq "$((BED_LAST_A + 1))" "$BED_UES" ;;
	*) seq 1 "$BED_UES" ;;
	esac
}

# ues_register IDX...: register these UEs (initial registration); prints
# "SUCCESSFUL FAILED"
#
# A P-CSCF whose usrloc is empty runs ims_ipsec_pcscf's ipsec_reconfig() on
# the next new contact (stock ims_registrar_pcscf, 5.6 and 6.0): it resets
# the SPI allocator and flushes every SA. Two first REGISTERs at once race:
# one process reads "no contacts", the other installs SAs, the first then
# flushes them (and, in 6.0, hands the same SPI pair out twice). So the
# first UE into an empty P-CSCF registers alone, then the others.
ues_register() {
	local first ok=0 ko=0 a b h
	ue_dump || return 1
	# the P-CSCF of the first UE named (and of all of them: callers
	# register the UEs of one address at a time)
	h=$(vip_holder "$(ue_serving "$1")")
	h=${h%% *}
	if [ $# -gt 1 ] && [ -n "$h" ] && [ "$(kam_stat "$h" location_contacts)" = 0 ]; then
		first=$1
		shift
		ue_csv next "$UE_RUN/register.csv" "$first"
		read -r ok ko < <(ue_sipp register ue-register.xml "$UE_RUN/register.csv")
		ue_dump || return 1
	fi
	ue_csv next "$UE_RUN/register.csv" "$@"
	read -r a b < <(ue_sipp register ue-register.xml "$UE_RUN/register.csv")
	echo "$((ok + a)) $((ko + b))"
}

# ues_registered: how many of the bed's UEs the agent sees registered
ues_registered() {
	ue_dump >/dev/null 2>&1 || {
		echo 0
		return
	}
	jq '[.ues[] | select(.registered)] | length' "$UE_RUN/dump.json"
}

# ues_unregistered: indexes of the bed's UEs that are not registered
ues_unregistered() {
	ue_dump >/dev/null 2>&1 || return
	jq -r '.ues | to_entries[] | select(.value.registered | not) | .key' \
		"$UE_RUN/dump.json" | sort -n
}

# ensure_registered: register whichever UE is not (tests that need
# registered UEs call this, so each runs on its own after bed_up too)
ensure_registered() {
	local -a todo
	mapfile -t todo < <(ues_unregistered)
	[ "${#todo[@]}" -eq 0 ] && return 0
	bed_log "registering ${#todo[@]} UEs first"
	read -r _ _ < <(ues_register "${todo[@]}")
	[ "$(ues_registered)" -eq "$BED_UES" ]
}

# ues_run NAME SCENARIO MODE IDX...: a UE scenario for these UEs (MODE as
# in ue_csv); prints "SUCCESSFUL FAILED"
ues_run() {
	local name=$1 sf=$2 mode=$3
	shift 3
	ue_dump || return 1
	ue_csv "$mode" "$UE_RUN/$name.csv" "$@"
	ue_sipp "$name" "$sf" "$UE_RUN/$name.csv"
}

# net_message_to NAME IDX...: a MESSAGE from the network to these UEs
net_message_to() {
	local name=$1
	shift
	ue_dump || return 1
	ue_csv cur "$UE_RUN/$name.csv" "$@"
	net_message "$name" "$UE_RUN/$name.csv"
}

# --- calls ------------------------------------------------------------
# A call is set up in one sipp run and continued in another (after a
# takeover): the first logs the dialog (callee's Contact, its tag, the
# route set), the second sends its in-dialog requests with the same
# Call-ID (-cid_str NAME@bed) and caller tag (NAME-a).

# dialog_args NAME: the sipp arguments that continue call NAME
dialog_args() {
	local tag target totag routes
	IFS='|' read -r tag target totag routes < <(grep -h '^DIALOG|' "$BED_OUT/sipp-$1.dialog" | tail -n 1)
	[ "$tag" = DIALOG ] || return 1
	printf '%s\n' -cid_str "$1@bed" -key ftag "$1-a" -key dlg_target "$target" \
		-key dlg_totag "$totag" -key dlg_routes "$routes"
}

# ue_call NAME CALLER CALLEE: UE CALLER calls UE CALLEE (INVITE, 200, ACK)
# and leaves the call up. Prints "SUCCESSFUL FAILED".
ue_call() {
	local name=$1
	ue_dump || return 1
	ue_csv cur "$UE_RUN/$name.csv" "$2"
	ue_sipp "$name" ue-call.xml "$UE_RUN/$name.csv" -cid_str "$name@bed" \
		-key ftag "$name-a" -key callee "$(ue_name "$3")" \
		-trace_logs -log_file "$BED_OUT/sipp-$name.dialog"
}

# call_continue RUN SCENARIO NAME UE [SIPP-ARGS...]: RUN (ue_sipp or
# net_sipp) sends SCENARIO's in-dialog requests of call NAME, with UE's
# fields. Prints "SUCCESSFUL FAILED".
call_continue() {
	local run=$1 sf=$2 name=$3 ue=$4
	local -a dlg
	shift 4
	mapfile -t dlg < <(dialog_args "$name")
	if [ "${#dlg[@]}" -eq 0 ]; then
		bed_log "call $name logged no dialog"
		echo "0 1"
		return
	fi
	ue_dump || return 1
	ue_csv cur "$UE_RUN/$name-end.csv" "$ue"
	"$run" "$name-end" "$sf" "$UE_RUN/$name-end.csv" "${dlg[@]}" "$@"
}

# ue_reinvite_bye NAME CALLER CALLEE: the caller of call NAME sends a
# re-INVITE, then a BYE
ue_reinvite_bye() {
	call_continue ue_sipp ue-indialog.xml "$1" "$2" -key callee "$(ue_name "$3")"
}

# net_call NAME UE: the network calls UE and leaves the call up
net_call() {
	local name=$1
	ue_dump || return 1
	ue_csv cur "$UE_RUN/$name.csv" "$2"
	net_sipp "$name" net-call.xml "$UE_RUN/$name.csv" -cid_str "$name@bed" \
		-key ftag "$name-a" -trace_logs -log_file "$BED_OUT/sipp-$name.dialog"
}

# net_bye NAME UE: the network ends call NAME with a BYE
net_bye() { call_continue net_sipp net-bye.xml "$1" "$2"; }

# ue_sa_packets IDX DIR: packets through UE IDX's SA in use, seen by the UE
# kernel: DIR "in" = P-CSCF port-c -> UE port-s (terminating requests),
# "out" = UE port-c -> P-CSCF port-s (originating requests). Run ue_dump.
ue_sa_packets() {
	local ip vip spi
	ip=$(ue_field "$1" .ip)
	vip=$(ue_field "$1" .pcscf)
	if [ "$2" = in ]; then
		spi=$(ue_field "$1" .sa.spi_us)
		sa_packets ue "$vip" "$ip" "$spi"
	else
		spi=$(ue_field "$1" .sa.spi_ps)
		sa_packets ue "$ip" "$vip" "$spi"
	fi
}

# sum_ue_sa_packets DIR: ue_sa_packets summed over the bed's UEs
sum_ue_sa_packets() {
	local i t=0 p
	for i in $(ue_list); do
		p=$(ue_sa_packets "$i" "$1")
		t=$((t + ${p:-0}))
	done
	echo "$t"
}

# scscf_records_of NODE: how many records the S-CSCF's SQLite database
# lists under NODE
scscf_records_of() {
	sqlite3 "$BED_RUN/scscf/failover.sqlite" \
		"select count(*) from ims_ipsec_failover where node='$1'"
}

# ues_policies_on NODE N: how many of the bed's UEs have in NODE's kernel
# the N policies (4, or 8 with Kamailio 6.0) of the SA set they use, each
# naming the SPI of that set. Run ue_dump.
ues_policies_on() {
	ip -n "$1" xfrm policy list | python3 -c '
import ipaddress, json, re, sys
def a(x):
    return ipaddress.ip_address(x.split("/")[0]).compressed
have = set()
sel = d = None
for line in sys.stdin:
    m = re.match(r"src (\S+) dst (\S+) (?:proto \S+ )?sport (\d+) dport (\d+)", line)
    if m:
        sel = (a(m.group(1)), a(m.group(2)), int(m.group(3)), int(m.group(4)))
        continue
    m = re.search(r"dir (in|out)", line)
    if m:
        d = m.group(1)
        continue
    m = re.search(r"reqid (\d+)", line)
    if m and sel:
        have.add(sel + (d, int(m.group(1))))
n, ues = int(sys.argv[2]), json.load(open(sys.argv[3]))["ues"]
same = 0
for u in ues.values():
    s, ue, vip = u.get("sa"), a(u["ip"]), a(u.get("pcscf") or sys.argv[1])
    if not s:
        continue
    uc, us, pc, ps = s["port_uc"], s["port_us"], s["port_pc"], s["port_ps"]
    want = [(ue, vip, uc, ps, "in", s["spi_ps"]), (vip, ue, pc, us, "out", s["spi_us"]),
            (vip, ue, ps, uc, "out", s["spi_uc"]), (ue, vip, us, pc, "in", s["spi_pc"]),
            (ue, vip, uc, pc, "in", s["spi_ps"]), (vip, ue, pc, uc, "out", s["spi_us"]),
            (vip, ue, ps, us, "out", s["spi_uc"]), (ue, vip, us, ps, "in", s["spi_pc"])][:n]
    same += all(w in have for w in want)
print(same)' "$(bed_vip)" "$2" "$UE_RUN/dump.json"
}

# ues_sas_on NODE: how many of the bed's UEs have the four SAs of the set
# they use (their SPIs, both directions) in NODE's kernel. Run ue_dump.
ues_sas_on() {
	ip -n "$1" xfrm state list | python3 -c '
import ipaddress, json, re, sys
def a(x):
    return ipaddress.ip_address(x).compressed
have = set()
src = dst = None
for line in sys.stdin:
    m = re.match(r"src (\S+) dst (\S+)", line)
    if m:
        src, dst = a(m.group(1)), a(m.group(2))
        continue
    m = re.search(r"proto esp spi (0x[0-9a-f]+)", line)
    if m and src:
        have.add((src, dst, int(m.group(1), 16)))
ues = json.load(open(sys.argv[2]))["ues"]
same = 0
for u in ues.values():
    sa, ip, vip = u.get("sa"), a(u["ip"]), a(u.get("pcscf") or sys.argv[1])
    if not sa:
        continue
    want = [(ip, vip, sa["spi_pc"]), (ip, vip, sa["spi_ps"]),
            (vip, ip, sa["spi_uc"]), (vip, ip, sa["spi_us"])]
    same += all(w in have for w in want)
print(same)' "$(bed_vip)" "$UE_RUN/dump.json"
}
