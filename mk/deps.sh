#!/bin/bash
# Host set-up, idempotent: the two host packages the project needs
# (debootstrap makes the target roots, user-mode-linux boots them with
# ESP), then the root of each target named (mk/root.sh). Everything else -
# Kamailio, compilers, sipp, keepalived, databases - lives in those roots.
# Quick when all is there: it only asks dpkg and checks the roots' stamps.
#   mk/deps.sh TARGET...
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."

HOST_PKGS="debootstrap user-mode-linux"

missing=""
for p in $HOST_PKGS; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || {
		echo "deps: missing host packages:$missing (run as root)" >&2
		exit 1
	}
	echo "deps: installing$missing"
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null
fi
# The roots are independent downloads: made side by side.
pids=""
for t in "$@"; do
	mk/root.sh "$t" >/dev/null &
	pids="$pids $!"
done
fail=0
for p in $pids; do
	wait "$p" || fail=1
done
[ "$fail" = 0 ] || {
	echo "deps: a target root could not be made" >&2
	exit 1
}
echo "deps: host packages and roots ($*) present"
