#!/bin/bash
# Runs fuzz targets (test/fuzz/Makefile builds them) one after the other
# and prints one line each, then "N passed, N failed": a target passes
# when libFuzzer stops on its limit without a crash, a leak, a timeout or
# a failed check. Called by "make smoke" and "make fuzz".
#
#   MODE=smoke|fuzz SECONDS_EACH=S [RUNS=N] run.sh NAME...
#     smoke  seed corpus (corpus/NAME) and a fresh work corpus, S seconds
#     fuzz   the work corpus build/corpus/NAME kept between runs, S seconds
#            or, with RUNS, N executions
# The log of each run is build/log/NAME.MODE.log; a crashing input is kept
# as build/crash/NAME-crash-... (libFuzzer's artifact).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")"

# longest input per target: above its largest valid input, or for the
# bodies of many lines (page, claim) room for a few of the longest lines
max_len() {
	case $1 in
	keyring) echo 16384 ;;
	claim_answer | params | secagree | uri) echo 2048 ;;
	*) echo 4096 ;;
	esac
}

mode=${MODE:-smoke}
secs=${SECONDS_EACH:-5}
runs=${RUNS:-}
mkdir -p build/log build/crash
pass=0
fail=0
for t in "$@"; do
	log=build/log/$t.$mode.log
	work=build/corpus/$t
	if [ "$mode" = smoke ]; then
		work=build/smoke/$t
		rm -rf "$work"
	fi
	mkdir -p "$work"
	opts=(-max_len="$(max_len "$t")" -timeout=10 -print_final_stats=1
		-artifact_prefix="build/crash/$t-")
	[ -f "$t.dict" ] && opts+=(-dict="$t.dict")
	if [ "$mode" = fuzz ] && [ -n "$runs" ]; then
		opts+=(-runs="$runs")
	else
		opts+=(-max_total_time="$secs")
	fi
	start=$(date +%s)
	"build/fuzz_$t" "${opts[@]}" "$work" "corpus/$t" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
		pass=$((pass + 1))
		printf 'ok    %-13s %10s executions in %4s s, 0 crashes\n' \
			"$t" "$execs" "$took"
	else
		fail=$((fail + 1))
		echo "FAIL  $t (exit $rc after $took s; all of it in test/fuzz/$log):"
		grep -E -m 20 'ERROR|SUMMARY|fuzz check failed|runtime error|Test unit written|^#[0-9]+.*(NEW|DONE)' "$log" | tail -n 20
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
