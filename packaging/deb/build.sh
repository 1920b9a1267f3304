#!/bin/bash
# Builds the Debian package of both modules for the Kamailio of the target
# root it runs in (`make deb` runs it there, in the target's tree):
#   build/TARGET/kamailio-ims-ipsec-failover_<v>_<arch>.deb
# The modules are tied to that exact Kamailio build (the core refuses a
# module of another version or other compile flags), so the package
# depends on exactly that version of kamailio and kamailio-ims-modules.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/../.."

PKG=kamailio-ims-ipsec-failover
version=$(cat VERSION)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
kam=$(dpkg-query -W -f '${Version}' kamailio)
ims=$(dpkg-query -W -f '${Version}' kamailio-ims-modules)
# In a target's tree (build/TARGET/tree) the package goes beside it.
outdir=${IFO_PKG_DIR:-$(cd .. && pwd)}
root=$outdir/deb-root
out=$outdir/${PKG}_${version}_${arch}.deb
doc=$root/usr/share/doc/$PKG

packaging/stage.sh "$root" "/usr/lib/$multiarch/kamailio/modules" "/usr/share/doc/$PKG"
cat >"$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $PKG
License: GPL-2.0-or-later

Files: *
License: GPL-2.0-or-later
 On Debian systems, the full text of the GNU General Public License
 version 2 can be found in /usr/share/common-licenses/GPL-2.
EOF

# Shared libraries the modules and the key tool link, as packages, from the dynamic section.
libdeps=$(for so in "$root/usr/lib/$multiarch/kamailio/modules/"*.so \
	"$root/usr/bin/ipsec-failover-keys"; do
	objdump -p "$so" | awk '/NEEDED/ { print $2 }'
done | sort -u | while read -r lib; do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
	[ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null | cut -d: -f1
done | sort -u | paste -sd, | sed 's/,/, /g')

install -d "$root/DEBIAN"
# The kamailio package (a dependency, so configured first) creates the
# user Kamailio runs as; the module keeps spi_state_file there.
cat >"$root/DEBIAN/postinst" <<'EOT'
#!/bin/sh
set -e
if [ "$1" = configure ] && getent passwd kamailio >/dev/null; then
	chown kamailio:kamailio /var/lib/kamailio-ims-ipsec-failover
fi
EOT
chmod 0755 "$root/DEBIAN/postinst"
size=$(du -sk "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: $PKG
Version: $version
Architecture: $arch
Maintainer: IMS IPsec failover developers <root@localhost>
Section: net
Priority: optional
Installed-Size: $size
Depends: kamailio (= $kam), kamailio-ims-modules (= $ims)${libdeps:+, $libdeps}
Suggests: keepalived, kamailio-sqlite-modules, kamailio-postgres-modules
Description: IPsec SA failover for Kamailio's IMS P-CSCF
 Keeps IMS-AKA phones reachable when their P-CSCF dies: ims_ipsec_failover
 (P-CSCF) exports each UE's sealed IPsec SA state to the S-CSCF and
 re-creates a failed peer's SAs and contacts; ims_ipsec_failover_scscf
 (S-CSCF) keeps those records with the registrations. Example configs,
 SQL tables and keepalived scripts are in
 /usr/share/kamailio/ims_ipsec_failover; ipsec-failover-keys makes key
 files and derives the S-CSCF's verify-only keys.
EOF
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "$out"
