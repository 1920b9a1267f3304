# shellcheck shell=bash
# IMS test bed: namespaces, the bridge between them, addresses and names.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   ue ---+
#   pcscf1 +--- br-ims (guest root namespace) --- scscf, hss
#   pcscf2 +
#   (active-active: also pcscf1b, pcscf2a, pcscf3)
#
# The UE namespace holds every UE address on a dummy interface and routes
# for them; the P-CSCFs reach the UEs through it. The P-CSCFs may bind the
# virtual IP before they own it (net.ipv4.ip_nonlocal_bind).

# topo_up: create everything; fails if a part already exists.
topo_up() {
	local n ifc
	ip link add "$BED_BRIDGE" type bridge
	# No snooping: VRRP multicast and neighbour discovery just flood.
	echo 0 >"/sys/class/net/$BED_BRIDGE/bridge/multicast_snooping"
	ip link set "$BED_BRIDGE" up
	for n in $BED_NODES; do
		ip netns add "$n"
		ip -n "$n" link set lo up
		ifc=b-$n
		ip link add "$ifc" type veth peer name eth0 netns "$n"
		ip link set "$ifc" master "$BED_BRIDGE" up
		ip -n "$n" addr add "${BED_IP4[$n]}/24" dev eth0
		if [ "$BED_UE_FAMILY" = 6 ]; then
			ip -n "$n" addr add "${BED_IP6[$n]}/64" dev eth0 nodad
		fi
		ip -n "$n" link set eth0 up
	done
	for n in $BED_PCSCFS; do
		ip netns exec "$n" sysctl -qw net.ipv4.ip_nonlocal_bind=1
		if [ "$BED_UE_FAMILY" = 6 ]; then
			ip netns exec "$n" sysctl -qw net.ipv6.ip_nonlocal_bind=1
		fi
	done
	for n in $BED_PCSCFS scscf; do
		topo_routes "$n"
	done
	crypto_warmup
	ip -n ue link add ues type dummy
	ip -n ue link set ues up
	topo_add_ues 1 "$BED_SUBSCRIBERS"
	bed_hosts
}

# topo_routes NODE: NODE's routes to the UEs (again after its link was down)
topo_routes() {
	ip -n "$1" route replace "$BED_UENET4.0.0/16" via "${BED_IP4[ue]}"
	if [ "$BED_UE_FAMILY" = 6 ]; then
		ip -n "$1" route replace "${BED_UENET6}/64" via "${BED_IP6[ue]}"
	fi
}

# crypto_warmup: the first SA with an algorithm makes the kernel load its
# crypto modules (modprobe, seconds under user-mode-linux); do that now,
# not inside the first UE's registration, whose 401 it would delay past
# the P-CSCF's transaction timer.
crypto_warmup() {
	local a e spi=1000
	# one ip run (a process start costs about 300 ms in a busy guest),
	# -force: an algorithm this kernel lacks must not stop the others
	for a in "sha1 0x$(printf '%040d' 0)" "md5 0x$(printf '%032d' 0)"; do
		for e in "cbc(aes) 0x$(printf '%032d' 0)" "cbc(des3_ede) 0x$(printf '%048d' 0)" \
			"ecb(cipher_null) \"\""; do
			spi=$((spi + 1))
			echo "xfrm state add src 127.0.0.1 dst 127.0.0.2 proto esp spi $spi" \
				"mode transport auth-trunc hmac(${a%% *}) ${a#* } 96 enc ${e%% *} ${e#* }"
			echo "xfrm state delete src 127.0.0.1 dst 127.0.0.2 proto esp spi $spi"
		done
	done | ip -force -batch - >/dev/null 2>&1 || true
}

# topo_add_ues FIRST LAST: give UE addresses FIRST..LAST to the UE namespace
topo_add_ues() {
	local i a plen=32
	[ "$BED_UE_FAMILY" = 6 ] && plen=128
	for ((i = $1; i <= $2; i++)); do
		ue_ip_to a "$i"
		if [ "$plen" = 128 ]; then
			echo "addr add $a/128 dev ues nodad"
		else
			echo "addr add $a/32 dev ues"
		fi
	done | ip -n ue -batch -
}

# bed_hosts: names for the nodes. The guest shares the host's /etc through
# hostfs, so a copy with our names is bind-mounted over /etc/hosts in the
# guest's own mount namespace; the host's file is not touched.
bed_hosts() {
	local f=$BED_RUN/hosts fam=4 n
	[ "$BED_UE_FAMILY" = 6 ] && fam=6
	{
		echo "127.0.0.1 localhost"
		echo "::1 localhost ip6-localhost"
		if [ "$fam" = 6 ]; then
			echo "$BED_VIP6 $(bed_vip_host A)"
			echo "$BED_VIPB6 $(bed_vip_host B)"
			echo "${BED_IP6[scscf]} scscf.$BED_DOMAIN"
			echo "${BED_IP6[hss]} hss.$BED_DOMAIN"
		fi
		echo "$BED_VIP4 $(bed_vip_host A)"
		echo "$BED_VIPB4 $(bed_vip_host B)"
		for n in $BED_PCSCFS scscf hss; do
			echo "${BED_IP4[$n]} $n.$BED_DOMAIN"
		done
	} >"$f"
	mountpoint -q /etc/hosts || mount --bind "$f" /etc/hosts
	# Nothing here may wait for a DNS server that does not exist.
	: >"$BED_RUN/resolv.conf"
	mountpoint -q /etc/resolv.conf || mount --bind "$BED_RUN/resolv.conf" /etc/resolv.conf
}

# topo_down: remove namespaces and bridge (processes must be gone).
topo_down() {
	local n
	for n in $BED_NODES; do
		ip netns del "$n" 2>/dev/null || true
	done
	ip link del "$BED_BRIDGE" 2>/dev/null || true
	mountpoint -q /etc/hosts && umount /etc/hosts
	mountpoint -q /etc/resolv.conf && umount /etc/resolv.conf
	return 0
}
