#!/bin/bash
# Proves both modules load in the distribution's /usr/sbin/kamailio next to
# the stock IMS modules they depend on (`kamailio -c` resolves every
# loadmodule, checks module_version/module_flags and applies modparams).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/../.."
. test/lib/assert.sh

MPATH="$PWD/modules:/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/kamailio/modules"

for cfg in pcscf-load scscf-load; do
	out=$(kamailio -L "$MPATH" -c -f "test/load/$cfg.cfg" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && grep -q "config file ok" <<<"$out"; then
		pass "$cfg.cfg: kamailio -c accepts it"
	else
		fail "$cfg.cfg: kamailio -c exit $rc"
		printf '%s\n' "$out" | tail -20
	fi
done

# A module from a different build must be refused by the core, which is
# what the build-time check guards against: corrupt the flags of a copy.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ims_ipsec_failover"
cp modules/ims_ipsec_failover/ims_ipsec_failover.so "$tmp/ims_ipsec_failover/"
sed -i 's/USE_TCP, USE_TLS/USE_TCP, USE_XXX/' "$tmp/ims_ipsec_failover/ims_ipsec_failover.so"
out=$(kamailio -L "$tmp:$MPATH" -c -f test/load/pcscf-load.cfg 2>&1)
if [ $? -ne 0 ] && grep -q "module compile flags mismatch" <<<"$out"; then
	pass "a module with foreign compile flags is refused by the core"
else
	fail "core accepted a module with foreign compile flags"
	printf '%s\n' "$out" | tail -5
fi

summary
