/*
 * The takeover process: takeovers asked for by RPC run here, one after
 * the other, and so does the restart recovery (a P-CSCF that comes back
 * with the same node id has lost every SA and contact; this process takes
 * its own records back from the S-CSCFs, with no RPC needed). The RPC
 * only queues a request and returns, so the ctl process stays free for
 * other commands and health checks while a takeover runs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_WORKER_H
#define IFO_WORKER_H

/* mod_init: reserves the process and its wake-up pipe. */
int ifo_worker_init(void);

/* child_init(PROC_MAIN): forks it. */
int ifo_worker_fork(void);

/* Any process: a request was queued (ifo_takeover_request()). */
void ifo_worker_wake(void);

#endif
