/*
 * ims_usrloc_scscf binding and contact lookups.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
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

int ifs_ul_contact(const str *uri, time_t *expires)
{
	ucontact_t *c = NULL;
	str contact = *uri;
	str callid = STR_NULL;
	time_t now;
	int state;

	/* No Path: in mode 2 (contact+path) usrloc then falls back to the
	 * contact alone, which is what identifies the record. */
	if(ifs_ul.get_ucontact(&contact, &callid, NULL, 0, &c) != 0 || c == NULL)
		return IFS_UL_GONE;
	now = time(NULL);
	ifs_ul.lock_contact_slot_i(c->sl);
	if(VALID_CONTACT(c, now)) {
		state = IFS_UL_VALID;
		*expires = c->expires;
	} else {
		state = IFS_UL_INVALID;
	}
	ifs_ul.unlock_contact_slot_i(c->sl);
	ifs_ul.release_ucontact(c);
	return state;
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
