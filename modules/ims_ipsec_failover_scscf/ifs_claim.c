/*
 * Claim: records a P-CSCF re-sealed as its own after a takeover, each
 * replacing the stored record it was made from, and nothing newer.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/mem/mem.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_proto.h"
#include "ifo/ifo_seal.h"
#include "ifo_clock.h"

#include "ifs_db.h"
#include "ifs_serve.h"
#include "ifs_serve_int.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_verify.h"

/* The stored record a claim replaces: its key, IMPU and what is served
 * with it (pkg copies in one block, contact.s) */
typedef struct claim_key
{
	str contact;
	str aor;
	str served;
	time_t expires;
} claim_key_t;

/* Runs under a store slot lock: copies only. */
static int claim_key_cb(const ifs_rec_t *r, void *param)
{
	claim_key_t *k = (claim_key_t *)param;
	const str *src[3] = {&r->contact, &r->aor, &r->served};
	str d[3];

	if(ifs_serve_dup(d, src, 3) < 0)
		return -1;
	k->contact = d[0];
	k->aor = d[1];
	k->served = d[2];
	k->expires = r->expires;
	return 0;
}

/* What became of each line of a claim, in the answer's body
 * (IFO_CLAIM_RES_*, lib/ifo/ifo_proto.h). */
#define CLAIM_ACCEPTED IFO_CLAIM_RES_ACCEPTED
#define CLAIM_SUPERSEDED IFO_CLAIM_RES_SUPERSEDED
#define CLAIM_REFUSED IFO_CLAIM_RES_REFUSED

static int claim_reject(const char *why, const str *node, const char *contact)
{
	update_stat(ifs_st_claim_rej, 1);
	LM_WARN("claimed record refused (%s): node=%.*s contact=%s\n", why,
			node->len, node->s, contact ? contact : "-");
	return CLAIM_REFUSED;
}

/* One body line, "<if_gen> <record>": if_gen is the generation of the
 * record the claimant fetched, which the claim may replace and nothing
 * else. CLAIM_ACCEPTED, CLAIM_SUPERSEDED or CLAIM_REFUSED (each counted
 * and, but for acceptance, logged). */
static int claim_one(const str *node, uint64_t if_gen, const str *line,
		time_t now, serve_clock_t *clk)
{
	ifo_header_t h;
	claim_key_t k;
	ifs_rec_t in;
	str hc;
	uint64_t stored_gen = 0, t;
	int rc, found;

	if(line->len >= IFO_TEXT_MAX)
		return claim_reject("too long", node, NULL);
	t = ifo_now_usec();
	rc = ifs_verify(line->s, line->len, &h);
	clk->verify += ifo_now_usec() - t;
	if(rc != IFO_OK)
		return claim_reject(ifs_verify_why(rc), node,
				ifs_verify_is_auth_error(rc) ? h.contact : NULL);
	/* a claim only moves records to the node that claims them */
	if(strlen(h.node) != (size_t)node->len
			|| memcmp(h.node, node->s, node->len) != 0)
		return claim_reject("sealed for another node", node, h.contact);
	if((time_t)h.expires <= now)
		return claim_reject("sealed expiry passed", node, h.contact);
	hc.s = h.contact;
	hc.len = strlen(h.contact);

	memset(&k, 0, sizeof(k));
	t = ifo_now_usec();
	found = ifs_store_get_sealed(&hc, claim_key_cb, &k);
	clk->store += ifo_now_usec() - t;
	if(found < 0)
		return claim_reject("no memory", node, h.contact);
	/* No second usrloc lookup: the fetch that served this record found
	 * its contact valid, and the store follows usrloc (de-registration
	 * and the contact-following timer remove the record of a contact
	 * that went; the record keeps the contact's expiry). No record means
	 * it went since the fetch: nothing the claim may replace. */
	if(!found)
		rc = IFS_PUT_SUPERSEDED;
	else if(k.aor.len > IFO_URI_MAX || k.contact.len > IFO_URI_MAX)
		rc = -2;
	else {
		memset(&in, 0, sizeof(in));
		in.contact = k.contact;
		in.aor = k.aor;
		in.served = k.served;
		in.node = *node;
		in.keyid.s = h.keyid;
		in.keyid.len = strlen(h.keyid);
		in.text = *line;
		in.generation = h.generation;
		in.rec_expires = (time_t)h.expires;
		in.expires = ifs_effective_expires(k.expires, in.rec_expires);
		in.confirmed = 1;
		t = ifo_now_usec();
		rc = ifs_store_replace(&in, if_gen, 1, &stored_gen);
		clk->store += ifo_now_usec() - t;
	}
	if(found)
		pkg_free(k.contact.s);
	switch(rc) {
		case IFS_PUT_NEW:
		case IFS_PUT_REPLACED:
			update_stat(ifs_st_claim_ok, 1);
			LM_DBG("record of %s claimed by node %.*s (generation %llu)\n",
					h.contact, node->len, node->s,
					(unsigned long long)h.generation);
			return CLAIM_ACCEPTED;
		case IFS_PUT_SUPERSEDED:
			update_stat(ifs_st_claim_sup, 1);
			LM_WARN("claim of %s by node %.*s superseded: it was made from "
					"generation %llu, the record held is %s%llu (the UE "
					"registered again meanwhile, or the record is a replay)\n",
					h.contact, node->len, node->s,
					(unsigned long long)if_gen, stored_gen ? "" : "gone, ",
					(unsigned long long)stored_gen);
			return CLAIM_SUPERSEDED;
		case IFS_PUT_STALE:
			return claim_reject(
					"generation not newer than stored", node, h.contact);
		case -2:
			return claim_reject(
					"contact or IMPU over 255 characters", node, h.contact);
		default:
			return claim_reject("store error", node, h.contact);
	}
}

int ifs_serve_claim(sip_msg_t *msg, hdr_field_t *hf)
{
	serve_params_t p;
	ifo_claim_line_t cl;
	str rec;
	size_t pos;
	char *body, *end;
	char hdrs[96];
	char *res;
	time_t now;
	serve_clock_t clk;
	uint64_t t0 = ifo_now_usec(), f0 = ifo_minor_faults(), t;
	int hl, accepted = 0, superseded = 0, lines = 0, r;

	if(ifs_serve_parse_params(&hf->body, &p) < 0)
		return ifs_serve_answer_bad(msg, "Malformed X-IMS-SA-Claim");
	if(!ifs_serve_node_ok(&p.node))
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Claim node");
	body = get_body(msg);
	if(body == NULL)
		return ifs_serve_answer_bad(msg, "Unreadable body");
	end = msg->buf + msg->len;
	/* one result per non-empty line: never more than the body's bytes */
	res = pkg_malloc(end - body + 1);
	if(res == NULL) {
		PKG_MEM_ERROR;
		ifs_serve_answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
		return IFS_SERVE_FAILED;
	}
	now = time(NULL);
	memset(&clk, 0, sizeof(clk));
	ifs_db_batch_begin();
	pos = 0;
	while((r = ifo_claim_next(body, end - body, &pos, &cl)) != 1) {
		rec.s = (char *)cl.record.s;
		rec.len = (int)cl.record.len;
		if(r == IFO_OK)
			r = claim_one(&p.node, cl.generation, &rec, now, &clk);
		else
			r = claim_reject(
					"no generation of the record it replaces", &p.node, NULL);
		accepted += r == CLAIM_ACCEPTED;
		superseded += r == CLAIM_SUPERSEDED;
		res[lines++] = (char)r;
	}
	t = ifo_now_usec();
	ifs_db_batch_end(ifs_store_holds);
	clk.db = ifo_now_usec() - t;
	update_stat(ifs_st_claim_req, 1);
	t = ifo_now_usec() - t0;
	LM_INFO("claim by node %.*s: %d of %d records accepted, %d "
			"superseded; %llu ms: verify %llu, store %llu, "
			"database %llu; %llu page faults\n",
			p.node.len, p.node.s, accepted, lines, superseded,
			(unsigned long long)(t / 1000),
			(unsigned long long)(clk.verify / 1000),
			(unsigned long long)(clk.store / 1000),
			(unsigned long long)(clk.db / 1000),
			(unsigned long long)(ifo_minor_faults() - f0));
	hl = snprintf(hdrs, sizeof(hdrs),
			"X-IMS-SA-Accepted: %d\r\nX-IMS-SA-Superseded: %d\r\n"
			"Content-Type: text/plain\r\n",
			accepted, superseded);
	/* the body: one result letter per claimed line, in their order */
	return ifs_serve_answer_ok(msg, hdrs, hl, res, lines);
}
