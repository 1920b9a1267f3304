# shellcheck shell=bash
# The narration of the demos (test/bed/demo*.sh): the bed library, and
#   step TEXT                  a heading
#   show CMD...                a command and its output, indented
#   check DESC ACTUAL EXPECTED an [ok] or [FAILED] line; a failure sets ok=0
# SPDX-License-Identifier: GPL-2.0-or-later

# shellcheck source-path=SCRIPTDIR source=bed.sh
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"

step() { printf '\n=== %s\n' "$*"; }
show() {
	printf '$ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
}
ok=1
check() {
	if [ "$2" = "$3" ]; then
		printf '  [ok] %s\n' "$1"
	else
		printf '  [FAILED] %s: expected %s, got %s\n' "$1" "$3" "$2"
		ok=0
	fi
}
