/*
 * Statistics of ims_ipsec_failover_scscf: one counter per outcome, one per
 * rejection reason (so an operator sees why records are refused without the
 * records ever being logged), and a gauge of the records held.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ifs_stats.h"
#include "ifs_store.h"

stat_var *ifs_st_stored;
stat_var *ifs_st_replaced;
stat_var *ifs_st_rej_format;
stat_var *ifs_st_rej_expired;
stat_var *ifs_st_rej_contact;
stat_var *ifs_st_rej_stale;
stat_var *ifs_st_rej_auth;
stat_var *ifs_st_deleted;
stat_var *ifs_st_expired;
stat_var *ifs_st_stripped;
stat_var *ifs_st_db_errors;
stat_var *ifs_st_fetch_req;
stat_var *ifs_st_served;
stat_var *ifs_st_serve_skip;
stat_var *ifs_st_claim_req;
stat_var *ifs_st_claim_ok;
stat_var *ifs_st_claim_rej;
stat_var *ifs_st_claim_sup;
stat_var *ifs_st_bad_req;
stat_var *ifs_st_attached;
stat_var *ifs_st_moved;
stat_var *ifs_st_moves_req;

/* A gauge computed on demand: the table knows its size, a counter kept
 * in step with it would only duplicate that. */
static counter_val_t ifs_stat_records(void)
{
	return (counter_val_t)ifs_store_count();
}

static counter_val_t ifs_stat_record_bytes(void)
{
	return (counter_val_t)ifs_store_bytes();
}

static stat_export_t ifs_stats[] = {{"stored", 0, &ifs_st_stored},
		{"replaced", 0, &ifs_st_replaced},
		{"rejected_format", 0, &ifs_st_rej_format},
		{"rejected_expired", 0, &ifs_st_rej_expired},
		{"rejected_contact", 0, &ifs_st_rej_contact},
		{"rejected_stale", 0, &ifs_st_rej_stale},
		{"rejected_auth", 0, &ifs_st_rej_auth},
		{"deleted", 0, &ifs_st_deleted}, {"expired", 0, &ifs_st_expired},
		{"stripped_headers", 0, &ifs_st_stripped},
		{"db_errors", 0, &ifs_st_db_errors},
		{"fetch_requests", 0, &ifs_st_fetch_req},
		{"served_records", 0, &ifs_st_served},
		{"served_skipped", 0, &ifs_st_serve_skip},
		{"claim_requests", 0, &ifs_st_claim_req},
		{"claims_accepted", 0, &ifs_st_claim_ok},
		{"claims_rejected", 0, &ifs_st_claim_rej},
		{"claims_superseded", 0, &ifs_st_claim_sup},
		{"bad_requests", 0, &ifs_st_bad_req},
		{"attached_records", 0, &ifs_st_attached},
		{"records_moved", 0, &ifs_st_moved},
		{"moves_requests", 0, &ifs_st_moves_req},
		{"records", STAT_IS_FUNC | STAT_NO_RESET,
				(stat_var **)ifs_stat_records},
		{"record_bytes", STAT_IS_FUNC | STAT_NO_RESET,
				(stat_var **)ifs_stat_record_bytes},
		{0, 0, 0}};

int ifs_stats_init(const char *module)
{
	return register_module_stats((char *)module, ifs_stats);
}
