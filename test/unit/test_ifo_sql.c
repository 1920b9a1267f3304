/*
 * test_ifo_sql.c - quoting and the guarded multi-row upsert of the
 * S-CSCF's store table
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "tu.h"
#include "ifo_err.h"
#include "ifo_sql.h"

static ifo_span_t sp(const char *s)
{
	ifo_span_t v = {s, strlen(s)};
	return v;
}

/* the literal of s, NUL-terminated in buf */
static int lit(ifo_sql_dialect_t d, const char *s, char *buf, size_t cap)
{
	size_t pos = 0;
	int rc = ifo_sql_literal(d, sp(s), buf, cap - 1, &pos);

	buf[pos] = '\0';
	return rc;
}

START_TEST(test_literal_sqlite)
{
	char buf[64];

	ck_assert_int_eq(lit(IFO_SQL_SQLITE, "sip:a@b", buf, sizeof(buf)), IFO_OK);
	ck_assert_str_eq(buf, "'sip:a@b'");
	ck_assert_int_eq(lit(IFO_SQL_SQLITE, "", buf, sizeof(buf)), IFO_OK);
	ck_assert_str_eq(buf, "''");
	/* a quote ends nothing; a backslash is an ordinary character */
	ck_assert_int_eq(
			lit(IFO_SQL_SQLITE, "a'); DROP--\\'", buf, sizeof(buf)), IFO_OK);
	ck_assert_str_eq(buf, "'a''); DROP--\\'''");
}
END_TEST

START_TEST(test_literal_postgres)
{
	char buf[64];

	ck_assert_int_eq(
			lit(IFO_SQL_POSTGRES, "sip:a@b", buf, sizeof(buf)), IFO_OK);
	ck_assert_str_eq(buf, "E'sip:a@b'");
	/* with E'' a backslash escapes: doubled, so that \' cannot close it */
	ck_assert_int_eq(lit(IFO_SQL_POSTGRES, "x\\'y", buf, sizeof(buf)), IFO_OK);
	ck_assert_str_eq(buf, "E'x\\\\''y'");
}
END_TEST

START_TEST(test_literal_refused)
{
	char buf[16];
	size_t pos = 0;
	ifo_span_t nul = {"a\0b", 3};

	ck_assert_int_eq(
			ifo_sql_literal(IFO_SQL_SQLITE, nul, buf, sizeof(buf), &pos),
			IFO_ERR_FORMAT);
	ck_assert_uint_eq(pos, 0);
	/* 'abc' needs 5 bytes: 4 do not hold it and leave pos alone */
	ck_assert_int_eq(ifo_sql_literal(IFO_SQL_SQLITE, sp("abc"), buf, 4, &pos),
			IFO_ERR_TOOLONG);
	ck_assert_uint_eq(pos, 0);
	ck_assert_int_eq(
			ifo_sql_literal(IFO_SQL_SQLITE, sp("abc"), buf, 5, &pos), IFO_OK);
	ck_assert_uint_eq(pos, 5);
	/* a doubled quote counts twice */
	pos = 0;
	ck_assert_int_eq(ifo_sql_literal(IFO_SQL_SQLITE, sp("'"), buf, 3, &pos),
			IFO_ERR_TOOLONG);
	ck_assert_int_eq(
			ifo_sql_literal(IFO_SQL_SQLITE, sp("'"), buf, 4, &pos), IFO_OK);
}
END_TEST

static ifo_sql_row_t row(const char *contact, int64_t gen)
{
	ifo_sql_row_t r;

	memset(&r, 0, sizeof(r));
	r.contact = sp(contact);
	r.aor = sp("sip:ue1@ims.test");
	r.node = sp("pcscf2");
	r.keyid = sp("k1");
	r.record = sp("AAAA.bb-cc_");
	r.generation = gen;
	r.expires = 1796511783;
	return r;
}

START_TEST(test_upsert_text)
{
	ifo_sql_row_t rows[2] = {
			row("sip:ue1@10.0.0.1:5064", 7), row("sip:o'hara@10.0.0.2", -3)};
	size_t cap = ifo_sql_upsert_size(18, rows, 2), len = 0;
	char *out = malloc(cap);
	const char *want =
			"INSERT INTO ims_ipsec_failover (contact, aor, node, keyid, "
			"generation, expires, record) VALUES "
			"('sip:ue1@10.0.0.1:5064', 'sip:ue1@ims.test', 'pcscf2', 'k1', "
			"7, 1796511783, 'AAAA.bb-cc_'), "
			"('sip:o''hara@10.0.0.2', 'sip:ue1@ims.test', 'pcscf2', 'k1', "
			"-3, 1796511783, 'AAAA.bb-cc_') "
			"ON CONFLICT (contact) DO UPDATE SET aor = excluded.aor, "
			"node = excluded.node, keyid = excluded.keyid, "
			"generation = excluded.generation, expires = excluded.expires, "
			"record = excluded.record "
			"WHERE ims_ipsec_failover.generation <= excluded.generation";

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_SQLITE, "ims_ipsec_failover", 18,
							 rows, 2, out, cap, &len),
			IFO_OK);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_uint_lt(len, cap);
	free(out);
}
END_TEST

START_TEST(test_upsert_size_is_enough)
{
	/* the worst case: every byte of every value quoted twice over */
	char big[600];
	ifo_sql_row_t r;
	size_t cap, len = 0;
	char *out;
	int d;

	memset(big, '\'', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for(d = IFO_SQL_SQLITE; d <= IFO_SQL_POSTGRES; d++) {
		r = row(big, INT64_MIN);
		r.aor = sp(big);
		r.record = sp(big);
		r.expires = INT64_MIN;
		cap = ifo_sql_upsert_size(3, &r, 1);
		out = malloc(cap);
		ck_assert_ptr_nonnull(out);
		ck_assert_int_eq(ifo_sql_upsert((ifo_sql_dialect_t)d, "t_1", 3, &r, 1,
								 out, cap, &len),
				IFO_OK);
		ck_assert_uint_eq(strlen(out), len);
		/* one byte less than it used does not do */
		ck_assert_int_eq(ifo_sql_upsert((ifo_sql_dialect_t)d, "t_1", 3, &r, 1,
								 out, len, &len),
				IFO_ERR_TOOLONG);
		free(out);
	}
}
END_TEST

START_TEST(test_upsert_refused)
{
	ifo_sql_row_t r = row("sip:a@b", 1);
	char out[1024];
	size_t len = 0;
	ifo_span_t nul = {"x\0y", 3};

	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_SQLITE, "t", 1, &r, 0, out,
							 sizeof(out), &len),
			IFO_ERR_INVAL);
	/* table names that would need quoting are not taken */
	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_SQLITE, "t; DROP", 7, &r, 1, out,
							 sizeof(out), &len),
			IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_SQLITE, "1t", 2, &r, 1, out,
							 sizeof(out), &len),
			IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_SQLITE, "", 0, &r, 1, out,
							 sizeof(out), &len),
			IFO_ERR_FORMAT);
	r.record = nul;
	ck_assert_int_eq(ifo_sql_upsert(IFO_SQL_POSTGRES, "t", 1, &r, 1, out,
							 sizeof(out), &len),
			IFO_ERR_FORMAT);
}
END_TEST

Suite *ifo_sql_suite(void)
{
	Suite *s = suite_create("ifo_sql");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_literal_sqlite);
	tcase_add_test(tc, test_literal_postgres);
	tcase_add_test(tc, test_literal_refused);
	tcase_add_test(tc, test_upsert_text);
	tcase_add_test(tc, test_upsert_size_is_enough);
	tcase_add_test(tc, test_upsert_refused);
	suite_add_tcase(s, tc);
	return s;
}
