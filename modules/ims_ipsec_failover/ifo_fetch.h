/*
 * The P-CSCF end of the retrieval protocol: plain SIP requests over TCP to
 * an S-CSCF, answered by ims_ipsec_failover_scscf.
 *
 *   OPTIONS + "X-IMS-SA-Fetch: node=X;cursor=C;max=M"  -> 200 OK with one
 *     page of records (body: lib/ifo/ifo_page.h), "X-IMS-SA-Next: C'"
 *     (0 when there is no more). A page may hold fewer than M records
 *     with C' != 0: the S-CSCF also bounds its size in bytes.
 *   OPTIONS + "X-IMS-SA-Claim: node=Y" with re-sealed records, one per body
 *     line -> 200 OK: the S-CSCF now lists them under node Y
 *   OPTIONS + "X-IMS-SA-Moves: node=X;cursor=S" -> 200 OK, "X-IMS-SA-Next:
 *     S'", body: the nodes records of X moved to since S, one a line
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_FETCH_H
#define IFO_FETCH_H

#include <stddef.h>
#include <sys/socket.h>

#include "ifo/ifo_proto.h"
#include "ifo/ifo_record.h"

#define IFO_MAX_SCSCF 8
/* Largest max= of a fetch, as ims_ipsec_failover_scscf accepts it. */
#define IFO_FETCH_MAX_PAGE 200

typedef struct ifo_peer
{
	char text[64]; /* as configured, for logs and RPC */
	struct sockaddr_storage addr;
	socklen_t addr_len;
} ifo_peer_t;

/* Parses "ip:port" or "[ipv6]:port". 0 or -1. */
int ifo_peer_parse(const char *text, ifo_peer_t *p);

typedef struct ifo_conn ifo_conn_t;

ifo_conn_t *ifo_conn_open(const ifo_peer_t *p, int timeout_ms);
void ifo_conn_close(ifo_conn_t *c);

/* One page of node's records from *cursor on; *cursor becomes the next
 * cursor (0 at the end). *body (pkg memory, caller frees) and *len get the
 * answer body. 0 or -1 (logged). */
int ifo_fetch_page(ifo_conn_t *c, const char *node, unsigned int *cursor,
		int max, char **body, size_t *len);

/* Hands claim lines ("<fetched generation> <re-sealed record>", newline-
 * separated) to the S-CSCF under node. Returns the number it accepted
 * (X-IMS-SA-Accepted), or -1; res[0..nres) gets one IFO_CLAIM_RES_* per
 * line (ifo_claim_results: left as it was where the answer says nothing). */
int ifo_fetch_claim(ifo_conn_t *c, const char *node, const char *records,
		size_t len, char *res, int nres);

/* The nodes records of node moved to since *cursor (0: since the
 * S-CSCF started), at most max of them into to[]; *cursor becomes the
 * cursor of the next question. Their number, or -1 (logged). */
int ifo_fetch_moves(ifo_conn_t *c, const char *node, uint64_t *cursor,
		char (*to)[IFO_NODE_MAX + 1], int max);

#endif
