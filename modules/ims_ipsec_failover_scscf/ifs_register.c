/*
 * Store and strip logic on a REGISTER. The S-CSCF holds no key: it checks
 * the record's structure and clear header (ifo_peek), binds it to a contact
 * the registrar has just saved, and enforces anti-rollback by generation.
 * Rejections are counted per reason and logged with contact and origin
 * node, never with the record text.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/parser/contact/parse_contact.h"
#include "core/parser/parse_expires.h"
#include "core/parser/parse_to.h"
#include "core/trim.h"
#include "core/ut.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_record.h"
#include "ifo/ifo_seal.h"
#include "ifo_sip.h"

#include "ifs_config.h"
#include "ifs_register.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_timer.h"
#include "ifs_ul.h"
#include "ifs_uri.h"
#include "ifs_verify.h"

typedef struct reg_contact
{
	str uri;
	int expires; /* -1: none given, the registrar's default applies */
} reg_contact_t;

typedef struct reg_info
{
	reg_contact_t c[IFS_MAX_CONTACTS];
	int n;
	int star;		 /* "Contact: *" */
	int hdr_expires; /* Expires header, -1 if absent */
	str impu;
} reg_info_t;

static int reg_parse(sip_msg_t *msg, reg_info_t *ri)
{
	hdr_field_t *hf;
	contact_body_t *cb;
	contact_t *c;
	exp_body_t *eb;
	unsigned int v;

	memset(ri, 0, sizeof(*ri));
	ri->hdr_expires = -1;
	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_REGISTER) {
		LM_ERR("not a REGISTER request\n");
		return -1;
	}
	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the REGISTER headers\n");
		return -1;
	}
	if(msg->to == NULL || parse_to_header(msg) < 0) {
		LM_ERR("REGISTER without a valid To header\n");
		return -1;
	}
	ifs_uri_impu(&get_to(msg)->uri, &ri->impu);
	if(msg->expires) {
		if(msg->expires->parsed == NULL && parse_expires(msg->expires) < 0) {
			LM_ERR("cannot parse the Expires header\n");
			return -1;
		}
		eb = (exp_body_t *)msg->expires->parsed;
		if(eb && eb->valid)
			ri->hdr_expires = (int)eb->val;
	}
	for(hf = msg->contact; hf; hf = next_sibling_hdr(hf)) {
		if(hf->parsed == NULL && parse_contact(hf) < 0) {
			LM_ERR("cannot parse a Contact header\n");
			return -1;
		}
		cb = (contact_body_t *)hf->parsed;
		if(cb->star)
			ri->star = 1;
		for(c = cb->contacts; c; c = c->next) {
			if(ri->n == IFS_MAX_CONTACTS) {
				LM_WARN("REGISTER of %.*s has more than %d contacts: the "
						"others are ignored\n",
						ri->impu.len, ri->impu.s, IFS_MAX_CONTACTS);
				return 0;
			}
			ri->c[ri->n].uri = c->uri;
			ri->c[ri->n].expires = ri->hdr_expires;
			if(c->expires && c->expires->body.len > 0
					&& str2int(&c->expires->body, &v) == 0)
				ri->c[ri->n].expires = (int)v;
			ri->n++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* de-registration */

/* The contact is de-registered; its record goes once usrloc agrees (a
 * misplaced call before save() must not wipe a live registration's
 * record: the timer then removes it when usrloc does). */
static void dereg_contact(const str *uri)
{
	time_t exp;

	if(ifs_ul_contact(uri, &exp) == IFS_UL_VALID) {
		LM_DBG("%.*s still valid in usrloc: record kept for now\n", uri->len,
				uri->s);
		return;
	}
	if(ifs_store_del(uri, NULL, 1) == 1) {
		update_stat(ifs_st_deleted, 1);
		LM_DBG("record of de-registered contact %.*s deleted\n", uri->len,
				uri->s);
	}
}

typedef struct impu_match
{
	const str *impu;
	str *contacts; /* pkg copies */
	uint64_t *gens;
	int n, max;
} impu_match_t;

static int impu_cb(const ifs_rec_t *r, void *param)
{
	impu_match_t *m = (impu_match_t *)param;
	str *nc;
	uint64_t *ng;
	int nmax;

	if(r->aor.len != m->impu->len
			|| memcmp(r->aor.s, m->impu->s, r->aor.len) != 0)
		return 0;
	if(m->n == m->max) {
		nmax = m->max ? 2 * m->max : 8;
		nc = pkg_realloc(m->contacts, nmax * sizeof(str));
		if(nc == NULL)
			goto nomem;
		m->contacts = nc;
		ng = pkg_realloc(m->gens, nmax * sizeof(uint64_t));
		if(ng == NULL)
			goto nomem;
		m->gens = ng;
		m->max = nmax;
	}
	m->contacts[m->n].s = pkg_malloc(r->contact.len);
	if(m->contacts[m->n].s == NULL)
		goto nomem;
	memcpy(m->contacts[m->n].s, r->contact.s, r->contact.len);
	m->contacts[m->n].len = r->contact.len;
	m->gens[m->n] = r->generation;
	m->n++;
	return 0;
nomem:
	PKG_MEM_ERROR;
	return -1;
}

/* "Contact: *" with Expires: 0 removes every contact of the IMPU; the
 * REGISTER does not list them, so find their records by IMPU. Rare: a full
 * walk of the store is acceptable. */
static void dereg_impu(const str *impu)
{
	impu_match_t m;
	unsigned int cursor = 0, next;
	time_t exp;
	int i;

	memset(&m, 0, sizeof(m));
	m.impu = impu;
	do {
		if(ifs_store_page(NULL, cursor, 256, impu_cb, &m, &next) < 0)
			break;
		cursor = next;
	} while(cursor != 0);
	for(i = 0; i < m.n; i++) {
		if(ifs_ul_contact(&m.contacts[i], &exp) != IFS_UL_VALID
				&& ifs_store_del(&m.contacts[i], &m.gens[i], 1) == 1)
			update_stat(ifs_st_deleted, 1);
		pkg_free(m.contacts[i].s);
	}
	if(m.contacts)
		pkg_free(m.contacts);
	if(m.gens)
		pkg_free(m.gens);
}

/* ------------------------------------------------------------------ */
/* storing one record */

static void reject(stat_var *st, const char *why, const str *contact,
		const char *node, const str *impu)
{
	update_stat(st, 1);
	LM_WARN("record rejected (%s): contact=%.*s node=%s impu=%.*s\n", why,
			contact ? contact->len : 1, contact ? contact->s : "-",
			node ? node : "-", impu->len, impu->s);
}

/* One record header: IFS_RC_STORED, IFS_RC_REJECTED or IFS_RC_ERROR. */
static int store_one(const reg_info_t *ri, const str *body, time_t now)
{
	ifo_header_t h;
	ifs_rec_t in;
	ifs_ul_info_t u;
	const str *uri = NULL;
	str val = *body, hc;
	uint64_t stored_gen = 0;
	char served[IFS_SERVED_MAX];
	int i, rc;

	trim(&val);
	if(val.len <= 0 || val.len >= IFO_TEXT_MAX) {
		reject(ifs_st_rej_format, "empty or too long", NULL, NULL, &ri->impu);
		return IFS_RC_REJECTED;
	}
	rc = ifs_verify(val.s, val.len, &h);
	hc.s = h.contact;
	hc.len = strlen(h.contact);
	if(ifs_verify_is_auth_error(rc)) {
		reject(ifs_st_rej_auth, ifs_verify_why(rc), &hc, h.node, &ri->impu);
		return IFS_RC_REJECTED;
	}
	if(rc != IFO_OK) {
		reject(ifs_st_rej_format, ifo_strerror(rc), NULL, NULL, &ri->impu);
		return IFS_RC_REJECTED;
	}
	if((time_t)h.expires <= now) {
		reject(ifs_st_rej_expired, "sealed expiry passed", &hc, h.node,
				&ri->impu);
		return IFS_RC_REJECTED;
	}
	for(i = 0; i < ri->n; i++) {
		if(ri->c[i].expires != 0
				&& ifs_uri_contact_matches(&ri->c[i].uri, &hc)) {
			uri = &ri->c[i].uri;
			break;
		}
	}
	if(uri == NULL) {
		reject(ifs_st_rej_contact,
				"not a registering contact of this "
				"REGISTER",
				&hc, h.node, &ri->impu);
		return IFS_RC_REJECTED;
	}
	if(uri->len > IFO_URI_MAX || ri->impu.len > IFO_URI_MAX) {
		reject(ifs_st_rej_contact, "contact or IMPU over 255 characters", &hc,
				h.node, &ri->impu);
		return IFS_RC_REJECTED;
	}
	/* what a takeover's fetch will serve with the record is read now,
	 * once per registration, rather than from usrloc in the fetch */
	if(ifs_ul_lookup(uri, 1, &u) != IFS_UL_VALID) {
		ifs_ul_info_free(&u);
		reject(ifs_st_rej_contact, "contact not registered in usrloc", &hc,
				h.node, &ri->impu);
		return IFS_RC_REJECTED;
	}
	memset(&in, 0, sizeof(in));
	in.served.s = served;
	in.served.len = ifs_ul_served_join(&u, served, sizeof(served));
	if(in.served.len < 0)
		in.served.len = 0; /* the fetch asks usrloc instead */
	in.contact = *uri;
	in.aor = ri->impu;
	in.node.s = h.node;
	in.node.len = strlen(h.node);
	in.keyid.s = h.keyid;
	in.keyid.len = strlen(h.keyid);
	in.text = val;
	in.generation = h.generation;
	in.rec_expires = (time_t)h.expires;
	in.expires = ifs_effective_expires(u.expires, in.rec_expires);
	in.confirmed = 1;
	ifs_ul_info_free(&u);
	switch(ifs_store_put(&in, 1, &stored_gen)) {
		case IFS_PUT_NEW:
			update_stat(ifs_st_stored, 1);
			LM_DBG("record of %.*s stored (node %s, generation %llu)\n",
					uri->len, uri->s, h.node, (unsigned long long)h.generation);
			return IFS_RC_STORED;
		case IFS_PUT_REPLACED:
			update_stat(ifs_st_replaced, 1);
			LM_DBG("record of %.*s replaced (node %s, generation %llu)\n",
					uri->len, uri->s, h.node, (unsigned long long)h.generation);
			return IFS_RC_STORED;
		case IFS_PUT_STALE:
			update_stat(ifs_st_rej_stale, 1);
			LM_WARN("record rejected (generation %llu not newer than stored "
					"%llu: replay or rollback): contact=%.*s node=%s "
					"impu=%.*s\n",
					(unsigned long long)h.generation,
					(unsigned long long)stored_gen, hc.len, hc.s, h.node,
					ri->impu.len, ri->impu.s);
			return IFS_RC_REJECTED;
		default:
			LM_ERR("cannot store the record of %.*s\n", uri->len, uri->s);
			return IFS_RC_ERROR;
	}
}

int ifs_register_store(sip_msg_t *msg)
{
	reg_info_t ri;
	hdr_field_t *hf = NULL;
	time_t now;
	int i, n, rc, nhdr = 0, stored = 0, rejected = 0, errors = 0;

	if(reg_parse(msg, &ri) < 0)
		return IFS_RC_ERROR;
	now = time(NULL);

	for(i = 0; i < ri.n; i++) {
		if(ri.c[i].expires == 0)
			dereg_contact(&ri.c[i].uri);
	}
	if(ri.star && ri.hdr_expires == 0)
		dereg_impu(&ri.impu);

	while((hf = ifo_sip_find(msg, &ifs_cfg.header_name, hf)) != NULL) {
		nhdr++;
		rc = store_one(&ri, &hf->body, now);
		if(rc == IFS_RC_STORED)
			stored++;
		else if(rc == IFS_RC_REJECTED)
			rejected++;
		else
			errors++;
	}
	if(nhdr > 0) {
		/* in the async route the REGISTER goes nowhere, but the message
		 * may still be relayed by a script: never let a record out */
		n = ifo_sip_strip(msg, &ifs_cfg.header_name);
		if(n > 0)
			update_stat(ifs_st_stripped, n);
	}

	/* a re-REGISTER without a record keeps the old one, with the
	 * contact's new expiry */
	for(i = 0; i < ri.n; i++) {
		if(ri.c[i].expires != 0)
			ifs_timer_follow(&ri.c[i].uri, 1, now);
	}

	if(stored > 0)
		return IFS_RC_STORED;
	if(errors > 0)
		return IFS_RC_ERROR;
	if(rejected > 0)
		return IFS_RC_REJECTED;
	return IFS_RC_NOHDR;
}

int ifs_register_strip(sip_msg_t *msg)
{
	int n;

	n = ifo_sip_strip(msg, &ifs_cfg.header_name);
	if(n > 0)
		update_stat(ifs_st_stripped, n);
	return n;
}
