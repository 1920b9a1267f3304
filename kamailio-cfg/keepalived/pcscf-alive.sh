#!/bin/sh
# keepalived check: is this node's Kamailio (P-CSCF) running, and, with
# CTL, does it answer? A pid alone misses a hung Kamailio (a stopped or
# deadlocked process still exists), which then keeps the virtual IP
# while serving nobody; an RPC through its ctl socket catches that.
# Usage: pcscf-alive.sh PIDFILE [CTL]   (CTL e.g. unix:/run/kamailio/kamailio_ctl)
# SPDX-License-Identifier: GPL-2.0-or-later
[ -r "$1" ] || exit 1
read -r pid <"$1" || exit 1
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || exit 1
[ -z "$2" ] && exit 0
# shorter than the vrrp_script timeout, so that keepalived sees our answer
timeout 2 kamcmd -s "$2" core.uptime >/dev/null 2>&1
