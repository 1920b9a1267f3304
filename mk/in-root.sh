#!/bin/bash
# Runs a command inside a target root (mk/root.sh), as root, in the
# current directory (the repository is visible there at the same path; from
# outside it, the repository) with TARGET and KAMAILIO_GEN set. The mounts it needs live in a private mount namespace and vanish
# with the command, so two of these can run at once.
#
#   mk/in-root.sh [--clean | --root DIR] TARGET COMMAND [ARGS...]
#     --clean     the target's bare root (mk/root.sh TARGET clean)
#     --root DIR  another tree of that target (a copy of a root)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
workdir=$PWD
cd "$(dirname "$0")/.."
repo=$PWD
case $workdir/ in
"$repo"/*) ;;
*) workdir=$repo ;;
esac

kind=full
root=
case ${1:-} in
--clean)
	kind=clean
	shift
	;;
--root)
	root=$(cd "${2:?--root needs a directory}" && pwd)
	shift 2
	;;
esac
[ $# -ge 2 ] || {
	echo "usage: mk/in-root.sh [--clean | --root DIR] TARGET COMMAND [ARGS...]" >&2
	exit 2
}
target=$1
shift
[ -n "$root" ] || root=$(mk/root.sh "$target" "$kind")
export TARGET=$target
# shellcheck source=targets/trixie
. "mk/targets/$target"
export KAMAILIO_GEN

# The inner shell gets its paths as arguments, never spliced into its text.
exec unshare --mount --propagation private /bin/bash -c '
	set -e
	root=$1 repo=$2 workdir=$3
	shift 3
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
	mkdir -p "$root$repo"
	mount --bind "$repo" "$root$repo"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	exec chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb \
		${CI:+CI=$CI} TARGET="$TARGET" KAMAILIO_GEN="$KAMAILIO_GEN" \
		/bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"
' in-root "$root" "$repo" "$workdir" "$@"
