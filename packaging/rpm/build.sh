#!/bin/bash
# Builds the rpm of both modules with rpmbuild, in the target root it runs
# in (`make rpm`), for that root's Kamailio version:
#   build/TARGET/kamailio-ims-ipsec-failover-<v>-1.<arch>.rpm
# Modules go to /usr/lib64/kamailio/modules, where Kamailio's own rpm
# packages keep theirs. Prints the rpm's path.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/../.."

PKG=kamailio-ims-ipsec-failover
version=$(cat VERSION)
outdir=${IFO_PKG_DIR:-$(cd .. && pwd)}
stage=$outdir/rpm-stage
top=$outdir/rpmbuild
# The upstream version: what Kamailio's rpm packages carry as Version.
kver=$(kamailio -v | sed -n 's/^version: kamailio \([0-9.]*\) .*/\1/p')
[ -n "$kver" ] || {
	echo "rpm: cannot read the Kamailio version from kamailio -v" >&2
	exit 1
}

packaging/stage.sh "$stage" /usr/lib64/kamailio/modules "/usr/share/doc/$PKG"
cat >"$stage/usr/share/doc/$PKG/copyright" <<EOT
$PKG: IPsec SA failover for Kamailio's IMS P-CSCF.
License: GPL-2.0-or-later
EOT
rm -rf "$top"
mkdir -p "$top"
rpmbuild -bb --quiet --define "_topdir $top" --define "stage $stage" \
	--define "version $version" --define "kamailio_version $kver" \
	packaging/rpm/$PKG.spec >"$outdir/rpmbuild.log" 2>&1 || {
	tail -n 20 "$outdir/rpmbuild.log" >&2
	exit 1
}
rpm=$(find "$top/RPMS" -name "$PKG-$version-*.rpm" | head -n 1)
mv "$rpm" "$outdir/"
echo "$outdir/$(basename "$rpm")"
