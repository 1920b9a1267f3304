/*
 * RPC commands of ims_ipsec_failover. Nothing here ever prints a key: the
 * key ring is shown by id only.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <time.h>

#include "core/rpc.h"
#include "core/rpc_lookup.h"
#include "core/counters.h"

#include "ifo_config.h"
#include "ifo_keys.h"
#include "ifo_rpc.h"
#include "ifo_shared.h"
#include "ifo_stats.h"
#include "ifo_takeover.h"
#include "ifo_watch.h"
#include "ifo_worker.h"

static const char *rpc_status_doc[] = {
		"Node id, key ring state (key_reload_error: why some process "
		"still uses the ring from before the latest reload), export "
		"counters, the takeover running now and the last one.",
		0};

static const char *run_state_name(ifo_run_state_t st)
{
	switch(st) {
		case IFO_RUN_QUEUED:
			return "queued";
		case IFO_RUN_RUNNING:
			return "running";
		case IFO_RUN_DONE:
			return "done";
		case IFO_RUN_FAILED:
			return "failed";
		default:
			return "unknown";
	}
}

static const char *recovery_name(ifo_recovery_state_t st)
{
	return st == IFO_RECOVERY_PENDING ? "pending"
		   : st == IFO_RECOVERY_DONE  ? "done"
									  : "off";
}

static void rpc_status(rpc_t *rpc, void *ctx)
{
	const ifo_keyring_t *kr = ifo_keys_get();
	char reload_err[160];
	ifo_run_t cur, last;
	int running, queued, attempts;
	ifo_recovery_state_t rs;
	char peers[IFO_MAX_PEERS * (IFO_NODE_MAX + 1)], addrs[2 * 48];
	int held;
	void *th;

	/* key_error only says this process has no ring; a worker that failed
	 * the latest reload still has its previous one */
	ifo_keys_reload_error(reload_err, sizeof(reload_err));
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "Internal error creating reply");
		return;
	}
	rpc->struct_add(th, "SSsdssdddd", "node_id", &ifo_cfg.node_id, "key_file",
			&ifo_cfg.key_file, "active_key_id",
			kr ? ifo_keyring_active_id(kr) : "", "keys",
			kr ? ifo_keyring_count(kr) : 0, "key_error", ifo_keys_error(),
			"key_reload_error", reload_err, "export_required",
			ifo_cfg.export_required, "exported_records",
			(int)get_stat_val(ifo_st_exported), "export_failures",
			(int)get_stat_val(ifo_st_export_failed), "stripped_headers",
			(int)get_stat_val(ifo_st_stripped));
	/* the takeover running now (the restart recovery's too), with its
	 * progress, what waits, and the last one */
	running = ifo_takeover_state(&cur, &last, &queued);
	rpc->struct_add(th, "sddddddd", "takeover_running",
			running ? cur.node : "", "takeover_id", running ? (int)cur.id : 0,
			"takeover_for_s", running ? (int)(time(NULL) - cur.started) : 0,
			"takeover_pages", running ? cur.rep.pages : 0,
			"takeover_fetched", running ? cur.rep.fetched : 0,
			"takeover_recovered", running ? cur.rep.recovered : 0,
			"takeover_failed", running ? ifo_report_failed(&cur.rep) : 0,
			"takeovers_queued", queued);
	rpc->struct_add(th, "sdsddddd", "last_takeover", last.node,
			"last_takeover_id", (int)last.id, "last_takeover_state",
			run_state_name(last.state), "last_takeover_ago_s",
			last.ended ? (int)(time(NULL) - last.ended) : -1,
			"last_takeover_ms", (int)(last.rep.usec / 1000),
			"last_takeover_recovered", last.rep.recovered,
			"last_takeover_failed", ifo_report_failed(&last.rep),
			"last_takeover_fetched", last.rep.fetched);
	rs = ifo_recovery_get(&attempts);
	rpc->struct_add(th, "sd", "restart_recovery", recovery_name(rs),
			"restart_recovery_attempts", attempts);
	held = ifo_watch_describe(peers, sizeof(peers), addrs, sizeof(addrs));
	rpc->struct_add(th, "ssd", "takeover_peers", peers, "watched_address",
			addrs, "holds_address", held);
}

static const char *rpc_keys_doc[] = {
		"Key ids in the sealing key ring; the active one seals new "
		"records, all of them open records.",
		0};

static const char *rpc_reload_keys_doc[] = {
		"Re-read key_file; every process switches to it on its next use. "
		"A bad file is refused and the current ring stays in force.",
		0};

static const char *rpc_takeover_doc[] = {
		"Take over the UEs of pool member NODE (its records at the "
		"S-CSCFs): re-create their SAs and contacts here. Queues the "
		"takeover for the module's takeover process and answers at once "
		"with its id; ims_ipsec_failover.takeover_status ID follows it. A "
		"request for a node being taken over joins that takeover; with "
		"JOIN_SECONDS also one of NODE queued at most that long ago that "
		"has ended (keepalived's notify script and the address watch of "
		"takeover_peer ask for the same takeover). Idempotent.",
		0};

static void rpc_takeover(rpc_t *rpc, void *ctx)
{
	char id[IFO_NODE_MAX + 1];
	const char *why;
	str node = STR_NULL;
	ifo_run_t run;
	void *th;
	int rc, within = 0;

	if(rpc->scan(ctx, "S", &node) < 1) {
		rpc->fault(ctx, 400, "Usage: takeover NODE [JOIN_SECONDS]");
		return;
	}
	if(rpc->scan(ctx, "*d", &within) < 1 || within < 0)
		within = 0;
	/* the id is sent in a SIP header: CR, LF or ';' would forge others */
	if(!ifo_token_valid(node.s, node.len < 0 ? 0 : node.len, IFO_NODE_MAX)) {
		rpc->fault(ctx, 400,
				"Invalid node id: 1 to %d characters of [A-Za-z0-9._-]",
				IFO_NODE_MAX);
		return;
	}
	memcpy(id, node.s, node.len);
	id[node.len] = '\0';
	why = ifo_takeover_refusal(id, 0);
	if(why) {
		rpc->fault(ctx, 400, "Takeover of %s refused: %s", id, why);
		return;
	}
	rc = ifo_takeover_request(id, within, &run);
	if(rc < 0) {
		update_stat(ifo_st_takeover_busy, 1);
		rpc->fault(ctx, 503,
				"%d takeovers are waiting on this node: try again later",
				IFO_QUEUE_MAX);
		return;
	}
	if(rc == 0)
		ifo_worker_wake();
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "Internal error creating reply");
		return;
	}
	rpc->struct_add(th, "dssd", "id", (int)run.id, "node", run.node, "state",
			run_state_name(run.state), "joined", rc);
}

static const char *rpc_takeover_status_doc[] = {
		"State of takeover ID (as ims_ipsec_failover.takeover answered; "
		"without ID the running one, else the last): queued, running, "
		"done or failed, and its report (so far, while it runs).",
		0};

static void rpc_takeover_status(rpc_t *rpc, void *ctx)
{
	const ifo_report_t *rep;
	ifo_run_state_t st;
	ifo_run_t run;
	int id = 0;
	void *th;

	if(rpc->scan(ctx, "*d", &id) < 0)
		id = 0;
	st = ifo_takeover_find(id < 0 ? 0 : (unsigned int)id, &run);
	if(st == IFO_RUN_UNKNOWN) {
		rpc->fault(ctx, 404, id ? "No takeover %d known here" : "No takeover "
				"ran here yet", id);
		return;
	}
	rep = &run.rep;
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "Internal error creating reply");
		return;
	}
	rpc->struct_add(th, "dssddsd", "id", (int)run.id, "node", run.node,
			"state", run_state_name(st), "restart", run.restart, "moves",
			run.moves, "error", rep->error, "pages", rep->pages);
	rpc->struct_add(th, "ddd", "reclaimed", rep->reclaimed, "released",
			rep->released, "address_not_here", rep->not_held);
	rpc->struct_add(th, "ddddddddddddd", "scscf_asked",
			rep->peers, "scscf_failed", rep->peers_failed, "fetched", rep->fetched,
			"recovered", rep->recovered, "already_here", rep->known, "unopenable",
			ifo_report_failed_open(rep), "unopenable_auth",
			rep->open_failed[-IFO_ERR_AUTH], "unopenable_expired",
			rep->open_failed[-IFO_ERR_EXPIRED], "wrong_node", rep->wrong_node,
			"spi_collisions", rep->collisions, "kernel_errors",
			rep->install_failed, "usrloc_errors", rep->usrloc_failed, "claimed",
			rep->claimed);
	rpc->struct_add(th, "dddddddddd", "claim_errors", rep->claim_failed,
			"superseded", rep->superseded,
			"duration_ms", (int)(rep->usec / 1000), "fetch_ms",
			(int)(rep->usec_fetch / 1000), "open_ms", (int)(rep->usec_open / 1000),
			"kernel_ms", (int)(rep->usec_kernel / 1000), "contacts_ms",
			(int)(rep->usec_contacts / 1000), "claim_ms",
			(int)(rep->usec_claim / 1000), "first_usable_ms",
			(int)(rep->usec_first / 1000), "page_size", ifo_cfg.fetch_page_size);
}

static rpc_export_t ifo_rpc_cmds[] = {
		{"ims_ipsec_failover.takeover", rpc_takeover, rpc_takeover_doc, 0},
		{"ims_ipsec_failover.takeover_status", rpc_takeover_status,
				rpc_takeover_status_doc, 0},
		{"ims_ipsec_failover.status", rpc_status, rpc_status_doc, 0},
		{"ims_ipsec_failover.keys", ifo_keys_rpc_list, rpc_keys_doc, RET_ARRAY},
		{"ims_ipsec_failover.reload_keys", ifo_keys_rpc_reload, rpc_reload_keys_doc,
				0},
		{0, 0, 0, 0}};

int ifo_rpc_init(void)
{
	return rpc_register_array(ifo_rpc_cmds);
}
