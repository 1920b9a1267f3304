#!/bin/sh
# keepalived notify script for the P-CSCF pool: records every VRRP state
# change of this node in STATEDIR/vrrp-state (the state) and
# STATEDIR/vrrp.log (one line per change).
# On becoming MASTER it takes the peers' UEs over (ipsec-failover-notify,
# next to this script), through the Kamailio control socket
# STATEDIR/ctl.sock; without ims_ipsec_failover that RPC just fails.
# Usage (keepalived appends the last four): pcscf-notify.sh NODE STATEDIR
#   PEER_NODE[,PEER_NODE...] TYPE NAME STATE PRIORITY
# (a pool of more than two members names every other member of the
# address; a takeover of a member the S-CSCF lists no UEs for is empty)
# SPDX-License-Identifier: GPL-2.0-or-later
node=$1
dir=$2
peer=$3
state=$6
[ -d "$dir" ] || mkdir -p "$dir"
echo "$state" >"$dir/vrrp-state"
echo "$(date +%s.%N) $node $state" >>"$dir/vrrp.log"
# the takeover first: every process started before it delays the UEs
if [ "$state" = MASTER ]; then
	# one word per peer, split by the shell (no process to start)
	ifs=$IFS
	IFS=,
	# shellcheck disable=SC2086
	set -- $peer
	IFS=$ifs
	"${0%/*}/ipsec-failover-notify" -s "unix:$dir/ctl.sock" "$@" \
		>>"$dir/vrrp.log" 2>&1
fi
logger -t pcscf-notify "$node is now $state" 2>/dev/null
exit 0
