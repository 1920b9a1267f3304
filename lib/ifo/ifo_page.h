/*
 * ifo_page.h - the body of the S-CSCF's answer to a takeover fetch: one
 * line per UE with the sealed record and the registration data the
 * S-CSCF holds for its contact (it is the authority for those):
 *
 *   <record> <contact> <expires> <path> <n> <service-route>...
 *   <m> <identity>...
 *
 * Fields are separated by one space; each string field is
 * percent-encoded (bytes <= 0x20, >= 0x7f and '%'), an empty one is ".".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_PAGE_H
#define IFO_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define IFO_PAGE_MAX_LIST 16 /* service routes, identities per UE */

typedef struct ifo_span
{
	const char *s;
	size_t len;
} ifo_span_t;

typedef struct ifo_page_entry
{
	ifo_span_t record;	/* sealed record text */
	ifo_span_t contact; /* the contact the S-CSCF holds it for */
	uint64_t expires;	/* contact expiry at the S-CSCF, unix seconds */
	ifo_span_t path;	/* Path the UE registered with */
	int n_routes;
	ifo_span_t routes[IFO_PAGE_MAX_LIST];
	int n_ids;
	ifo_span_t ids[IFO_PAGE_MAX_LIST]; /* public identities, default first */
} ifo_page_entry_t;

/* Appends one line for e to buf[*len..size); IFO_ERR_TOOLONG when it does
 * not fit (buf is then unchanged). */
int ifo_page_put(
		char *buf, size_t size, size_t *len, const ifo_page_entry_t *e);

/*
 * Parses the line starting at *pos in buf[0..len): decodes it in place
 * (the spans in e point into buf) and advances *pos past it. Returns
 * IFO_OK, 1 at the end of the body, or IFO_ERR_FORMAT (then *pos skips
 * the bad line, so the caller can count it and go on).
 */
int ifo_page_next(char *buf, size_t len, size_t *pos, ifo_page_entry_t *e);

#endif
