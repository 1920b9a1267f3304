/*
 * ifo_sql.h - the S-CSCF store table's guarded replace as one SQL
 * statement for many rows.
 *
 * Kamailio's DB API offers a guarded replace only as three statements a
 * row (delete the older row, look for a newer one, insert), each prepared
 * anew by the driver: at a takeover's claims that was most of the
 * S-CSCF's time. SQLite (3.24 and later) and PostgreSQL (9.5 and later)
 * share an upsert syntax,
 *
 *   INSERT INTO t (contact, aor, node, keyid, generation, expires, record)
 *   VALUES (...), (...) ON CONFLICT (contact) DO UPDATE SET ...
 *   WHERE t.generation <= excluded.generation
 *
 * which does the same for a whole batch in one statement: a row replaces
 * the stored row of its contact only when that one is of an older or
 * equal generation. Values go in as literals (the DB API's raw query has
 * no parameters), quoted here for each dialect; anything this cannot
 * quote safely is refused, and the caller then uses the DB API.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SQL_H
#define IFO_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_page.h"

typedef enum ifo_sql_dialect
{
	IFO_SQL_SQLITE,	  /* '...', a quote doubled; no other escape */
	IFO_SQL_POSTGRES, /* E'...', quote doubled and backslash escaped, so
						 that standard_conforming_strings does not matter */
} ifo_sql_dialect_t;

/* One row of the table (ims_ipsec_failover-*.sql). The numbers are
 * stored as the signed bigint the DB API writes. */
typedef struct ifo_sql_row
{
	ifo_span_t contact;
	ifo_span_t aor;
	ifo_span_t node;
	ifo_span_t keyid;
	ifo_span_t record;
	int64_t generation;
	int64_t expires;
} ifo_sql_row_t;

/*
 * Appends s as a string literal of dialect d at out + *pos (cap bytes in
 * all), and advances *pos. IFO_ERR_FORMAT for a NUL byte (no literal of
 * either dialect can hold one), IFO_ERR_TOOLONG when it does not fit
 * (*pos is then unchanged). Nothing is NUL-terminated.
 */
int ifo_sql_literal(
		ifo_sql_dialect_t d, ifo_span_t s, char *out, size_t cap, size_t *pos);

/*
 * Bytes that ifo_sql_upsert needs at most for these rows (the worst case
 * of their quoting), the terminating NUL included.
 */
size_t ifo_sql_upsert_size(
		size_t table_len, const ifo_sql_row_t *rows, size_t n);

/*
 * The guarded upsert of rows[0..n) into table, NUL-terminated in out
 * (cap bytes), its length in *len. The table name must be an SQL
 * identifier that needs no quoting ([A-Za-z_][A-Za-z0-9_]*, at most 64
 * characters): IFO_ERR_FORMAT otherwise, or for a value holding a NUL
 * byte; IFO_ERR_INVAL for n == 0; IFO_ERR_TOOLONG when cap is too small.
 * A batch naming one contact twice is for SQLite the later row applied
 * after the earlier; PostgreSQL refuses the statement.
 */
int ifo_sql_upsert(ifo_sql_dialect_t d, const char *table, size_t table_len,
		const ifo_sql_row_t *rows, size_t n, char *out, size_t cap,
		size_t *len);

#endif /* IFO_SQL_H */
