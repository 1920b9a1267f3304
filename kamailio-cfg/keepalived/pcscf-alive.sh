#!/bin/sh
# keepalived check: is this node's Kamailio (P-CSCF) running?
# Usage: pcscf-alive.sh PIDFILE
# SPDX-License-Identifier: GPL-2.0-or-later
[ -r "$1" ] || exit 1
read -r pid <"$1" || exit 1
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
