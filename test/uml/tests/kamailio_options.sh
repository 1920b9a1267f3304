#!/bin/bash
# Debian's Kamailio starts inside a network namespace with both of our
# modules loaded (after the stock ims_ipsec_pcscf, whose start-up talks
# XFRM netlink), answers a SIP OPTIONS from sipp in another namespace,
# shows our RPC status, passes the keepalived alive check (and fails it
# with the ctl socket when hung), and stops cleanly on SIGTERM.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run inside user-mode-linux: test/uml/run test/uml/tests/kamailio_options.sh
set -eu

# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$(dirname "$0")/../lib.sh"

if [ -z "${UML_GUEST:-}" ]; then
	echo "kamailio_options.sh: run me through test/uml/run" >&2
	exit 2
fi

repo=$PWD
rundir=/run/kamailio-options
out=$repo/test/out/uml-kamailio-options
mkdir -p "$rundir" "$out"
mpath="$repo/modules:/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/kamailio/modules"

# A key ring, so the module reports a loaded active key.
printf 'k1 %s active\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	>"$rundir/keys"
chmod 600 "$rundir/keys"

netns_pair kam ue 10.99.0.1/24 10.99.0.2/24

ip netns exec kam kamailio -f "$repo/test/uml/kamailio/options.cfg" \
	-L "$mpath" -P "$rundir/kamailio.pid" -Y "$rundir" -E \
	>"$out/kamailio.log" 2>&1 &
starter=$!

# kamailio forks into the background; wait for its control socket.
for _ in $(seq 1 100); do
	[ -S "$rundir/ctl.sock" ] && break
	sleep 0.1
done
wait "$starter" || true
if [ -S "$rundir/ctl.sock" ]; then
	pass "kamailio started with ims_ipsec_failover and ims_ipsec_failover_scscf"
else
	fail "kamailio did not start"
	tail -30 "$out/kamailio.log"
	summary
	exit 1
fi
kpid=$(cat "$rundir/kamailio.pid")

if ip netns exec ue sipp -sf "$repo/test/sipp/options.xml" -m 1 \
	-i 10.99.0.2 -p 5070 10.99.0.1:5060 -timeout 10 -timeout_error \
	-trace_err -error_file "$out/sipp-errors.log" -nostdin \
	>"$out/sipp.log" 2>&1; then
	pass "sipp OPTIONS answered with 200 OK"
else
	fail "sipp OPTIONS not answered (exit $?)"
	tail -20 "$out/sipp.log" "$out/kamailio.log"
fi

status=$(kamcmd -s "unix:$rundir/ctl.sock" ims_ipsec_failover.status 2>&1 || true)
printf '%s\n' "$status" >"$out/status.txt"
assert_eq "$(awk '/node_id:/ {print $2}' <<<"$status")" "pcscf-test" \
	"RPC ims_ipsec_failover.status reports the node id"
assert_eq "$(awk '/active_key_id:/ {print $2}' <<<"$status")" "k1" \
	"RPC ims_ipsec_failover.status reports the active key id"

# The keepalived check: alive, then hung (every process stopped: the pid
# is still there, only the RPC notices), then alive again.
alive="$repo/kamailio-cfg/keepalived/pcscf-alive.sh"
ctl="unix:$rundir/ctl.sock"
# check [ARGS...]: the script's exit status (set -e must not end the test)
check() {
	"$alive" "$@" && echo 0 || echo $?
}
assert_eq "$(check "$rundir/kamailio.pid" "$ctl")" "0" \
	"pcscf-alive.sh: a running Kamailio is alive"
pg=$(ps -o pgid= -p "$kpid" | tr -d ' ')
kill -STOP -- "-$pg"
r_pid=$(check "$rundir/kamailio.pid")
t0=$(date +%s%N)
r_ctl=$(check "$rundir/kamailio.pid" "$ctl")
t_ctl=$((($(date +%s%N) - t0) / 1000000))
kill -CONT -- "-$pg"
assert_eq "$r_pid" "0" "pcscf-alive.sh without CTL: a hung Kamailio still looks alive"
assert_eq "$((r_ctl != 0 && t_ctl < 4000))" "1" \
	"pcscf-alive.sh with CTL: the hung Kamailio fails the check (exit $r_ctl, $t_ctl ms)"
assert_eq "$(check "$rundir/kamailio.pid" "$ctl")" "0" \
	"pcscf-alive.sh: alive again once it runs"
assert_eq "$(check "$rundir/none.pid" "$ctl")" "1" \
	"pcscf-alive.sh: no pid file, not alive"

kill -TERM "$kpid"
for _ in $(seq 1 100); do
	kill -0 "$kpid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$kpid" 2>/dev/null; then
	fail "kamailio still running 10 s after SIGTERM"
	kill -KILL "$kpid" || true
else
	pass "kamailio stopped on SIGTERM"
fi
if grep -qE "CRITICAL|segfault|core dumped" "$out/kamailio.log"; then
	fail "kamailio log shows a crash"
	grep -E "CRITICAL|segfault|core dumped" "$out/kamailio.log" | head -5
else
	pass "no crash in the kamailio log"
fi

summary
