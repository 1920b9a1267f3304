/*
 * RPC commands of ims_ipsec_failover (kamcmd ims_ipsec_failover.*).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_RPC_H
#define IFO_RPC_H

int ifo_rpc_init(void);

#endif
