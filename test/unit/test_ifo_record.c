/*
 * test_ifo_record.c - unit tests of record validation and the binary codec
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "ifo_err.h"
#include "ifo_record.h"
#include "tu.h"

/* Header as ifo_seal would build it for r. */
static void header_of(const ifo_record_t *r, const char *keyid, ifo_header_t *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->version = r->version;
	strcpy(h->keyid, keyid);
	for(i = 0; i < IFO_NONCE_LEN; i++)
		h->nonce[i] = (uint8_t)(0xa0 + i);
	strcpy(h->node, r->node);
	strcpy(h->contact, r->contact);
	h->generation = r->generation;
	h->expires = r->expires;
}

static void make_record(int which, ifo_record_t *r)
{
	if(which == 0)
		tu_record_v4(r);
	else if(which == 1)
		tu_record_v6_max(r);
	else
		tu_record_min(r);
}

/* Header and body round trip; _i picks IPv4, maximal IPv6, minimal. */
START_TEST(test_roundtrip)
{
	ifo_record_t r, back;
	ifo_header_t h, hb;
	uint8_t buf[IFO_HEADER_MAX + IFO_BODY_MAX];
	size_t hlen, blen, used;

	make_record(_i, &r);
	ck_assert_int_eq(ifo_record_validate(&r), IFO_OK);
	header_of(&r, "k1", &h);
	ck_assert_int_eq(ifo_header_encode(&h, buf, sizeof(buf), &hlen), IFO_OK);
	ck_assert_int_eq(
			ifo_body_encode(&r, buf + hlen, sizeof(buf) - hlen, &blen), IFO_OK);

	ck_assert_int_eq(ifo_header_decode(buf, hlen + blen, &hb, &used), IFO_OK);
	ck_assert_uint_eq(used, hlen);
	ck_assert_uint_eq(hb.version, h.version);
	ck_assert_str_eq(hb.keyid, h.keyid);
	ck_assert_mem_eq(hb.nonce, h.nonce, IFO_NONCE_LEN);
	ck_assert_str_eq(hb.node, h.node);
	ck_assert_str_eq(hb.contact, h.contact);
	ck_assert_uint_eq(hb.generation, h.generation);
	ck_assert_uint_eq(hb.expires, h.expires);

	/* poison so that an undecoded field cannot compare equal by chance */
	memset(&back, 0x5a, sizeof(back));
	back.version = hb.version;
	strcpy(back.node, hb.node);
	strcpy(back.contact, hb.contact);
	back.generation = hb.generation;
	back.expires = hb.expires;
	ck_assert_int_eq(ifo_body_decode(buf + hlen, blen, &back), IFO_OK);
	tu_assert_record_eq(&r, &back);
	ck_assert_int_eq(ifo_record_validate(&back), IFO_OK);
}
END_TEST

START_TEST(test_size_bounds)
{
	ifo_record_t r;
	ifo_header_t h;
	uint8_t buf[IFO_BODY_MAX + IFO_HEADER_MAX];
	char keyid[IFO_KEYID_MAX + 1];
	size_t len;

	ck_assert_int_eq(IFO_HEADER_MAX, 335);
	ck_assert_int_eq(IFO_BODY_MAX, 760);

	tu_record_v6_max(&r);
	tu_fill(keyid, 'k', IFO_KEYID_MAX);
	header_of(&r, keyid, &h);
	ck_assert_int_eq(ifo_header_encode(&h, buf, sizeof(buf), &len), IFO_OK);
	ck_assert_uint_eq(len, IFO_HEADER_MAX);
	ck_assert_int_eq(ifo_body_encode(&r, buf, sizeof(buf), &len), IFO_OK);
	ck_assert_uint_eq(len, IFO_BODY_MAX);

	tu_record_min(&r);
	header_of(&r, "k", &h);
	ck_assert_int_eq(ifo_header_encode(&h, buf, sizeof(buf), &len), IFO_OK);
	ck_assert_uint_eq(len, IFO_HEADER_MIN);
	ck_assert_int_eq(ifo_body_encode(&r, buf, sizeof(buf), &len), IFO_OK);
	ck_assert_uint_eq(len, IFO_BODY_MIN);
}
END_TEST

START_TEST(test_encode_small_buffer)
{
	ifo_record_t r;
	ifo_header_t h;
	uint8_t buf[IFO_BODY_MAX];
	size_t len, need;

	tu_record_v4(&r);
	ck_assert_int_eq(ifo_body_encode(&r, buf, sizeof(buf), &need), IFO_OK);
	ck_assert_int_eq(ifo_body_encode(&r, buf, need - 1, &len), IFO_ERR_TOOLONG);
	ck_assert_uint_eq(len, 0);
	header_of(&r, "k1", &h);
	ck_assert_int_eq(ifo_header_encode(&h, buf, sizeof(buf), &need), IFO_OK);
	ck_assert_int_eq(
			ifo_header_encode(&h, buf, need - 1, &len), IFO_ERR_TOOLONG);
}
END_TEST

START_TEST(test_validate_node)
{
	static const char *bad[] = {"", "pcscf 1", "pcscf/1", "pcscf:1", "p@c",
			"\xc3\xa9t\xc3\xa9", "a\nb"};
	ifo_record_t r;
	size_t i;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_record_v4(&r);
		strcpy(r.node, bad[i]);
		ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	}
	tu_record_v4(&r);
	strcpy(r.node, "Node_1.a-B");
	ck_assert_int_eq(ifo_record_validate(&r), IFO_OK);
	/* a node id filling its array without NUL is over its bound */
	memset(r.node, 'x', sizeof(r.node));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
}
END_TEST

START_TEST(test_validate_families)
{
	ifo_record_t r;

	tu_record_v4(&r);
	r.pcscf_addr.family = AF_INET6;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v6_max(&r);
	r.ue_addr.family = AF_INET;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v4(&r);
	r.ue_addr.family = AF_UNIX;
	r.pcscf_addr.family = AF_UNIX;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	r.ue_addr.family = 0;
	r.pcscf_addr.family = 0;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
}
END_TEST

START_TEST(test_validate_oversize)
{
	ifo_record_t r;

	tu_record_v4(&r);
	memset(r.contact, 'c', sizeof(r.contact));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	memset(r.aor, 'a', sizeof(r.aor));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	memset(r.received_host, 'h', sizeof(r.received_host));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	memset(r.via_host, 'h', sizeof(r.via_host));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	memset(r.ipsec.r_alg, 'g', sizeof(r.ipsec.r_alg));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	memset(r.ipsec.mod, 'm', sizeof(r.ipsec.mod));
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	r.ipsec.ck_len = IFO_KEY_MAX + 1;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
	tu_record_v4(&r);
	r.ipsec.ik_len = IFO_KEY_MAX + 1;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_TOOLONG);
}
END_TEST

START_TEST(test_validate_text)
{
	ifo_record_t r;

	tu_record_v4(&r);
	r.contact[0] = '\0';
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v4(&r);
	strcpy(r.contact, "sip:a@b\r\nX-Evil: 1");
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v4(&r);
	strcpy(r.via_host, "10.0.0.1 ");
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v4(&r);
	r.ipsec.ealg[0] = 0x7f;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_FORMAT);
	tu_record_v4(&r);
	r.aor[0] = '\0';
	ck_assert_int_eq(ifo_record_validate(&r), IFO_OK);
	tu_record_v4(&r);
	r.version = 2;
	ck_assert_int_eq(ifo_record_validate(&r), IFO_ERR_VERSION);
	ck_assert_int_eq(ifo_record_validate(NULL), IFO_ERR_INVAL);
}
END_TEST

/* Encode the v4 fixture's header + body for the decoder tests below. */
static size_t encoded_v4(uint8_t *buf, size_t bufsz, size_t *hlen)
{
	ifo_record_t r;
	ifo_header_t h;
	size_t blen;

	tu_record_v4(&r);
	header_of(&r, "k1", &h);
	ck_assert_int_eq(ifo_header_encode(&h, buf, bufsz, hlen), IFO_OK);
	ck_assert_int_eq(
			ifo_body_encode(&r, buf + *hlen, bufsz - *hlen, &blen), IFO_OK);
	return *hlen + blen;
}

START_TEST(test_decode_truncated)
{
	uint8_t buf[IFO_HEADER_MAX + IFO_BODY_MAX];
	ifo_header_t h;
	ifo_record_t r;
	size_t hlen, n, cut;

	n = encoded_v4(buf, sizeof(buf), &hlen);
	for(cut = 0; cut < hlen; cut++)
		ck_assert_int_eq(
				ifo_header_decode(buf, cut, &h, NULL), IFO_ERR_TRUNCATED);
	for(cut = 0; cut < n - hlen; cut++) {
		ck_assert_int_eq(
				ifo_body_decode(buf + hlen, cut, &r), IFO_ERR_TRUNCATED);
		/* nothing of a refused body may remain */
		ck_assert_uint_eq(r.ipsec.ck_len, 0);
		ck_assert_uint_eq(r.ipsec.ck[0], 0);
	}
}
END_TEST

START_TEST(test_decode_trailing)
{
	uint8_t buf[IFO_HEADER_MAX + IFO_BODY_MAX + 1];
	ifo_header_t h;
	ifo_record_t r;
	size_t hlen, n;

	n = encoded_v4(buf, sizeof(buf), &hlen);
	buf[n] = 0;
	ck_assert_int_eq(
			ifo_body_decode(buf + hlen, n - hlen + 1, &r), IFO_ERR_TRAILING);
	ck_assert_int_eq(
			ifo_header_decode(buf, hlen + 1, &h, NULL), IFO_ERR_TRAILING);
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, NULL), IFO_OK);
}
END_TEST

START_TEST(test_decode_header_fields)
{
	uint8_t buf[IFO_HEADER_MAX + IFO_BODY_MAX];
	ifo_header_t h;
	size_t hlen, used;

	encoded_v4(buf, sizeof(buf), &hlen);
	/* layout: version | len "k1" | nonce | len node ... */
	ck_assert_uint_eq(buf[1], 2);

	buf[0] = 2;
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_VERSION);
	buf[0] = 0;
	ck_assert_int_eq(ifo_header_decode(buf, 1, &h, &used), IFO_ERR_VERSION);
	ck_assert_int_eq(ifo_header_decode(buf, 0, &h, &used), IFO_ERR_TRUNCATED);
	buf[0] = IFO_VERSION;

	buf[1] = IFO_KEYID_MAX + 1;
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_FORMAT);
	buf[1] = 0;
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_FORMAT);
	buf[1] = 2;

	buf[2] = '/';
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_FORMAT);
	ck_assert_str_eq(h.keyid, "");
	buf[2] = 'k';

	/* node: after version, keyid and nonce */
	buf[1 + 3 + IFO_NONCE_LEN + 1] = ' ';
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_FORMAT);
	buf[1 + 3 + IFO_NONCE_LEN + 1] = 'p';
	buf[1 + 3 + IFO_NONCE_LEN] = IFO_NODE_MAX + 1;
	ck_assert_int_eq(ifo_header_decode(buf, hlen, &h, &used), IFO_ERR_FORMAT);
}
END_TEST

/* Patch the v4 body at the offset of a field, found by its known prefix. */
START_TEST(test_decode_body_fields)
{
	uint8_t buf[IFO_HEADER_MAX + IFO_BODY_MAX];
	uint8_t *b;
	ifo_record_t r;
	size_t hlen, n, blen, aor_len, rh_len, vh_len, fam_ue;

	n = encoded_v4(buf, sizeof(buf), &hlen);
	b = buf + hlen;
	blen = n - hlen;
	aor_len = b[12];
	ck_assert_uint_eq(aor_len, strlen("sip:001010000000001@10.45.0.7:5100"));

	/* an AOR length byte of 0 leaves the rest unaligned: any error, not OK */
	b[12] = 0;
	ck_assert_int_ne(ifo_body_decode(b, blen, &r), IFO_OK);
	b[12] = (uint8_t)aor_len;

	/* NUL and control characters inside a string */
	b[13 + 5] = '\0';
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_ERR_FORMAT);
	b[13 + 5] = '\r';
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_ERR_FORMAT);
	b[13 + 5] = '0';
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_OK);

	/* host length over IFO_HOST_MAX */
	rh_len = b[13 + aor_len];
	b[13 + aor_len] = IFO_HOST_MAX + 1;
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_ERR_FORMAT);
	b[13 + aor_len] = (uint8_t)rh_len;

	/* address families: 4, 6 on the wire; anything else, or a mix, fails */
	vh_len = b[13 + aor_len + 1 + rh_len + 3];
	fam_ue = 13 + aor_len + 1 + rh_len + 3 + 1 + vh_len + 3;
	ck_assert_uint_eq(b[fam_ue], 4);
	ck_assert_uint_eq(b[fam_ue + 5], 4);
	b[fam_ue] = 2;
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_ERR_FORMAT);
	b[fam_ue] = 10;
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_ERR_FORMAT);
	/* claiming IPv6 for the UE shifts the P-CSCF family onto an address byte */
	b[fam_ue] = 6;
	ck_assert_int_ne(ifo_body_decode(b, blen, &r), IFO_OK);
	b[fam_ue] = 4;
	b[fam_ue + 5] = 6;
	ck_assert_int_ne(ifo_body_decode(b, blen, &r), IFO_OK);
	b[fam_ue + 5] = 4;
	ck_assert_int_eq(ifo_body_decode(b, blen, &r), IFO_OK);
}
END_TEST

/* A well-formed body whose addresses are IPv4 and IPv6. */
START_TEST(test_decode_family_mismatch)
{
	ifo_record_t r, v6;
	uint8_t b4[IFO_BODY_MAX], b6[IFO_BODY_MAX], mix[IFO_BODY_MAX];
	size_t n4, n6, off4;

	tu_record_min(&r);
	ck_assert_int_eq(ifo_body_encode(&r, b4, sizeof(b4), &n4), IFO_OK);
	tu_record_min(&v6);
	v6.ue_addr.family = AF_INET6;
	v6.pcscf_addr.family = AF_INET6;
	ck_assert_int_eq(ifo_body_encode(&v6, b6, sizeof(b6), &n6), IFO_OK);
	/* minimal body: 4+8, aor(1), rhost(1)+2+1, vhost(1)+2+1 */
	off4 = 12 + 1 + 4 + 4;
	ck_assert_uint_eq(b4[off4], 4);
	/* UE IPv4 address, then the IPv6 P-CSCF address and the rest */
	memcpy(mix, b4, off4 + 5);
	memcpy(mix + off4 + 5, b6 + off4 + 17, n6 - off4 - 17);
	ck_assert_uint_eq(mix[off4 + 5], 6);
	ck_assert_int_eq(ifo_body_decode(mix, off4 + 5 + n6 - off4 - 17, &r),
			IFO_ERR_FORMAT);
}
END_TEST

START_TEST(test_token_valid)
{
	ck_assert_int_eq(ifo_token_valid("a", 1, 1), 1);
	ck_assert_int_eq(ifo_token_valid("ab", 2, 1), 0);
	ck_assert_int_eq(ifo_token_valid("", 0, 4), 0);
	ck_assert_int_eq(ifo_token_valid("A-z_0.9", 7, 16), 1);
	ck_assert_int_eq(ifo_token_valid("a+b", 3, 16), 0);
	ck_assert_int_eq(ifo_token_valid(NULL, 1, 16), 0);
}
END_TEST

Suite *ifo_record_suite(void)
{
	Suite *s = suite_create("ifo_record");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_roundtrip, 0, 3);
	tcase_add_test(tc, test_size_bounds);
	tcase_add_test(tc, test_encode_small_buffer);
	tcase_add_test(tc, test_validate_node);
	tcase_add_test(tc, test_validate_families);
	tcase_add_test(tc, test_validate_oversize);
	tcase_add_test(tc, test_validate_text);
	tcase_add_test(tc, test_decode_truncated);
	tcase_add_test(tc, test_decode_trailing);
	tcase_add_test(tc, test_decode_header_fields);
	tcase_add_test(tc, test_decode_body_fields);
	tcase_add_test(tc, test_decode_family_mismatch);
	tcase_add_test(tc, test_token_valid);
	suite_add_tcase(s, tc);
	return s;
}
