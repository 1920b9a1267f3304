#!/bin/bash
# Runs every test suite of the project on each target named (default: every
# supported one) and prints one total line, "N passed, N failed", summed
# over the suites' own check counts (a suite that dies without its summary
# counts as one failure). Each target builds and runs in a tree of its own
# (mk/tree.sh): the build, unit, load and package suites inside the
# target's root (mk/in-root.sh), the kernel and bed suites in
# user-mode-linux booted on that root. The targets run side by side
# (RUN_ALL_SERIAL=1: one after the other). Every suite runs once: a failure
# is a failure.
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
	# a suite that hung has no failed check to show; where it stopped does
	if grep -q 'TIMEOUT:' "$1"; then
		echo "--- the last lines $2 printed before its time ran out"
		grep -v 'TIMEOUT:\|sysrq' "$1" | tail -n 12
	fi
}

# name | where (root: in the target root; uml: booted on it) | command,
# run in the target's tree
SUITES=(
	"unit-record|root|make -s -C test/unit check"
	"unit-milenage|root|make -s -C test/hss/milenage check"
	"unit-keys|root|make -s -C utils/keys check"
	"fuzz-smoke|root|make -s -C test/fuzz smoke"
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
	"bed-active-active|uml|test/uml/run --timeout 900 --mem 2G test/bed/tests/active-active.sh"
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

# run_target TARGET: build and every suite of one target; leaves its totals
# in $out/run-TARGET.sum for the parent
run_target() {
	local t=$1 tstart tree entry name rest where cmd
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
	else
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
	fi
	echo "=== $t: $(($(date +%s) - tstart)) s"
	printf '%s\n%s\n%s\n%s\n' "$total_pass" "$total_fail" "$failed_suites" \
		"$timings" >"$out/run-$t.sum"
}

# The targets run side by side (each in its own root and UML kernel, one
# CPU's worth of work each); RUN_ALL_SERIAL=1 runs them one after the
# other. Output lines carry the target's name.
out=$repo/build/run-all
mkdir -p "$out"
rm -f "$out"/run-*.sum
run_start=$(date +%s)
pids=()
for t in "${targets[@]}"; do
	if [ "${RUN_ALL_SERIAL:-0}" = 1 ] || [ ${#targets[@]} -eq 1 ]; then
		run_target "$t"
	else
		run_target "$t" 2>&1 | sed -u "s/^/[$t] /" &
		pids+=($!)
	fi
done
for pid in "${pids[@]}"; do
	wait "$pid"
done
for t in "${targets[@]}"; do
	if [ ! -f "$out/run-$t.sum" ]; then
		echo "=== $t: no summary (the run of this target died)"
		total_fail=$((total_fail + 1))
		failed_suites="$failed_suites $t/run"
		continue
	fi
	{
		read -r p
		read -r f
		read -r fs
		read -r tm
	} <"$out/run-$t.sum"
	# a serial run already summed in this shell
	if [ "${RUN_ALL_SERIAL:-0}" != 1 ] && [ ${#targets[@]} -gt 1 ]; then
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		failed_suites="$failed_suites $fs"
		timings="$timings $tm"
	fi
done

# shellcheck disable=SC2086 # normalise the blanks of empty parts
failed_suites=$(echo $failed_suites)
echo "suite times:$timings"
echo "all suites: $(($(date +%s) - run_start)) s"
if [ -n "$failed_suites" ]; then
	for s in $failed_suites; do
		case ${s#*/} in build | run) continue ;; esac
		digest "$repo/build/${s%%/*}/tree/test/out/${s#*/}.log" "$s"
	done
	echo "failed suites: $failed_suites"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
