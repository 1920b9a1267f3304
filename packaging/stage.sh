#!/bin/bash
# Lays out what both packages ship under DESTDIR: the modules in MODDIR,
# ipsec-failover-keys, the example configs, SQL tables and keepalived
# scripts under /usr/share/kamailio/ims_ipsec_failover, the documentation
# under DOCDIR, the module's state directory; binaries stripped. Run in a target's tree, in its root.
#   packaging/stage.sh DESTDIR MODDIR DOCDIR
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
root=$1 moddir=$2 docdir=$3
share=$root/usr/share/kamailio/ims_ipsec_failover
doc=$root$docdir

rm -rf "$root"
make -s -f mk/build.mk install DESTDIR="$root" MODDIR="$moddir"
install -d "$share/sql" "$share/cfg" "$share/keepalived" "$doc"
install -m 0644 kamailio-cfg/sql/*.sql "$share/sql/"
install -m 0644 kamailio-cfg/pcscf.cfg kamailio-cfg/scscf.cfg "$share/cfg/"
install -m 0644 kamailio-cfg/keepalived/keepalived-pcscf.conf \
	kamailio-cfg/keepalived/keepalived-pcscf-active-active.conf "$share/keepalived/"
install -m 0755 kamailio-cfg/keepalived/ipsec-failover-notify \
	kamailio-cfg/keepalived/pcscf-notify.sh kamailio-cfg/keepalived/pcscf-alive.sh \
	"$share/keepalived/"
install -m 0644 README.md docs/deployment.md docs/ims_ipsec_failover.xml \
	docs/ims_ipsec_failover_scscf.xml "$doc/"
# spi_state_file's default directory (the packages give it to kamailio)
install -d -m 0750 "$root/var/lib/kamailio-ims-ipsec-failover"
strip --strip-unneeded "$root$moddir/"*.so "$root/usr/bin/ipsec-failover-keys"
