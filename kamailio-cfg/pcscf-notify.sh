#!/bin/sh
# keepalived notify script for the P-CSCF pool: records every VRRP state
# change of this node in STATEDIR/vrrp-state (the state) and
# STATEDIR/vrrp.log (one line per change).
# Usage (keepalived appends the last four): pcscf-notify.sh NODE STATEDIR
#   TYPE NAME STATE PRIORITY
# SPDX-License-Identifier: GPL-2.0-or-later
node=$1
dir=$2
state=$5
[ -d "$dir" ] || mkdir -p "$dir"
echo "$state" >"$dir/vrrp-state"
echo "$(date +%s.%N) $node $state" >>"$dir/vrrp.log"
logger -t pcscf-notify "$node is now $state" 2>/dev/null
# With ims_ipsec_failover, a node that becomes MASTER takes over its peer's
# UEs here (the takeover RPC of the module).
exit 0
