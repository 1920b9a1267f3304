/*
 * test_ifo_page.c - codec of the takeover fetch answer body
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "tu.h"
#include "ifo_err.h"
#include "ifo_page.h"

static ifo_span_t sp(const char *s)
{
	ifo_span_t v = {s, strlen(s)};
	return v;
}

static void assert_span(ifo_span_t v, const char *want)
{
	ck_assert_uint_eq(v.len, strlen(want));
	ck_assert(memcmp(v.s, want, v.len) == 0);
}

START_TEST(test_round_trip)
{
	char buf[2048];
	size_t len = 0, pos = 0;
	ifo_page_entry_t e, d;

	memset(&e, 0, sizeof(e));
	e.record = sp("AbC-_09");
	e.contact = sp("sip:alice@10.0.0.5:31001;rinstance=x y");
	e.expires = 1795000000;
	e.path = sp("<sip:term@pcscf.ims.test;lr>, <sip:x@y;lr>");
	e.n_routes = 1;
	e.routes[0] = sp("sip:orig@scscf.ims.test:6060;lr");
	e.n_ids = 3;
	e.ids[0] = sp("sip:alice@ims.test");
	e.ids[1] = sp("tel:+15550001");
	e.ids[2] = sp("sip:100%@odd name");
	ck_assert_int_eq(ifo_page_put(buf, sizeof(buf), &len, &e), IFO_OK);
	e.record = sp("second");
	e.path = sp("");
	e.n_routes = 0;
	e.n_ids = 1;
	e.ids[0] = sp(".");
	ck_assert_int_eq(ifo_page_put(buf, sizeof(buf), &len, &e), IFO_OK);
	ck_assert_ptr_eq(memchr(buf, '\r', len), NULL);

	ck_assert_int_eq(ifo_page_next(buf, len, &pos, &d), IFO_OK);
	assert_span(d.record, "AbC-_09");
	assert_span(d.contact, "sip:alice@10.0.0.5:31001;rinstance=x y");
	ck_assert_uint_eq(d.expires, 1795000000);
	assert_span(d.path, "<sip:term@pcscf.ims.test;lr>, <sip:x@y;lr>");
	ck_assert_int_eq(d.n_routes, 1);
	assert_span(d.routes[0], "sip:orig@scscf.ims.test:6060;lr");
	ck_assert_int_eq(d.n_ids, 3);
	assert_span(d.ids[2], "sip:100%@odd name");
	ck_assert_int_eq(ifo_page_next(buf, len, &pos, &d), IFO_OK);
	assert_span(d.record, "second");
	assert_span(d.path, "");
	ck_assert_int_eq(d.n_routes, 0);
	ck_assert_int_eq(d.n_ids, 1);
	assert_span(d.ids[0], ".");
	ck_assert_int_eq(ifo_page_next(buf, len, &pos, &d), 1);
}
END_TEST

START_TEST(test_too_small)
{
	char buf[16];
	size_t len = 0;
	ifo_page_entry_t e;

	memset(&e, 0, sizeof(e));
	e.record = sp("0123456789abcdef");
	e.contact = sp("c");
	ck_assert_int_eq(ifo_page_put(buf, sizeof(buf), &len, &e), IFO_ERR_TOOLONG);
	ck_assert_uint_eq(len, 0);
}
END_TEST

static const char *const bad[] = {
		"rec c 12 . 0\n",		/* identity count missing */
		"rec c 12 . 0 1\n",		/* identity missing */
		"rec c 12 . 0 1 a b\n", /* one identity too many */
		"rec c 1x . 0 0\n",		/* expires not a number */
		"rec c 12 . 17 0\n",	/* over IFO_PAGE_MAX_LIST */
		"rec c 12 %4 0 0\n",	/* truncated escape */
		"rec c 12 %zz 0 0\n",	/* bad escape */
		"rec c  12 . 0 0\n",	/* empty field */
		"rec c 12 . 0 0 \n",	/* trailing space */
		". c 12 . 0 0\n",		/* empty record */
		"rec . 12 . 0 0\n",		/* empty contact */
		"rec c 12 a\tb 0 0\n",	/* raw control character */
};

START_TEST(test_rejects_and_skips)
{
	char buf[256];
	size_t pos = 0, len;
	ifo_page_entry_t d;

	/* a bad line followed by a good one: the good one is still read */
	len = (size_t)snprintf(
			buf, sizeof(buf), "%sok c 5 . 0 1 sip:a@b\n", bad[_i]);
	ck_assert_int_eq(ifo_page_next(buf, len, &pos, &d), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_page_next(buf, len, &pos, &d), IFO_OK);
	assert_span(d.record, "ok");
	assert_span(d.ids[0], "sip:a@b");
}
END_TEST

/* Found by test/fuzz/fuzz_page: an expiry of 20 digits past 2^64 - 1
 * was taken modulo 2^64 (18456744073709551615 read as
 * 9999999999999999), a contact expiry the S-CSCF never sent. */
START_TEST(test_expires_no_wrap)
{
	char max[] = "r c 18446744073709551615 . 0 0\n";
	char over[] = "r c 18446744073709551616 . 0 0\n";
	char found[] = "r c 18456744073709551615 . 0 0\n";
	char zeros[] = "r c 00000000000000000007 . 0 0\n";
	ifo_page_entry_t e;
	size_t pos = 0;

	ck_assert_int_eq(ifo_page_next(max, strlen(max), &pos, &e), IFO_OK);
	ck_assert_uint_eq(e.expires, UINT64_MAX);
	pos = 0;
	ck_assert_int_eq(
			ifo_page_next(over, strlen(over), &pos, &e), IFO_ERR_FORMAT);
	ck_assert_uint_eq(pos, strlen(over));
	pos = 0;
	ck_assert_int_eq(
			ifo_page_next(found, strlen(found), &pos, &e), IFO_ERR_FORMAT);
	pos = 0;
	ck_assert_int_eq(ifo_page_next(zeros, strlen(zeros), &pos, &e), IFO_OK);
	ck_assert_uint_eq(e.expires, 7);
}
END_TEST

Suite *ifo_page_suite(void)
{
	Suite *s = suite_create("ifo_page");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_expires_no_wrap);
	tcase_add_loop_test(
			tc, test_rejects_and_skips, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return s;
}
