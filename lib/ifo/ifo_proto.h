/*
 * ifo_proto.h - the text of the retrieval protocol (ifo_fetch.h of the
 * P-CSCF module) besides the fetch page (ifo_page.h): the parameters of
 * the X-IMS-SA-Fetch, X-IMS-SA-Claim and X-IMS-SA-Moves headers, the
 * numbers of the X-IMS-SA-* headers, the lines of a claim and the letters
 * of its answer, the lines of a moves answer.
 * Each side parses here what the other sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_PROTO_H
#define IFO_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_page.h"

/*
 * A decimal number: 1 to 20 digits, nothing else, value at most max.
 * IFO_OK, or IFO_ERR_FORMAT (*out is then 0).
 */
int ifo_proto_uint(const char *s, size_t n, uint64_t max, uint64_t *out);

/* The parameters of "X-IMS-SA-Fetch: node=X;cursor=C;max=M" and of
 * "X-IMS-SA-Claim: node=Y"; a span not given has s == NULL. */
typedef struct ifo_params
{
	ifo_span_t node;
	ifo_span_t cursor;
	ifo_span_t max;
} ifo_params_t;

/*
 * Splits a header value into "name=value" items separated by ';'. Blanks
 * (space, tab, CR, LF) around items, names and values are dropped, empty
 * items skipped; names are case-insensitive, unknown ones are ignored
 * (room for later clients). IFO_ERR_FORMAT for an item without '=', an
 * empty value or a name given twice (*p is then all empty). The values
 * are not checked: that is the caller's part (ifo_token_valid,
 * ifo_proto_uint).
 */
int ifo_proto_params(const char *s, size_t n, ifo_params_t *p);

/* One line of a claim body: "<generation> <record>", the generation of
 * the record the claimant fetched, then the record it re-sealed. */
typedef struct ifo_claim_line
{
	uint64_t generation;
	ifo_span_t record; /* non-empty on IFO_OK */
	ifo_span_t line;   /* the whole line without its blanks around */
} ifo_claim_line_t;

/*
 * Parses the next line of a claim body buf[0..len) from *pos on and moves
 * *pos past it. Lines end at '\n'; blanks around a line are dropped and
 * blank lines skipped, so each line this returns is one the answer has a
 * letter for. IFO_OK; IFO_ERR_FORMAT for a line without a valid
 * generation or record (l->line holds it); 1 at the end of the body.
 */
int ifo_claim_next(
		const char *buf, size_t len, size_t *pos, ifo_claim_line_t *l);

/* What the S-CSCF did with each line of a claim: one letter a line, in
 * their order, is the body of its answer. */
#define IFO_CLAIM_RES_ACCEPTED 'A'
#define IFO_CLAIM_RES_SUPERSEDED 'S' /* it holds a newer record than fetched */
#define IFO_CLAIM_RES_REFUSED 'R'

/*
 * Reads the body of a claim answer into res[0..nres): res[i] gets the
 * letter of claim line i. Bytes that are not one of the three letters,
 * and letters past nres, leave res as it was (the answer says nothing
 * about that line). Returns how many entries of res it set, or
 * IFO_ERR_INVAL for a NULL argument with a non-zero length.
 */
int ifo_claim_results(const char *body, size_t len, char *res, size_t nres);

/*
 * The body of an answer to "X-IMS-SA-Moves: node=X;cursor=S": one node id
 * a line, each a node that records of X moved to (by a claim or by a
 * registration through it) since S. Parses the next line from *pos on
 * and moves *pos past it; blanks around a line are dropped and blank
 * lines skipped. IFO_OK with *node a valid node id (ifo_token_valid);
 * IFO_ERR_FORMAT for a line that is not one (*node holds the line); 1 at
 * the end of the body.
 */
int ifo_moves_next(const char *buf, size_t len, size_t *pos, ifo_span_t *node);

#endif
