#!/bin/bash
# Runs every test suite of the project and prints one total line,
# "N passed, N failed", summed over the suites' own check counts (a suite
# that dies without its summary counts as one failure). A bed suite that
# fails runs a second time; only that run counts, and the end of the
# output names it and shows why its first run failed.
# Usage: test/run-all.sh [SUITE-NAME-PATTERN]
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/.."

filter=${1:-}
outdir=test/out
mkdir -p "$outdir"
total_pass=0
total_fail=0
failed_suites=""

# digest LOG: the failed checks of a suite and the errors its diagnostics
# show, printed again at the end of the run, where a CI page that keeps
# only the output's tail still shows why
digest() {
	echo "--- why $(basename "$1" .log) failed (all of it in $1)"
	grep -m 20 '^FAIL' "$1"
	grep -E 'ERROR|CRITICAL|BUG|Traceback|timed.out|[Ee]xception|Entering .* STATE' "$1" |
		sed -E 's/^ *[0-9]+\([0-9]+\) //' | awk '!seen[$0]++' | head -n 30
}

# name | command
SUITES=(
	"unit-record|make -s -C test/unit check"
	"unit-milenage|make -s -C test/hss/milenage check"
	"unit-keys|make -s -C utils/keys check"
	"load-modules|test/load/run.sh"
	"package|test/package/run.sh"
	"uml-esp|test/uml/run --timeout 300 test/uml/tests/esp_netns.sh"
	"uml-xfrm-batch|test/uml/run --timeout 300 test/uml/tests/xfrm_batch.sh"
	"uml-kamailio-options|test/uml/run --timeout 300 test/uml/tests/kamailio_options.sh"
	"bed-registration|test/uml/run --timeout 900 test/bed/tests/registration.sh"
	"bed-failover|test/uml/run --timeout 900 test/bed/tests/failover.sh"
	"bed-failover-ipv6|BED_UE_FAMILY=6 test/uml/run --timeout 900 test/bed/tests/failover.sh"
	"bed-restart|test/uml/run --timeout 900 test/bed/tests/restart.sh"
	"bed-store|test/uml/run --timeout 900 test/bed/tests/store.sh"
	"bed-lazy|test/uml/run --timeout 900 test/bed/tests/lazy.sh"
	"bed-double-master|test/uml/run --timeout 900 test/bed/tests/double-master.sh"
	"bed-postgres|test/uml/run --timeout 900 test/bed/tests/postgres.sh"
)

# run_suite NAME CMD LOG: runs it; sets p (checks passed), f (failed,
# at least 1 when CMD exits non-zero), rc and secs; true when f is 0
run_suite() {
	local c fl er a b start
	echo "=== $1: $2"
	start=$(date +%s)
	bash -c "$2" 2>&1 | tee "$3"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	p=0
	f=0
	# Check: "100%: Checks: 12, Failures: 0, Errors: 0"
	while read -r c fl er; do
		p=$((p + c - fl - er))
		f=$((f + fl + er))
	done < <(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$3")
	# Our shell tests: "N passed, N failed"
	while read -r a b; do
		p=$((p + a))
		f=$((f + b))
	done < <(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p' "$3")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -eq 0 ]
}

rerun_suites=""
for entry in "${SUITES[@]}"; do
	name=${entry%%|*}
	cmd=${entry#*|}
	if [ -n "$filter" ] && [[ $name != *$filter* ]]; then
		continue
	fi
	log="$outdir/$name.log"
	again=""
	# A test bed is a dozen processes on one virtual CPU of a shared host;
	# a stall there fails a bed suite now and then. Such a suite runs once
	# more, and the end of the output says so, with why the first run failed.
	if ! run_suite "$name" "$cmd" "$log" && [[ $name == bed-* ]]; then
		mv "$log" "$outdir/$name.first.log"
		echo "=== $name: FAILED on its first run ($p passed, $f failed, ${secs}s); running it again"
		run_suite "$name" "$cmd" "$log"
		again=" on its second run"
	fi
	if [ "$f" -ne 0 ]; then
		failed_suites="$failed_suites $name"
		echo "=== $name: FAILED$again (exit $rc, $p passed, $f failed, ${secs}s)"
	else
		[ -z "$again" ] || rerun_suites="$rerun_suites $name"
		echo "=== $name: ok$again ($p passed, ${secs}s)"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done

for name in $rerun_suites; do
	digest "$outdir/$name.first.log"
done
[ -z "$rerun_suites" ] || echo "passed only on a second run:$rerun_suites"
if [ -n "$failed_suites" ]; then
	for name in $failed_suites; do
		digest "$outdir/$name.log"
	done
	echo "failed suites:$failed_suites"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
