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
# Each protected port is a socket with its own process in the stock
# ims_ipsec_pcscf, and the pool needs a port pair per UE plus room for a
# registration storm: the bed's default size keeps that within what one
# UML kernel runs comfortably.
export BED_UES=${BENCH_UES:-50} BED_FAILOVER=1

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
mar0=$(kam_stat hss hss_mar_answered)
sar0=$(kam_stat hss hss_sar_answered)
# the S-CSCF's log from here on is the takeover's
scscf_from=$(($(wc -l <"$BED_OUT/scscf.log") + 1))
t=$(ms)
kam_kill pcscf1 KILL
wait_for 60 "the virtual IP" vip_held_by pcscf2
vip_ms=$(($(ms) - t))
# the UE agent may count a UE unregistered that the network did register
recovered_all() { [ "$(kam_stat pcscf2 recovered_ues)" -ge "$s" ]; }
wait_for 120 "the takeover" recovered_all
# The network may hold more registrations than the UE agent counted (an
# answer lost to a timeout): what pcscf2 recovered is what the floor and
# the figures below are about.
s=$(kam_stat pcscf2 recovered_ues)
# This takeover's log lines, before anything later (a VRRP flap during the
# storm makes keepalived call the takeover again, which finds nothing).
tk_line=$(grep "takeover of node pcscf1 finished" "$BED_OUT/pcscf2.log" | tail -1)
sc_lines=$(tail -n "+$scscf_from" "$BED_OUT/scscf.log")
bed_log "takeover done; measuring the floor"
tk_total=$(($(ms) - t))
ip netns add floor
ip -n floor link set lo up
# Whole program (exec, OpenSSL start-up, netlink) and, from its own clock,
# the netlink work alone: the takeover pays neither start-up, so the second
# is the strict floor.
fl=() fw=()
for _ in 1 2 3; do
	t0=$(ms)
	out=$(ip netns exec floor "$tool" install "$s" 2>&1)
	fl+=("$(($(ms) - t0))")
	fw+=("$(awk '/^install:/ { printf "%d", $(NF - 1) * 1000 }' <<<"$out")")
	ip -n floor xfrm state flush
	ip -n floor xfrm policy flush
done
floor_tk=$(median "${fl[@]}")
floor_work=$(median "${fw[@]}")
# What one first touch of memory after fork costs in this guest (the
# takeover's page faults are counted in the INFO lines below).
fc=()
for _ in 1 2 3; do fc+=("$("$REPO/test/bench/fault_cost" 2000)"); done
fault_us=$(median "${fc[@]}")
bed_log "floor measured; MESSAGEs to the UEs"
ip netns del floor
tk_inner=$(sed -n 's/.*takeover of node pcscf1 finished in \([0-9]*\) ms.*/\1/p' <<<"$tk_line")
# A check that the UEs are reachable, not a timing: sent at 20/s, since a
# burst at the bed's default 100/s overloads this UML kernel's sipp (its
# watchdog trips) and the S-CSCF's 5 s timer then answers 408 for UEs
# that did get their MESSAGE.
read -r m1 f1 < <(BED_RATE=20 net_message_to bench-mt $(ue_list))
hss_tk=$(($(kam_stat hss hss_mar_answered) - mar0 + $(kam_stat hss hss_sar_answered) - sar0))
bed_log "re-registration storm"
# The alternative: every UE registers again, now through pcscf2.
mar0=$(kam_stat hss hss_mar_answered)
sar0=$(kam_stat hss hss_sar_answered)
t=$(ms)
read -r s2 f2 < <(ues_run storm ue-register.xml next $(ue_list))
reg2=$(($(ms) - t))
hss_rr=$(($(kam_stat hss hss_mar_answered) - mar0 + $(kam_stat hss hss_sar_answered) - sar0))
printf '  %-48s %7d ms\n' "virtual IP moved to pcscf2 (kill -> VRRP)" "$vip_ms"
printf '  %-48s %7d ms  (%s UEs; %s of them answered a MESSAGE)\n' "takeover run by pcscf2 (fetch, SAs, contacts)" "${tk_inner:-0}" "$s" "$m1"
printf '  %-48s %7d ms  HSS requests: %d\n' "kill -> every UE reachable again, with takeover" "$tk_total" "$hss_tk"
printf '  %-48s %7d ms  HSS requests: %d  (%s of %s re-registered)\n' "all UEs re-registering through pcscf2 instead" "$reg2" "$hss_rr" "$s2" "$BED_UES"
printf '  %-48s %7s\n' "re-registration time / takeover run time" "$(ratio "$reg2" "${tk_inner:-0}")x"
printf '  %-48s %7d ms  takeover run = %sx this floor\n' "floor: the same $s UEs' SAs, batched, nothing else" "$floor_tk" "$(ratio "${tk_inner:-0}" "$floor_tk")"
printf '  %-48s %7d ms  takeover run = %sx this floor\n' "  the same, its netlink work alone" "$floor_work" "$(ratio "${tk_inner:-0}" "$floor_work")"
sed -n 's/.*takeover of node pcscf1 finished in \([0-9]*\) ms.*ms spent \(.*\); \([0-9]*\) page faults/  takeover run, where its \1 ms went: \2 (\3 page faults)/p' <<<"$tk_line"
# The S-CSCF's own share, page by page (its INFO lines).
sed -n 's/.*serve_fetch(): fetch of node pcscf1 (cursor [0-9]*, max \([0-9]*\)): \([0-9]*\) records.*; \([0-9]*\) ms: \(.*\); \([0-9]*\) page faults/    S-CSCF fetch, \2 records: \3 ms (\4; \5 page faults)/p
	s/.*serve_claim(): claim by node pcscf2: \([0-9]*\) of [0-9]* records accepted; \([0-9]*\) ms: \(.*\); \([0-9]*\) page faults/    S-CSCF claim, \1 records: \2 ms (\3; \4 page faults)/p' <<<"$sc_lines"
pf_p=$(sed -n 's/.*takeover of node pcscf1 finished in .*; \([0-9]*\) page faults.*/\1/p' <<<"$tk_line")
pf_s=$(sed -n 's/.*\(fetch of node pcscf1\|claim by node pcscf2\).*; \([0-9]*\) page faults.*/\2/p' <<<"$sc_lines" | awk '{ s += $1 } END { print s + 0 }')
awk -v p="${pf_p:-0}" -v s="$pf_s" -v g="$fault_us" -v h="${BENCH_HOST_FAULT_US:-}" -v t="${tk_inner:-0}" 'BEGIN {
	ms = (p + s) * g / 1000
	printf "  page faults in the takeover: pcscf2 %d, S-CSCF %d; a first touch costs %s us in this guest%s:\n", p, s, g, h != "" ? sprintf(" (%s us on the host outside it)", h) : ""
	printf "    about %d ms of the %d ms takeover run (%d%%)\n", ms, t, (t > 0 ? 100 * ms / t : 0) }'
printf '  %-48s %7d ms\n' "(first registration of the $BED_UES UEs, for scale)" "$reg1"
