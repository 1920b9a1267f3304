/*
 * RPC commands of ims_ipsec_failover_scscf (list, show, counts).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_RPC_H
#define IFS_RPC_H

/* Register the commands (mod_init). 0 on success. */
int ifs_rpc_init(void);

#endif
