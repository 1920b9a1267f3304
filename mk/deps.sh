#!/bin/bash
# Install, idempotently, every system package the build, the tests and the
# demo need, and the deb-src entry 'apt-get source kamailio' needs. Quick
# when everything is already there: it only asks dpkg.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

PKGS="kamailio kamailio-ims-modules kamailio-sqlite-modules
kamailio-xml-modules kamailio-postgres-modules kamailio-extra-modules
kamailio-presence-modules
libmnl-dev libssl-dev libxml2-dev check pkg-config build-essential
dpkg-dev bison flex sqlite3 sip-tester user-mode-linux kmod iproute2
iputils-ping keepalived procps psmisc valgrind postgresql python3 jq"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done

have_src() {
	grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources
}

need_update=""
if ! have_src; then
	[ "$(id -u)" = 0 ] || { echo "deps: need root to add deb-src" >&2; exit 1; }
	# Mirror the configured binary sources as source ones, so the source
	# comes from the same archive and suite as the installed packages.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -q '^Types:.*\bdeb\b' "$f" || continue
		sed 's/^Types:.*/Types: deb-src/' "$f" \
			> "/etc/apt/sources.list.d/ims-failover-src-$(basename "$f")"
	done
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list \
			> /etc/apt/sources.list.d/ims-failover-src.list
	fi
	need_update=1
fi

if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || {
		echo "deps: missing packages:$missing (run as root)" >&2
		exit 1
	}
	need_update=1
fi
if [ -n "$need_update" ]; then
	apt-get update -q >/dev/null
fi
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	# Services are started by the tests themselves, never by the packages.
	DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q \
		--no-install-recommends $missing >/dev/null
fi
echo "deps: all packages present"
