# shellcheck shell=bash
# IMS test bed: address plan, paths and small helpers shared by every part.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the bed scripts inside user-mode-linux. Everything the bed
# creates lives in network namespaces, under /run/bed (tmpfs) and under
# $BED_OUT (logs), so tearing down is removing those.

BED_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BED_DIR=$(cd "$BED_LIB/.." && pwd)
REPO=$(cd "$BED_DIR/../.." && pwd)
BED_CFG=$REPO/kamailio-cfg
BED_RUN=${BED_RUN:-/run/bed}
BED_OUT=${BED_OUT:-$REPO/test/out/bed}
KAM_MODULES=${KAM_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}
MILENAGE=$REPO/test/hss/milenage/milenage-vector
KEYTOOL=$REPO/utils/keys/ipsec-failover-keys

# Size of the bed: UEs that register, subscribers the HSS knows.
BED_UES=${BED_UES:-5}
BED_SUBSCRIBERS=${BED_SUBSCRIBERS:-$((BED_UES > 100 ? BED_UES : 100))}
# AKA vectors the HSS holds per subscriber: one per (re-)registration.
BED_HSS_VECTORS=${BED_HSS_VECTORS:-12}
# UE address family: 4 now; 6 gives every node an IPv6 address too and
# puts the UEs on IPv6 (the P-CSCFs then also listen on BED_VIP6).
BED_UE_FAMILY=${BED_UE_FAMILY:-4}

# Our modules are loaded only when asked (the bed works without them).
BED_FAILOVER=${BED_FAILOVER:-0}

# --- Address plan -------------------------------------------------------
# One L2 segment (bridge br-ims in the guest's root namespace). The UE
# namespace routes for every UE address: the UEs sit behind it like behind
# a PGW, so the core nodes hold one neighbour entry whatever the UE count.
BED_BRIDGE=br-ims
BED_NET4=10.100.0          # core /24
BED_NET6=fd00:100::        # core /64
BED_UENET4=10.101          # UE /16, addresses 10.101.H.L
BED_UENET6=fd00:101::      # UE /64
declare -A BED_IP4=(
	[ue]=$BED_NET4.2 [pcscf1]=$BED_NET4.11 [pcscf2]=$BED_NET4.12
	[pcscf1b]=$BED_NET4.13 [pcscf2a]=$BED_NET4.14 [pcscf3]=$BED_NET4.15
	[scscf]=$BED_NET4.20 [hss]=$BED_NET4.30
)
declare -A BED_IP6=(
	[ue]=${BED_NET6}2 [pcscf1]=${BED_NET6}11 [pcscf2]=${BED_NET6}12
	[pcscf1b]=${BED_NET6}13 [pcscf2a]=${BED_NET6}14 [pcscf3]=${BED_NET6}15
	[scscf]=${BED_NET6}20 [hss]=${BED_NET6}30
)
# The virtual addresses UEs register through: A (pcscf.ims.test), and in
# the active-active layout also B (pcscf-b.ims.test).
BED_VIP4=$BED_NET4.10
BED_VIP6=${BED_NET6}10
BED_VIPB4=$BED_NET4.9
BED_VIPB6=${BED_NET6}9
BED_DOMAIN=ims.test
# BED_LAYOUT: "pair" (default) is one pool of two P-CSCFs behind A:
# pcscf1 serves, pcscf2 stands by. "active-active" (see
# docs/deployment.md): one P-CSCF instance per served address, each in a
# namespace of its own, as on three hosts:
#   host 1: pcscf1 serves A, pcscf1b stands by for B
#   host 2: pcscf2 serves B, pcscf2a stands by for A
#   host 3: pcscf3, a second standby for A
# VRRP keeps A on one of pcscf1/pcscf2a/pcscf3, B on pcscf2/pcscf1b
# (kamailio-cfg/keepalived/keepalived-pcscf-active-active.conf).
BED_LAYOUT=${BED_LAYOUT:-pair}
# BED_PEERS: the other members for a node's address, which it takes over
# when it gains the address (takeover_peer, as keepalived's notify would).
if [ "$BED_LAYOUT" = active-active ]; then
	BED_PCSCFS="pcscf1 pcscf2 pcscf1b pcscf2a pcscf3"
	declare -A BED_SERVES=([pcscf1]=A [pcscf2a]=A [pcscf3]=A [pcscf2]=B [pcscf1b]=B)
	declare -A BED_PEERS=([pcscf1]=pcscf2a,pcscf3 [pcscf2a]=pcscf1,pcscf3
		[pcscf3]=pcscf1,pcscf2a [pcscf2]=pcscf1b [pcscf1b]=pcscf2)
else
	BED_PCSCFS="pcscf1 pcscf2"
	declare -A BED_SERVES=([pcscf1]=A [pcscf2]=A)
	declare -A BED_PEERS=([pcscf1]=pcscf2 [pcscf2]=pcscf1)
fi
BED_NODES="ue $BED_PCSCFS scscf hss"

# Ports. UEs all use the same port numbers (each has its own address).
SCSCF_PORT=6060
AS_PORT=5070          # test application server (sipp) on the S-CSCF node
NET_UAC_PORT=5071     # sipp sending network-originated requests
HSS_DIAMETER_PORT=3868
UE_SERVER_PORT=5064   # port-s of every UE (fixed for the registration)
UE_CLIENT_BASE=5100   # port-c of generation g is UE_CLIENT_BASE + g
UE_AGENT_PORT=5080    # the UE agent's sipp-facing socket on 127.0.0.1
UE_SIPP_UAC_PORT=5090 # sipp UAC instances in the UE namespace
UE_SIPP_UAS_PORT=5091 # sipp UAS answering network-originated requests
IPSEC_CLIENT_PORT=${IPSEC_CLIENT_PORT:-10000}
IPSEC_SERVER_PORT=${IPSEC_SERVER_PORT:-20000}
# Kamailio 6.0 (KAMAILIO_GEN, set by test/uml/run): UEs share the
# protected ports and one receiver serves them all, so a few do.
# Kamailio 5.6: each registration holds one client and one server port; a
# re-registration a second client port until the old contact expires.
# Every port is a socket with its own process: a UML kernel running a
# few hundred of them per P-CSCF slows down enough to lose VRRP checks.
if [ "${KAMAILIO_GEN:-}" = 6.0 ]; then
	IPSEC_MAX_CONN=${IPSEC_MAX_CONN:-16}
else
	IPSEC_MAX_CONN=${IPSEC_MAX_CONN:-$((2 * BED_UES + 8))}
fi
# Disjoint SPI ranges per pool member.
declare -A BED_SPI_START=([pcscf1]=100000 [pcscf2]=600000 [pcscf1b]=1100000
	[pcscf2a]=1600000 [pcscf3]=2100000)
BED_SPI_RANGE=${BED_SPI_RANGE:-400000}

# Subscribers: IMPI ueNNNNNN@ims.test. sipp 3.6 takes aka_K/aka_OP/aka_AMF
# as raw characters, so the keys are printable 16-character strings.
BED_OP_TEXT='bed-operator-op!'
BED_AMF_TEXT='IM'

# ue_name IDX: subscriber user part, e.g. ue000001
ue_name() { printf 'ue%06d' "$1"; }
# ue_k_text IDX: the subscriber's K as text (16 characters)
ue_k_text() { printf 'bed-k-%010d' "$1"; }
# ue_ip IDX: the UE's address in the UE address family (IDX from 1)
ue_ip() {
	local a
	ue_ip_to a "$1"
	printf '%s' "$a"
}
# ue_ip_to VAR IDX: the same into VAR, without the fork of a $(...)
ue_ip_to() {
	if [ "$BED_UE_FAMILY" = 6 ]; then
		printf -v "$1" '%s%x' "$BED_UENET6" "$2"
	else
		printf -v "$1" '%s.%d.%d' "$BED_UENET4" $(($2 / 250)) $(($2 % 250 + 1))
	fi
}
# ue_ip_uri IDX: the address as it goes into a SIP URI
ue_ip_uri() {
	if [ "$BED_UE_FAMILY" = 6 ]; then
		printf '[%s]' "$(ue_ip "$1")"
	else
		ue_ip "$1"
	fi
}
# bed_vip [A|B]: a virtual address in the UEs' family (default A)
bed_vip() {
	case ${1:-A}$BED_UE_FAMILY in
	A6) echo "$BED_VIP6" ;;
	B6) echo "$BED_VIPB6" ;;
	B4) echo "$BED_VIPB4" ;;
	*) echo "$BED_VIP4" ;;
	esac
}
# bed_vip_host A|B: the P-CSCF name of a virtual address (Path, hosts)
bed_vip_host() {
	if [ "$1" = B ]; then echo "pcscf-b.$BED_DOMAIN"; else echo "pcscf.$BED_DOMAIN"; fi
}
# The last UE that registers through A: all of them in the pair layout,
# the first half (rounded up) when active-active; the rest use B.
if [ "$BED_LAYOUT" = active-active ]; then
	BED_LAST_A=$(((BED_UES + 1) / 2))
else
	BED_LAST_A=$BED_UES
fi
# ue_serving IDX: the virtual address (A or B) UE IDX registers through
ue_serving() {
	if [ "$1" -gt "$BED_LAST_A" ]; then echo B; else echo A; fi
}
# hex TEXT: the bytes of TEXT in hex
hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }

# --- Logging and waiting -------------------------------------------------
bed_log() { printf '[bed %s] %s\n' "$(date +%T)" "$*" >&2; }
bed_die() {
	bed_log "ERROR: $*"
	exit 1
}

# wait_for SECS DESCRIPTION COMMAND...: poll COMMAND every 0.1 s, for at
# most SECS of wall-clock time. Not a count of polls: in a busy guest a
# poll's own processes take longer than its nap, and a 30 s wait for
# something that never happens would last many minutes and use up the
# suite's time before any check could fail.
wait_for() {
	local secs=$1 what=$2 end
	shift 2
	end=$((${EPOCHREALTIME//[!0-9]/} + secs * 1000000))
	while ! "$@" >/dev/null 2>&1; do
		if [ "${EPOCHREALTIME//[!0-9]/}" -ge "$end" ]; then
			bed_log "timed out after ${secs}s waiting for $what"
			return 1
		fi
		nap 0.1
	done
}

# nap SECS: sleep without starting a process (a start costs about 300 ms
# in a busy guest, three times the nap): read with a timeout on a pipe
# that nothing writes to
exec {BED_NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$BED_NAP_FD" _ || true; }

# Seconds since the epoch with milliseconds, and elapsed since a mark.
now_ms() {
	local us=${EPOCHREALTIME//[!0-9]/}
	echo $((us / 1000))
}
since() { echo "$(($(now_ms) - $1)) ms"; }

# tail_logs FILE...: the end of each log, for failure diagnosis
tail_logs() {
	local f
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "----- last lines of ${f#"$REPO"/} -----"
		tail -n "${BED_TAIL_LINES:-25}" "$f"
		# sipp's error file has no final newline; the summary line that
		# follows must start a line of its own for test/run-all.sh
		[ -z "$(tail -c 1 "$f")" ] || echo
	done
}
