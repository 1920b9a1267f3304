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

static const char *rpc_status_doc[] = {
		"Node id, key ring state (key_reload_error: why some process "
		"still uses the ring from before the latest reload), export "
		"counters, the takeover running now and the last one.",
		0};

static void rpc_status(rpc_t *rpc, void *ctx)
{
	const ifo_keyring_t *kr = ifo_keys_get();
	char reload_err[160];
	ifo_busy_t busy;
	ifo_last_t last;
	int running;
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
	/* a running takeover (the restart recovery's too) and the last one */
	running = ifo_takeover_state(&busy, &last);
	rpc->struct_add(th, "sddsddd", "takeover_running",
			running ? busy.node : "", "takeover_pid", running ? busy.pid : 0,
			"takeover_for_s", running ? (int)(time(NULL) - busy.since) : 0,
			"last_takeover", last.node, "last_takeover_ago_s",
			last.ended ? (int)(time(NULL) - last.ended) : -1,
			"last_takeover_ms", (int)last.duration_ms,
			"last_takeover_recovered", last.recovered);
	rpc->struct_add(th, "d", "last_takeover_failed", last.failed);
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
		"S-CSCFs): re-create their SAs and contacts here. Idempotent.",
		0};

static void rpc_takeover(rpc_t *rpc, void *ctx)
{
	ifo_report_t rep;
	str node = STR_NULL;
	void *th;
	int rc;

	if(rpc->scan(ctx, "S", &node) < 1) {
		rpc->fault(ctx, 400, "Usage: takeover NODE");
		return;
	}
	/* the id is sent in a SIP header: CR, LF or ';' would forge others */
	if(!ifo_token_valid(node.s, node.len < 0 ? 0 : node.len, IFO_NODE_MAX)) {
		rpc->fault(ctx, 400,
				"Invalid node id: 1 to %d characters of [A-Za-z0-9._-]",
				IFO_NODE_MAX);
		return;
	}
	{
		char id[IFO_NODE_MAX + 1];
		memcpy(id, node.s, node.len);
		id[node.len] = '\0';
		rc = ifo_takeover(id, 0, &rep);
	}
	if(rc == IFO_TAKEOVER_BUSY) {
		rpc->fault(ctx, 503, "A takeover is running on this node: try again");
		return;
	}
	if(rc < 0 && rep.peers == 0) {
		rpc->fault(ctx, 500, "Takeover refused or impossible (see log)");
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "Internal error creating reply");
		return;
	}
	rpc->struct_add(th, "sddddddddddddd", "node", rep.node, "scscf_asked",
			rep.peers, "scscf_failed", rep.peers_failed, "fetched", rep.fetched,
			"recovered", rep.recovered, "already_here", rep.known, "unopenable",
			ifo_report_failed_open(&rep), "unopenable_auth",
			rep.open_failed[-IFO_ERR_AUTH], "unopenable_expired",
			rep.open_failed[-IFO_ERR_EXPIRED], "wrong_node", rep.wrong_node,
			"spi_collisions", rep.collisions, "kernel_errors",
			rep.install_failed, "usrloc_errors", rep.usrloc_failed, "claimed",
			rep.claimed);
	rpc->struct_add(th, "ddddddddd", "claim_errors", rep.claim_failed,
			"superseded", rep.superseded,
			"duration_ms", (int)(rep.usec / 1000), "fetch_ms",
			(int)(rep.usec_fetch / 1000), "open_ms", (int)(rep.usec_open / 1000),
			"kernel_ms", (int)(rep.usec_kernel / 1000), "contacts_ms",
			(int)(rep.usec_contacts / 1000), "claim_ms",
			(int)(rep.usec_claim / 1000), "page_size", ifo_cfg.fetch_page_size);
}

static rpc_export_t ifo_rpc_cmds[] = {
		{"ims_ipsec_failover.takeover", rpc_takeover, rpc_takeover_doc, 0},
		{"ims_ipsec_failover.status", rpc_status, rpc_status_doc, 0},
		{"ims_ipsec_failover.keys", ifo_keys_rpc_list, rpc_keys_doc, RET_ARRAY},
		{"ims_ipsec_failover.reload_keys", ifo_keys_rpc_reload, rpc_reload_keys_doc,
				0},
		{0, 0, 0, 0}};

int ifo_rpc_init(void)
{
	return rpc_register_array(ifo_rpc_cmds);
}
