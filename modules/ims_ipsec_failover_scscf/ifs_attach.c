/*
 * Attaching stored records to terminating requests.
 *
 * Nothing here sees a key: the sealed text goes out exactly as stored, and
 * the P-CSCF opens it only with the Request-URI as the contact it was
 * sealed for.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>

#include "core/counters.h"
#include "core/dprint.h"

#include "ifo/ifo_seal.h"
#include "ifo_sip.h"

#include "ifs_attach.h"
#include "ifs_config.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_uri.h"

/* room for a Request-URI with an ;alias= parameter around a contact of
 * IFO_URI_MAX characters */
#define ATTACH_URI_BUF 512

typedef struct attach_copy
{
	time_t now;
	int expired;
	str text; /* in buf */
	char buf[IFO_TEXT_MAX];
} attach_copy_t;

/* under the slot lock: copy only */
static int copy_cb(const ifs_rec_t *r, void *param)
{
	attach_copy_t *cp = (attach_copy_t *)param;

	/* the P-CSCF refuses it anyway; the timer removes it */
	if(r->rec_expires <= cp->now) {
		cp->expired = 1;
		return 0;
	}
	if(r->text.len <= 0 || r->text.len >= (int)sizeof(cp->buf))
		return -1;
	memcpy(cp->buf, r->text.s, r->text.len);
	cp->text.s = cp->buf;
	cp->text.len = r->text.len;
	return 0;
}

int ifs_attach(sip_msg_t *msg)
{
	char buf[ATTACH_URI_BUF];
	attach_copy_t cp;
	str *ruri, bare;
	int rc;

	if(msg->first_line.type != SIP_REQUEST) {
		LM_ERR("not a request\n");
		return -1;
	}
	ruri = GET_RURI(msg);
	/* lookup() sets the contact as usrloc holds it, with the ;alias= the
	 * P-CSCF may have added; records are found by the contact without it,
	 * as sealed */
	if(ifs_uri_strip_alias(ruri, buf, sizeof(buf), &bare) < 0) {
		LM_DBG("Request-URI too long for a contact: no record\n");
		return -1;
	}
	memset(&cp, 0, sizeof(cp));
	cp.now = time(NULL);
	rc = ifs_store_get_sealed(&bare, copy_cb, &cp);
	if(rc < 0) {
		LM_ERR("record of %.*s unusable: not attached\n", bare.len, bare.s);
		return -1;
	}
	if(rc == 0 || cp.expired) {
		LM_DBG("no current record for %.*s\n", bare.len, bare.s);
		return -1;
	}
	if(ifo_sip_append(msg, &ifs_cfg.header_name, &cp.text) < 0)
		return -1;
	update_stat(ifs_st_attached, 1);
	return 1;
}
