/*
 * SIP helpers for the sealed-record header.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/data_lump.h"
#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/parser/parse_hname2.h"
#include "core/strutils.h"

#include "ifo_sip.h"

hdr_field_t *ifo_sip_find(sip_msg_t *msg, const str *hname, hdr_field_t *after)
{
	hdr_field_t *hf;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers of the message\n");
		return NULL;
	}
	for(hf = after ? after->next : msg->headers; hf; hf = hf->next) {
		if(cmp_hdrname_str(&hf->name, (str *)hname) == 0)
			return hf;
	}
	return NULL;
}

int ifo_sip_strip(sip_msg_t *msg, const str *hname)
{
	hdr_field_t *hf = NULL;
	int n = 0;

	while((hf = ifo_sip_find(msg, hname, hf)) != NULL) {
		if(del_lump(msg, hf->name.s - msg->buf, hf->len, 0) == NULL) {
			LM_ERR("cannot remove header %.*s\n", hname->len, hname->s);
			return -1;
		}
		n++;
	}
	return n;
}

int ifo_sip_append(sip_msg_t *msg, const str *hname, const str *value)
{
	struct lump *anchor;
	char *buf;
	int len;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers of the message\n");
		return -1;
	}
	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	if(anchor == NULL) {
		LM_ERR("cannot anchor the new header\n");
		return -1;
	}
	len = hname->len + 2 + value->len + CRLF_LEN;
	buf = pkg_malloc(len);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(buf, hname->s, hname->len);
	memcpy(buf + hname->len, ": ", 2);
	memcpy(buf + hname->len + 2, value->s, value->len);
	memcpy(buf + len - CRLF_LEN, CRLF, CRLF_LEN);
	/* the lump owns buf from here */
	if(insert_new_lump_before(anchor, buf, len, 0) == NULL) {
		LM_ERR("cannot insert the new header\n");
		pkg_free(buf);
		return -1;
	}
	return 0;
}
