#!/bin/bash
# `make bench`: what a takeover costs, measured side by side in one run
# inside user-mode-linux, printed with the ratios.
#   1. Kernel: installing the SAs and policies of many UEs with
#      ims_ipsec_failover's batched netlink call (lib/ifo, via
#      test/xfrm/xfrm_tool) against `ip -batch` and one `ip xfrm`
#      command per object, for the same objects.
#   2. The IMS test bed: BENCH_UES UEs through pcscf1; pcscf1 is killed.
#      The takeover by pcscf2 (virtual IP move, fetch, SAs, contacts)
#      against what the network has without it: every UE registering
#      again through pcscf2 (IMS-AKA, HSS MAR + SAR).
# Figures vary with the machine; the ratios are the point.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
BENCH_XFRM_UES=${BENCH_XFRM_UES:-1000}
BENCH_CMD_UES=${BENCH_CMD_UES:-100}
# 1000 UEs by default, as a P-CSCF serves thousands; with Kamailio 5.6
# each UE's protected ports are sockets with processes of their own, so a
# bookworm bed stays small (BENCH_UES=50 there).
bench_default=1000
[ "${KAMAILIO_GEN:-6.0}" = 5.6 ] && bench_default=50
export BED_UES=${BENCH_UES:-$bench_default} BED_FAILOVER=1
# Registering 10,000 UEs in the guest takes longer than the bed's usual
# 600 s registrations live: ask for the S-CSCF's maximum then, and keep
# fewer registrations in flight than the S-CSCF's Diameter timeout allows
# for (at 100 in flight a guest this size answers some MARs too late).
if [ "$BED_UES" -gt 2000 ]; then
	export BED_EXPIRES=${BED_EXPIRES:-3600} BED_RATE=${BED_RATE:-30} \
		BED_CONCURRENCY=${BED_CONCURRENCY:-30}
fi

# shellcheck source-path=SCRIPTDIR/.. source=../bed/lib/bed.sh
. "$(dirname "$0")/../bed/lib/bed.sh"
tool=$REPO/test/xfrm/xfrm_tool

ms() { echo "$(($(date +%s%N) / 1000000))"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
flush() { ip -n bench xfrm state flush; ip -n bench xfrm policy flush; }
# time_ms CMD...: wall time of CMD in ms (stdout discarded)
time_ms() {
	local t
	t=$(ms)
	"$@" >/dev/null 2>&1
	echo $(($(ms) - t))
}
per_command() { # one ip process per object, as a shell script would do
	local l
	set -f
	"$tool" ipbatch "$1" | while read -r l; do
		# shellcheck disable=SC2086
		ip -n bench $l || echo "ip $l: failed" >&2
	done
	set +f
}

echo "=== 1. Kernel: SAs and policies for many UEs (4 SAs + 4 policies each)"
ip netns add bench
ip -n bench link set lo up
crypto_warmup
ip netns exec bench "$tool" install 10 >/dev/null 2>&1
flush
"$tool" ipbatch "$BENCH_XFRM_UES" >/run/bench.ipbatch
# Three rounds, alternating, and the median of each: one busy moment of
# the UML kernel does not decide the ratio.
bl=() il=()
for _ in 1 2 3; do
	bl+=("$(time_ms ip netns exec bench "$tool" install "$BENCH_XFRM_UES")")
	objs=$(ip -n bench xfrm state count | awk '{ print $NF }')
	flush
	il+=("$(time_ms ip -n bench -batch /run/bench.ipbatch)")
	iobjs=$(ip -n bench xfrm state count | awk '{ print $NF }')
	flush
done
b=$(median "${bl[@]}")
i=$(median "${il[@]}")
bs=$(time_ms ip netns exec bench "$tool" install "$BENCH_CMD_UES")
flush
c=$(time_ms per_command "$BENCH_CMD_UES")
cobjs=$(ip -n bench xfrm state count | awk '{ print $NF }')
flush
ip netns del bench
printf '  %-48s %7d ms  (%s SAs; median of %s)\n' "$BENCH_XFRM_UES UEs, batched netlink (ims_ipsec_failover)" "$b" "$objs" "${bl[*]}"
printf '  %-48s %7d ms  (%s SAs; median of %s)  %sx the batched time\n' "$BENCH_XFRM_UES UEs, ip -batch" "$i" "$iobjs" "${il[*]}" "$(ratio "$i" "$b")"
printf '  %-48s %7d ms\n' "$BENCH_CMD_UES UEs, batched netlink" "$bs"
printf '  %-48s %7d ms  (%s SAs)  %sx the batched time\n' "$BENCH_CMD_UES UEs, one ip command per object" "$c" "$cobjs" "$(ratio "$c" "$bs")"

echo
echo "=== 2. IMS test bed: $BED_UES UEs lose their P-CSCF"
trap 'bed_down' EXIT
bed_up >/dev/null 2>&1 || {
	echo "bed did not come up"
	bed_diag
	exit 1
}
# cpu_snap: "PID NETNS COMM TICKS" of every process (user + system time),
# the times read first: the namespace map's process starts come after
cpu_snap() {
	local ns p
	cat /proc/[0-9]*/stat >"$BED_RUN/cpu.stat" 2>/dev/null
	{
		echo "0 -"
		for ns in $(ip netns list | awk '{ print $1 }'); do
			for p in $(ip netns pids "$ns"); do echo "$p $ns"; done
		done
	} >"$BED_RUN/cpu.ns"
	awk 'FNR == NR { ns[$1] = $2; next }
		{ c = $0; sub(/^[0-9]+ \(/, "", c); sub(/\) [^)]*$/, "", c); gsub(/ /, "_", c)
		  l = $0; sub(/.*\) /, "", l); split(l, f, " ")
		  print $1, ($1 in ns ? ns[$1] : "-"), c, f[12] + f[13] }' \
		"$BED_RUN/cpu.ns" "$BED_RUN/cpu.stat"
}
# cpu_used BEFORE AFTER [NODE...]: CPU ms per netns and program between
# two snapshots, largest first (processes started in between count
# whole); the Kamailio processes of each NODE one by one, by what
# core.psx says they are
cpu_used() {
	local b=$1 a=$2 n
	shift 2
	for n in "$@"; do
		kam_cmd "$n" core.psx 2>/dev/null | awk '/PID:/ { p = $2 }
			/DSC:/ { sub(/^[ \t]*DSC: */, ""); gsub(/ /, "_"); print p, $0 }'
	done >"$BED_RUN/cpu.psx"
	awk -v hz="$(getconf CLK_TCK)" -v b="$b" 'FILENAME ~ /psx$/ { dsc[$1] = $2; next }
		FILENAME == b { t0[$1] = $4; next }
		{ d = $4 - ($1 in t0 ? t0[$1] : 0); k = $2 " " ($1 in dsc ? dsc[$1] : $3)
		  u[k] += d; all += d }
		END { for (k in u) if (u[k] > 0) printf "%d %s\n", u[k] * 1000 / hz, k
			printf "%d all\n", all * 1000 / hz }' "$BED_RUN/cpu.psx" "$b" "$a" | sort -rn
}
# shm_used NODE: bytes of shared memory NODE's Kamailio uses now
shm_used() { kam_cmd "$1" core.shmmem 2>/dev/null | awk '$1 == "real_used:" { print $2 }'; }
shm_s0=$(shm_used scscf)
t=$(ms)
read -r s f < <(ues_register $(ue_list))
reg1=$(($(ms) - t))
# A UML kernel this busy sometimes lets a Diameter answer arrive too late
# (the S-CSCF then fails the MAR); those UEs try again, outside the timing.
for _ in 1 2; do
	[ "$s" = "$BED_UES" ] && break
	ensure_registered
	s=$(ues_registered)
done
[ "$s" = "$BED_UES" ] || echo "  (only $s of $BED_UES registered)"
shm_s1=$(shm_used scscf)
rec_n=$(kam_stat scscf records)
rec_bytes=$(kam_stat scscf record_bytes)
shm_p0=$(shm_used pcscf2)
mar0=$(kam_stat hss hss_mar_answered)
sar0=$(kam_stat hss hss_sar_answered)
# the S-CSCF's log from here on is the takeover's
scscf_from=$(($(wc -l <"$BED_OUT/scscf.log") + 1))
# The moment the address arrives on pcscf2, from the kernel's own event
# (keepalived's notify script only runs after it, and a process start late)
ip -n pcscf2 -ts monitor address >"$BED_RUN/pcscf2-address.mon" 2>&1 &
addr_mon=$!
# The takeover's end from pcscf2's own log line, read as it is written:
# polling kamcmd ten times a second would start processes on the guest's
# one CPU that the takeover and the S-CSCF then wait behind.
(timeout $((180 + BED_UES / 50)) grep -q -m1 -E "takeover [0-9]+ of node pcscf1 finished" \
	<(tail -n 0 -F "$BED_OUT/pcscf2.log" 2>/dev/null)) &
log_wait=$!
cpu_snap >"$BED_RUN/cpu.0"
t_kill=$(ms)
kam_kill pcscf1 KILL
wait "$log_wait" || bed_log "no end of the takeover in pcscf2's log"
t_done=$(ms)
cpu_snap >"$BED_RUN/cpu.1"
# the UE agent may count a UE unregistered that the network did register
recovered_all() { [ "$(kam_stat pcscf2 recovered_ues)" -ge "$s" ]; }
wait_for 60 "the takeover" recovered_all
wait_for 60 "the virtual IP" vip_held_by pcscf2
# The network may hold more registrations than the UE agent counted (an
# answer lost to a timeout): what pcscf2 recovered is what the floor and
# the figures below are about.
s=$(kam_stat pcscf2 recovered_ues)
shm_p1=$(shm_used pcscf2)
# This takeover's log lines, before anything later (a VRRP flap during the
# storm makes keepalived call the takeover again, which finds nothing).
tk_line=$(grep -E "takeover [0-9]+ of node pcscf1 finished" "$BED_OUT/pcscf2.log" | tail -1)
sc_lines=$(tail -n "+$scscf_from" "$BED_OUT/scscf.log")
# when the address arrived on pcscf2 (the kernel's event), and when
# keepalived's notify script saw pcscf2 become master (its clock)
kill "$addr_mon" 2>/dev/null
wait "$addr_mon" 2>/dev/null
notify_ms=$(awk '$3 == "MASTER" { t = $1 } END { printf "%.0f", t * 1000 }' "$BED_RUN/pcscf2/vrrp.log")
addr_ts=$(grep -v Deleted "$BED_RUN/pcscf2-address.mon" | grep -m1 " inet $BED_VIP4/" | sed -n 's/^\[\([^]]*\)\].*/\1/p')
master_ms=$notify_ms
[ -n "$addr_ts" ] && master_ms=$(date -d "$addr_ts" +%s%3N)
vip_ms=$((master_ms - t_kill))
bed_log "takeover done; measuring the floor"
tk_total=$((t_done - t_kill))
ip netns add floor
ip -n floor link set lo up
# Whole program (exec, OpenSSL start-up, netlink) and, from its own clock,
# the netlink work alone: the takeover pays neither start-up, so the second
# is the strict floor. And `ip -batch` for the same objects.
"$tool" ipbatch "$s" >/run/bench.floor.ipbatch
rounds=3
[ "$s" -le 2000 ] || rounds=1
fl=() fw=() fb=()
for _ in $(seq "$rounds"); do
	t0=$(ms)
	out=$(ip netns exec floor "$tool" install "$s" 2>&1)
	fl+=("$(($(ms) - t0))")
	fw+=("$(awk '/^install:/ { printf "%d", $(NF - 1) * 1000 }' <<<"$out")")
	ip -n floor xfrm state flush
	ip -n floor xfrm policy flush
	fb+=("$(time_ms ip -n floor -batch /run/bench.floor.ipbatch)")
	ip -n floor xfrm state flush
	ip -n floor xfrm policy flush
done
floor_tk=$(median "${fl[@]}")
floor_work=$(median "${fw[@]}")
floor_ip=$(median "${fb[@]}")
# What one first touch of memory after fork costs in this guest (the
# takeover's page faults are counted in the INFO lines below).
fc=()
for _ in 1 2 3; do fc+=("$("$REPO/test/bench/fault_cost" 2000)"); done
fault_us=$(median "${fc[@]}")
bed_log "floor measured; MESSAGEs to the UEs"
ip netns del floor
# A check that the UEs are reachable, not a timing: sent at 20/s, since a
# burst at the bed's default 100/s overloads this UML kernel's sipp (its
# watchdog trips) and the S-CSCF's 5 s timer then answers 408 for UEs
# that did get their MESSAGE.
read -r m1 f1 < <(BED_RATE=20 net_message_to bench-mt $(ue_list))
hss_tk=$(($(kam_stat hss hss_mar_answered) - mar0 + $(kam_stat hss hss_sar_answered) - sar0))
# The alternative: every UE registers again, now through pcscf2
# (BENCH_STORM=0 leaves it out: at 10,000 UEs it alone takes most of an
# hour in the guest).
reg2=0 hss_rr=0 s2=0
if [ "${BENCH_STORM:-1}" = 1 ]; then
	bed_log "re-registration storm"
	mar0=$(kam_stat hss hss_mar_answered)
	sar0=$(kam_stat hss hss_sar_answered)
	t=$(ms)
	read -r s2 f2 < <(ues_run storm ue-register.xml next $(ue_list))
	reg2=$(($(ms) - t))
	hss_rr=$(($(kam_stat hss hss_mar_answered) - mar0 + $(kam_stat hss hss_sar_answered) - sar0))
fi

# The takeover's own report: total, stages, page faults, first page, start.
read -r tk_inner st_fetch st_open st_kernel st_contacts st_claim pf_p first_ms start_ms < <(
	sed -n 's/.*finished in \([0-9]*\) ms.*ms spent fetching \([0-9]*\), opening \([0-9]*\), in the kernel \([0-9]*\), on contacts \([0-9]*\), claiming \([0-9]*\); \([0-9]*\) page faults; first UEs usable after \([0-9]*\) ms; started at unix ms \([0-9]*\).*/\1 \2 \3 \4 \5 \6 \7 \8 \9/p' <<<"$tk_line")
tk_inner=${tk_inner:-0}
per_ue() { awk -v a="$1" -v n="$s" 'BEGIN { if (n > 0) printf "%d", a * 1000 / n; else print 0 }'; }
printf '  %-50s %7d ms\n' "registration of the $BED_UES UEs (before, for scale)" "$reg1"
printf '  %-50s %7d ms\n' "virtual IP moved to pcscf2 (kill -> VRRP)" "$vip_ms"
printf '  %-50s %7d ms  (%s UEs, %s us per UE; %s of them answered a MESSAGE; HSS requests: %d)\n' \
	"takeover run by pcscf2 (fetch, SAs, contacts, claim)" "$tk_inner" "$s" "$(per_ue "$tk_inner")" "$m1" "$hss_tk"
if [ -n "${start_ms:-}" ] && [ "${master_ms:-0}" -gt 0 ]; then
	printf '  %-50s %7d ms\n' "address moved -> takeover started" $((start_ms - master_ms))
	printf '  %-50s %7d ms\n' "address moved -> first UEs reachable" $((start_ms + first_ms - master_ms))
	printf '  %-50s %7d ms\n' "address moved -> every UE reachable" $((start_ms + tk_inner - master_ms))
	[ "$notify_ms" -gt 0 ] && printf '  %-50s %7d ms\n' "address moved -> keepalived's notify script ran" \
		$((notify_ms - master_ms))
fi
printf '  %-50s %7d ms\n' "kill -> every UE reachable, with takeover" "$tk_total"
[ "$reg2" -gt 0 ] && printf '  %-50s %7d ms  HSS requests: %d  (%s of %s re-registered)\n' \
	"all UEs re-registering through pcscf2 instead" "$reg2" "$hss_rr" "$s2" "$BED_UES"
printf '  %-50s %7d ms\n' "floor: the same $s UEs' SAs, batched, whole program" "$floor_tk"
printf '  %-50s %7d ms\n' "  the same, its netlink work alone" "$floor_work"
printf '  %-50s %7d ms\n' "  the same objects with ip -batch" "$floor_ip"
echo "  where the takeover's time went (ms, and us per UE):"
for st in fetching:"$st_fetch" opening:"$st_open" "in the kernel:$st_kernel" "on contacts:$st_contacts" claiming:"$st_claim"; do
	printf '    %-20s %7d ms %7d us/UE\n' "${st%:*}" "${st##*:}" "$(per_ue "${st##*:}")"
done
# Who had the guest's one CPU meanwhile (the takeover waits for the
# S-CSCF, and both for whatever else runs).
cpu_used "$BED_RUN/cpu.0" "$BED_RUN/cpu.1" scscf pcscf2 | awk -v w="$tk_total" '
	$2 == "all" { all = $1; next } { l[++n] = sprintf("%s %s %d", $2, $3, $1) }
	END { printf "    CPU from the kill to the takeover'"'"'s end: %d ms of %d ms wall; most:", all, w
		for (i = 1; i <= n && i <= 8; i++) printf "%s %s ms", (i > 1 ? "," : ""), l[i]
		printf "\n" }'
# The S-CSCF's own share, summed over the pages (its INFO lines), and the
# first page, which costs the most (first touch of its contacts).
pf_s=$(grep -E 'fetch of node pcscf1|claim by node pcscf2' <<<"$sc_lines" |
	sed -n 's/.*; \([0-9]*\) page faults.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
awk -v pf="$pf_s" '/fetch of node pcscf1 .*records,/ {
		match($0, /: [0-9]+ records/); n = substr($0, RSTART + 2, RLENGTH - 10) + 0
		match($0, /next [0-9]+; [0-9]+ ms/); split(substr($0, RSTART, RLENGTH), a, " "); ms = a[3] + 0
		if (n > 0) { fp++; fr += n; fm += ms; if (fp == 1) { f1n = n; f1m = ms } } }
	/claim by node pcscf2: / {
		match($0, /: [0-9]+ of/); n = substr($0, RSTART + 2, RLENGTH - 5) + 0
		match($0, /superseded; [0-9]+ ms/); split(substr($0, RSTART, RLENGTH), a, " "); ms = a[2] + 0
		cp++; cr += n; cm += ms }
	END {
		printf "    S-CSCF: %d fetches (%d records) %d ms, the first (%d records) %d ms; %d claims (%d records) %d ms; %d page faults\n",
			fp, fr, fm, f1n, f1m, cp, cr, cm, pf }' <<<"$sc_lines"
awk -v p="${pf_p:-0}" -v s="$pf_s" -v g="$fault_us" -v h="${BENCH_HOST_FAULT_US:-}" -v t="$tk_inner" 'BEGIN {
	ms = (p + s) * g / 1000
	printf "  page faults in the takeover: pcscf2 %d, S-CSCF %d; a first touch costs %s us in this guest%s:\n", p, s, g, h != "" ? sprintf(" (%s us on the host outside it)", h) : ""
	printf "    about %d ms of the %d ms takeover run (%d%%)\n", ms, t, (t > 0 ? 100 * ms / t : 0) }'
echo "  memory (shared memory, Kamailio's allocator included):"
awk -v a="$shm_s0" -v b="$shm_s1" -v rn="$rec_n" -v rb="$rec_bytes" -v c="$shm_p0" -v d="$shm_p1" -v n="$s" -v u="$BED_UES" 'BEGIN {
	if (rn > 0) printf "    S-CSCF record store: %d records, %d bytes, %d bytes per record\n", rn, rb, rb / rn
	if (u > 0 && b > a) printf "    S-CSCF, registration and record together: +%d bytes per registered UE\n", (b - a) / u
	if (n > 0 && d > c) printf "    pcscf2, recovered UE (SAs data, contact, callback): +%d bytes per UE\n", (d - c) / n }'
echo "  ratios, side by side:"
printf '    %-46s %7sx  (goal <= 1.5x)\n' "takeover / floor, whole program" "$(ratio "$tk_inner" "$floor_tk")"
printf '    %-46s %7sx\n' "takeover / floor, its netlink work alone" "$(ratio "$tk_inner" "$floor_work")"
printf '    %-46s %7sx  (goal >= 5x)\n' "ip -batch / takeover" "$(ratio "$floor_ip" "$tk_inner")"
[ "$reg2" -gt 0 ] && printf '    %-46s %7sx  (goal >= 20x)\n' "re-registration storm / takeover" "$(ratio "$reg2" "$tk_inner")"
[ -n "${start_ms:-}" ] && [ "${master_ms:-0}" -gt 0 ] &&
	printf '    %-46s %7d ms (goal <= 100 ms)\n' "address moved -> first UEs reachable" $((start_ms + first_ms - master_ms))
