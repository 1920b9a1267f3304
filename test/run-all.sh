#!/bin/bash
# Runs every test suite of the project and prints one total line,
# "N passed, N failed", summed over the suites' own check counts (a suite
# that dies without its summary counts as one failure).
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
	"bed-postgres|test/uml/run --timeout 900 test/bed/tests/postgres.sh"
)

for entry in "${SUITES[@]}"; do
	name=${entry%%|*}
	cmd=${entry#*|}
	if [ -n "$filter" ] && [[ $name != *$filter* ]]; then
		continue
	fi
	log="$outdir/$name.log"
	echo "=== $name: $cmd"
	start=$(date +%s)
	bash -c "$cmd" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	p=0
	f=0
	# Check: "100%: Checks: 12, Failures: 0, Errors: 0"
	while read -r c fl er; do
		p=$((p + c - fl - er))
		f=$((f + fl + er))
	done < <(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$log")
	# Our shell tests: "N passed, N failed"
	while read -r a b; do
		p=$((p + a))
		f=$((f + b))
	done < <(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		failed_suites="$failed_suites $name"
		echo "=== $name: FAILED (exit $rc, $p passed, $f failed, ${secs}s)"
	else
		echo "=== $name: ok ($p passed, ${secs}s)"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done

[ -z "$failed_suites" ] || echo "failed suites:$failed_suites"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
