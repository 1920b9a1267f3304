/*
 * Statistics of ims_ipsec_failover_scscf, shown by
 * `kamcmd stats.get_statistics ims_ipsec_failover_scscf:`.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_STATS_H
#define IFS_STATS_H

#include "core/counters.h"

extern stat_var *ifs_st_stored;		 /* new record for a contact */
extern stat_var *ifs_st_replaced;	 /* newer generation replaced one */
extern stat_var *ifs_st_rej_format;	 /* not a well-formed record */
extern stat_var *ifs_st_rej_expired; /* sealed expiry already passed */
extern stat_var *ifs_st_rej_contact; /* names no registered contact */
extern stat_var *ifs_st_rej_stale;	 /* generation <= stored: replay */
extern stat_var *ifs_st_rej_auth;	 /* not sealed by the pool's keys */
extern stat_var *ifs_st_deleted;	 /* de-registration or RPC */
extern stat_var *ifs_st_expired;	 /* contact gone/expired (timer) */
extern stat_var *ifs_st_stripped;	 /* headers removed from messages */
extern stat_var *ifs_st_db_errors;	 /* failed write-through operations */
extern stat_var *ifs_st_fetch_req;	 /* fetch requests answered 200 */
extern stat_var *ifs_st_served;		 /* records served in fetch answers */
extern stat_var *ifs_st_serve_skip;	 /* not served: contact not valid */
extern stat_var *ifs_st_claim_req;	 /* claim requests answered 200 */
extern stat_var *ifs_st_claim_ok;	 /* claimed records stored */
extern stat_var *ifs_st_claim_rej;	 /* claimed records refused */
extern stat_var *ifs_st_claim_sup;	 /* claims of a record replaced meanwhile */
extern stat_var *ifs_st_bad_req;	 /* fetch/claim requests answered 400 */
extern stat_var *ifs_st_attached;
extern stat_var *ifs_st_moved;		 /* records now another node's */
extern stat_var *ifs_st_moves_req;	 /* moves requests answered 200 */	 /* records attached to requests */

int ifs_stats_init(const char *module);

#endif
