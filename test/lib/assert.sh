# Minimal assertions for host-side shell tests; each prints one line, and
# `summary` prints "N passed, N failed" and sets the exit status.
# SPDX-License-Identifier: GPL-2.0-or-later
T_PASS=0
T_FAIL=0
pass() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }
summary()
{
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
