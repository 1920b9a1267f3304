/*
 * The takeover process (see ifo_worker.h).
 *
 * It sleeps in poll() on a pipe that every process inherits: a request
 * is a byte written after the request is queued in shared memory, so it
 * starts at once (the first UEs' time after the address moves counts).
 * Restart recovery retries every `recover_interval` seconds until every
 * S-CSCF answered once (S-CSCFs may come up after us, or be briefly
 * unreachable), then stops: a node's own records can only be new again
 * after a restart.
 * Every `moves_interval` seconds it asks each S-CSCF which nodes records
 * of this node moved to, and runs a takeover of each such node in moves
 * mode (ifo_takeover.c: known_here): UEs this node still serves are
 * taken back with a sequence-number jump, copies of UEs served elsewhere
 * are let go. A moved record names the node it moved to, so that node is
 * where the walk looks.
 * With takeover_peer set it also polls the kernel's address events
 * (ifo_watch.h): this node gaining its listen address queues a takeover
 * of every peer, before keepalived's notify script asks for it.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/pt.h"
#include "core/sr_module.h"
#include "core/cfg/cfg_struct.h"

#include "ifo_config.h"
#include "ifo_fetch.h"
#include "ifo_shared.h"
#include "ifo_takeover.h"
#include "ifo_watch.h"
#include "ifo_worker.h"

static int wake_fd[2] = {-1, -1};

int ifo_worker_init(void)
{
	int i;

	if(pipe(wake_fd) < 0) {
		LM_ERR("cannot create the takeover process's pipe: %s\n",
				strerror(errno));
		return -1;
	}
	/* a full pipe already wakes it; nobody may block on it */
	for(i = 0; i < 2; i++)
		fcntl(wake_fd[i], F_SETFL, fcntl(wake_fd[i], F_GETFL) | O_NONBLOCK);
	if(register_procs(1) < 0)
		return -1;
	cfg_register_child(1);
	ifo_recovery_set(ifo_cfg.recover_on_start && ifo_cfg.n_scscf > 0
							 ? IFO_RECOVERY_PENDING
							 : IFO_RECOVERY_OFF,
			0);
	return 0;
}

void ifo_worker_wake(void)
{
	ssize_t n;

	do
		n = write(wake_fd[1], "t", 1);
	while(n < 0 && errno == EINTR);
}

static void run_queued(void)
{
	ifo_run_t run;
	ifo_report_t rep;

	while(ifo_takeover_pop(&run)) {
		cfg_update();
		ifo_takeover(&run, &rep);
	}
}

/* One restart recovery attempt: 1 when it is done */
static int recover(int attempt)
{
	ifo_run_t run;
	ifo_report_t rep;
	int rc;

	memset(&run, 0, sizeof(run));
	memcpy(run.node, ifo_cfg.node_id.s, ifo_cfg.node_id.len);
	run.restart = 1;
	rc = ifo_takeover(&run, &rep);
	if(rc == 0) {
		LM_INFO("restart recovery done after %d attempt(s): %d UEs "
				"recovered\n",
				attempt, rep.recovered);
		return 1;
	}
	if(attempt == 1)
		LM_WARN("restart recovery: not every S-CSCF answered; retrying "
				"every %d s\n",
				ifo_cfg.recover_interval);
	return 0;
}

/* per S-CSCF: the cursor of the next moves question */
static uint64_t moves_cursor[IFO_MAX_SCSCF];

/* The nodes records of this node moved to, asked of every S-CSCF; a
 * takeover in moves mode of each (at most 8 a round: a pool is small). */
static void follow_moves(void)
{
	char to[8][IFO_NODE_MAX + 1], run_for[8][IFO_NODE_MAX + 1];
	ifo_run_t run;
	ifo_report_t rep;
	int i, j, k, n, m = 0;

	for(i = 0; i < ifo_cfg.n_scscf; i++) {
		ifo_conn_t *c = ifo_conn_open(&ifo_cfg.scscf[i], ifo_cfg.fetch_timeout);

		if(c == NULL)
			continue;
		n = ifo_fetch_moves(c, ifo_cfg.node_id.s, &moves_cursor[i], to, 8);
		ifo_conn_close(c);
		for(j = 0; j < n; j++) {
			for(k = 0; k < m && strcmp(run_for[k], to[j]) != 0; k++)
				;
			if(k == m && m < 8)
				strcpy(run_for[m++], to[j]);
		}
	}
	for(k = 0; k < m; k++) {
		LM_INFO("records of this node moved to node %s: taking back the "
				"UEs this node still serves, letting go of copies of UEs "
				"served elsewhere\n",
				run_for[k]);
		memset(&run, 0, sizeof(run));
		strcpy(run.node, run_for[k]);
		run.moves = 1;
		cfg_update();
		ifo_takeover(&run, &rep);
		run_queued();
	}
}

static void worker_loop(void)
{
	struct pollfd pfd[2] = {{.fd = wake_fd[0], .events = POLLIN},
			{.fd = ifo_watch_open(), .events = POLLIN}};
	int attempts = 0, recovering;
	time_t next = time(NULL) + ifo_cfg.recover_interval;
	time_t next_moves = time(NULL) + ifo_cfg.moves_interval;
	char buf[64];

	recovering = ifo_recovery_get(&attempts) == IFO_RECOVERY_PENDING;
	for(;;) {
		int timeout = -1;

		run_queued();
		if(ifo_cfg.moves_interval > 0 && ifo_cfg.n_scscf > 0 && !recovering) {
			time_t now = time(NULL);
			if(now >= next_moves) {
				follow_moves();
				next_moves = time(NULL) + ifo_cfg.moves_interval;
				continue;
			}
			timeout = (int)(next_moves - now) * 1000;
		}
		if(recovering) {
			time_t now = time(NULL);
			if(now >= next) {
				cfg_update();
				attempts++;
				recovering = !recover(attempts);
				ifo_recovery_set(recovering ? IFO_RECOVERY_PENDING
											: IFO_RECOVERY_DONE,
						attempts);
				next = time(NULL) + ifo_cfg.recover_interval;
				continue;
			}
			if(timeout < 0 || (int)(next - now) * 1000 < timeout)
				timeout = (int)(next - now) * 1000;
		}
		/* a negative fd is left out by poll() */
		if(poll(pfd, 2, timeout) > 0) {
			if(pfd[1].revents)
				ifo_watch_handle();
			while(read(wake_fd[0], buf, sizeof(buf)) > 0)
				;
		}
	}
}

int ifo_worker_fork(void)
{
	int pid;

	pid = fork_process(PROC_TIMER, "IPSEC FAILOVER TAKEOVER", 1);
	if(pid < 0) {
		LM_ERR("cannot start the takeover process\n");
		return -1;
	}
	if(pid == 0) {
		if(cfg_child_init())
			_exit(-1);
		worker_loop();
		_exit(0);
	}
	return 0;
}
