#!/bin/bash
# Runs every test suite of the project on each target named (default: every
# supported one) and prints one total line, "N passed, N failed", summed
# over the suites' own check counts (a suite that dies without its summary
# counts as one failure). Each target builds and runs in a tree of its own
# (mk/tree.sh): the build, unit, load and package suites inside the
# target's root (mk/in-root.sh), the kernel and bed suites in
# user-mode-linux booted on that root. Every suite runs once: a failure is
# a failure.
#
# Usage: test/run-all.sh [TARGET...]    (ONLY=TEXT runs the suites whose
#                                        name contains TEXT)
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/.."
repo=$PWD

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(trixie bookworm)
filter=${ONLY:-}
total_pass=0
total_fail=0
failed_suites=""
timings=""

# digest LOG: the failed checks of a suite and the errors its diagnostics
# show, printed again at the end of the run, where a CI page that keeps
# only the output's tail still shows why
digest() {
	echo "--- why $2 failed (all of it in $1)"
	grep -m 20 '^FAIL' "$1"
	grep -E 'ERROR|CRITICAL|BUG|Traceback|timed.out|[Ee]xception|Entering .* STATE' "$1" |
		sed -E 's/^ *[0-9]+\([0-9]+\) //' | awk '!seen[$0]++' | head -n 30
}

# name | where (root: in the target root; uml: booted on it) | command,
# run in the target's tree
SUITES=(
	"unit-record|root|make -s -C test/unit check"
	"unit-milenage|root|make -s -C test/hss/milenage check"
	"unit-keys|root|make -s -C utils/keys check"
	"load-modules|root|test/load/run.sh"
	"package|host|test/package/run.sh"
	"uml-esp|uml|test/uml/run --timeout 300 test/uml/tests/esp_netns.sh"
	"uml-xfrm-batch|uml|test/uml/run --timeout 300 test/uml/tests/xfrm_batch.sh"
	"uml-kamailio-options|uml|test/uml/run --timeout 300 test/uml/tests/kamailio_options.sh"
	"bed-registration|uml|test/uml/run --timeout 900 test/bed/tests/registration.sh"
	"bed-failover|uml|test/uml/run --timeout 900 test/bed/tests/failover.sh"
	"bed-failover-ipv6|uml|BED_UE_FAMILY=6 test/uml/run --timeout 900 test/bed/tests/failover.sh"
	"bed-restart|uml|test/uml/run --timeout 900 test/bed/tests/restart.sh"
	"bed-store|uml|test/uml/run --timeout 900 test/bed/tests/store.sh"
	"bed-lazy|uml|test/uml/run --timeout 900 test/bed/tests/lazy.sh"
	"bed-double-master|uml|test/uml/run --timeout 900 test/bed/tests/double-master.sh"
	"bed-postgres|uml|test/uml/run --timeout 900 test/bed/tests/postgres.sh"
)

# count LOG: sets p (checks passed) and f (failed) from a suite's log
count() {
	local c fl er a b
	p=0
	f=0
	# Check: "100%: Checks: 12, Failures: 0, Errors: 0"
	while read -r c fl er; do
		p=$((p + c - fl - er))
		f=$((f + fl + er))
	done < <(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$1")
	# Our shell tests: "N passed, N failed"
	while read -r a b; do
		p=$((p + a))
		f=$((f + b))
	done < <(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p' "$1")
}

# run_suite TARGET TREE NAME WHERE CMD: runs it, adds to the totals
run_suite() {
	local t=$1 tree=$2 name=$3 where=$4 cmd=$5 log start rc secs
	log=$tree/test/out/$name.log
	echo "=== $t/$name: $cmd"
	start=$(date +%s)
	case $where in
	root) (cd "$tree" && "$repo/mk/in-root.sh" "$t" bash -c "$cmd") 2>&1 | tee "$log" ;;
	# each suite's bed logs in a directory of their own, kept for a look
	# after the run
	*) (cd "$tree" && TARGET=$t BED_OUT=$tree/test/out/$name.d bash -c "$cmd") 2>&1 | tee "$log" ;;
	esac
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	count "$log"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		failed_suites="$failed_suites $t/$name"
		echo "=== $t/$name: FAILED (exit $rc, $p passed, $f failed, ${secs}s)"
	else
		echo "=== $t/$name: ok ($p passed, ${secs}s)"
	fi
	timings="$timings $t/$name:${secs}s"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

run_start=$(date +%s)
for t in "${targets[@]}"; do
	tstart=$(date +%s)
	tree=$(mk/tree.sh "$t")
	mkdir -p "$tree/test/out"
	echo "=== $t: build in $tree"
	if ! (cd "$tree" && "$repo/mk/in-root.sh" "$t" make -s -f mk/build.mk all) \
		>"$tree/test/out/build.log" 2>&1; then
		tail -n 40 "$tree/test/out/build.log"
		echo "=== $t/build: FAILED"
		failed_suites="$failed_suites $t/build"
		total_fail=$((total_fail + 1))
		continue
	fi
	for entry in "${SUITES[@]}"; do
		name=${entry%%|*}
		rest=${entry#*|}
		where=${rest%%|*}
		cmd=${rest#*|}
		if [ -n "$filter" ] && [[ $name != *$filter* ]]; then
			continue
		fi
		run_suite "$t" "$tree" "$name" "$where" "$cmd"
	done
	echo "=== $t: $(($(date +%s) - tstart)) s"
done

echo "suite times:$timings"
echo "all suites: $(($(date +%s) - run_start)) s"
if [ -n "$failed_suites" ]; then
	for s in $failed_suites; do
		[ "${s#*/}" = build ] && continue
		digest "$repo/build/${s%%/*}/tree/test/out/${s#*/}.log" "$s"
	done
	echo "failed suites:$failed_suites"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
