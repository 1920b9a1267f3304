/*
 * test_ifo_proto.c - header parameters, numbers, claim lines and claim
 * answers of the retrieval protocol
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "tu.h"
#include "ifo_err.h"
#include "ifo_proto.h"

static int uint_of(const char *s, uint64_t max, uint64_t *v)
{
	return ifo_proto_uint(s, strlen(s), max, v);
}

static void assert_span(ifo_span_t v, const char *want)
{
	ck_assert_ptr_nonnull(v.s);
	ck_assert_uint_eq(v.len, strlen(want));
	ck_assert(memcmp(v.s, want, v.len) == 0);
}

START_TEST(test_uint)
{
	uint64_t v;

	ck_assert_int_eq(uint_of("0", 10, &v), IFO_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(uint_of("007", 10, &v), IFO_OK);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(uint_of("10", 10, &v), IFO_OK);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(uint_of("11", 10, &v), IFO_ERR_FORMAT);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(uint_of("4294967295", 0xffffffffu, &v), IFO_OK);
	ck_assert_uint_eq(v, 0xffffffffu);
	ck_assert_int_eq(uint_of("4294967296", 0xffffffffu, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of("", 10, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of(" 1", 10, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of("1 ", 10, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of("+1", 10, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of("-1", 10, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(uint_of("0x1", 100, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_proto_uint(NULL, 0, 10, &v), IFO_ERR_FORMAT);
	/* 21 digits, even of a small value */
	ck_assert_int_eq(
			uint_of("000000000000000000001", UINT64_MAX, &v), IFO_ERR_FORMAT);
}
END_TEST

/* The S-CSCF's own number parser took 20 digits past 2^64 - 1 modulo
 * 2^64: a claim line's generation "18446744073709551616" read as 0. */
START_TEST(test_uint_no_wrap)
{
	uint64_t v;

	ck_assert_int_eq(uint_of("18446744073709551615", UINT64_MAX, &v), IFO_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(
			uint_of("18446744073709551616", UINT64_MAX, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(
			uint_of("99999999999999999999", UINT64_MAX, &v), IFO_ERR_FORMAT);
	ck_assert_int_eq(
			uint_of("18446744073709551620", UINT64_MAX, &v), IFO_ERR_FORMAT);
}
END_TEST

static int params_of(const char *s, ifo_params_t *p)
{
	return ifo_proto_params(s, strlen(s), p);
}

START_TEST(test_params)
{
	ifo_params_t p;

	ck_assert_int_eq(params_of("node=pcscf1;cursor=0;max=50", &p), IFO_OK);
	assert_span(p.node, "pcscf1");
	assert_span(p.cursor, "0");
	assert_span(p.max, "50");
	ck_assert_int_eq(
			params_of(" NODE = a b ;; Later=x ;\tMax=\r\n7; ", &p), IFO_OK);
	assert_span(p.node, "a b");
	assert_span(p.max, "7");
	ck_assert_ptr_null(p.cursor.s);
	ck_assert_int_eq(params_of("", &p), IFO_OK);
	ck_assert_ptr_null(p.node.s);
	ck_assert_int_eq(params_of("node=a;node=b", &p), IFO_ERR_FORMAT);
	ck_assert_ptr_null(p.node.s);
	ck_assert_int_eq(params_of("node=", &p), IFO_ERR_FORMAT);
	ck_assert_int_eq(params_of("node= ;max=1", &p), IFO_ERR_FORMAT);
	ck_assert_int_eq(params_of("node=a;max", &p), IFO_ERR_FORMAT);
	ck_assert_int_eq(params_of("nodes=a", &p), IFO_OK);
	ck_assert_ptr_null(p.node.s);
	ck_assert_int_eq(params_of("x=;node=a", &p), IFO_OK);
	assert_span(p.node, "a");
	ck_assert_int_eq(ifo_proto_params(NULL, 0, &p), IFO_OK);
	ck_assert_int_eq(ifo_proto_params(NULL, 1, &p), IFO_ERR_INVAL);
}
END_TEST

START_TEST(test_claim_lines)
{
	const char body[] = "12 AbC\r\n\n  \t\n 0  x y \nnogen\n7 \n"
						"18446744073709551616 r\n3 last";
	ifo_claim_line_t l;
	size_t pos = 0;

	ck_assert_int_eq(ifo_claim_next(body, strlen(body), &pos, &l), IFO_OK);
	ck_assert_uint_eq(l.generation, 12);
	assert_span(l.record, "AbC");
	assert_span(l.line, "12 AbC");
	/* the record is everything after the first space */
	ck_assert_int_eq(ifo_claim_next(body, strlen(body), &pos, &l), IFO_OK);
	ck_assert_uint_eq(l.generation, 0);
	assert_span(l.record, " x y");
	ck_assert_int_eq(
			ifo_claim_next(body, strlen(body), &pos, &l), IFO_ERR_FORMAT);
	assert_span(l.line, "nogen");
	/* "7 " is "7" once trimmed: no record */
	ck_assert_int_eq(
			ifo_claim_next(body, strlen(body), &pos, &l), IFO_ERR_FORMAT);
	assert_span(l.line, "7");
	ck_assert_int_eq(
			ifo_claim_next(body, strlen(body), &pos, &l), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_claim_next(body, strlen(body), &pos, &l), IFO_OK);
	ck_assert_uint_eq(l.generation, 3);
	assert_span(l.record, "last");
	ck_assert_uint_eq(pos, strlen(body));
	ck_assert_int_eq(ifo_claim_next(body, strlen(body), &pos, &l), 1);
	pos = 0;
	ck_assert_int_eq(ifo_claim_next(NULL, 0, &pos, &l), 1);
	ck_assert_int_eq(ifo_claim_next("\r\n \n", 4, &pos, &l), 1);
}
END_TEST

START_TEST(test_claim_results)
{
	char res[4];

	memset(res, 0, sizeof(res));
	ck_assert_int_eq(ifo_claim_results("ASxR", 4, res, 3), 2);
	ck_assert_int_eq(res[0], IFO_CLAIM_RES_ACCEPTED);
	ck_assert_int_eq(res[1], IFO_CLAIM_RES_SUPERSEDED);
	ck_assert_int_eq(res[2], 0);
	ck_assert_int_eq(res[3], 0);
	ck_assert_int_eq(ifo_claim_results("RRRRRR", 6, res, 4), 4);
	ck_assert_int_eq(res[3], IFO_CLAIM_RES_REFUSED);
	ck_assert_int_eq(ifo_claim_results(NULL, 0, res, 4), 0);
	ck_assert_int_eq(ifo_claim_results("A", 1, NULL, 0), 0);
	ck_assert_int_eq(ifo_claim_results(NULL, 1, res, 4), IFO_ERR_INVAL);
}
END_TEST

START_TEST(test_moves_lines)
{
	const char body[] = "pcscf2\r\n\n \t pcscf-3.x \nbad/node\n"
						"0123456789012345678901234567890123\nlast";
	ifo_span_t node;
	size_t pos = 0;

	ck_assert_int_eq(ifo_moves_next(body, strlen(body), &pos, &node), IFO_OK);
	assert_span(node, "pcscf2");
	ck_assert_int_eq(ifo_moves_next(body, strlen(body), &pos, &node), IFO_OK);
	assert_span(node, "pcscf-3.x");
	ck_assert_int_eq(
			ifo_moves_next(body, strlen(body), &pos, &node), IFO_ERR_FORMAT);
	assert_span(node, "bad/node");
	/* longer than a node id may be */
	ck_assert_int_eq(
			ifo_moves_next(body, strlen(body), &pos, &node), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_moves_next(body, strlen(body), &pos, &node), IFO_OK);
	assert_span(node, "last");
	ck_assert_int_eq(ifo_moves_next(body, strlen(body), &pos, &node), 1);
	pos = 0;
	ck_assert_int_eq(ifo_moves_next(NULL, 0, &pos, &node), 1);
	ck_assert_int_eq(ifo_moves_next(" \r\n", 3, &pos, &node), 1);
}
END_TEST

Suite *ifo_proto_suite(void)
{
	Suite *s = suite_create("ifo_proto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_uint);
	tcase_add_test(tc, test_uint_no_wrap);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_claim_lines);
	tcase_add_test(tc, test_claim_results);
	tcase_add_test(tc, test_moves_lines);
	suite_add_tcase(s, tc);
	return s;
}
