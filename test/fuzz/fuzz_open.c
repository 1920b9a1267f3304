/*
 * fuzz_open.c - opening a record (ifo_open), as a P-CSCF does with what a
 * fetch answer or a terminating request brings.
 *
 * The first byte's lowest bit picks the input's form:
 *   0: the rest is a record's text, opened as it is (what reaches the
 *      opener from outside; a mutation almost never passes the tags);
 *   1: two bytes of header length, the header's bytes, then the body's
 *      plain bytes. The target seals them as they are with the test key
 *      (ifo_seal_raw), so every input gets past the tags to the body
 *      decoder, the record checks, expiry and the contact check.
 * Bit 1 asks for the header's own contact as the expected one, bit 2
 * opens at the header's expiry instead of FZ_NOW.
 * An opened record is checked: valid, its header and body encode to the
 * bytes sealed, peek and verify agree, and sealed again it opens equal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_keyring_priv.h"
#include "ifo_seal.h"
#include "ifo_seal_priv.h"
#include "fuzz.h"

static int known(int rc)
{
	return rc == IFO_OK || rc == IFO_ERR_FORMAT || rc == IFO_ERR_TRUNCATED
		   || rc == IFO_ERR_TRAILING || rc == IFO_ERR_VERSION
		   || rc == IFO_ERR_KEYID || rc == IFO_ERR_AUTH || rc == IFO_ERR_EXPIRED
		   || rc == IFO_ERR_UE_MISMATCH || rc == IFO_ERR_TOOLONG;
}

/* What must hold of a record that opened from text. */
static void opened(const char *text, size_t len, const ifo_record_t *r)
{
	ifo_header_t p, v;
	ifo_record_t again;
	char resealed[IFO_TEXT_MAX];
	size_t rlen;

	FZ_CHECK(ifo_record_validate(r) == IFO_OK);
	FZ_CHECK(ifo_peek(text, len, &p) == IFO_OK);
	FZ_CHECK(ifo_verify(fz_vring(), text, len, &v) == IFO_OK);
	FZ_CHECK(memcmp(&p, &v, sizeof(p)) == 0);
	FZ_CHECK(strcmp(p.node, r->node) == 0);
	FZ_CHECK(strcmp(p.contact, r->contact) == 0);
	FZ_CHECK(p.generation == r->generation && p.expires == r->expires);
	FZ_CHECK(ifo_seal(fz_ring(), r, resealed, sizeof(resealed), &rlen)
			 == IFO_OK);
	FZ_CHECK(ifo_open(fz_ring(), resealed, rlen, r->contact, 0, &again)
			 == IFO_OK);
	FZ_CHECK(memcmp(r, &again, sizeof(again)) == 0);
	ifo_record_clear(&again);
}

static void as_text(const uint8_t *in, size_t n)
{
	char *text = fz_dup(in, n);
	ifo_record_t r;
	int rc;

	rc = ifo_open(fz_ring(), text, n, NULL, FZ_NOW, &r);
	FZ_CHECK(known(rc));
	if(rc == IFO_OK)
		opened(text, n, &r);
	FZ_CHECK(ifo_open(fz_vring(), text, n, NULL, FZ_NOW, &r) != IFO_OK);
	ifo_record_clear(&r);
	free(text);
}

static void as_parts(uint8_t flags, const uint8_t *in, size_t n)
{
	static const uint8_t zero_nonce[IFO_NONCE_LEN];
	uint8_t back[IFO_BODY_MAX > IFO_HEADER_MAX ? IFO_BODY_MAX : IFO_HEADER_MAX];
	char text[IFO_TEXT_MAX];
	const uint8_t *nonce = zero_nonce;
	const char *keyid = "a", *expect = NULL;
	size_t hlen, blen, tlen, len, used = 0;
	uint64_t now = FZ_NOW;
	ifo_header_t h;
	ifo_record_t r;
	int rc, exact = 0;

	if(n < 2)
		return;
	hlen = (size_t)in[0] << 8 | in[1];
	in += 2;
	n -= 2;
	if(hlen > n)
		hlen = n;
	if(hlen > IFO_HEADER_MAX)
		hlen = IFO_HEADER_MAX;
	blen = n - hlen;
	if(blen > IFO_BODY_MAX)
		blen = IFO_BODY_MAX;
	/* a header that decodes names the key and nonce to seal with; only
	 * one that takes all hlen bytes is read by the opener as sealed,
	 * else the opener splits the blob elsewhere and the tag fails */
	if(ifo_header_decode(in, hlen, &h, &used) == IFO_OK) {
		exact = used == hlen;
		if(ifo_keyring_key(fz_ring(), h.keyid))
			keyid = h.keyid;
		nonce = h.nonce;
		if(flags & 2)
			expect = h.contact;
		if(flags & 4)
			now = h.expires;
	}
	FZ_CHECK(ifo_seal_raw(fz_ring(), keyid, nonce, in, hlen, in + hlen, blen,
					 text, sizeof(text), &tlen)
			 == IFO_OK);
	rc = ifo_open(fz_ring(), text, tlen, expect, now, &r);
	FZ_CHECK(known(rc) && (rc != IFO_ERR_AUTH || !exact));
	if(rc != IFO_OK)
		return;
	FZ_CHECK(exact);
	FZ_CHECK(strcmp(keyid, h.keyid) == 0);
	FZ_CHECK(now < r.expires);
	FZ_CHECK(ifo_header_encode(&h, back, sizeof(back), &len) == IFO_OK);
	FZ_CHECK(len == hlen && memcmp(back, in, hlen) == 0);
	FZ_CHECK(ifo_body_encode(&r, back, sizeof(back), &len) == IFO_OK);
	FZ_CHECK(len == blen && memcmp(back, in + hlen, blen) == 0);
	opened(text, tlen, &r);
	ifo_record_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if(size == 0)
		return 0;
	if(data[0] & 1)
		as_parts(data[0], data + 1, size - 1);
	else
		as_text(data + 1, size - 1);
	return 0;
}
