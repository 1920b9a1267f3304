/*
 * test_ifo_b64.c - unit tests of the strict base64url codec
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "ifo_b64.h"
#include "ifo_err.h"
#include "tu.h"

/* RFC 4648 section 10 vectors, padding removed, plus url-alphabet cases. */
static const struct
{
	const char *bin;
	size_t n;
	const char *text;
} vectors[] = {
		{"", 0, ""},
		{"f", 1, "Zg"},
		{"fo", 2, "Zm8"},
		{"foo", 3, "Zm9v"},
		{"foob", 4, "Zm9vYg"},
		{"fooba", 5, "Zm9vYmE"},
		{"foobar", 6, "Zm9vYmFy"},
		{"\xfb\xff", 2, "-_8"},
		{"\xff\xff\xff", 3, "____"},
		{"\xfb\xef\xbe", 3, "----"},
		{"\x00\x00\x00\x00", 4, "AAAAAA"},
};

START_TEST(test_vectors)
{
	char text[16];
	uint8_t bin[16];
	size_t len;

	ck_assert_int_eq(ifo_b64_encode((const uint8_t *)vectors[_i].bin,
							 vectors[_i].n, text, sizeof(text), &len),
			IFO_OK);
	ck_assert_str_eq(text, vectors[_i].text);
	ck_assert_uint_eq(len, strlen(vectors[_i].text));
	ck_assert_uint_eq(len, IFO_B64_ENCLEN(vectors[_i].n));

	ck_assert_int_eq(ifo_b64_decode(vectors[_i].text, strlen(vectors[_i].text),
							 bin, sizeof(bin), &len),
			IFO_OK);
	ck_assert_uint_eq(len, vectors[_i].n);
	ck_assert_mem_eq(bin, vectors[_i].bin, len);
}
END_TEST

START_TEST(test_roundtrip_all_lengths)
{
	uint8_t in[300], back[300];
	char text[IFO_B64_ENCLEN(300) + 1];
	size_t n, len, dlen, i;

	for(i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	for(n = 0; n <= sizeof(in); n++) {
		ck_assert_int_eq(ifo_b64_encode(in, n, text, sizeof(text), &len), 0);
		ck_assert_int_eq(ifo_b64_check(text, len, &dlen), IFO_OK);
		ck_assert_uint_eq(dlen, n);
		ck_assert_int_eq(
				ifo_b64_decode(text, len, back, sizeof(back), &dlen), IFO_OK);
		ck_assert_uint_eq(dlen, n);
		ck_assert_mem_eq(back, in, n);
	}
}
END_TEST

START_TEST(test_reject_bad_chars)
{
	static const char bad[] = {'+', '/', '=', ' ', '\n', '\r', '\t', '.', '\0',
			'~', '@', '[', '`', '{', (char)0x80, (char)0xff};
	char text[9];
	uint8_t out[8];
	size_t i, pos, len = 99;

	for(i = 0; i < sizeof(bad); i++) {
		for(pos = 0; pos < 8; pos++) {
			memcpy(text, "Zm9vYmFy", 9);
			text[pos] = bad[i];
			ck_assert_int_eq(ifo_b64_check(text, 8, NULL), IFO_ERR_FORMAT);
			ck_assert_int_eq(ifo_b64_decode(text, 8, out, sizeof(out), &len),
					IFO_ERR_FORMAT);
			ck_assert_uint_eq(len, 0);
		}
	}
	/* padded standard base64 is not accepted either */
	ck_assert_int_eq(ifo_b64_check("Zg==", 4, NULL), IFO_ERR_FORMAT);
}
END_TEST

START_TEST(test_reject_bad_length)
{
	ck_assert_int_eq(ifo_b64_check("Z", 1, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("Zm9vY", 5, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("Zm9vYmFyZ", 9, NULL), IFO_ERR_FORMAT);
}
END_TEST

START_TEST(test_reject_noncanonical)
{
	/* "Zh" and "Zm9" leave non-zero bits that no encoder would produce */
	ck_assert_int_eq(ifo_b64_check("Zh", 2, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("Zm9", 3, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("Zm9vYh", 6, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("Zm9vYmF", 7, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("__", 2, NULL), IFO_ERR_FORMAT);
	ck_assert_int_eq(ifo_b64_check("_w", 2, NULL), IFO_OK);
	ck_assert_int_eq(ifo_b64_check("__8", 3, NULL), IFO_OK);
}
END_TEST

START_TEST(test_buffer_bounds)
{
	char text[8];
	uint8_t out[6];
	size_t len = 99;

	/* 6 bytes need 8 characters plus the NUL */
	ck_assert_int_eq(
			ifo_b64_encode((const uint8_t *)"foobar", 6, text, 8, &len),
			IFO_ERR_TOOLONG);
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(
			ifo_b64_decode("Zm9vYmFy", 8, out, 5, &len), IFO_ERR_TOOLONG);
	ck_assert_int_eq(ifo_b64_decode("Zm9vYmFy", 8, out, 6, &len), IFO_OK);
	ck_assert_uint_eq(len, 6);
	ck_assert_int_eq(ifo_b64_encode(NULL, 0, text, 1, &len), IFO_OK);
	ck_assert_str_eq(text, "");
	ck_assert_int_eq(ifo_b64_encode(NULL, 1, text, 8, &len), IFO_ERR_INVAL);
}
END_TEST

Suite *ifo_b64_suite(void)
{
	Suite *s = suite_create("ifo_b64");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
			tc, test_vectors, 0, sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, test_roundtrip_all_lengths);
	tcase_add_test(tc, test_reject_bad_chars);
	tcase_add_test(tc, test_reject_bad_length);
	tcase_add_test(tc, test_reject_noncanonical);
	tcase_add_test(tc, test_buffer_bounds);
	suite_add_tcase(s, tc);
	return s;
}
