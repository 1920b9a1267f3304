/*
 * Serving takeover fetches (ifs_fetch.c) and claims (ifs_claim.c): set-up,
 * the one entry point that tells them apart, and what both use to answer.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/counters.h"
#include "core/data_lump_rpl.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/mem/mem.h"
#include "core/parser/parse_rr.h"
#include "modules/sl/sl.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_proto.h"
#include "ifo/ifo_record.h"
#include "ifo_sip.h"

#include "ifs_config.h"
#include "ifs_moves.h"
#include "ifs_serve.h"
#include "ifs_serve_int.h"
#include "ifs_stats.h"
#include "ifs_timer.h"

static str fetch_hdr = str_init("X-IMS-SA-Fetch");
static str claim_hdr = str_init("X-IMS-SA-Claim");
static str moves_hdr = str_init("X-IMS-SA-Moves");

static sl_api_t ifs_slb;

/* Service-Route URIs (bare, as the P-CSCF polices them), pointing into
 * ifs_cfg.service_route */
str ifs_serve_routes[IFO_PAGE_MAX_LIST];
int ifs_serve_n_routes;

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
		if(ifs_serve_n_routes == IFO_PAGE_MAX_LIST) {
			LM_ERR("service_route has more than %d entries\n",
					IFO_PAGE_MAX_LIST);
			free_rr(&head);
			return -1;
		}
		/* the P-CSCF compares Route URIs with these byte for byte */
		ifs_serve_routes[ifs_serve_n_routes++] = r->nameaddr.uri;
	}
	free_rr(&head);
	return 0;
}

int ifs_serve_init(void)
{
	if(sl_load_api(&ifs_slb) < 0) {
		LM_ERR("cannot bind sl (load sl.so before this module)\n");
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
int ifs_serve_answer(sip_msg_t *msg, int code, const char *reason, char *hdrs,
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

int ifs_serve_answer_ok(
		sip_msg_t *msg, const char *hdrs, int hlen, char *body, int blen)
{
	char *h = pkg_malloc(hlen);

	if(h == NULL) {
		PKG_MEM_ERROR;
		if(body)
			pkg_free(body);
		ifs_serve_answer(msg, 500, "Server Internal Error", NULL, 0, NULL, 0);
		return IFS_SERVE_FAILED;
	}
	memcpy(h, hdrs, hlen);
	if(ifs_serve_answer(msg, 200, "OK", h, hlen, body, blen) < 0)
		return IFS_SERVE_FAILED;
	return IFS_SERVE_ANSWERED;
}

int ifs_serve_answer_bad(sip_msg_t *msg, const char *why)
{
	bad_request(msg, why);
	ifs_serve_answer(msg, 400, why, NULL, 0, NULL, 0);
	return IFS_SERVE_FAILED;
}

/* ------------------------------------------------------------------ */
/* header parameters (lib/ifo/ifo_proto.h) */

static str span_str(ifo_span_t v)
{
	str s = {(char *)v.s, (int)v.len};
	return s;
}

int ifs_serve_parse_params(const str *body, serve_params_t *p)
{
	ifo_params_t ip;

	memset(p, 0, sizeof(*p));
	if(body->len < 0
			|| ifo_proto_params(body->s, (size_t)body->len, &ip) != IFO_OK)
		return -1;
	p->node = span_str(ip.node);
	p->cursor = span_str(ip.cursor);
	p->max = span_str(ip.max);
	return 0;
}

int ifs_serve_dup(str *dst, const str *const *src, int n)
{
	char *p;
	int i, len = 0;

	for(i = 0; i < n; i++)
		len += src[i]->len;
	p = pkg_malloc(len > 0 ? len : 1);
	if(p == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	for(i = 0; i < n; i++) {
		dst[i].s = p;
		dst[i].len = src[i]->len;
		memcpy(p, src[i]->s, src[i]->len);
		p += src[i]->len;
	}
	return 0;
}

int ifs_serve_parse_uint(
		const str *v, unsigned long long lim, unsigned long long *out)
{
	uint64_t u;

	if(v->len < 0 || ifo_proto_uint(v->s, (size_t)v->len, lim, &u) != IFO_OK)
		return -1;
	*out = u;
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

int ifs_serve(sip_msg_t *msg)
{
	hdr_field_t *fh, *ch, *mh;
	int fdup, cdup, mdup, rc;

	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_OPTIONS)
		return IFS_SERVE_NOTMINE;
	fh = find_one(msg, &fetch_hdr, &fdup);
	ch = find_one(msg, &claim_hdr, &cdup);
	mh = find_one(msg, &moves_hdr, &mdup);
	if(fh == NULL && ch == NULL && mh == NULL)
		return IFS_SERVE_NOTMINE;
	if((fh != NULL) + (ch != NULL) + (mh != NULL) > 1)
		return ifs_serve_answer_bad(msg,
				"More than one of X-IMS-SA-Fetch, X-IMS-SA-Claim and "
				"X-IMS-SA-Moves");
	if(fdup || cdup || mdup)
		return ifs_serve_answer_bad(msg, "Repeated takeover header");
	if(mh)
		return ifs_serve_moves(msg, mh);
	/* the contact timer's pass waits while a takeover is served */
	ifs_timer_serving();
	rc = fh ? ifs_serve_fetch(msg, fh) : ifs_serve_claim(msg, ch);
	ifs_timer_serving();
	return rc;
}
