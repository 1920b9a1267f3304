/*
 * test_ifo_secagree.c - the ipsec-3gpp sec-agree header parser
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "tu.h"
#include "ifo_err.h"
#include "ifo_secagree.h"

static int parse(const char *s, ifo_secagree_t *sa)
{
	return ifo_secagree_parse(s, strlen(s), sa);
}

START_TEST(test_client_header)
{
	ifo_secagree_t sa;

	ck_assert_int_eq(parse("ipsec-3gpp; alg=hmac-sha-1-96; ealg=aes-cbc; "
						   "spi-c=3929102; spi-s=3929103; port-c=5100; "
						   "port-s=5200; prot=esp; mod=trans",
							 &sa),
			IFO_OK);
	ck_assert_str_eq(sa.alg, "hmac-sha-1-96");
	ck_assert_str_eq(sa.ealg, "aes-cbc");
	ck_assert_str_eq(sa.prot, "esp");
	ck_assert_str_eq(sa.mod, "trans");
	ck_assert_uint_eq(sa.spi_c, 3929102);
	ck_assert_uint_eq(sa.spi_s, 3929103);
	ck_assert_uint_eq(sa.port_c, 5100);
	ck_assert_uint_eq(sa.port_s, 5200);
}
END_TEST

START_TEST(test_first_ipsec_entry_wins)
{
	ifo_secagree_t sa;

	/* a digest entry first, then two ipsec-3gpp offers */
	ck_assert_int_eq(parse("digest;d-alg=md5, ipsec-3gpp;alg=hmac-md5-96;"
						   "spi-c=1;spi-s=2;port-c=3;port-s=4,"
						   "ipsec-3gpp;alg=hmac-sha-1-96;spi-c=5;spi-s=6;"
						   "port-c=7;port-s=8",
							 &sa),
			IFO_OK);
	ck_assert_str_eq(sa.alg, "hmac-md5-96");
	ck_assert_str_eq(sa.ealg, "");
	ck_assert_uint_eq(sa.spi_c, 1);
	ck_assert_uint_eq(sa.port_s, 4);
}
END_TEST

START_TEST(test_max_values_and_quotes)
{
	ifo_secagree_t sa;

	ck_assert_int_eq(parse("IPSEC-3GPP;SPI-C=4294967295;spi-s=\t7 ;"
						   "port-c=65535;port-s=1;alg=\"hmac-md5-96\"",
							 &sa),
			IFO_OK);
	ck_assert_uint_eq(sa.spi_c, 4294967295u);
	ck_assert_uint_eq(sa.spi_s, 7);
	ck_assert_uint_eq(sa.port_c, 65535);
	ck_assert_str_eq(sa.alg, "hmac-md5-96");
}
END_TEST

static const char *const bad[] = {
		"",
		"digest;d-alg=md5",
		"ipsec-3gpp;spi-c=1;spi-s=2;port-c=3",			/* port-s missing */
		"ipsec-3gpp;spi-c=0;spi-s=2;port-c=3;port-s=4", /* zero SPI */
		"ipsec-3gpp;spi-c=4294967296;spi-s=2;port-c=3;port-s=4",
		"ipsec-3gpp;spi-c=1;spi-s=2;port-c=65536;port-s=4",
		"ipsec-3gpp;spi-c=1x;spi-s=2;port-c=3;port-s=4",
		"ipsec-3gpp;spi-c=-1;spi-s=2;port-c=3;port-s=4",
		"ipsec-3gpp;spi-c=1;spi-s=2;port-c=3;port-s=4;alg=a b",
		"ipsec-3gpp;spi-c=1;spi-s=2;port-c=3;port-s=4;"
		"ealg=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 33 > IFO_ALG_MAX */
		"ipsec-3gppx;spi-c=1;spi-s=2;port-c=3;port-s=4",
};

START_TEST(test_rejects)
{
	ifo_secagree_t sa;

	ck_assert_int_eq(parse(bad[_i], &sa), IFO_ERR_FORMAT);
	ck_assert_uint_eq(sa.spi_c, 0);
}
END_TEST

START_TEST(test_length_bounds_input)
{
	ifo_secagree_t sa;
	const char *s = "ipsec-3gpp;spi-c=1;spi-s=2;port-c=3;port-s=45";

	/* the length argument, not a NUL, ends the value */
	ck_assert_int_eq(ifo_secagree_parse(s, strlen(s) - 1, &sa), IFO_OK);
	ck_assert_uint_eq(sa.port_s, 4);
	ck_assert_int_eq(ifo_secagree_parse(NULL, 0, &sa), IFO_ERR_INVAL);
}
END_TEST

Suite *ifo_secagree_suite(void)
{
	Suite *s = suite_create("ifo_secagree");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_client_header);
	tcase_add_test(tc, test_first_ipsec_entry_wins);
	tcase_add_test(tc, test_max_values_and_quotes);
	tcase_add_loop_test(tc, test_rejects, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_length_bounds_input);
	suite_add_tcase(s, tc);
	return s;
}
