# shellcheck shell=bash
# The frame of every bed test: the bed library, the UML harness's
# pass/fail helpers, and
#   bed_test_up   the bed up (down again when the test exits), or the test
#                 ends there, failed, with diagnostics;
#   bed_test_end  diagnostics if anything failed, then the summary line;
#   assert_all_ok a UE step (registration, MESSAGEs) that all of them pass.
# SPDX-License-Identifier: GPL-2.0-or-later

# shellcheck source-path=SCRIPTDIR source=bed.sh
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"
# shellcheck source=../../uml/lib.sh
. "$REPO/test/uml/lib.sh"

bed_test_up() {
	trap 'bed_down' EXIT
	if ! bed_up; then
		fail "bed up"
		bed_diag
		summary
		exit 1
	fi
}

bed_test_end() {
	[ "$t_failed" -eq 0 ] || bed_diag
	summary
}

# assert_all_ok N MSG CMD...: CMD (ues_register, ues_run, net_message_to)
# prints "SUCCESSFUL FAILED"; N succeeded and none failed
assert_all_ok() {
	local want=$1 msg=$2 ok ko
	shift 2
	read -r ok ko < <("$@")
	assert_eq "$ok/$ko" "$want/0" "$msg"
}
