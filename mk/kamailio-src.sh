#!/bin/bash
# Fetch the Kamailio source that matches the installed kamailio package and
# configure it with Debian's build flags, so out-of-tree modules built
# against it carry the same module_version/module_flags as the core.
# Fetched once into $BUILD/kamailio-<debversion>; reruns only verify.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

BUILD=${1:-build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

debver=$(dpkg-query -W -f '${Version}' kamailio 2>/dev/null) || {
	echo "kamailio-src: the kamailio package is not installed;" \
		"run 'make deps' (as root) first" >&2
	exit 1
}
dir="$BUILD/kamailio-$debver"
stamp="$dir/.configured"

# unpack_dsc (in the download directory): what dpkg-source -x does for a
# "3.0 (quilt)" source whose .dsc names a file the archive does not have:
# every tarball present must match the .dsc's SHA-256, then the upstream
# tarball, the debian/ tarball and the Debian patches make src/.
unpack_dsc() {
	local dsc sum size name orig deb p
	dsc=$(ls ./*.dsc)
	grep -q '^Format: 3.0 (quilt)' "$dsc" || return 1
	while read -r sum size name; do
		[ -f "$name" ] || continue
		echo "$sum  $name" | sha256sum -c --quiet - || return 1
	done < <(sed -n '/^Checksums-Sha256:/,/^[^ ]/{/^ /p}' "$dsc")
	orig=$(ls ./*.orig.tar.* | grep -v '\.asc$')
	deb=$(ls ./*.debian.tar.*)
	mkdir src
	tar -xf "$orig" -C src --strip-components=1
	tar -xf "$deb" -C src
	if [ -f src/debian/patches/series ]; then
		sed 's/#.*//' src/debian/patches/series | while read -r p; do
			[ -n "$p" ] || continue
			patch -s -d src -p1 <"src/debian/patches/$p" || exit 1
		done || return 1
	fi
	echo "kamailio-src: unpacked $dsc by hand (tarballs checked against it)"
}

if [ ! -f "$stamp" ]; then
	rm -rf "$dir" "$dir.dl"
	mkdir -p "$dir.dl"
	echo "kamailio-src: fetching kamailio=$debver source (apt-get source)"
	# apt checks the .dsc against the signed Sources index. The archive
	# lacks an upstream signature file that trixie's .dsc names
	# (kamailio_6.0.1.orig.tar.gz.asc), so apt-get source fails and
	# dpkg-source refuses the tree although the tarballs are there:
	# unpack_dsc then checks them against the .dsc and unpacks them itself.
	(cd "$dir.dl" && apt-get source -q --download-only \
		"kamailio=$debver" >apt.log 2>&1) || true
	if ! (cd "$dir.dl" && ls ./*.dsc >/dev/null 2>&1 &&
		{ dpkg-source -q -x ./*.dsc src >dpkg-source.log 2>&1 || unpack_dsc; }); then
		for log in "$dir.dl/apt.log" "$dir.dl/dpkg-source.log"; do
			[ ! -f "$log" ] || sed 's/^/  /' "$log" >&2
		done
		echo "kamailio-src: cannot fetch and unpack kamailio=$debver source." >&2
		echo "  It needs a deb-src entry for your Debian suite and" \
			"'apt-get update' (mk/root.sh sets up both in a target root)." >&2
		exit 1
	fi
	mv "$dir.dl/src" "$dir"
	rm -rf "$dir.dl"
	# Debian's own flags (debian/rules passes the same ones) keep the
	# compile-flags string identical to the packaged core's.
	(cd "$dir" && make -s cfg prefix=/usr cfg_target=/etc/kamailio/ \
		FLAVOUR=kamailio LIBDIR="lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)" \
		CC_EXTRA_OPTS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS) -DVERSION_NODATE" \
		LD_EXTRA_OPTS="$(dpkg-buildflags --get LDFLAGS)" \
		group_include=kstandard >/dev/null)
	touch "$stamp"
fi
ln -sfn "kamailio-$debver" "$BUILD/kamailio"
