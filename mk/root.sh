#!/bin/bash
# Makes, or reuses, the root of a target distribution: a Debian tree made by
# debootstrap with that distribution's Kamailio, IMS modules, build tools and
# test tools (mk/targets/packages). The build, the unit tests and the test
# bed all run in it, so each target is tested on its own packages.
#
#   mk/root.sh TARGET         the full root, build/roots/TARGET
#   mk/root.sh TARGET clean   a bare root (minbase only), build/roots/TARGET-clean,
#                             for installing the .deb as an admin would
#
# Prints the root's path. A root is reused while its stamp (the target's
# definition, the package list and this script) matches; otherwise it is
# made again. DEBIAN_MIRROR overrides the archive (default deb.debian.org).
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."

die() {
	echo "root: $*" >&2
	exit 1
}

target=${1:-}
kind=${2:-full}
[ -n "$target" ] || die "usage: mk/root.sh TARGET [clean]"
def=mk/targets/$target
[ -f "$def" ] || die "unknown target '$target' (known: $(cd mk/targets && ls | grep -v packages | tr '\n' ' '))"
# shellcheck source=targets/trixie
. "./$def"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

case $kind in
full)
	dir=build/roots/$target
	pkgs=$(sed 's/#.*//' mk/targets/packages | xargs | tr ' ' ',')
	;;
clean)
	dir=build/roots/$target-clean
	pkgs=ca-certificates
	;;
*) die "kind must be full or clean, not '$kind'" ;;
esac
stamp=$(cat "$def" mk/targets/packages "$0" | sha256sum | cut -c1-16)-$kind

if [ -f "$dir/.ifo-root" ] && [ "$(cat "$dir/.ifo-root")" = "$stamp" ]; then
	echo "$PWD/$dir"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "making a root needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap missing: run 'make deps'"

echo "root: making the $SUITE root for target $target ($kind) in $dir" >&2
start=$(date +%s)
rm -rf "$dir" "$dir.new"
mkdir -p "$dir.new"
if ! debootstrap --variant=minbase --include="$pkgs" "$SUITE" "$dir.new" \
	"$mirror" >"$dir.new.log" 2>&1; then
	tail -n 20 "$dir.new.log" >&2
	die "debootstrap $SUITE failed (all of it in $dir.new.log)"
fi
# Source entries of the same archive and suite: the build fetches the
# distribution's own Kamailio source (mk/kamailio-src.sh).
echo "deb-src $mirror $SUITE main" >>"$dir.new/etc/apt/sources.list"
if ! chroot "$dir.new" apt-get update -q >"$dir.new.log" 2>&1; then
	tail -n 20 "$dir.new.log" >&2
	die "apt-get update in the $SUITE root failed (all of it in $dir.new.log)"
fi
# No service starts by itself in the root: the tests start what they need.
printf '#!/bin/sh\nexit 101\n' >"$dir.new/usr/sbin/policy-rc.d"
chmod 755 "$dir.new/usr/sbin/policy-rc.d"
rm -f "$dir.new.log"
echo "$stamp" >"$dir.new/.ifo-root"
mv "$dir.new" "$dir"
echo "root: $target ($kind) ready in $(($(date +%s) - start)) s" >&2
echo "$PWD/$dir"
