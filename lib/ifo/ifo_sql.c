/*
 * ifo_sql.c - the guarded multi-row upsert of the S-CSCF's store table
 * (see ifo_sql.h)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_sql.h"

#define TABLE_MAX 64

/* The column list, in the order of ifo_sql_row_t's values below. */
static const char cols[] =
		"contact, aor, node, keyid, generation, expires, record";
static const char *const set_cols[] = {
		"aor", "node", "keyid", "generation", "expires", "record"};

static int put(const char *s, size_t n, char *out, size_t cap, size_t *pos)
{
	if(cap - *pos < n)
		return IFO_ERR_TOOLONG;
	memcpy(out + *pos, s, n);
	*pos += n;
	return IFO_OK;
}

static int puts_(const char *s, char *out, size_t cap, size_t *pos)
{
	return put(s, strlen(s), out, cap, pos);
}

int ifo_sql_literal(
		ifo_sql_dialect_t d, ifo_span_t s, char *out, size_t cap, size_t *pos)
{
	size_t p = *pos, i;
	const char *open = d == IFO_SQL_POSTGRES ? "E'" : "'";

	if(out == NULL || pos == NULL || *pos > cap || (s.s == NULL && s.len))
		return IFO_ERR_INVAL;
	if(s.len && memchr(s.s, '\0', s.len) != NULL)
		return IFO_ERR_FORMAT;
	if(puts_(open, out, cap, &p) != IFO_OK)
		return IFO_ERR_TOOLONG;
	for(i = 0; i < s.len; i++) {
		char c = s.s[i];

		/* the room for the closing quote is checked below */
		if(c == '\'' || (c == '\\' && d == IFO_SQL_POSTGRES)) {
			if(cap - p < 2)
				return IFO_ERR_TOOLONG;
			out[p++] = c;
			out[p++] = c;
		} else {
			if(cap - p < 1)
				return IFO_ERR_TOOLONG;
			out[p++] = c;
		}
	}
	if(put("'", 1, out, cap, &p) != IFO_OK)
		return IFO_ERR_TOOLONG;
	*pos = p;
	return IFO_OK;
}

static int table_ok(const char *t, size_t n)
{
	size_t i;

	if(t == NULL || n == 0 || n > TABLE_MAX)
		return 0;
	for(i = 0; i < n; i++) {
		char c = t[i];
		int alpha =
				(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

		if(!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return 0;
	}
	return 1;
}

size_t ifo_sql_upsert_size(
		size_t table_len, const ifo_sql_row_t *rows, size_t n)
{
	/* 3 for E'', doubled bytes in the worst case; 20 digits and a sign
	 * per number; separators */
	size_t sz = 256 + 2 * table_len + sizeof(cols), i;

	for(i = 0; i < n; i++)
		sz += 5 * 3
			  + 2
						* (rows[i].contact.len + rows[i].aor.len
								+ rows[i].node.len + rows[i].keyid.len
								+ rows[i].record.len)
			  + 2 * 21 + 16;
	return sz;
}

static int put_row(ifo_sql_dialect_t d, const ifo_sql_row_t *r, char *out,
		size_t cap, size_t *pos)
{
	char num[48];
	int rc, k;

	if(puts_("(", out, cap, pos) != IFO_OK)
		return IFO_ERR_TOOLONG;
	if((rc = ifo_sql_literal(d, r->contact, out, cap, pos)) != IFO_OK
			|| (rc = puts_(", ", out, cap, pos)) != IFO_OK
			|| (rc = ifo_sql_literal(d, r->aor, out, cap, pos)) != IFO_OK
			|| (rc = puts_(", ", out, cap, pos)) != IFO_OK
			|| (rc = ifo_sql_literal(d, r->node, out, cap, pos)) != IFO_OK
			|| (rc = puts_(", ", out, cap, pos)) != IFO_OK
			|| (rc = ifo_sql_literal(d, r->keyid, out, cap, pos)) != IFO_OK)
		return rc;
	k = snprintf(num, sizeof(num), ", %" PRId64 ", %" PRId64 ", ",
			r->generation, r->expires);
	if((rc = put(num, (size_t)k, out, cap, pos)) != IFO_OK
			|| (rc = ifo_sql_literal(d, r->record, out, cap, pos)) != IFO_OK)
		return rc;
	return puts_(")", out, cap, pos);
}

int ifo_sql_upsert(ifo_sql_dialect_t d, const char *table, size_t table_len,
		const ifo_sql_row_t *rows, size_t n, char *out, size_t cap, size_t *len)
{
	size_t pos = 0, i;
	int rc;

	if(rows == NULL || n == 0 || out == NULL || len == NULL || cap == 0)
		return IFO_ERR_INVAL;
	if(!table_ok(table, table_len))
		return IFO_ERR_FORMAT;
	/* one byte kept for the NUL */
	cap--;
	if((rc = puts_("INSERT INTO ", out, cap, &pos)) != IFO_OK
			|| (rc = put(table, table_len, out, cap, &pos)) != IFO_OK
			|| (rc = puts_(" (", out, cap, &pos)) != IFO_OK
			|| (rc = puts_(cols, out, cap, &pos)) != IFO_OK
			|| (rc = puts_(") VALUES ", out, cap, &pos)) != IFO_OK)
		return rc;
	for(i = 0; i < n; i++) {
		if(i > 0 && (rc = puts_(", ", out, cap, &pos)) != IFO_OK)
			return rc;
		if((rc = put_row(d, &rows[i], out, cap, &pos)) != IFO_OK)
			return rc;
	}
	if((rc = puts_(" ON CONFLICT (contact) DO UPDATE SET ", out, cap, &pos))
			!= IFO_OK)
		return rc;
	for(i = 0; i < sizeof(set_cols) / sizeof(set_cols[0]); i++) {
		if((i > 0 && (rc = puts_(", ", out, cap, &pos)) != IFO_OK)
				|| (rc = puts_(set_cols[i], out, cap, &pos)) != IFO_OK
				|| (rc = puts_(" = excluded.", out, cap, &pos)) != IFO_OK
				|| (rc = puts_(set_cols[i], out, cap, &pos)) != IFO_OK)
			return rc;
	}
	/* a newer stored row stays: the guard of every write of the store */
	if((rc = puts_(" WHERE ", out, cap, &pos)) != IFO_OK
			|| (rc = put(table, table_len, out, cap, &pos)) != IFO_OK
			|| (rc = puts_(
						".generation <= excluded.generation", out, cap, &pos))
					   != IFO_OK)
		return rc;
	out[pos] = '\0';
	*len = pos;
	return IFO_OK;
}
