/*
 * State the module's processes share: the record generation clock, the
 * takeover requests waiting for the takeover process, the one running
 * now (with its progress), the last ones that ended, and the restart
 * recovery's state.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SHARED_H
#define IFO_SHARED_H

#include <stdint.h>
#include <time.h>

#include "ifo_takeover.h"

/* In shared memory, before the fork (mod_init). 0 or -1. */
int ifo_shared_init(void);

/* A new record generation: wall-clock microseconds, strictly increasing
 * across every process of this node (and across restarts, with a clock
 * that does not go back), so newer records of a UE win across the pool
 * as long as clocks are synchronised. */
uint64_t ifo_next_generation(void);

/* Takeover requests waiting, and ended takeovers kept for
 * ims_ipsec_failover.takeover_status. */
#define IFO_QUEUE_MAX 8
#define IFO_HISTORY 8

typedef enum ifo_run_state
{
	IFO_RUN_UNKNOWN = 0, /* no such id (or too old to be kept) */
	IFO_RUN_QUEUED,
	IFO_RUN_RUNNING,
	IFO_RUN_DONE,	/* every S-CSCF answered (UEs may still have failed) */
	IFO_RUN_FAILED, /* refused, or some S-CSCF could not be asked */
} ifo_run_state_t;

/* One takeover, asked for by RPC or run by the restart recovery. */
typedef struct ifo_run
{
	unsigned int id; /* 1, 2, ... since this start */
	char node[IFO_NODE_MAX + 1];
	int restart; /* this node's own records, after a restart */
	int moves;	 /* records of this node's moved to run.node (ifo_worker.c) */
	ifo_run_state_t state;
	int pid; /* the process running it */
	time_t queued, started, ended;
	ifo_report_t rep; /* progress while running, outcome once ended */
} ifo_run_t;

/* Asks for a takeover of node. A request for the node a queued or
 * running takeover is about joins it: 1, *run is that one; so does, with
 * within > 0, one for the node whose last takeover ended and had been
 * queued at most within seconds ago. Else queued: 0, *run is the new
 * request. -1 when the queue is full or before ifo_shared_init. */
int ifo_takeover_request(const char *node, int within, ifo_run_t *run);

/* The takeover process: the oldest queued request, 1, or 0 if none. */
int ifo_takeover_pop(ifo_run_t *run);

/* Starts the takeover run (id 0: a new id is given, for one that was not
 * queued), unless one is running on this node: 1 when the caller may go
 * on (it must call ifo_takeover_end()), 0 when busy (*busy tells which),
 * -1 before ifo_shared_init. */
int ifo_takeover_begin(ifo_run_t *run, ifo_run_t *busy);
/* The running one's report so far (after each page). */
void ifo_takeover_progress(const ifo_report_t *rep);
/* Ends it with its outcome (rc as ifo_takeover()'s). */
void ifo_takeover_end(const ifo_report_t *rep, int rc);

/* The takeover with this id (0: the running one, else the last ended):
 * its state, *run filled unless IFO_RUN_UNKNOWN. */
ifo_run_state_t ifo_takeover_find(unsigned int id, ifo_run_t *run);

/* 1 with *running filled while a takeover runs, else 0; *last gets the
 * last one that ended, runs after a moves report left out (id 0 if
 * none); *queued the number waiting. Any pointer may be NULL. */
int ifo_takeover_state(ifo_run_t *running, ifo_run_t *last, int *queued);

/* Restart recovery, as the takeover process sees it. */
typedef enum ifo_recovery_state
{
	IFO_RECOVERY_OFF = 0, /* recover_on_start 0, or no scscf */
	IFO_RECOVERY_PENDING, /* not every S-CSCF answered yet */
	IFO_RECOVERY_DONE,
} ifo_recovery_state_t;

void ifo_recovery_set(ifo_recovery_state_t state, int attempts);
ifo_recovery_state_t ifo_recovery_get(int *attempts);

#endif
