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

if [ ! -f "$stamp" ]; then
	rm -rf "$dir" "$dir.dl"
	mkdir -p "$dir.dl"
	echo "kamailio-src: fetching kamailio=$debver source (apt-get source)"
	if ! (cd "$dir.dl" && apt-get source -q --download-only \
			"kamailio=$debver" >/dev/null 2>&1); then
		echo "kamailio-src: 'apt-get source kamailio=$debver' failed." >&2
		echo "  Add a deb-src entry for your Debian suite and run" \
			"'apt-get update' ('make deps' does both)." >&2
		exit 1
	fi
	(cd "$dir.dl" && dpkg-source -q -x ./*.dsc src >/dev/null 2>&1)
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
