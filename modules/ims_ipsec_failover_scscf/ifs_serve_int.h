/*
 * What the fetch (ifs_fetch.c) and claim (ifs_claim.c) handlers share
 * with the dispatcher (ifs_serve.c): answering, header parameters, the
 * time accounting of the INFO lines.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_SERVE_INT_H
#define IFS_SERVE_INT_H

#include <stdint.h>

#include "core/parser/msg_parser.h"
#include "core/str.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_record.h"

/* Where a fetch or a claim spends its time, for the INFO line that
 * answers "why is this takeover slow" on the S-CSCF side. */
typedef struct serve_clock
{
	uint64_t store, usrloc, verify, db;
} serve_clock_t;

/* header parameters: "name=value;name=value", names case-insensitive */
typedef struct serve_params
{
	str node;
	str cursor;
	str max;
} serve_params_t;

int ifs_serve_parse_params(const str *body, serve_params_t *p);
/* node= as the record library takes node ids (ifo_token_valid) */
#define ifs_serve_node_ok(n) \
	ifo_token_valid((n)->s, (n)->len < 0 ? 0 : (size_t)(n)->len, IFO_NODE_MAX)
int ifs_serve_parse_uint(
		const str *v, unsigned long long lim, unsigned long long *out);

/*
 * Replies with headers hdrs (a complete header block, may be NULL) and
 * body (may be NULL); both are pkg blocks, owned by this function from
 * here on. 0 or -1.
 */
int ifs_serve_answer(sip_msg_t *msg, int code, const char *reason, char *hdrs,
		int hlen, char *body, int blen);
/* 200 with a copy of the header block hdrs (hlen bytes) and body (a pkg
 * block or NULL, owned from here on); 500 when out of memory.
 * IFS_SERVE_ANSWERED or IFS_SERVE_FAILED. */
int ifs_serve_answer_ok(
		sip_msg_t *msg, const char *hdrs, int hlen, char *body, int blen);
/* 400 with why as the reason, counted and logged: IFS_SERVE_FAILED */
int ifs_serve_answer_bad(sip_msg_t *msg, const char *why);

/* Copies of the n strings src[i] into dst[i], in one pkg block, which
 * dst[0].s points to (pkg_free(dst[0].s) frees them all). 0, or -1 when
 * out of memory (logged). For the callbacks that copy records out under
 * a store slot lock. */
int ifs_serve_dup(str *dst, const str *const *src, int n);

/* The Service-Route URIs served with every record (service_route). */
extern str ifs_serve_routes[IFO_PAGE_MAX_LIST];
extern int ifs_serve_n_routes;

int ifs_serve_fetch(sip_msg_t *msg, hdr_field_t *hf);
int ifs_serve_claim(sip_msg_t *msg, hdr_field_t *hf);

#endif
