#!/bin/bash
set -u
export BED_UES=${BED_UES:-3}
. "$(dirname "$0")/../lib/bed.sh"
. "$REPO/test/uml/lib.sh"

trap 'bed_down' EXIT
bed_up || { bed_diag; exit 1; }
read -r s f < <(ues_register $(ue_list))
echo "register: $s ok $f failed"
ip -n pcscf1 xfrm state count
ip -n ue xfrm state count
kam_cmd hss stats.get_statistics all | grep hss_
bed_diag
