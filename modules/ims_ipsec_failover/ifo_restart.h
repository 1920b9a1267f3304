/*
 * Restart recovery: a P-CSCF that comes back with the same node id has
 * lost every SA (ims_ipsec_pcscf flushes them at start-up) and contact; a
 * dedicated process takes its own records back from the S-CSCFs, with no
 * RPC needed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_RESTART_H
#define IFO_RESTART_H

/* mod_init: reserves the recovery process when recover_on_start is set. */
int ifo_restart_init(void);

/* child_init(PROC_MAIN): forks it. */
int ifo_restart_fork(void);

#endif
