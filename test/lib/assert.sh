# shellcheck shell=bash
# One-line checks for shell tests, on the host and inside user-mode-linux,
# and the final summary line.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Use:  . test/lib/assert.sh   ...checks...   summary
# (summary last: its status becomes the script's exit status).

t_passed=0
t_failed=0

# pass MSG / fail MSG: count and print one line per check.
pass() {
	t_passed=$((t_passed + 1))
	printf 'ok   %s\n' "$*"
}
fail() {
	t_failed=$((t_failed + 1))
	printf 'FAIL %s\n' "$*"
}

# assert_eq ACTUAL EXPECTED MSG: string equality.
assert_eq() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3: expected '$2', got '$1'"
	fi
}

# assert_ne ACTUAL UNWANTED MSG: ACTUAL is not empty and differs.
assert_ne() {
	if [ -n "$1" ] && [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3: got '$1'"
	fi
}

# assert_ge ACTUAL MIN MSG: integer ACTUAL >= MIN (a non-number fails).
assert_ge() {
	case $1 in
	'' | *[!0-9]*)
		fail "$3: expected a number >= $2, got '$1'"
		return 0
		;;
	esac
	if [ "$1" -ge "$2" ]; then
		pass "$3 ($1 >= $2)"
	else
		fail "$3: expected >= $2, got $1"
	fi
}

# assert_match ACTUAL TEXT MSG: ACTUAL contains TEXT.
assert_match() {
	case $1 in
	*"$2"*) pass "$3" ;;
	*) fail "$3: '$2' not in '$1'" ;;
	esac
}

# summary: print "N passed, N failed"; status 1 if a check failed or none ran.
summary() {
	echo "$t_passed passed, $t_failed failed"
	[ "$t_failed" -eq 0 ] && [ "$t_passed" -gt 0 ]
}
