#!/bin/bash
# Harness self-test: checks what test/uml/run promises a guest script:
# arguments, working directory, environment, private mounts, modules.
# Expects to be called with the arguments "a b" and "c".
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd -P)
assert_eq "$#" 2 "two arguments"
assert_eq "${1-}" "a b" "first argument keeps its space"
assert_eq "${2-}" "c" "second argument"
assert_eq "$(pwd -P)" "$(cd "$here/../../.." && pwd -P)" "working directory is the repository"
assert_eq "${UML_GUEST-}" 1 "UML_GUEST is set"
assert_eq "${CI-unset}" "${TEST_EXPECT_CI-unset}" "CI passed through"
assert_eq "$(id -u)" 0 "running as root"
assert_eq "$(stat -f -c %T /tmp)" tmpfs "/tmp is the guest's tmpfs"
assert_eq "$(stat -f -c %T /run)" tmpfs "/run is the guest's tmpfs"
assert_eq "$(stat -f -c %T /)" hostfs "/ is the host's root over hostfs"
for m in esp4 esp6 xfrm_user veth; do
	assert_eq "$(test -d "/sys/module/$m" && echo loaded)" loaded "module $m loaded"
done
# vrf is not preloaded: the kernel must find it through its modprobe helper.
if ip link add vrf0 type vrf table 10 && [ -d /sys/module/vrf ]; then
	pass "kernel loads modules on demand (vrf)"
else
	fail "kernel loads modules on demand (vrf)"
fi
if modprobe ip_gre && [ -d /sys/module/ip_gre ]; then
	pass "modprobe in PATH finds the UML modules (ip_gre)"
else
	fail "modprobe in PATH finds the UML modules (ip_gre)"
fi
summary
