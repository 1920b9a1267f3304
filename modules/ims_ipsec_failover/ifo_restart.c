/*
 * Restart recovery process.
 *
 * It retries every `recover_interval` seconds until every S-CSCF answered
 * once (S-CSCFs may come up after us, or be briefly unreachable), then
 * stays idle: a node's own records can only be new again after a restart.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/pt.h"
#include "core/timer_proc.h"
#include "core/sr_module.h"
#include "core/cfg/cfg_struct.h"

#include "ifo_config.h"
#include "ifo_restart.h"
#include "ifo_stats.h"
#include "ifo_takeover.h"

static int done;
static int attempts;

static void recover_tick(unsigned int ticks, void *param)
{
	ifo_report_t rep;
	char id[IFO_NODE_MAX + 1];
	int rc;

	if(done)
		return;
	attempts++;
	memcpy(id, ifo_cfg.node_id.s, ifo_cfg.node_id.len);
	id[ifo_cfg.node_id.len] = '\0';
	rc = ifo_takeover(id, 1, &rep);
	if(rc == 0) {
		done = 1;
		LM_INFO("restart recovery done after %d attempt(s): %d UEs "
				"recovered\n",
				attempts, rep.recovered);
	} else if(rc == IFO_TAKEOVER_BUSY) {
		LM_INFO("restart recovery waits for the running takeover; next "
				"attempt in %d s\n",
				ifo_cfg.recover_interval);
	} else if(attempts == 1) {
		LM_WARN("restart recovery: not every S-CSCF answered; retrying "
				"every %d s\n",
				ifo_cfg.recover_interval);
	}
}

int ifo_restart_init(void)
{
	if(!ifo_cfg.recover_on_start || ifo_cfg.n_scscf == 0)
		return 0;
	if(register_basic_timers(1) < 0)
		return -1;
	return 0;
}

int ifo_restart_fork(void)
{
	if(!ifo_cfg.recover_on_start || ifo_cfg.n_scscf == 0)
		return 0;
	if(fork_basic_timer(PROC_TIMER, "IPSEC FAILOVER RECOVERY", 1, recover_tick,
			   NULL, ifo_cfg.recover_interval)
			< 0) {
		LM_ERR("cannot start the restart recovery process\n");
		return -1;
	}
	return 0;
}
