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
#include "ifo_shared.h"
#include "ifo_takeover.h"
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

static void worker_loop(void)
{
	struct pollfd pfd = {.fd = wake_fd[0], .events = POLLIN};
	int attempts = 0, recovering;
	time_t next = time(NULL) + ifo_cfg.recover_interval;
	char buf[64];

	recovering = ifo_recovery_get(&attempts) == IFO_RECOVERY_PENDING;
	for(;;) {
		int timeout = -1;

		run_queued();
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
			timeout = (int)(next - now) * 1000;
		}
		if(poll(&pfd, 1, timeout) > 0)
			while(read(wake_fd[0], buf, sizeof(buf)) > 0)
				;
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
