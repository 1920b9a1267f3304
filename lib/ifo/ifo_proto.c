/*
 * ifo_proto.c - header parameters, numbers, claim lines and claim answers
 * of the retrieval protocol.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>

#include "ifo_err.h"
#include "ifo_proto.h"
#include "ifo_record.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static ifo_span_t trim(const char *s, size_t n)
{
	ifo_span_t v;

	while(n && blank(*s)) {
		s++;
		n--;
	}
	while(n && blank(s[n - 1]))
		n--;
	v.s = s;
	v.len = n;
	return v;
}

int ifo_proto_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0, d;
	size_t i;

	*out = 0;
	if(s == NULL || n == 0 || n > 20)
		return IFO_ERR_FORMAT;
	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return IFO_ERR_FORMAT;
		d = (uint64_t)(s[i] - '0');
		/* v * 10 + d > max, asked without computing it */
		if(v > max / 10 || (v == max / 10 && d > max % 10))
			return IFO_ERR_FORMAT;
		v = v * 10 + d;
	}
	*out = v;
	return IFO_OK;
}

static int name_is(ifo_span_t name, const char *lit)
{
	return name.len == strlen(lit) && strncasecmp(name.s, lit, name.len) == 0;
}

int ifo_proto_params(const char *s, size_t n, ifo_params_t *p)
{
	const char *end, *semi, *eq;
	ifo_span_t item, name, val, *slot;

	memset(p, 0, sizeof(*p));
	if(s == NULL)
		return n ? IFO_ERR_INVAL : IFO_OK;
	end = s + n;
	while(s < end) {
		semi = memchr(s, ';', (size_t)(end - s));
		item = trim(s, (size_t)((semi ? semi : end) - s));
		s = semi ? semi + 1 : end;
		if(item.len == 0)
			continue;
		eq = memchr(item.s, '=', item.len);
		if(eq == NULL)
			goto bad;
		name = trim(item.s, (size_t)(eq - item.s));
		val = trim(eq + 1, (size_t)(item.s + item.len - eq - 1));
		if(name_is(name, "node"))
			slot = &p->node;
		else if(name_is(name, "cursor"))
			slot = &p->cursor;
		else if(name_is(name, "max"))
			slot = &p->max;
		else
			continue;
		if(slot->s != NULL || val.len == 0)
			goto bad;
		*slot = val;
	}
	return IFO_OK;
bad:
	memset(p, 0, sizeof(*p));
	return IFO_ERR_FORMAT;
}

/* The next line of buf from *pos that is not blank, trimmed, into *out
 * (*pos moves past it): 1, or 0 at the end. */
static int next_line(const char *buf, size_t len, size_t *pos, ifo_span_t *out)
{
	const char *line, *nl;
	size_t n;

	while(*pos < len) {
		line = buf + *pos;
		nl = memchr(line, '\n', len - *pos);
		n = nl ? (size_t)(nl - line) : len - *pos;
		*pos += n + (nl ? 1 : 0);
		*out = trim(line, n);
		if(out->len != 0)
			return 1;
	}
	return 0;
}

int ifo_claim_next(
		const char *buf, size_t len, size_t *pos, ifo_claim_line_t *l)
{
	const char *sp;

	memset(l, 0, sizeof(*l));
	if(!next_line(buf, len, pos, &l->line))
		return 1;
	sp = memchr(l->line.s, ' ', l->line.len);
	if(sp == NULL
			|| ifo_proto_uint(l->line.s, (size_t)(sp - l->line.s), UINT64_MAX,
					   &l->generation)
					   != IFO_OK)
		return IFO_ERR_FORMAT;
	l->record.s = sp + 1;
	l->record.len = (size_t)(l->line.s + l->line.len - l->record.s);
	return l->record.len == 0 ? IFO_ERR_FORMAT : IFO_OK;
}

int ifo_claim_results(const char *body, size_t len, char *res, size_t nres)
{
	size_t i;
	int set = 0;

	if((body == NULL && len) || (res == NULL && nres))
		return IFO_ERR_INVAL;
	for(i = 0; i < len && i < nres; i++) {
		if(body[i] == IFO_CLAIM_RES_ACCEPTED
				|| body[i] == IFO_CLAIM_RES_SUPERSEDED
				|| body[i] == IFO_CLAIM_RES_REFUSED) {
			res[i] = body[i];
			set++;
		}
	}
	return set;
}

int ifo_moves_next(const char *buf, size_t len, size_t *pos, ifo_span_t *node)
{
	memset(node, 0, sizeof(*node));
	if(!next_line(buf, len, pos, node))
		return 1;
	return ifo_token_valid(node->s, node->len, IFO_NODE_MAX) ? IFO_OK
															 : IFO_ERR_FORMAT;
}
