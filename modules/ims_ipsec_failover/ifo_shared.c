/*
 * Shared state of the module's processes (see ifo_shared.h). Takeovers
 * run in the takeover process only, one after the other; the RPC (ctl
 * process) only queues them and reads their progress, so a long takeover
 * never holds the ctl socket. The record generation clock is here because
 * workers (exports), the takeover process (claims) and lazy recovery all
 * stamp records, and one process's clock cannot order another's.
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
	unsigned int next_id;
	int running; /* `cur` is a takeover in progress */
	ifo_run_t cur;
	int nq;
	ifo_run_t queue[IFO_QUEUE_MAX];
	int nh; /* ended runs kept in hist, newest at (hh - 1) */
	int hh;
	ifo_run_t hist[IFO_HISTORY];
	ifo_recovery_state_t recovery;
	int recovery_attempts;
} ifo_shared_t;

static ifo_shared_t *shared;

int ifo_shared_init(void)
{
	shared = ifo_shm_locked_new(sizeof(*shared), offsetof(ifo_shared_t, lock),
			"the takeover state");
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

static void new_run(ifo_run_t *run, const char *node, int restart)
{
	memset(run, 0, sizeof(*run));
	run->id = ++shared->next_id;
	strncpy(run->node, node, sizeof(run->node) - 1);
	run->restart = restart;
	run->queued = time(NULL);
	run->state = IFO_RUN_QUEUED;
}

/* lock held */
static const ifo_run_t *hist_at(int k);

int ifo_takeover_request(const char *node, int within, ifo_run_t *run)
{
	time_t since = time(NULL) - within;
	int i, rc = -1;

	if(shared == NULL)
		return -1;
	lock_get(&shared->lock);
	/* the same peer asked for twice (keepalived's notify and an admin,
	 * say): one takeover serves both */
	if(shared->running && !shared->cur.restart
			&& strcmp(shared->cur.node, node) == 0) {
		*run = shared->cur;
		rc = 1;
		goto out;
	}
	for(i = 0; i < shared->nq; i++) {
		if(strcmp(shared->queue[i].node, node) == 0) {
			*run = shared->queue[i];
			rc = 1;
			goto out;
		}
	}
	/* keepalived's notify script asks for the takeover its node's address
	 * watch (ifo_watch.h) already ran: newest first, the last one of that
	 * node queued within the window is the answer */
	for(i = 0; within > 0 && i < shared->nh; i++) {
		const ifo_run_t *h = hist_at(i);

		if(h->restart || h->moves || strcmp(h->node, node) != 0)
			continue;
		if(h->queued >= since) {
			*run = *h;
			rc = 1;
			goto out;
		}
		break;
	}
	if(shared->nq < IFO_QUEUE_MAX) {
		new_run(&shared->queue[shared->nq], node, 0);
		*run = shared->queue[shared->nq++];
		rc = 0;
	}
out:
	lock_release(&shared->lock);
	return rc;
}

int ifo_takeover_pop(ifo_run_t *run)
{
	int got = 0;

	if(shared == NULL)
		return 0;
	lock_get(&shared->lock);
	if(shared->nq > 0) {
		*run = shared->queue[0];
		shared->nq--;
		memmove(&shared->queue[0], &shared->queue[1],
				sizeof(shared->queue[0]) * shared->nq);
		got = 1;
	}
	lock_release(&shared->lock);
	return got;
}

int ifo_takeover_begin(ifo_run_t *run, ifo_run_t *busy)
{
	int ok;

	if(shared == NULL)
		return -1;
	lock_get(&shared->lock);
	ok = !shared->running;
	if(ok) {
		if(run->id == 0) {
			char node[sizeof(run->node)];
			int moves = run->moves;

			memcpy(node, run->node, sizeof(node));
			new_run(run, node, run->restart);
			run->moves = moves;
		}
		run->state = IFO_RUN_RUNNING;
		run->pid = (int)getpid();
		run->started = time(NULL);
		shared->cur = *run;
		shared->running = 1;
	} else if(busy) {
		*busy = shared->cur;
	}
	lock_release(&shared->lock);
	return ok;
}

void ifo_takeover_progress(const ifo_report_t *rep)
{
	if(shared == NULL)
		return;
	lock_get(&shared->lock);
	if(shared->running)
		shared->cur.rep = *rep;
	lock_release(&shared->lock);
}

void ifo_takeover_end(const ifo_report_t *rep, int rc)
{
	if(shared == NULL)
		return;
	lock_get(&shared->lock);
	if(shared->running) {
		shared->cur.rep = *rep;
		shared->cur.state = rc == 0 ? IFO_RUN_DONE : IFO_RUN_FAILED;
		shared->cur.ended = time(NULL);
		shared->hist[shared->hh] = shared->cur;
		shared->hh = (shared->hh + 1) % IFO_HISTORY;
		if(shared->nh < IFO_HISTORY)
			shared->nh++;
		shared->running = 0;
	}
	lock_release(&shared->lock);
}

/* the k-th newest ended run (0: the last); lock held */
static const ifo_run_t *hist_at(int k)
{
	return &shared->hist[(shared->hh - 1 - k + 2 * IFO_HISTORY) % IFO_HISTORY];
}

ifo_run_state_t ifo_takeover_find(unsigned int id, ifo_run_t *run)
{
	ifo_run_state_t st = IFO_RUN_UNKNOWN;
	int i;

	if(shared == NULL)
		return st;
	lock_get(&shared->lock);
	if(shared->running && (id == 0 || shared->cur.id == id)) {
		*run = shared->cur;
		st = run->state;
		goto out;
	}
	for(i = 0; id != 0 && i < shared->nq; i++) {
		if(shared->queue[i].id == id) {
			*run = shared->queue[i];
			st = run->state;
			goto out;
		}
	}
	for(i = 0; i < shared->nh; i++) {
		if(id == 0 || hist_at(i)->id == id) {
			*run = *hist_at(i);
			st = run->state;
			goto out;
		}
	}
out:
	lock_release(&shared->lock);
	return st;
}

int ifo_takeover_state(ifo_run_t *running, ifo_run_t *last, int *queued)
{
	int r;

	if(shared == NULL) {
		if(last)
			memset(last, 0, sizeof(*last));
		if(queued)
			*queued = 0;
		return 0;
	}
	lock_get(&shared->lock);
	r = shared->running;
	if(running && r)
		*running = shared->cur;
	if(last) {
		int k;

		/* the last takeover someone asked for: the runs after moves
		 * reports are housekeeping, takeover_status lists them */
		for(k = 0; k < shared->nh && hist_at(k)->moves; k++)
			;
		if(k < shared->nh)
			*last = *hist_at(k);
		else
			memset(last, 0, sizeof(*last));
	}
	if(queued)
		*queued = shared->nq;
	lock_release(&shared->lock);
	return r;
}

void ifo_recovery_set(ifo_recovery_state_t state, int attempts)
{
	if(shared == NULL)
		return;
	lock_get(&shared->lock);
	shared->recovery = state;
	shared->recovery_attempts = attempts;
	lock_release(&shared->lock);
}

ifo_recovery_state_t ifo_recovery_get(int *attempts)
{
	ifo_recovery_state_t st;

	if(shared == NULL) {
		*attempts = 0;
		return IFO_RECOVERY_OFF;
	}
	lock_get(&shared->lock);
	st = shared->recovery;
	*attempts = shared->recovery_attempts;
	lock_release(&shared->lock);
	return st;
}
