/*
 * Shared state of the module's processes (see ifo_shared.h). Takeovers
 * run in the ctl process (RPC) and in the restart recovery process; two
 * at once would install the same UEs twice and report each other's SAs
 * as collisions, and one process's generation clock cannot order records
 * the other stamps.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/locking.h"

#include "ifo_shared.h"
#include "ifo_shm.h"

typedef struct ifo_shared
{
	gen_lock_t lock;
	uint64_t generation; /* the last one handed out */
	int running;		 /* a takeover holds `busy` */
	ifo_busy_t busy;
	ifo_last_t last;
} ifo_shared_t;

static ifo_shared_t *shared;

int ifo_shared_init(void)
{
	shared = ifo_shm_locked_new(sizeof(*shared), offsetof(ifo_shared_t, lock),
			"the takeover lock");
	return shared ? 0 : -1;
}

uint64_t ifo_next_generation(void)
{
	struct timeval tv;
	uint64_t g;

	gettimeofday(&tv, NULL);
	g = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
	if(shared == NULL)
		return g;
	lock_get(&shared->lock);
	if(g <= shared->generation)
		g = shared->generation + 1;
	shared->generation = g;
	lock_release(&shared->lock);
	return g;
}

int ifo_takeover_begin(const char *node, ifo_busy_t *busy)
{
	int ok;

	if(shared == NULL)
		return -1;
	lock_get(&shared->lock);
	ok = !shared->running;
	if(ok) {
		shared->running = 1;
		memset(&shared->busy, 0, sizeof(shared->busy));
		strncpy(shared->busy.node, node, sizeof(shared->busy.node) - 1);
		shared->busy.pid = (int)getpid();
		shared->busy.since = time(NULL);
	} else if(busy) {
		*busy = shared->busy;
	}
	lock_release(&shared->lock);
	return ok;
}

void ifo_takeover_end(uint64_t usec, int recovered, int failed)
{
	if(shared == NULL)
		return;
	lock_get(&shared->lock);
	memcpy(shared->last.node, shared->busy.node, sizeof(shared->last.node));
	shared->last.ended = time(NULL);
	shared->last.duration_ms = usec / 1000;
	shared->last.recovered = recovered;
	shared->last.failed = failed;
	shared->running = 0;
	lock_release(&shared->lock);
}

int ifo_takeover_state(ifo_busy_t *busy, ifo_last_t *last)
{
	int running;

	if(shared == NULL) {
		if(last)
			memset(last, 0, sizeof(*last));
		return 0;
	}
	lock_get(&shared->lock);
	running = shared->running;
	if(busy && running)
		*busy = shared->busy;
	if(last)
		*last = shared->last;
	lock_release(&shared->lock);
	return running;
}
