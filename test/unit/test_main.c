/*
 * test_main.c - runs every libifo unit test suite; exit status is non-zero
 * if any test fails
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdlib.h>

#include "tu.h"

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(ifo_b64_suite());
	srunner_add_suite(sr, ifo_err_suite());
	srunner_add_suite(sr, ifo_record_suite());
	srunner_add_suite(sr, ifo_keyring_suite());
	srunner_add_suite(sr, ifo_seal_suite());
	srunner_add_suite(sr, ifo_secagree_suite());
	srunner_add_suite(sr, ifo_page_suite());
	srunner_add_suite(sr, ifo_proto_suite());
	srunner_add_suite(sr, ifo_sql_suite());
	/* fork mode comes from CK_FORK, set by the Makefile targets */
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
