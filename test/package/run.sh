#!/bin/bash
# The Debian package (`make deb`): it depends on exactly the installed
# Kamailio, dpkg would install it here, and the modules it ships, not the
# ones in the tree, load in /usr/sbin/kamailio with the example configs'
# stock dependencies.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/../.."
. test/lib/assert.sh

deb=$(packaging/deb/build.sh) || {
	fail "make deb"
	summary
	exit 1
}
pass "make deb built $(basename "$deb")"
kam=$(dpkg-query -W -f '${Version}' kamailio)
dep=$(dpkg-deb -f "$deb" Depends)
if grep -q "kamailio (= $kam)" <<<"$dep" && grep -q "kamailio-ims-modules (= " <<<"$dep"; then
	pass "it depends on exactly kamailio $kam and its IMS modules"
else
	fail "Depends: $dep"
fi
if dpkg --dry-run -i "$deb" >/dev/null 2>&1; then
	pass "dpkg would install it here (dependencies satisfied)"
else
	fail "dpkg --dry-run -i refuses it: $(dpkg --dry-run -i "$deb" 2>&1 | tail -2)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
n=$(find "$tmp/usr/lib/$ma/kamailio/modules" -name 'ims_ipsec_failover*.so' | wc -l)
assert_eq "$n" "2" "it ships both modules in Kamailio's module directory"
assert_eq "$(find "$tmp/usr/share/kamailio/ims_ipsec_failover" -type f | wc -l)" "8" \
	"and the example configs, SQL tables and keepalived scripts"
printf 'k1 %s active\n' "$(printf '%064d' 7)" >"$tmp/sealing"
if "$tmp/usr/bin/ipsec-failover-keys" verify "$tmp/sealing" | grep -q '^k1 [0-9a-f]\{64\} verify$'; then
	pass "the packaged ipsec-failover-keys derives a verify key file"
else
	fail "packaged ipsec-failover-keys: $("$tmp/usr/bin/ipsec-failover-keys" verify "$tmp/sealing" 2>&1)"
fi
for cfg in pcscf-load scscf-load; do
	out=$(kamailio -L "$tmp/usr/lib/$ma/kamailio/modules:/usr/lib/$ma/kamailio/modules" \
		-c -f "test/load/$cfg.cfg" 2>&1)
	if [ $? -eq 0 ] && grep -q "config file ok" <<<"$out"; then
		pass "$cfg.cfg loads the packaged modules"
	else
		fail "$cfg.cfg with the packaged modules: $(tail -3 <<<"$out")"
	fi
done
summary
