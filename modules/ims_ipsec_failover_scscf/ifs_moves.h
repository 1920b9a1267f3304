/*
 * Where records moved: for each pair of P-CSCF nodes, when records of
 * the first last became the second's, by a claim (a takeover) or by a
 * registration through the second. A node that was alive all along
 * learns from it that a peer took UEs it still serves (a momentary
 * double VRRP master), and takes them back with a sequence-number jump;
 * a node that took UEs it no longer serves learns that it must let them
 * go. Asked for over SIP:
 *
 *   OPTIONS + "X-IMS-SA-Moves: node=X;cursor=S"
 *     -> 200, "X-IMS-SA-Next: S'", body: one node id a line, each node
 *        that records of X moved to after S (S' is the newest move of
 *        any node: the cursor of the next question)
 *
 * A move's stamp is wall-clock microseconds, strictly increasing, so a
 * cursor stays meaningful across a restart of this S-CSCF (which forgets
 * the moves: records moved before it are not reported).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_MOVES_H
#define IFS_MOVES_H

#include <stdint.h>
#include <time.h>

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "core/str.h"

/* pairs of nodes kept; the oldest goes when a new pair needs room */
#define IFS_MOVES_MAX 64

/* In shm, before the fork. 0 or -1. */
int ifs_moves_init(void);
void ifs_moves_destroy(void);

/* Records of node from just became node to's (from != to). Takes only
 * its own lock. */
void ifs_moves_note(const str *from, const str *to);

/* Answers an X-IMS-SA-Moves OPTIONS (IFS_SERVE_* of ifs_serve.h). */
int ifs_serve_moves(sip_msg_t *msg, hdr_field_t *hf);

/* ims_ipsec_failover_scscf.moves */
extern const char *ifs_rpc_moves_doc[];
void ifs_rpc_moves(rpc_t *rpc, void *ctx);

#endif
