#!/bin/bash
# The bed for exploring by hand: brings it up, registers BED_UES UEs, then
# sources SCENARIO (a bash file of your own, run with every bed function
# at hand: kam_cmd, net_message_to, ues_run, sa_count, kam_kill, ...) or,
# without one, prints a snapshot of the bed. Logs stay in test/out/bed.
#   make testbed [SCENARIO=path/to/file.sh] [BED_UES=n] [BED_FAILOVER=1]
#   test/uml/run --timeout 900 test/bed/explore.sh [SCENARIO]
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
export BED_UES=${BED_UES:-3}

# shellcheck source-path=SCRIPTDIR source=lib/bed.sh
. "$(dirname "$0")/lib/bed.sh"

trap 'bed_down' EXIT
bed_up || {
	bed_diag
	exit 1
}
# shellcheck disable=SC2046
read -r ok ko < <(ues_register $(ue_list))
bed_log "$ok UEs registered, $ko failed"
if [ -n "${1:-}" ]; then
	# shellcheck disable=SC1090
	. "$1"
	exit
fi
for n in pcscf1 pcscf2 scscf hss; do
	echo "--- $n: $(kam_cmd "$n" core.uptime 2>/dev/null | tr -s '\n\t' ' ')"
done
echo "--- virtual IP held by: $(vip_holder)"
echo "--- ESP SAs: pcscf1 $(sa_count pcscf1), pcscf2 $(sa_count pcscf2), UEs $(sa_count ue)"
echo "--- HSS: $(kam_cmd hss stats.get_statistics all 2>/dev/null | grep hss_ | tr -s '\n\t' ' ')"
echo "--- ip -n pcscf1 xfrm policy (first lines):"
ip -n pcscf1 xfrm policy list | head -12
ue_dump && echo "--- UE agent's view:" && jq -c '.ues | to_entries[] | {ue: .key, ip: .value.ip, registered: .value.registered, sa: .value.sa}' "$UE_RUN/dump.json"
