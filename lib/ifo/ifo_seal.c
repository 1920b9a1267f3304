/*
 * ifo_seal.c - AES-256-GCM sealing and opening of SA records
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ifo_err.h"
#include "ifo_keyring_priv.h"
#include "ifo_seal.h"
#include "ifo_seal_priv.h"

/*
 * Decode buffer: IFO_BLOB_MAX rounded up to whole base64 quanta, so that a
 * prefix of an over-long text can be decoded into it (see unpack()).
 */
#define BLOB_BUF ((IFO_BLOB_MAX + 2) / 3 * 3)
#define BLOB_BUF_CHARS (BLOB_BUF / 3 * 4)

static void put_u16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t get_u16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/*
 * One GCM pass in either direction. On decryption the tag is checked by
 * EVP_CipherFinal_ex; its failure is the only one reported as IFO_ERR_AUTH.
 */
static int gcm(int enc, const uint8_t *key, const uint8_t *nonce,
		const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t n,
		uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx;
	int outl, rc = IFO_ERR_CRYPTO;

	ctx = EVP_CIPHER_CTX_new();
	if(!ctx)
		return IFO_ERR_NOMEM;
	if(EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1)
		goto done;
	if(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, IFO_NONCE_LEN, NULL)
			!= 1)
		goto done;
	if(EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1)
		goto done;
	if(EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aadlen) != 1)
		goto done;
	if(EVP_CipherUpdate(ctx, out, &outl, in, (int)n) != 1 || outl != (int)n)
		goto done;
	if(!enc
			&& EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, IFO_TAG_LEN, tag)
					   != 1)
		goto done;
	if(EVP_CipherFinal_ex(ctx, out + n, &outl) != 1) {
		rc = enc ? IFO_ERR_CRYPTO : IFO_ERR_AUTH;
		goto done;
	}
	if(enc
			&& EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, IFO_TAG_LEN, tag)
					   != 1)
		goto done;
	rc = IFO_OK;

done:
	/* frees the expanded key schedule after cleansing it */
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

/* vtag over blob[0..n): n is everything up to and including the GCM tag */
static int vtag(const uint8_t *vkey, const uint8_t *blob, size_t n,
		uint8_t *out)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;

	if(!HMAC(EVP_sha256(), vkey, IFO_RING_KEY_LEN, blob, n, mac, &maclen)
			|| maclen < IFO_VTAG_LEN)
		return IFO_ERR_CRYPTO;
	memcpy(out, mac, IFO_VTAG_LEN);
	return IFO_OK;
}

static int vtag_check(const uint8_t *vkey, const uint8_t *blob, size_t n)
{
	uint8_t want[IFO_VTAG_LEN];
	int rc;

	rc = vtag(vkey, blob, n, want);
	if(rc != IFO_OK)
		return rc;
	return CRYPTO_memcmp(want, blob + n, IFO_VTAG_LEN) == 0 ? IFO_OK
															: IFO_ERR_AUTH;
}

int ifo_seal_raw(const ifo_keyring_t *kr, const char *keyid,
		const uint8_t *nonce, const uint8_t *hdr, size_t hlen,
		const uint8_t *body, size_t blen, char *out, size_t outsz,
		size_t *outlen)
{
	uint8_t blob[IFO_BLOB_MAX];
	const uint8_t *key, *vkey;
	size_t total;
	int rc;

	if(outlen)
		*outlen = 0;
	if(out && outsz)
		out[0] = '\0';
	if(!out || !nonce || (!hdr && hlen) || (!body && blen))
		return IFO_ERR_INVAL;
	key = ifo_keyring_key(kr, keyid);
	vkey = ifo_keyring_vkey(kr, keyid);
	if(!key || !vkey)
		return IFO_ERR_KEYID;
	if(hlen > IFO_HEADER_MAX || blen > IFO_BODY_MAX)
		return IFO_ERR_TOOLONG;
	total = hlen + 2 + blen + IFO_TAG_LEN + IFO_VTAG_LEN;
	if(outsz < IFO_B64_ENCLEN(total) + 1)
		return IFO_ERR_TOOLONG;
	if(hlen)
		memcpy(blob, hdr, hlen);
	put_u16(blob + hlen, blen);
	rc = gcm(1, key, nonce, blob, hlen + 2, body, blen, blob + hlen + 2,
			blob + hlen + 2 + blen);
	if(rc != IFO_OK)
		return rc;
	rc = vtag(vkey, blob, total - IFO_VTAG_LEN, blob + total - IFO_VTAG_LEN);
	if(rc != IFO_OK)
		return rc;
	return ifo_b64_encode(blob, total, out, outsz, outlen);
}

int ifo_seal(const ifo_keyring_t *kr, const ifo_record_t *r, char *out,
		size_t outsz, size_t *outlen)
{
	uint8_t hdr[IFO_HEADER_MAX];
	uint8_t pt[IFO_BODY_MAX];
	const struct ifo_key *k;
	ifo_header_t h;
	size_t hlen, ptlen = 0;
	int rc;

	if(outlen)
		*outlen = 0;
	if(out && outsz)
		out[0] = '\0';
	if(!r || !out)
		return IFO_ERR_INVAL;
	if(!kr || kr->active < 0 || kr->active >= kr->count)
		return IFO_ERR_NOKEY;
	k = &kr->keys[kr->active];
	rc = ifo_record_validate(r);
	if(rc != IFO_OK)
		return rc;

	memset(&h, 0, sizeof(h));
	h.version = r->version;
	memcpy(h.keyid, k->id, sizeof(h.keyid));
	memcpy(h.node, r->node, sizeof(h.node));
	memcpy(h.contact, r->contact, sizeof(h.contact));
	h.generation = r->generation;
	h.expires = r->expires;
	if(RAND_bytes(h.nonce, IFO_NONCE_LEN) != 1)
		return IFO_ERR_CRYPTO;

	rc = ifo_header_encode(&h, hdr, sizeof(hdr), &hlen);
	if(rc != IFO_OK)
		goto done;
	rc = ifo_body_encode(r, pt, sizeof(pt), &ptlen);
	if(rc != IFO_OK)
		goto done;
	rc = ifo_seal_raw(
			kr, k->id, h.nonce, hdr, hlen, pt, ptlen, out, outsz, outlen);

done:
	OPENSSL_cleanse(pt, sizeof(pt));
	return rc;
}

/*
 * Decode and check the structure of a text. total is the full decoded
 * length; only a prefix of at most BLOB_BUF bytes is decoded, which holds
 * any valid blob entirely, so a text that is too long still yields
 * IFO_ERR_VERSION or IFO_ERR_TRAILING rather than a buffer error.
 */
static int unpack(const char *text, size_t len, uint8_t *blob, ifo_header_t *h,
		size_t *hlen, size_t *ctlen)
{
	size_t total, have, ct, need;
	int rc;

	rc = ifo_b64_check(text, len, &total);
	if(rc != IFO_OK)
		return rc;
	if(total == 0)
		return IFO_ERR_TRUNCATED;
	if(total > BLOB_BUF)
		len = BLOB_BUF_CHARS;
	rc = ifo_b64_decode(text, len, blob, BLOB_BUF, &have);
	if(rc != IFO_OK)
		return rc;
	rc = ifo_header_decode(blob, have, h, hlen);
	if(rc != IFO_OK)
		return rc;
	if(have - *hlen < 2)
		return IFO_ERR_TRUNCATED;
	ct = get_u16(blob + *hlen);
	if(ct < IFO_BODY_MIN || ct > IFO_BODY_MAX)
		return IFO_ERR_FORMAT;
	need = *hlen + 2 + ct + IFO_TAG_LEN + IFO_VTAG_LEN;
	if(total < need)
		return IFO_ERR_TRUNCATED;
	if(total > need)
		return IFO_ERR_TRAILING;
	*ctlen = ct;
	return IFO_OK;
}

int ifo_open(const ifo_keyring_t *kr, const char *text, size_t len,
		const char *expect_contact, uint64_t now, ifo_record_t *out)
{
	uint8_t blob[BLOB_BUF];
	uint8_t pt[IFO_BODY_MAX];
	const uint8_t *key;
	ifo_header_t h;
	size_t hlen = 0, ct = 0;
	int rc;

	if(!out)
		return IFO_ERR_INVAL;
	ifo_record_clear(out);
	if(!text)
		return IFO_ERR_INVAL;

	rc = unpack(text, len, blob, &h, &hlen, &ct);
	if(rc != IFO_OK)
		return rc;
	if(!kr || ifo_keyring_is_verify(kr))
		return IFO_ERR_NOKEY;
	key = ifo_keyring_key(kr, h.keyid);
	if(!key)
		return IFO_ERR_KEYID;
	/* the S-CSCF accepted exactly the records whose vtag holds: a record
	 * that fails it is refused here too, whatever GCM says */
	rc = vtag_check(
			ifo_keyring_vkey(kr, h.keyid), blob, hlen + 2 + ct + IFO_TAG_LEN);
	if(rc != IFO_OK)
		return rc;
	rc = gcm(0, key, h.nonce, blob, hlen + 2, blob + hlen + 2, ct, pt,
			blob + hlen + 2 + ct);
	if(rc != IFO_OK)
		goto done;

	out->version = h.version;
	memcpy(out->node, h.node, sizeof(out->node));
	memcpy(out->contact, h.contact, sizeof(out->contact));
	out->generation = h.generation;
	out->expires = h.expires;
	rc = ifo_body_decode(pt, ct, out);
	if(rc != IFO_OK)
		goto done;
	/* the decoder checks the same rules; this keeps seal and open in step */
	rc = ifo_record_validate(out);
	if(rc != IFO_OK)
		goto done;
	if(now >= out->expires) {
		rc = IFO_ERR_EXPIRED;
		goto done;
	}
	if(expect_contact && strcmp(expect_contact, out->contact) != 0)
		rc = IFO_ERR_UE_MISMATCH;

done:
	OPENSSL_cleanse(pt, sizeof(pt));
	if(rc != IFO_OK)
		ifo_record_clear(out);
	return rc;
}

/* The common part of ifo_peek and ifo_verify: checks 1 to 3 of ifo_open
 * into blob and *h, *h zeroed on error. */
static int read_header(const char *text, size_t len, uint8_t *blob,
		ifo_header_t *h, size_t *hlen, size_t *ct)
{
	int rc;

	if(!h)
		return IFO_ERR_INVAL;
	memset(h, 0, sizeof(*h));
	if(!text)
		return IFO_ERR_INVAL;
	rc = unpack(text, len, blob, h, hlen, ct);
	if(rc != IFO_OK)
		memset(h, 0, sizeof(*h));
	return rc;
}

int ifo_peek(const char *text, size_t len, ifo_header_t *h)
{
	uint8_t blob[BLOB_BUF];
	size_t hlen, ct;

	return read_header(text, len, blob, h, &hlen, &ct);
}

int ifo_verify(const ifo_keyring_t *kr, const char *text, size_t len,
		ifo_header_t *h)
{
	uint8_t blob[BLOB_BUF];
	const uint8_t *vkey;
	size_t hlen = 0, ct = 0;
	int rc;

	rc = read_header(text, len, blob, h, &hlen, &ct);
	if(rc != IFO_OK)
		return rc;
	if(!kr) {
		rc = IFO_ERR_NOKEY;
	} else {
		vkey = ifo_keyring_vkey(kr, h->keyid);
		rc = vkey ? vtag_check(vkey, blob, hlen + 2 + ct + IFO_TAG_LEN)
				  : IFO_ERR_KEYID;
	}
	if(rc != IFO_OK)
		memset(h, 0, sizeof(*h));
	return rc;
}

int ifo_crypto_warmup(void)
{
	uint8_t key[IFO_RING_KEY_LEN] = {0}, nonce[IFO_NONCE_LEN] = {0};
	uint8_t in[16] = {0}, out[32], tag[IFO_TAG_LEN], mac[IFO_VTAG_LEN];
	int rc;

	rc = gcm(1, key, nonce, in, sizeof(in), in, sizeof(in), out, tag);
	if(rc == IFO_OK)
		rc = vtag(key, in, sizeof(in), mac);
	return rc == IFO_OK ? IFO_OK : IFO_ERR_CRYPTO;
}
