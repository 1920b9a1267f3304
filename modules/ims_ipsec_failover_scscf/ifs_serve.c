/*
 * Serving takeover fetches and claims. Store locks and usrloc locks are
 * never held together: a page of records is copied out of the store under
 * its slot locks first, then each copy is completed from usrloc.
 *
 * A fetch answer never holds more than max= records, since the P-CSCF
 * drops whatever goes beyond, and never more than IFS_SERVE_BODY_MAX
 * bytes of body; when a page is cut short, the next cursor is the store
 * key of the first record left out, so nothing is lost.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/data_lump_rpl.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/mem/mem.h"
#include "core/parser/parse_rr.h"
#include "core/sr_module.h"
#include "core/trim.h"
#include "modules/ims_usrloc_scscf/usrloc.h"
#include "modules/sl/sl.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_seal.h"
#include "ifo_clock.h"
#include "ifo_sip.h"

#include "ifs_config.h"
#include "ifs_db.h"
#include "ifs_serve.h"
#include "ifs_verify.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_ul.h"
#include "ifs_uri.h"

/* Where a fetch or a claim spends its time, for the INFO line that
 * answers "why is this takeover slow" on the S-CSCF side. */
typedef struct serve_clock
{
	uint64_t store, usrloc, verify, db;
} serve_clock_t;

#define CONTENT_TYPE "application/x-ims-sa-records"
/* store rounds per page when usrloc invalidates what a round copied */
#define IFS_SERVE_ROUNDS 8

static str fetch_hdr = str_init("X-IMS-SA-Fetch");
static str claim_hdr = str_init("X-IMS-SA-Claim");

static sl_api_t ifs_slb;
static usrloc_api_t ifs_sul;

/* Service-Route URIs (bare, as the P-CSCF polices them), pointing into
 * ifs_cfg.service_route */
static str ifs_routes[IFO_PAGE_MAX_LIST];
static int ifs_n_routes;

/* ------------------------------------------------------------------ */
/* set-up */

static int parse_service_route(void)
{
	rr_t *head = NULL, *r;
	str *v = &ifs_cfg.service_route;

	if(v->len <= 0) {
		LM_WARN("service_route is empty: records are served without a "
				"Service-Route, so a P-CSCF taking over will impose no "
				"route on the UEs it recovers\n");
		return 0;
	}
	if(parse_rr_body(v->s, v->len, &head) < 0 || head == NULL) {
		LM_ERR("service_route '%.*s' is not a list of name-addrs\n", v->len,
				v->s);
		return -1;
	}
	for(r = head; r; r = r->next) {
		if(ifs_n_routes == IFO_PAGE_MAX_LIST) {
			LM_ERR("service_route has more than %d entries\n",
					IFO_PAGE_MAX_LIST);
			free_rr(&head);
			return -1;
		}
		/* the P-CSCF compares Route URIs with these byte for byte */
		ifs_routes[ifs_n_routes++] = r->nameaddr.uri;
	}
	free_rr(&head);
	return 0;
}

int ifs_serve_init(void)
{
	bind_usrloc_t bind;

	if(sl_load_api(&ifs_slb) < 0) {
		LM_ERR("cannot bind sl (load sl.so before this module)\n");
		return -1;
	}
	/* ifs_ul_bind has checked it is ims_usrloc_scscf's */
	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind == NULL || bind(&ifs_sul) < 0) {
		LM_ERR("cannot bind ims_usrloc_scscf\n");
		return -1;
	}
	return parse_service_route();
}

/* ------------------------------------------------------------------ */
/* answering */

static void bad_request(sip_msg_t *msg, const char *why)
{
	update_stat(ifs_st_bad_req, 1);
	LM_WARN("takeover request from %s:%u refused: %s\n",
			ip_addr2a(&msg->rcv.src_ip), msg->rcv.src_port, why);
}

/*
 * Replies with headers hdrs (a complete header block, may be NULL) and
 * body (may be NULL); both are pkg blocks, owned by this function from
 * here on. The lumps are taken off the message again afterwards, so that
 * a later reply to the same request does not repeat them.
 */
static int answer(sip_msg_t *msg, int code, const char *reason, char *hdrs,
		int hlen, char *body, int blen)
{
	struct lump_rpl *lh = NULL, *lb = NULL;
	str r;
	int rc = -1;

	if(hdrs) {
		lh = add_lump_rpl(msg, hdrs, hlen, LUMP_RPL_HDR | LUMP_RPL_NODUP);
		if(lh == NULL) {
			pkg_free(hdrs);
			goto out;
		}
	}
	if(body && blen > 0) {
		lb = add_lump_rpl(msg, body, blen, LUMP_RPL_BODY | LUMP_RPL_NODUP);
		if(lb == NULL)
			goto out;
		body = NULL;
	}
	r.s = (char *)reason;
	r.len = strlen(reason);
	rc = ifs_slb.freply(msg, code, &r);
	if(rc < 0)
		LM_ERR("cannot send the %d reply to %s:%u\n", code,
				ip_addr2a(&msg->rcv.src_ip), msg->rcv.src_port);
out:
	if(body)
		pkg_free(body);
	if(lh) {
		unlink_lump_rpl(msg, lh);
		free_lump_rpl(lh);
	}
	if(lb) {
		unlink_lump_rpl(msg, lb);
		free_lump_rpl(lb);
	}
	return rc < 0 ? -1 : 0;
}

static int answer_bad(sip_msg_t *msg, const char *why)
{
	bad_request(msg, why);
	answer(msg, 400, why, NULL, 0, NULL, 0);
	return IFS_SERVE_FAILED;
}

/* ------------------------------------------------------------------ */
/* header parameters: "name=value;name=value", names case-insensitive */

typedef struct serve_params
{
	str node;
	str cursor;
	str max;
} serve_params_t;

static int serve_parse_params(const str *body, serve_params_t *p)
{
	str item, name, val, *slot;
	char *s = body->s, *end = body->s + body->len, *semi, *eq;

	memset(p, 0, sizeof(*p));
	while(s < end) {
		semi = memchr(s, ';', end - s);
		item.s = s;
		item.len = (semi ? semi : end) - s;
		s = semi ? semi + 1 : end;
		trim(&item);
		if(item.len == 0)
			continue;
		eq = memchr(item.s, '=', item.len);
		if(eq == NULL)
			return -1;
		name.s = item.s;
		name.len = eq - item.s;
		val.s = eq + 1;
		val.len = item.s + item.len - val.s;
		trim(&name);
		trim(&val);
		if(name.len == 4 && strncasecmp(name.s, "node", 4) == 0)
			slot = &p->node;
		else if(name.len == 6 && strncasecmp(name.s, "cursor", 6) == 0)
			slot = &p->cursor;
		else if(name.len == 3 && strncasecmp(name.s, "max", 3) == 0)
			slot = &p->max;
		else
			continue; /* room for later versions of the client */
		if(slot->s != NULL || val.len == 0)
			return -1;
		*slot = val;
	}
	return 0;
}

/* [A-Za-z0-9._-]{1,IFO_NODE_MAX}, as the record library requires */
static int node_ok(const str *n)
{
	int i;
	char c;

	if(n->s == NULL || n->len <= 0 || n->len > IFO_NODE_MAX)
		return 0;
	for(i = 0; i < n->len; i++) {
		c = n->s[i];
		if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				   || (c >= '0' && c <= '9') || c == '.' || c == '_'
				   || c == '-'))
			return 0;
	}
	return 1;
}

static int parse_uint(
		const str *v, unsigned long long lim, unsigned long long *out)
{
	int i;

	if(v->s == NULL || v->len <= 0 || v->len > 20)
		return -1;
	*out = 0;
	for(i = 0; i < v->len; i++) {
		if(v->s[i] < '0' || v->s[i] > '9')
			return -1;
		*out = *out * 10 + (unsigned long long)(v->s[i] - '0');
		if(*out > lim)
			return -1;
	}
	return 0;
}

/* The only header of this name, or NULL with *dup set if repeated. */
static hdr_field_t *find_one(sip_msg_t *msg, const str *name, int *dup)
{
	hdr_field_t *hf;

	hf = ifo_sip_find(msg, name, NULL);
	*dup = (hf && ifo_sip_find(msg, name, hf) != NULL);
	return hf;
}

/* ------------------------------------------------------------------ */
/* usrloc */

typedef struct ul_info
{
	time_t expires; /* 0: never */
	str aor;
	str path;
	str ids[IFO_PAGE_MAX_LIST];
	int n_ids;
	char *mem;	   /* pkg: aor, path */
	char *ids_mem; /* pkg: identities */
} ul_info_t;

static void ul_info_free(ul_info_t *u)
{
	if(u->mem)
		pkg_free(u->mem);
	if(u->ids_mem)
		pkg_free(u->ids_mem);
	memset(u, 0, sizeof(*u));
}

/*
 * The public identities the registrar put in the P-Associated-URI of the
 * 200 OK (unbarred ones of the subscription, in its order: the first is
 * the default identity), which is where the stock P-CSCF learns them.
 */
static void ul_identities(const str *dom, ul_info_t *u)
{
	char dname[64];
	udomain_t *d = NULL;
	impurecord_t *impu = NULL;
	ims_subscription *s;
	ims_public_identity *pi;
	int i, j, n = 0, len = 0;
	char *p;

	if(dom->len <= 0 || dom->len >= (int)sizeof(dname))
		return;
	memcpy(dname, dom->s, dom->len);
	dname[dom->len] = '\0';
	if(ifs_sul.get_udomain(dname, &d) != 0 || d == NULL)
		return;
	ifs_sul.lock_udomain(d, &u->aor);
	if(ifs_sul.get_impurecord(d, &u->aor, &impu) != 0 || impu->s == NULL)
		goto out;
	s = impu->s;
	ifs_sul.lock_subscription(s);
	for(i = 0; i < s->service_profiles_cnt && n < IFO_PAGE_MAX_LIST; i++) {
		for(j = 0; j < s->service_profiles[i].public_identities_cnt
				   && n < IFO_PAGE_MAX_LIST;
				j++) {
			pi = &s->service_profiles[i].public_identities[j];
			if(pi->barring == 0 && pi->public_identity.len > 0) {
				len += pi->public_identity.len;
				n++;
			}
		}
	}
	u->ids_mem = n ? pkg_malloc(len) : NULL;
	if(u->ids_mem) {
		p = u->ids_mem;
		for(i = 0; i < s->service_profiles_cnt && u->n_ids < n; i++) {
			for(j = 0; j < s->service_profiles[i].public_identities_cnt
					   && u->n_ids < n;
					j++) {
				pi = &s->service_profiles[i].public_identities[j];
				if(pi->barring != 0 || pi->public_identity.len <= 0)
					continue;
				memcpy(p, pi->public_identity.s, pi->public_identity.len);
				u->ids[u->n_ids].s = p;
				u->ids[u->n_ids].len = pi->public_identity.len;
				p += pi->public_identity.len;
				u->n_ids++;
			}
		}
	} else if(n) {
		PKG_MEM_ERROR;
	}
	ifs_sul.unlock_subscription(s);
out:
	ifs_sul.unlock_udomain(d, &u->aor);
}

/*
 * What usrloc holds for contact uri: IFS_UL_VALID with *u filled (ids
 * only if want_ids; at least the contact's own IMPU), or IFS_UL_GONE /
 * IFS_UL_INVALID with *u empty. Takes no store lock.
 */
static int ul_lookup(const str *uri, int want_ids, ul_info_t *u)
{
	ucontact_t *c = NULL;
	str contact = *uri, callid = STR_NULL, dom = STR_NULL;
	char dbuf[64];
	int state = IFS_UL_INVALID;

	memset(u, 0, sizeof(*u));
	/* the same lookup as ifs_ul_contact: contact alone, no Path */
	if(ifs_sul.get_ucontact(&contact, &callid, NULL, 0, &c) != 0 || c == NULL)
		return IFS_UL_GONE;
	ifs_sul.lock_contact_slot_i(c->sl);
	if(VALID_CONTACT(c, time(NULL))) {
		u->mem = pkg_malloc(c->aor.len + c->path.len + 1);
		if(u->mem == NULL) {
			PKG_MEM_ERROR;
		} else {
			state = IFS_UL_VALID;
			u->expires = c->expires;
			u->aor.s = u->mem;
			u->aor.len = c->aor.len;
			memcpy(u->aor.s, c->aor.s, c->aor.len);
			u->path.s = u->mem + c->aor.len;
			u->path.len = c->path.len;
			if(c->path.len > 0)
				memcpy(u->path.s, c->path.s, c->path.len);
			if(c->domain.len > 0 && c->domain.len < (int)sizeof(dbuf)) {
				memcpy(dbuf, c->domain.s, c->domain.len);
				dom.s = dbuf;
				dom.len = c->domain.len;
			}
		}
	}
	ifs_sul.unlock_contact_slot_i(c->sl);
	ifs_sul.release_ucontact(c);
	if(state != IFS_UL_VALID)
		return state;
	if(want_ids)
		ul_identities(&dom, u);
	if(u->n_ids == 0 && u->aor.len > 0) {
		u->ids[0] = u->aor;
		u->n_ids = 1;
	}
	return state;
}

/* ------------------------------------------------------------------ */
/* fetch */

/* A record copied out of the store (contact and text in one pkg block). */
typedef struct cand
{
	unsigned int key;
	time_t rec_expires;
	str contact; /* store key: the usrloc contact URI */
	str text;
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
	c->contact.s = pkg_malloc(r->contact.len + r->text.len);
	if(c->contact.s == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	c->contact.len = r->contact.len;
	memcpy(c->contact.s, r->contact.s, r->contact.len);
	c->text.s = c->contact.s + r->contact.len;
	c->text.len = r->text.len;
	memcpy(c->text.s, r->text.s, r->text.len);
	c->key = ifs_store_key(r);
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
	serve_clock_t *clk;
} page_t;

/* Line of one record: 1 added, 0 skipped (contact not valid, or record
 * unusable), -1 it does not fit. */
static int page_add(page_t *pg, const cand_t *c, time_t now)
{
	ifo_header_t h;
	ifo_page_entry_t e;
	ul_info_t u;
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
	t = ifo_now_usec();
	rc = ul_lookup(&c->contact, 1, &u);
	pg->clk->usrloc += ifo_now_usec() - t;
	if(rc != IFS_UL_VALID) {
		LM_DBG("%.*s not valid in usrloc: not served\n", c->contact.len,
				c->contact.s);
		pg->skipped++;
		return 0;
	}
	memset(&e, 0, sizeof(e));
	e.record = span(&c->text);
	e.contact = span(&hc);
	e.expires = (uint64_t)(u.expires ? u.expires : c->rec_expires);
	e.path = span(&u.path);
	e.n_routes = ifs_n_routes;
	for(i = 0; i < ifs_n_routes; i++)
		e.routes[i] = span(&ifs_routes[i]);
	e.n_ids = u.n_ids;
	for(i = 0; i < u.n_ids; i++)
		e.ids[i] = span(&u.ids[i]);
	rc = ifo_page_put(pg->body, IFS_SERVE_BODY_MAX, &pg->len, &e);
	ul_info_free(&u);
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

static int serve_fetch(sip_msg_t *msg, hdr_field_t *hf)
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

	if(serve_parse_params(&hf->body, &p) < 0)
		return answer_bad(msg, "Malformed X-IMS-SA-Fetch");
	if(!node_ok(&p.node))
		return answer_bad(msg, "Bad X-IMS-SA-Fetch node");
	if(parse_uint(&p.cursor, 0xffffffffULL, &cursor) < 0)
		return answer_bad(msg, "Bad X-IMS-SA-Fetch cursor");
	if(parse_uint(&p.max, IFS_SERVE_MAX_PAGE, &max) < 0 || max < 1)
		return answer_bad(msg, "Bad X-IMS-SA-Fetch max (1..200)");

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
	LM_INFO("fetch of node %.*s (cursor %llu, max %d): %d records, %d not "
			"valid in usrloc, %zu bytes, next %u; %llu ms: store %llu, "
			"usrloc %llu; %llu page faults\n",
			p.node.len, p.node.s, cursor, pg.max, pg.n, pg.skipped, pg.len,
			next, (unsigned long long)(t / 1000),
			(unsigned long long)(clk.store / 1000),
			(unsigned long long)(clk.usrloc / 1000),
			(unsigned long long)(ifo_minor_faults() - f0));
	if(answer(msg, 200, "OK", h, hl, pg.body, (int)pg.len) < 0)
		return IFS_SERVE_FAILED;
	return IFS_SERVE_ANSWERED;

error:
	if(cl.v)
		pkg_free(cl.v);
	if(pg.body)
		pkg_free(pg.body);
	answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
	return IFS_SERVE_FAILED;
}

/* ------------------------------------------------------------------ */
/* claim */

/* The stored record a claim replaces: its key and IMPU (pkg copies). */
typedef struct claim_key
{
	str contact;
	str aor;
} claim_key_t;

/* Runs under a store slot lock: copies only. */
static int claim_key_cb(const ifs_rec_t *r, void *param)
{
	claim_key_t *k = (claim_key_t *)param;

	k->contact.s = pkg_malloc(r->contact.len + r->aor.len);
	if(k->contact.s == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	k->contact.len = r->contact.len;
	memcpy(k->contact.s, r->contact.s, r->contact.len);
	k->aor.s = k->contact.s + r->contact.len;
	k->aor.len = r->aor.len;
	memcpy(k->aor.s, r->aor.s, r->aor.len);
	return 0;
}

/* What became of each line of a claim, in the answer's body. */
#define CLAIM_ACCEPTED 'A'
#define CLAIM_SUPERSEDED 'S'
#define CLAIM_REFUSED 'R'

static int claim_reject(const char *why, const str *node, const char *contact)
{
	update_stat(ifs_st_claim_rej, 1);
	LM_WARN("claimed record refused (%s): node=%.*s contact=%s\n", why,
			node->len, node->s, contact ? contact : "-");
	return CLAIM_REFUSED;
}

/* "<generation> <record>": the generation of the record the claimant
 * fetched, which the claim may replace and nothing else. */
static int claim_split(const str *line, uint64_t *if_gen, str *rec)
{
	int i;

	*if_gen = 0;
	for(i = 0; i < line->len && line->s[i] >= '0' && line->s[i] <= '9'; i++) {
		if(i == 20)
			return -1;
		*if_gen = *if_gen * 10 + (uint64_t)(line->s[i] - '0');
	}
	if(i == 0 || i >= line->len || line->s[i] != ' ')
		return -1;
	rec->s = line->s + i + 1;
	rec->len = line->len - i - 1;
	return rec->len > 0 ? 0 : -1;
}

/* One body line: CLAIM_ACCEPTED, CLAIM_SUPERSEDED or CLAIM_REFUSED (each
 * counted and, but for acceptance, logged). */
static int claim_one(
		const str *node, const str *text, time_t now, serve_clock_t *clk)
{
	ifo_header_t h;
	claim_key_t k;
	ul_info_t u;
	ifs_rec_t in;
	str hc, rl, *line = &rl;
	uint64_t if_gen, stored_gen = 0, t;
	int rc, found;

	if(claim_split(text, &if_gen, &rl) < 0)
		return claim_reject(
				"no generation of the record it replaces", node, NULL);
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
	if(found == 0)
		k.contact = hc; /* no record yet: the contact as sealed */
	t = ifo_now_usec();
	rc = ul_lookup(&k.contact, 0, &u);
	clk->usrloc += ifo_now_usec() - t;
	if(rc != IFS_UL_VALID) {
		if(found)
			pkg_free(k.contact.s);
		return claim_reject(
				"contact not registered in usrloc", node, h.contact);
	}
	memset(&in, 0, sizeof(in));
	in.contact = k.contact;
	in.aor = found ? k.aor : u.aor;
	in.node = *node;
	in.keyid.s = h.keyid;
	in.keyid.len = strlen(h.keyid);
	in.text = *line;
	in.generation = h.generation;
	in.rec_expires = (time_t)h.expires;
	in.expires = ifs_effective_expires(u.expires, in.rec_expires);
	in.confirmed = 1;
	if(in.aor.len > IFO_URI_MAX || in.contact.len > IFO_URI_MAX)
		rc = -2;
	else {
		t = ifo_now_usec();
		rc = ifs_store_replace(&in, if_gen, 1, &stored_gen);
		clk->store += ifo_now_usec() - t;
	}
	ul_info_free(&u);
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

static int serve_claim(sip_msg_t *msg, hdr_field_t *hf)
{
	serve_params_t p;
	str line;
	char *body, *end, *s, *nl;
	char hdrs[96];
	char *h, *res;
	time_t now;
	serve_clock_t clk;
	uint64_t t0 = ifo_now_usec(), f0 = ifo_minor_faults(), t;
	int hl, accepted = 0, superseded = 0, lines = 0, r;

	if(serve_parse_params(&hf->body, &p) < 0)
		return answer_bad(msg, "Malformed X-IMS-SA-Claim");
	if(!node_ok(&p.node))
		return answer_bad(msg, "Bad X-IMS-SA-Claim node");
	body = get_body(msg);
	if(body == NULL)
		return answer_bad(msg, "Unreadable body");
	end = msg->buf + msg->len;
	/* one result per non-empty line: never more than the body's bytes */
	res = pkg_malloc(end - body + 1);
	if(res == NULL) {
		PKG_MEM_ERROR;
		answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
		return IFS_SERVE_FAILED;
	}
	now = time(NULL);
	memset(&clk, 0, sizeof(clk));
	ifs_db_batch_begin();
	for(s = body; s < end; s = nl ? nl + 1 : end) {
		nl = memchr(s, '\n', end - s);
		line.s = s;
		line.len = (nl ? nl : end) - s;
		trim(&line);
		if(line.len == 0)
			continue;
		r = claim_one(&p.node, &line, now, &clk);
		accepted += r == CLAIM_ACCEPTED;
		superseded += r == CLAIM_SUPERSEDED;
		res[lines++] = (char)r;
	}
	t = ifo_now_usec();
	ifs_db_batch_end();
	clk.db = ifo_now_usec() - t;
	update_stat(ifs_st_claim_req, 1);
	t = ifo_now_usec() - t0;
	LM_INFO("claim by node %.*s: %d of %d records accepted, %d "
			"superseded; %llu ms: verify %llu, store %llu, usrloc %llu, "
			"database %llu; %llu page faults\n",
			p.node.len, p.node.s, accepted, lines, superseded,
			(unsigned long long)(t / 1000),
			(unsigned long long)(clk.verify / 1000),
			(unsigned long long)(clk.store / 1000),
			(unsigned long long)(clk.usrloc / 1000),
			(unsigned long long)(clk.db / 1000),
			(unsigned long long)(ifo_minor_faults() - f0));
	hl = snprintf(hdrs, sizeof(hdrs),
			"X-IMS-SA-Accepted: %d\r\nX-IMS-SA-Superseded: %d\r\n"
			"Content-Type: text/plain\r\n",
			accepted, superseded);
	h = pkg_malloc(hl);
	if(h == NULL) {
		PKG_MEM_ERROR;
		pkg_free(res);
		answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
		return IFS_SERVE_FAILED;
	}
	memcpy(h, hdrs, hl);
	/* the body: one result letter per claimed line, in their order */
	if(answer(msg, 200, "OK", h, hl, res, lines) < 0)
		return IFS_SERVE_FAILED;
	return IFS_SERVE_ANSWERED;
}

/* ------------------------------------------------------------------ */

int ifs_serve(sip_msg_t *msg)
{
	hdr_field_t *fh, *ch;
	int fdup, cdup;

	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_OPTIONS)
		return IFS_SERVE_NOTMINE;
	fh = find_one(msg, &fetch_hdr, &fdup);
	ch = find_one(msg, &claim_hdr, &cdup);
	if(fh == NULL && ch == NULL)
		return IFS_SERVE_NOTMINE;
	if(fh && ch)
		return answer_bad(msg, "Both X-IMS-SA-Fetch and X-IMS-SA-Claim");
	if(fdup || cdup)
		return answer_bad(msg, "Repeated takeover header");
	return fh ? serve_fetch(msg, fh) : serve_claim(msg, ch);
}
