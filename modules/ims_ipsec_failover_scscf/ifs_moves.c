/*
 * Where records moved (see ifs_moves.h): a small table in shm under one
 * lock, a row per (from, to) pair of nodes.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"

#include "ifo/ifo_record.h"
#include "ifo_clock.h"

#include "ifs_moves.h"
#include "ifs_serve.h"
#include "ifs_serve_int.h"
#include "ifs_stats.h"

typedef struct ifs_move
{
	char from[IFO_NODE_MAX + 1];
	char to[IFO_NODE_MAX + 1];
	uint64_t stamp;		 /* of the newest move; 0: row unused */
	time_t at;			 /* when, for the RPC */
	unsigned long count; /* records moved, since this start */
} ifs_move_t;

typedef struct ifs_moves
{
	gen_lock_t lock;
	uint64_t last; /* newest stamp given */
	ifs_move_t row[IFS_MOVES_MAX];
} ifs_moves_t;

static ifs_moves_t *moves = NULL;

int ifs_moves_init(void)
{
	moves = shm_malloc(sizeof(*moves));
	if(moves == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(moves, 0, sizeof(*moves));
	if(lock_init(&moves->lock) == NULL) {
		shm_free(moves);
		moves = NULL;
		return -1;
	}
	return 0;
}

void ifs_moves_destroy(void)
{
	if(moves == NULL)
		return;
	lock_destroy(&moves->lock);
	shm_free(moves);
	moves = NULL;
}

static int is(const char *id, const str *s)
{
	return strlen(id) == (size_t)s->len && memcmp(id, s->s, s->len) == 0;
}

void ifs_moves_note(const str *from, const str *to)
{
	ifs_move_t *m = NULL, *oldest = NULL;
	uint64_t now = ifo_unix_us();
	int i;

	if(moves == NULL || from->len <= 0 || from->len > IFO_NODE_MAX
			|| to->len <= 0 || to->len > IFO_NODE_MAX
			|| (from->len == to->len && memcmp(from->s, to->s, to->len) == 0))
		return;
	lock_get(&moves->lock);
	for(i = 0; i < IFS_MOVES_MAX && m == NULL; i++) {
		ifs_move_t *r = &moves->row[i];
		if(r->stamp == 0 || (is(r->from, from) && is(r->to, to)))
			m = r;
		else if(oldest == NULL || r->stamp < oldest->stamp)
			oldest = r;
	}
	if(m == NULL) {
		m = oldest;
		LM_WARN("more than %d pairs of nodes records moved between: "
				"forgetting the moves from %s to %s\n",
				IFS_MOVES_MAX, m->from, m->to);
		m->stamp = 0;
	}
	if(m->stamp == 0) {
		memcpy(m->from, from->s, from->len);
		m->from[from->len] = '\0';
		memcpy(m->to, to->s, to->len);
		m->to[to->len] = '\0';
		m->count = 0;
	}
	moves->last = now > moves->last ? now : moves->last + 1;
	m->stamp = moves->last;
	m->at = time(NULL);
	m->count++;
	lock_release(&moves->lock);
	update_stat(ifs_st_moved, 1);
}

int ifs_serve_moves(sip_msg_t *msg, hdr_field_t *hf)
{
	serve_params_t p;
	unsigned long long after = 0;
	char hdrs[96], *body;
	uint64_t last;
	int hl, bl = 0, i;

	if(ifs_serve_parse_params(&hf->body, &p) < 0)
		return ifs_serve_answer_bad(msg, "Malformed X-IMS-SA-Moves");
	if(!ifs_serve_node_ok(&p.node))
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Moves node");
	if(p.cursor.s
			&& ifs_serve_parse_uint(&p.cursor, UINT64_MAX, &after) < 0)
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Moves cursor");
	/* a line per pair at most */
	body = pkg_malloc(IFS_MOVES_MAX * (IFO_NODE_MAX + 1) + 1);
	if(body == NULL) {
		PKG_MEM_ERROR;
		ifs_serve_answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
		return IFS_SERVE_FAILED;
	}
	lock_get(&moves->lock);
	last = moves->last;
	for(i = 0; i < IFS_MOVES_MAX; i++) {
		ifs_move_t *m = &moves->row[i];
		if(m->stamp > after && is(m->from, &p.node))
			bl += sprintf(body + bl, "%s\n", m->to);
	}
	lock_release(&moves->lock);
	update_stat(ifs_st_moves_req, 1);
	hl = snprintf(hdrs, sizeof(hdrs),
			"X-IMS-SA-Next: %llu\r\nContent-Type: text/plain\r\n",
			(unsigned long long)last);
	return ifs_serve_answer_ok(msg, hdrs, hl, body, bl);
}

const char *ifs_rpc_moves_doc[] = {
		"List where records moved between P-CSCF nodes since this start "
		"(from, to, records, seconds since the last one, stamp): a takeover, "
		"or UEs registering through another node.",
		0};

void ifs_rpc_moves(rpc_t *rpc, void *ctx)
{
	ifs_move_t copy[IFS_MOVES_MAX];
	char stamp[24];
	time_t now = time(NULL);
	void *th;
	int i;

	if(moves == NULL) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	lock_get(&moves->lock);
	memcpy(copy, moves->row, sizeof(copy));
	lock_release(&moves->lock);
	for(i = 0; i < IFS_MOVES_MAX; i++) {
		if(copy[i].stamp == 0)
			continue;
		snprintf(stamp, sizeof(stamp), "%llu",
				(unsigned long long)copy[i].stamp);
		if(rpc->add(ctx, "{", &th) < 0
				|| rpc->struct_add(th, "ssdds", "from", copy[i].from, "to",
						   copy[i].to, "records", (int)copy[i].count, "age",
						   (int)(now - copy[i].at), "stamp", stamp)
						   < 0)
			return;
	}
}
