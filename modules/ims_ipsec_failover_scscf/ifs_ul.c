/*
 * ims_usrloc_scscf binding and contact lookups. usrloc locks are taken
 * here and never while a store slot lock is held.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/sr_module.h"
#include "modules/ims_usrloc_scscf/usrloc.h"

#include "ifs_ul.h"

/* ims_usrloc_scscf_mod.h: 1 = CONTACT_CALLID */
#define UL_MATCH_CALLID 1

static usrloc_api_t ifs_ul;

int ifs_ul_bind(void)
{
	bind_usrloc_t bind;
	struct sr_module *m;
	modparam_t type;
	int *mode;

	/* the S-CSCF usrloc exports the same name as the plain usrloc module;
	 * check it is the IMS one, whose API layout this module was built
	 * against */
	m = find_module_by_name("ims_usrloc_scscf");
	if(m == NULL) {
		LM_ERR("ims_usrloc_scscf must be loaded (before this module)\n");
		return -1;
	}
	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind == NULL || bind(&ifs_ul) < 0) {
		LM_ERR("cannot bind ims_usrloc_scscf: load it before this module\n");
		return -1;
	}
	/* Lookups pass the contact alone: a matching mode that also needs the
	 * REGISTER's Call-ID would never find a contact from the timer. */
	type = PARAM_INT;
	mode = (int *)find_param_export(m, "matching_mode", PARAM_INT, &type);
	if(mode != NULL && *mode == UL_MATCH_CALLID) {
		LM_ERR("ims_usrloc_scscf matching_mode 1 (contact+callid) is not "
			   "supported: use 0, 2 or 3\n");
		return -1;
	}
	return 0;
}

void ifs_ul_info_free(ifs_ul_info_t *u)
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
static void ul_identities(const str *dom, ifs_ul_info_t *u)
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
	if(ifs_ul.get_udomain(dname, &d) != 0 || d == NULL)
		return;
	ifs_ul.lock_udomain(d, &u->aor);
	if(ifs_ul.get_impurecord(d, &u->aor, &impu) != 0 || impu->s == NULL)
		goto out;
	s = impu->s;
	ifs_ul.lock_subscription(s);
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
	ifs_ul.unlock_subscription(s);
out:
	ifs_ul.unlock_udomain(d, &u->aor);
}

/*
 * The one contact lookup: the state of contact uri, its expiry in
 * *expires when valid, and with u != NULL what the fetch answer needs
 * (AOR, Path) copied into u and the contact's usrloc domain into dom.
 * Without u nothing is allocated, so the timer's judgement of a record
 * never depends on free memory.
 */
static int lookup(const str *uri, time_t *expires, ifs_ul_info_t *u,
		char *dom, int dom_size)
{
	ucontact_t *c = NULL;
	str contact = *uri, callid = STR_NULL;
	int state = IFS_UL_INVALID;

	/* the contact alone, no Path: in mode 2 (contact+path) usrloc then
	 * falls back to the contact alone, which identifies the record */
	if(ifs_ul.get_ucontact(&contact, &callid, NULL, 0, &c) != 0 || c == NULL)
		return IFS_UL_GONE;
	ifs_ul.lock_contact_slot_i(c->sl);
	if(VALID_CONTACT(c, time(NULL))) {
		state = IFS_UL_VALID;
		*expires = c->expires;
		if(u != NULL) {
			u->mem = pkg_malloc(c->aor.len + c->path.len + 1);
			if(u->mem == NULL) {
				PKG_MEM_ERROR;
				state = IFS_UL_INVALID;
			} else {
				u->aor.s = u->mem;
				u->aor.len = c->aor.len;
				memcpy(u->aor.s, c->aor.s, c->aor.len);
				u->path.s = u->mem + c->aor.len;
				u->path.len = c->path.len;
				if(c->path.len > 0)
					memcpy(u->path.s, c->path.s, c->path.len);
				if(c->domain.len > 0 && c->domain.len < dom_size) {
					memcpy(dom, c->domain.s, c->domain.len);
					dom[c->domain.len] = '\0';
				}
			}
		}
	}
	ifs_ul.unlock_contact_slot_i(c->sl);
	ifs_ul.release_ucontact(c);
	return state;
}

int ifs_ul_lookup(const str *uri, int want_ids, ifs_ul_info_t *u)
{
	char dbuf[64] = "";
	str dom;
	int state;

	memset(u, 0, sizeof(*u));
	state = lookup(uri, &u->expires, u, dbuf, sizeof(dbuf));
	if(state != IFS_UL_VALID) {
		ifs_ul_info_free(u);
		return state;
	}
	dom.s = dbuf;
	dom.len = strlen(dbuf);
	if(want_ids)
		ul_identities(&dom, u);
	if(u->n_ids == 0 && u->aor.len > 0) {
		u->ids[0] = u->aor;
		u->n_ids = 1;
	}
	return state;
}

int ifs_ul_contact(const str *uri, time_t *expires)
{
	return lookup(uri, expires, NULL, NULL, 0);
}

int ifs_ul_served_join(const ifs_ul_info_t *u, char *buf, int size)
{
	int i, len = u->path.len;

	if(u->n_ids < 1 || len >= size
			|| (len > 0 && memchr(u->path.s, '\n', len) != NULL))
		return -1;
	memcpy(buf, u->path.s, len);
	for(i = 0; i < u->n_ids; i++) {
		if(u->ids[i].len <= 0 || len + 1 + u->ids[i].len > size
				|| memchr(u->ids[i].s, '\n', u->ids[i].len) != NULL)
			return -1;
		buf[len++] = '\n';
		memcpy(buf + len, u->ids[i].s, u->ids[i].len);
		len += u->ids[i].len;
	}
	return len;
}

int ifs_ul_served_split(const str *s, ifs_ul_info_t *u)
{
	char *p = s->s, *end = s->s + s->len, *nl;

	memset(u, 0, sizeof(*u));
	nl = s->len > 0 ? memchr(p, '\n', end - p) : NULL;
	if(nl == NULL)
		return -1;
	u->path.s = p;
	u->path.len = nl - p;
	for(p = nl + 1; p <= end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if(nl == NULL)
			nl = end;
		if(nl == p || u->n_ids == IFO_PAGE_MAX_LIST)
			return -1;
		u->ids[u->n_ids].s = p;
		u->ids[u->n_ids].len = nl - p;
		u->n_ids++;
	}
	return 0;
}

int ifs_ul_domain(const str *name, void **domain, int create)
{
	char buf[64];
	udomain_t *d = NULL;
	int rc;

	if(name->len <= 0 || name->len >= (int)sizeof(buf)) {
		if(create)
			LM_ERR("invalid usrloc domain name length %d\n", name->len);
		return -1;
	}
	memcpy(buf, name->s, name->len);
	buf[name->len] = '\0';
	rc = create ? ifs_ul.register_udomain(buf, &d)
				: ifs_ul.get_udomain(buf, &d);
	if(rc != 0 || d == NULL) {
		if(create)
			LM_ERR("cannot register usrloc domain '%s'\n", buf);
		return -1;
	}
	*domain = d;
	return 0;
}
