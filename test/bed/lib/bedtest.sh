# shellcheck shell=bash
# The frame of every bed test: the bed library, the UML harness's
# pass/fail helpers, and
#   bed_test_up   the bed up (down again when the test exits), or the test
#                 ends there, failed, with diagnostics;
#   bed_test_end  diagnostics if anything failed, then the summary line.
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
