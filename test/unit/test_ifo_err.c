/*
 * test_ifo_err.c - unit tests of the error texts
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "ifo_err.h"
#include "tu.h"

START_TEST(test_distinct_texts)
{
	const char *seen[16];
	int e, i, n = 0;

	for(e = IFO_OK; e >= IFO_ERR_INVAL; e--) {
		const char *t = ifo_strerror(e);

		ck_assert_ptr_nonnull(t);
		ck_assert_uint_gt(strlen(t), 0);
		ck_assert_str_ne(t, "unknown error");
		for(i = 0; i < n; i++)
			ck_assert_str_ne(t, seen[i]);
		seen[n++] = t;
	}
	ck_assert_int_eq(n, 15);
}
END_TEST

START_TEST(test_unknown)
{
	ck_assert_str_eq(ifo_strerror(1), "unknown error");
	ck_assert_str_eq(ifo_strerror(IFO_ERR_INVAL - 1), "unknown error");
}
END_TEST

Suite *ifo_err_suite(void)
{
	Suite *s = suite_create("ifo_err");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_distinct_texts);
	tcase_add_test(tc, test_unknown);
	suite_add_tcase(s, tc);
	return s;
}
