/*
 * test_ifo_keyring.c - unit tests of key file parsing and key ring lookup
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ifo_err.h"
#include "ifo_keyring_priv.h"
#include "tu.h"

START_TEST(test_parse_ok)
{
	static const char text[] = "# sealing keys\n"
							   "\n"
							   "   \t \n"
							   "old " TU_KEY_A "\n"
							   "\tnew\t" TU_KEY_B "  active   # since May\r\n"
							   "  # indented comment\n"
							   "k.3_x-Y " TU_KEY_A2;
	static const uint8_t b0[4] = {0xa0, 0xa1, 0xa2, 0xa3};
	ifo_keyring_t *kr = NULL;
	char err[128] = "junk";
	const uint8_t *k;

	ck_assert_int_eq(
			ifo_keyring_from_memory(text, strlen(text), &kr, err, sizeof(err)),
			IFO_OK);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(ifo_keyring_count(kr), 3);
	ck_assert_str_eq(ifo_keyring_id(kr, 0), "old");
	ck_assert_str_eq(ifo_keyring_id(kr, 1), "new");
	ck_assert_str_eq(ifo_keyring_id(kr, 2), "k.3_x-Y");
	ck_assert_ptr_null(ifo_keyring_id(kr, 3));
	ck_assert_ptr_null(ifo_keyring_id(kr, -1));
	ck_assert_str_eq(ifo_keyring_active_id(kr), "new");

	k = ifo_keyring_key(kr, "old");
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k[0], 0x00);
	ck_assert_uint_eq(k[31], 0x1f);
	k = ifo_keyring_key(kr, "new");
	ck_assert_ptr_nonnull(k);
	ck_assert_mem_eq(k, b0, sizeof(b0));
	ck_assert_uint_eq(k[31], 0xbf);
	k = ifo_keyring_key(kr, "k.3_x-Y");
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k[0], 0xff);
	ck_assert_ptr_null(ifo_keyring_key(kr, "missing"));
	ck_assert_ptr_null(ifo_keyring_key(kr, "ol"));
	ifo_keyring_free(kr);
}
END_TEST

START_TEST(test_null_ring)
{
	ifo_keyring_t *kr = (ifo_keyring_t *)1;

	ck_assert_int_eq(ifo_keyring_count(NULL), 0);
	ck_assert_ptr_null(ifo_keyring_id(NULL, 0));
	ck_assert_ptr_null(ifo_keyring_active_id(NULL));
	ifo_keyring_free(NULL);
	/* no errbuf is fine */
	ck_assert_int_eq(
			ifo_keyring_from_memory("x", 1, &kr, NULL, 0), IFO_ERR_FORMAT);
	ck_assert_ptr_null(kr);
	ck_assert_int_eq(
			ifo_keyring_from_memory("x", 1, NULL, NULL, 0), IFO_ERR_INVAL);
}
END_TEST

/*
 * Each bad file, the line the error must name (0 = none) and a fragment of
 * the message. A key must never be echoed; the check below looks for any
 * 8 hex digits of the test keys in the message.
 */
#define KEY_LINE(id, key, flag) id " " key " " flag "\n"
static const struct
{
	const char *text;
	int line;
	const char *msg;
} bad_files[] = {
		{"", 0, "no keys"},
		{"# nothing\n\n", 0, "no keys"},
		{KEY_LINE("a", TU_KEY_A, "") KEY_LINE("b", TU_KEY_B, ""), 0,
				"no key is marked active"},
		{KEY_LINE("a", TU_KEY_A, "active") KEY_LINE("b", TU_KEY_B, "active"), 2,
				"more than one key marked active"},
		{KEY_LINE("a", TU_KEY_A, "active") "\n" KEY_LINE("a", TU_KEY_B, ""), 3,
				"duplicate key id"},
		{"a 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g "
		 "active\n",
				1, "non-hex"},
		{"#\na 0001020304050607 active\n", 2, "64 hex digits"},
		{"a " TU_KEY_A "00 active\n", 1, "64 hex digits"},
		{"a " TU_KEY_A " Active\n", 1, "unknown flag"},
		{"a " TU_KEY_A " active extra\n", 1, "expected"},
		{"a\n", 1, "expected"},
		{TU_KEY_A " a active\n", 1, "key id must be"},
		{"a/b " TU_KEY_A " active\n", 1, "key id must be"},
		{"a\xc3\xa9 " TU_KEY_A " active\n", 1, "key id must be"},
		{"0123456789abcdefX " TU_KEY_A " active\n", 1, "key id must be"},
		{"a\rb " TU_KEY_A " active\n", 1, "key id must be"},
};

static void assert_no_key_text(const char *msg)
{
	static const char *keys[] = {TU_KEY_A, TU_KEY_A2, TU_KEY_B};
	char piece[9];
	size_t k, off;

	for(k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for(off = 0; off + 8 <= 64; off++) {
			memcpy(piece, keys[k] + off, 8);
			piece[8] = '\0';
			ck_assert_msg(strstr(msg, piece) == NULL, "key text in '%s'", msg);
		}
	}
}

START_TEST(test_parse_errors)
{
	ifo_keyring_t *kr = (ifo_keyring_t *)1;
	char err[160], want[32];
	const char *text = bad_files[_i].text;

	ck_assert_int_eq(
			ifo_keyring_from_memory(text, strlen(text), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_ptr_null(kr);
	ck_assert_msg(
			strstr(err, bad_files[_i].msg) != NULL, "case %d: '%s'", _i, err);
	if(bad_files[_i].line) {
		snprintf(want, sizeof(want), "line %d:", bad_files[_i].line);
		ck_assert_msg(strstr(err, want) != NULL, "case %d: '%s'", _i, err);
	} else {
		ck_assert_ptr_null(strstr(err, "line"));
	}
	assert_no_key_text(err);
}
END_TEST

START_TEST(test_too_many_keys)
{
	char text[20 * 80], *p = text, err[128];
	ifo_keyring_t *kr = NULL;
	int i;

	for(i = 0; i < IFO_KEYRING_MAX; i++)
		p += sprintf(p, "k%d %s%s\n", i, TU_KEY_A, i == 0 ? " active" : "");
	ck_assert_int_eq(
			ifo_keyring_from_memory(text, strlen(text), &kr, err, sizeof(err)),
			IFO_OK);
	ck_assert_int_eq(ifo_keyring_count(kr), IFO_KEYRING_MAX);
	ifo_keyring_free(kr);

	sprintf(p, "k%d %s\n", IFO_KEYRING_MAX, TU_KEY_B);
	ck_assert_int_eq(
			ifo_keyring_from_memory(text, strlen(text), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_str_eq(err, "line 17: more than 16 keys");
}
END_TEST

/* The length argument, not a NUL, ends the text; an embedded NUL fails. */
START_TEST(test_memory_bounds)
{
	static const char text[] = "a " TU_KEY_A " active\nb " TU_KEY_B "\n";
	ifo_keyring_t *kr = NULL;
	char err[128];
	size_t first = strlen("a " TU_KEY_A " active\n");

	ck_assert_int_eq(
			ifo_keyring_from_memory(text, first, &kr, err, sizeof(err)),
			IFO_OK);
	ck_assert_int_eq(ifo_keyring_count(kr), 1);
	ifo_keyring_free(kr);
	ck_assert_int_eq(
			ifo_keyring_from_memory(text, sizeof(text), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_str_eq(
			err, "line 3: expected '<keyid> <64 hex digits> [active]'");
	/* a short errbuf truncates the message but stays terminated */
	ck_assert_int_eq(
			ifo_keyring_from_memory("x", 1, &kr, err, 5), IFO_ERR_FORMAT);
	ck_assert_str_eq(err, "line");
}
END_TEST

/* A new file from mkstemp(path) holding text. */
static void temp_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

START_TEST(test_load_file)
{
	char path[] = "/tmp/ifo_keyring_XXXXXX";
	static const char text[] = "a " TU_KEY_A "\nb " TU_KEY_B " active\n";
	ifo_keyring_t *kr = NULL;
	char err[256];

	temp_file(path, text);
	ck_assert_int_eq(ifo_keyring_load(path, &kr, err, sizeof(err)), IFO_OK);
	ck_assert_str_eq(ifo_keyring_active_id(kr), "b");
	ck_assert_int_eq(ifo_keyring_count(kr), 2);
	ifo_keyring_free(kr);
	unlink(path);

	ck_assert_int_eq(ifo_keyring_load(path, &kr, err, sizeof(err)), IFO_ERR_IO);
	ck_assert_ptr_null(kr);
	ck_assert_ptr_nonnull(strstr(err, "cannot open key file"));
	ck_assert_int_eq(
			ifo_keyring_load("/tmp", &kr, err, sizeof(err)), IFO_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	ck_assert_int_eq(ifo_keyring_load(NULL, &kr, NULL, 0), IFO_ERR_INVAL);
}
END_TEST

START_TEST(test_load_file_errors)
{
	char path[] = "/tmp/ifo_keyring_XXXXXX";
	static const char text[] = "a " TU_KEY_A "\nb " TU_KEY_B "\n";
	ifo_keyring_t *kr = NULL;
	char err[256], *big;
	int fd;

	temp_file(path, text);
	ck_assert_int_eq(
			ifo_keyring_load(path, &kr, err, sizeof(err)), IFO_ERR_FORMAT);
	ck_assert_str_eq(err, "no key is marked active");
	assert_no_key_text(err);

	/* a huge file (a wrong path, say) is refused without parsing it */
	big = malloc(70000);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', 70000);
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, big, 70000), 70000);
	close(fd);
	free(big);
	ck_assert_int_eq(
			ifo_keyring_load(path, &kr, err, sizeof(err)), IFO_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err, "larger than"));
	unlink(path);
}
END_TEST

/* HMAC-SHA256(TU_KEY_A, "ims_ipsec_failover verify key"), computed
 * independently with openssl dgst -mac HMAC */
#define VKEY_A "2a5f9f61b69a96c092f2dbb0337d6c16912aeb0bf0ba13cf42703f1d6fd7b8c2"
#define VLINE_A "a " VKEY_A " verify\n"

START_TEST(test_verify_text)
{
	ifo_keyring_t *kr = tu_ring("a " TU_KEY_A " active\nb " TU_KEY_B "\n");
	ifo_keyring_t *vr = NULL;
	char text[IFO_VERIFY_TEXT_MAX], err[160];
	size_t len = 0;

	ck_assert_int_eq(
			ifo_keyring_verify_text(kr, text, sizeof(text), &len), IFO_OK);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_int_eq(strncmp(text, VLINE_A "b ", strlen(VLINE_A "b ")), 0);
	/* one-way: the sealing keys are nowhere in it */
	assert_no_key_text(text);
	ck_assert_int_eq(
			ifo_keyring_verify_from_memory(text, len, &vr, err, sizeof(err)),
			IFO_OK);
	ck_assert_int_eq(ifo_keyring_is_verify(vr), 1);
	ck_assert_int_eq(ifo_keyring_is_verify(kr), 0);
	ck_assert_int_eq(ifo_keyring_count(vr), 2);
	ck_assert_str_eq(ifo_keyring_id(vr, 1), "b");
	/* a verify ring seals nothing, so it has no active key */
	ck_assert_ptr_null(ifo_keyring_active_id(vr));
	ck_assert_int_eq(ifo_keyring_verify_text(vr, text, sizeof(text), &len),
			IFO_ERR_INVAL);
	ck_assert_int_eq(ifo_keyring_verify_text(kr, text, 80, &len),
			IFO_ERR_TOOLONG);
	ck_assert_str_eq(text, "");
	ifo_keyring_free(vr);
	ifo_keyring_free(kr);
}
END_TEST

/* Each loader refuses the other kind of file, saying which it is. */
START_TEST(test_kind_mixups)
{
	static const char vtext[] = "a " VKEY_A " verify\n";
	static const char stext[] = "a " TU_KEY_A " active\n";
	static const char plain[] = "a " TU_KEY_A "\n";
	ifo_keyring_t *kr = (ifo_keyring_t *)1;
	char err[160];

	ck_assert_int_eq(
			ifo_keyring_from_memory(vtext, strlen(vtext), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_ptr_null(kr);
	ck_assert_str_eq(err, "line 1: a verify-only key (S-CSCF file): a P-CSCF "
						  "needs the sealing key file");
	ck_assert_int_eq(ifo_keyring_verify_from_memory(
							 stext, strlen(stext), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err, "line 1: not a verify key"));
	ck_assert_int_eq(ifo_keyring_verify_from_memory(
							 plain, strlen(plain), &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err, "ipsec-failover-keys verify"));
	assert_no_key_text(err);
	ck_assert_int_eq(
			ifo_keyring_verify_from_memory("", 0, &kr, err, sizeof(err)),
			IFO_ERR_FORMAT);
	ck_assert_str_eq(err, "no keys");
}
END_TEST

START_TEST(test_load_verify_file)
{
	char path[] = "/tmp/ifo_keyring_XXXXXX";
	static const char text[] = "a " VKEY_A " verify\n";
	ifo_keyring_t *kr = NULL;
	char err[256];

	temp_file(path, text);
	ck_assert_int_eq(
			ifo_keyring_load_verify(path, &kr, err, sizeof(err)), IFO_OK);
	ck_assert_int_eq(ifo_keyring_is_verify(kr), 1);
	ifo_keyring_free(kr);
	ck_assert_int_eq(
			ifo_keyring_load(path, &kr, err, sizeof(err)), IFO_ERR_FORMAT);
	unlink(path);
}
END_TEST

Suite *ifo_keyring_suite(void)
{
	Suite *s = suite_create("ifo_keyring");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_null_ring);
	tcase_add_loop_test(
			tc, test_parse_errors, 0, sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_test(tc, test_too_many_keys);
	tcase_add_test(tc, test_memory_bounds);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_load_file_errors);
	tcase_add_test(tc, test_verify_text);
	tcase_add_test(tc, test_kind_mixups);
	tcase_add_test(tc, test_load_verify_file);
	suite_add_tcase(s, tc);
	return s;
}
