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

/* Starts a takeover of node, unless one is running on this node: 1 when
 * the caller may go on (it must call ifo_takeover_end()), 0 when busy
 * (*busy tells which), -1 before ifo_shared_init. */
int ifo_takeover_begin(const char *node, ifo_busy_t *busy);
void ifo_takeover_end(void);

#endif
