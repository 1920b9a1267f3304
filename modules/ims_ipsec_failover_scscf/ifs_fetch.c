/*
 * Fetch: one page of an origin node's records, each with the Path and
 * public identities usrloc held when it was stored (ifs_rec_t.served).
 * A takeover fetches thousands of records at once and the registrations
 * they belong to are in memory this process has mostly never touched, so
 * the store keeps what the fetch serves and the fetch does not ask usrloc
 * again: a re-registration refreshes both record and served data, a
 * de-registration removes the record at once, and the contact timer
 * removes a record whose contact usrloc dropped otherwise (RTR, an
 * administrator) within a check_interval. A record without served data
 * (loaded from the database at start-up) is completed from usrloc. Store
 * locks and usrloc locks are never held together: a page of records is
 * copied out of the store under its slot locks first.
 *
 * A fetch answer never holds more than max= records, since the P-CSCF
 * drops whatever goes beyond, and never more than IFS_SERVE_BODY_MAX
 * bytes of body; when a page is cut short, the next cursor is the store
 * key of the first record left out, so nothing is lost.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/trim.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_seal.h"
#include "ifo_clock.h"

#include "ifs_serve.h"
#include "ifs_serve_int.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_ul.h"
#include "ifs_uri.h"

#define CONTENT_TYPE "application/x-ims-sa-records"
/* store rounds per page when usrloc invalidates what a round copied */
#define IFS_SERVE_ROUNDS 8

/* A record copied out of the store (contact and text in one pkg block). */
typedef struct cand
{
	unsigned int key;
	time_t expires;
	time_t rec_expires;
	str contact; /* store key: the usrloc contact URI */
	str text;
	str served;
} cand_t;

typedef struct cand_list
{
	cand_t *v;
	int n, max;
} cand_list_t;

/* Runs under a store slot lock: copies only. */
static int cand_cb(const ifs_rec_t *r, void *param)
{
	cand_list_t *cl = (cand_list_t *)param;
	const str *src[3] = {&r->contact, &r->text, &r->served};
	cand_t *nv, *c;

	if(cl->n == cl->max) {
		/* only records sharing one key make a page exceed max */
		nv = pkg_realloc(cl->v, 2 * cl->max * sizeof(cand_t));
		if(nv == NULL) {
			PKG_MEM_ERROR;
			return -1;
		}
		cl->v = nv;
		cl->max *= 2;
	}
	c = &cl->v[cl->n];
	if(ifs_serve_dup(&c->contact, src, 3) < 0)
		return -1;
	c->key = ifs_store_key(r);
	c->expires = r->expires;
	c->rec_expires = r->rec_expires;
	cl->n++;
	return 0;
}

static void cand_reset(cand_list_t *cl)
{
	int i;

	for(i = 0; i < cl->n; i++)
		pkg_free(cl->v[i].contact.s);
	cl->n = 0;
}

static ifo_span_t span(const str *s)
{
	ifo_span_t v = {s->s, (size_t)s->len};
	return v;
}

/* The page being built. A group is the run of records sharing one key:
 * a cursor cannot resume inside it, so a cut falls before it. */
typedef struct page
{
	char *body;
	size_t len;
	int n, max;
	unsigned int grp_key;
	size_t grp_len;
	int grp_n;
	int skipped;
	int asked; /* completed from usrloc */
	serve_clock_t *clk;
} page_t;

/* Line of one record: 1 added, 0 skipped (contact not valid, or record
 * unusable), -1 it does not fit. */
static int page_add(page_t *pg, const cand_t *c, time_t now)
{
	ifo_header_t h;
	ifo_page_entry_t e;
	ifs_ul_info_t u;
	str hc;
	uint64_t t;
	int i, rc;

	if(c->rec_expires <= now)
		return 0;
	/* the P-CSCF opens the record expecting the contact it was sealed
	 * for, which the store key is, possibly with an ;alias= added */
	if(ifo_peek(c->text.s, c->text.len, &h) != IFO_OK) {
		LM_ERR("record stored for %.*s is unreadable: not served\n",
				c->contact.len, c->contact.s);
		return 0;
	}
	hc.s = h.contact;
	hc.len = strlen(h.contact);
	if(!ifs_uri_contact_matches(&c->contact, &hc)) {
		LM_WARN("record stored for %.*s was sealed for %.*s: not served\n",
				c->contact.len, c->contact.s, hc.len, hc.s);
		return 0;
	}
	if(pg->n >= pg->max)
		return -1;
	if(c->served.len > 0 && ifs_ul_served_split(&c->served, &u) == 0) {
		if(c->expires <= now)
			return 0;
		u.expires = c->expires;
	} else {
		t = ifo_now_usec();
		rc = ifs_ul_lookup(&c->contact, 1, &u);
		pg->clk->usrloc += ifo_now_usec() - t;
		pg->asked++;
		if(rc != IFS_UL_VALID) {
			LM_DBG("%.*s not valid in usrloc: not served\n", c->contact.len,
					c->contact.s);
			pg->skipped++;
			return 0;
		}
	}
	memset(&e, 0, sizeof(e));
	e.record = span(&c->text);
	e.contact = span(&hc);
	e.expires = (uint64_t)(u.expires ? u.expires : c->rec_expires);
	e.path = span(&u.path);
	e.n_routes = ifs_serve_n_routes;
	for(i = 0; i < ifs_serve_n_routes; i++)
		e.routes[i] = span(&ifs_serve_routes[i]);
	e.n_ids = u.n_ids;
	for(i = 0; i < u.n_ids; i++)
		e.ids[i] = span(&u.ids[i]);
	rc = ifo_page_put(pg->body, IFS_SERVE_BODY_MAX, &pg->len, &e);
	ifs_ul_info_free(&u);
	if(rc == IFO_ERR_TOOLONG)
		return -1;
	if(rc != IFO_OK)
		return 0;
	pg->n++;
	return 1;
}

/*
 * Where the next page starts when candidate c does not fit. A group is
 * never cut: its lines on this page are taken back and it starts the next
 * one. A group that alone does not fit an empty page can never be served
 * (contacts colliding on 32 bits, more of them than max, or a line over
 * IFS_SERVE_BODY_MAX): what was not sent of it is left out of this walk,
 * rather than stalling the walk for good.
 */
static unsigned int page_cut(page_t *pg, const cand_t *c)
{
	if(pg->grp_n > 0) {
		pg->len = pg->grp_len;
		pg->n = pg->grp_n;
		return c->key;
	}
	LM_WARN("record(s) at store key %u cannot fit a page of %d: left out "
			"of this fetch\n",
			c->key, pg->max);
	return c->key + 1; /* wraps to 0 (complete) after the last key */
}

int ifs_serve_fetch(sip_msg_t *msg, hdr_field_t *hf)
{
	serve_params_t p;
	unsigned long long cursor, max;
	unsigned int next;
	cand_list_t cl;
	page_t pg;
	serve_clock_t clk;
	char hdrs[128];
	char *h;
	time_t now;
	uint64_t t0 = ifo_now_usec(), f0 = ifo_minor_faults(), t;
	int i, r, hl, rounds, stop = 0;

	if(ifs_serve_parse_params(&hf->body, &p) < 0)
		return ifs_serve_answer_bad(msg, "Malformed X-IMS-SA-Fetch");
	if(!ifs_serve_node_ok(&p.node))
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Fetch node");
	if(ifs_serve_parse_uint(&p.cursor, 0xffffffffULL, &cursor) < 0)
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Fetch cursor");
	if(ifs_serve_parse_uint(&p.max, IFS_SERVE_MAX_PAGE, &max) < 0 || max < 1)
		return ifs_serve_answer_bad(msg, "Bad X-IMS-SA-Fetch max (1..200)");

	memset(&cl, 0, sizeof(cl));
	memset(&pg, 0, sizeof(pg));
	memset(&clk, 0, sizeof(clk));
	pg.clk = &clk;
	pg.max = (int)max;
	cl.max = pg.max;
	cl.v = pkg_malloc(cl.max * sizeof(cand_t));
	pg.body = pkg_malloc(IFS_SERVE_BODY_MAX);
	if(cl.v == NULL || pg.body == NULL) {
		PKG_MEM_ERROR;
		goto error;
	}
	now = time(NULL);
	next = (unsigned int)cursor;
	for(rounds = 0; rounds < IFS_SERVE_ROUNDS && !stop; rounds++) {
		unsigned int from = next;

		t = ifo_now_usec();
		r = ifs_store_page(&p.node, from, pg.max - pg.n, cand_cb, &cl, &next);
		clk.store += ifo_now_usec() - t;
		if(r < 0) {
			cand_reset(&cl);
			goto error;
		}
		for(i = 0; i < cl.n; i++) {
			cand_t *c = &cl.v[i];

			if(i == 0 || c->key != pg.grp_key) {
				pg.grp_key = c->key;
				pg.grp_len = pg.len;
				pg.grp_n = pg.n;
			}
			r = page_add(&pg, c, now);
			if(r < 0) {
				next = page_cut(&pg, c);
				stop = 1;
				break;
			}
		}
		cand_reset(&cl);
		if(next == 0 || pg.n >= pg.max)
			stop = 1;
	}

	hl = snprintf(hdrs, sizeof(hdrs), "X-IMS-SA-Next: %u\r\n%s", next,
			pg.len ? "Content-Type: " CONTENT_TYPE "\r\n" : "");
	h = pkg_malloc(hl);
	if(h == NULL) {
		PKG_MEM_ERROR;
		goto error;
	}
	memcpy(h, hdrs, hl);
	pkg_free(cl.v);
	update_stat(ifs_st_fetch_req, 1);
	update_stat(ifs_st_served, pg.n);
	if(pg.skipped)
		update_stat(ifs_st_serve_skip, pg.skipped);
	t = ifo_now_usec() - t0;
	LM_INFO("fetch of node %.*s (cursor %llu, max %d): %d records, %d "
			"completed from usrloc, %d not valid in usrloc, %zu bytes, next "
			"%u; %llu ms: store %llu, usrloc %llu; %llu page faults\n",
			p.node.len, p.node.s, cursor, pg.max, pg.n, pg.asked, pg.skipped,
			pg.len, next, (unsigned long long)(t / 1000),
			(unsigned long long)(clk.store / 1000),
			(unsigned long long)(clk.usrloc / 1000),
			(unsigned long long)(ifo_minor_faults() - f0));
	if(ifs_serve_answer(msg, 200, "OK", h, hl, pg.body, (int)pg.len) < 0)
		return IFS_SERVE_FAILED;
	return IFS_SERVE_ANSWERED;

error:
	if(cl.v)
		pkg_free(cl.v);
	if(pg.body)
		pkg_free(pg.body);
	ifs_serve_answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
	return IFS_SERVE_FAILED;
}
