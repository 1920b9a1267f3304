#!/bin/bash
# Black-box tests of ipsec-failover-keys: key lines, the verify file as an
# S-CSCF gets it (checked against openssl's own HMAC), mix-ups refused.
# Usage: test_keys.sh PATH-TO-ipsec-failover-keys
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
# shellcheck source=SCRIPTDIR/../../test/lib/assert.sh
. "$(dirname "$0")/../../test/lib/assert.sh"

BIN=${1:?usage: test_keys.sh PATH-TO-ipsec-failover-keys}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

KA=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
KB=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf

# what the verify key of $1 must be, by openssl rather than by our code
vkey()
{
	printf '%s' "ims_ipsec_failover verify key" |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.*= //'
}

a=$("$BIN" new k1 active)
b=$("$BIN" new k1)
if [[ $a =~ ^k1\ [0-9a-f]{64}\ active$ ]] && [[ $b =~ ^k1\ [0-9a-f]{64}$ ]] &&
	[ "${a:3:64}" != "${b:3:64}" ]; then
	pass "new: a fresh random key line, active on request"
else
	fail "new: '$a' / '$b'"
fi
"$BIN" new 'bad/id' >/dev/null 2>"$T/err"
assert_eq "$?:$(grep -c 'key id must be' "$T/err")" "1:1" "new: bad key id refused"
"$BIN" new >/dev/null 2>"$T/err"
assert_eq "$?:$(grep -c '^usage:' "$T/err")" "2:1" "no key id: usage, exit 2"

printf 'ka %s active\nkb %s\n' $KA $KB >"$T/sealing"
"$BIN" verify "$T/sealing" >"$T/verify"
assert_eq "$?" 0 "verify FILE: exit 0"
assert_eq "$(grep -v '^#' "$T/verify")" \
	"$(printf 'ka %s verify\nkb %s verify' "$(vkey $KA)" "$(vkey $KB)")" \
	"verify: one line per key, HMAC-SHA256 of each sealing key"
assert_eq "$("$BIN" verify <"$T/sealing")" "$(cat "$T/verify")" \
	"verify: the same from standard input"
if grep -qi -e "$KA" -e "$KB" "$T/verify"; then
	fail "verify: a sealing key is in the verify file"
else
	pass "verify: no sealing key in the verify file"
fi

assert_eq "$("$BIN" check "$T/sealing")" \
	"$(printf 'sealing key file (P-CSCF), 2 key(s)\nka active\nkb')" \
	"check: a sealing file"
assert_eq "$("$BIN" check "$T/verify")" \
	"$(printf 'verify key file (S-CSCF), 2 key(s)\nka\nkb')" \
	"check: a verify file"

"$BIN" verify "$T/verify" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$T/out" ] && grep -q 'verify-only key' "$T/err" &&
	! grep -qi -e "$(vkey $KA)" "$T/err"; then
	pass "verify of a verify file refused, saying why, no key in the message"
else
	fail "verify of a verify file: exit $rc, '$(cat "$T/err")'"
fi
printf 'ka %s\n' $KA >"$T/noactive"
"$BIN" verify "$T/noactive" >/dev/null 2>"$T/err"
assert_eq "$?:$(cat "$T/err")" "1:ipsec-failover-keys: no key is marked active" \
	"verify: a bad sealing file refused"
summary
