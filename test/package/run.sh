#!/bin/bash
# The packages of target $TARGET, as an admin meets them.
#  - deb: built in the target root (`make deb`), pinned to exactly that
#    root's Kamailio; installed with apt into a copy of the target's bare
#    root (debootstrap minbase, not the build root) together with the stock
#    Kamailio packages it pulls in; there both modules load in
#    /usr/sbin/kamailio with the packaged example configs.
#  - rpm: built with rpmbuild (`make rpm`); its file list, its pinned
#    requirements, and `rpm -i --root` into an empty directory putting the
#    modules where Kamailio's rpm packages keep theirs.
# Runs on the host (it makes and enters roots).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/../.."
. test/lib/assert.sh

tree=$PWD
target=${TARGET:?TARGET not set}
repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd -P)
in_root() { "$repo/mk/in-root.sh" "$@"; }
outdir=$(cd .. && pwd)
work=$outdir/pkgtest
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# --- deb ----------------------------------------------------------------
deb=$(in_root "$target" packaging/deb/build.sh) || {
	fail "make deb"
	summary
	exit 1
}
pass "make deb built $(basename "$deb")"
kam=$(in_root "$target" dpkg-query -W -f '${Version}' kamailio)
dep=$(in_root "$target" dpkg-deb -f "$deb" Depends)
if grep -q "kamailio (= $kam)" <<<"$dep" && grep -q "kamailio-ims-modules (= $kam)" <<<"$dep"; then
	pass "it depends on exactly kamailio $kam and its IMS modules"
else
	fail "Depends: $dep"
fi

# A fresh copy of the bare root each run; apt takes the packages from the
# build root's cache (the archive the roots were made from), so the test
# needs no network.
rm -rf "$work"
mkdir -p "$work"
cp -a "$("$repo/mk/root.sh" "$target" clean)" "$work/root"
full=$("$repo/mk/root.sh" "$target")
cp "$full"/var/cache/apt/archives/*.deb "$work/root/var/cache/apt/archives/"
cp "$deb" "$work/root/var/tmp/"
pkg=/var/tmp/$(basename "$deb")
clean() { in_root --root "$work/root" "$target" "$@"; }
if clean env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends "$pkg" kamailio-sqlite-modules kamailio-presence-modules \
	kamailio-xml-modules >"$work/apt.log" 2>&1; then
	pass "apt installs it into a bare $target root, with the Kamailio packages it needs"
else
	fail "apt-get install into the bare root: $(tail -3 "$work/apt.log")"
fi
assert_eq "$(clean dpkg-query -W -f '${Status} ${Version}' kamailio 2>/dev/null)" \
	"install ok installed $kam" "apt pulled in kamailio $kam, the version it is pinned to"

ma=$(clean dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || clean gcc -print-multiarch 2>/dev/null)
[ -n "$ma" ] || ma=$(in_root "$target" dpkg-architecture -qDEB_HOST_MULTIARCH)
moddir=$work/root/usr/lib/$ma/kamailio/modules
n=$(find "$moddir" -name 'ims_ipsec_failover*.so' | wc -l)
assert_eq "$n" "2" "both modules are in Kamailio's module directory"
assert_eq "$(find "$work/root/usr/share/kamailio/ims_ipsec_failover" -type f | wc -l)" "9" \
	"and the example configs, SQL tables and keepalived scripts"
assert_eq "$(clean stat -c '%U %a' /var/lib/kamailio-ims-ipsec-failover 2>&1)" "kamailio 750" \
	"its state directory belongs to the kamailio user"
printf 'k1 %s active\n' "$(printf '%064d' 7)" >"$work/root/var/tmp/sealing"
if clean ipsec-failover-keys verify /var/tmp/sealing | grep -q '^k1 [0-9a-f]\{64\} verify$'; then
	pass "the packaged ipsec-failover-keys derives a verify key file"
else
	fail "packaged ipsec-failover-keys: $(clean ipsec-failover-keys verify /var/tmp/sealing 2>&1)"
fi
share=/usr/share/kamailio/ims_ipsec_failover/cfg
for cfg in pcscf scscf; do
	out=$(clean kamailio -c -f "$share/$cfg.cfg" -A WITH_IPSEC_FAILOVER 2>&1)
	if [ $? -eq 0 ] && grep -q "config file ok" <<<"$out"; then
		pass "the packaged $cfg.cfg loads the packaged modules in the bare root"
	else
		fail "packaged $cfg.cfg: $(tail -3 <<<"$out")"
	fi
done

# --- rpm ----------------------------------------------------------------
rpm=$(in_root "$target" packaging/rpm/build.sh) || {
	fail "make rpm"
	summary
	exit 1
}
pass "make rpm built $(basename "$rpm")"
kver=${kam%%-*}
req=$(in_root "$target" rpm -qp --requires "$rpm" 2>/dev/null)
if grep -qx "kamailio = $kver" <<<"$req" && grep -qx "kamailio-ims = $kver" <<<"$req"; then
	pass "it requires exactly kamailio $kver and kamailio-ims $kver"
else
	fail "Requires: $(tr '\n' ' ' <<<"$req")"
fi
files=$(in_root "$target" rpm -qlp "$rpm" 2>/dev/null)
for f in /usr/lib64/kamailio/modules/ims_ipsec_failover.so \
	/usr/lib64/kamailio/modules/ims_ipsec_failover_scscf.so \
	/usr/bin/ipsec-failover-keys \
	/usr/share/kamailio/ims_ipsec_failover/sql/ims_ipsec_failover-sqlite.sql \
	/usr/share/kamailio/ims_ipsec_failover/keepalived/keepalived-pcscf-active-active.conf; do
	if grep -qx "$f" <<<"$files"; then
		pass "the rpm ships $f"
	else
		fail "the rpm lacks $f"
	fi
done
mkdir -p "$work/rpmroot"
if in_root "$target" rpm -i --nodeps --root "$work/rpmroot" "$rpm" >"$work/rpm.log" 2>&1; then
	pass "rpm -i --root installs it into an empty directory"
else
	fail "rpm -i --root: $(tail -3 "$work/rpm.log")"
fi
n=$(find "$work/rpmroot/usr/lib64/kamailio/modules" -name 'ims_ipsec_failover*.so' 2>/dev/null | wc -l)
assert_eq "$n" "2" "and puts both modules in /usr/lib64/kamailio/modules, beside Kamailio's rpm modules"
summary
