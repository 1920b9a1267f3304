/*
 * State the module's processes share: the record generation clock and the
 * one takeover that may run at a time on this node.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SHARED_H
#define IFO_SHARED_H

#include <stdint.h>
#include <time.h>

/* In shared memory, before the fork (mod_init). 0 or -1. */
int ifo_shared_init(void);

/* A new record generation: wall-clock microseconds, strictly increasing
 * across every process of this node (and across restarts, with a clock
 * that does not go back), so newer records of a UE win across the pool
 * as long as clocks are synchronised. */
uint64_t ifo_next_generation(void);

/* What a running takeover is, for a request that finds one. */
typedef struct ifo_busy
{
	char node[64]; /* the node it takes over (this node's own: restart) */
	int pid;	   /* the process running it */
	time_t since;
} ifo_busy_t;

/* The last takeover that ended on this node. */
typedef struct ifo_last
{
	char node[64];
	time_t ended; /* 0: none yet */
	uint64_t duration_ms;
	int recovered, failed;
} ifo_last_t;

/* Starts a takeover of node, unless one is running on this node: 1 when
 * the caller may go on (it must call ifo_takeover_end()), 0 when busy
 * (*busy tells which), -1 before ifo_shared_init. */
int ifo_takeover_begin(const char *node, ifo_busy_t *busy);
/* Ends it, recording its outcome: UEs recovered, and those that failed
 * here (kernel, usrloc, collisions, claims). */
void ifo_takeover_end(uint64_t usec, int recovered, int failed);

/* 1 with *busy filled while a takeover runs, else 0; *last gets the last
 * one that ended (ended 0 if none). Either pointer may be NULL. */
int ifo_takeover_state(ifo_busy_t *busy, ifo_last_t *last);

#endif
