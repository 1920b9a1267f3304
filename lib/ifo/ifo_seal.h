/*
 * ifo_seal.h - sealing SA records with AES-256-GCM into a SIP-safe text
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_SEAL_H
#define IFO_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_b64.h"
#include "ifo_keyring.h"
#include "ifo_record.h"

/*
 * Sealed blob:
 *
 *     header | ctlen(2) | ciphertext(ctlen) | tag(16) | vtag(16)
 *
 * header is the clear header of ifo_record.h (version, key id, 12-byte
 * random nonce, node, contact, generation, expires); the ciphertext is the
 * encrypted record body. Everything before the ciphertext (header and ctlen)
 * is GCM associated data, so any change to any byte fails authentication
 * while the header stays readable without a key. vtag is HMAC-SHA256,
 * truncated to 16 bytes, of everything before it under the key's verify key
 * (ifo_keyring.h): the S-CSCF, which holds only verify keys, checks with it
 * that a record comes from the pool before it lets the record replace
 * another. The text form is the blob
 * in base64url without padding: only A-Z a-z 0-9 - _, safe as a SIP header
 * value and as a database column.
 *
 * Nonces are random (RAND_bytes): rotate the key well before 2^32 seals.
 */
#define IFO_TAG_LEN 16
#define IFO_VTAG_LEN 16
#define IFO_BLOB_MAX \
	(IFO_HEADER_MAX + 2 + IFO_BODY_MAX + IFO_TAG_LEN + IFO_VTAG_LEN)

/*
 * Longest text of any record, including the NUL: a record with every field
 * at its bound, IPv6 addresses and a IFO_KEYID_MAX key id. Header 335 +
 * ctlen 2 + body 760 + tag 16 + vtag 16 = 1129 bytes -> 1506 characters
 * + NUL: IFO_TEXT_MAX = 1507.
 */
#define IFO_TEXT_MAX (IFO_B64_ENCLEN(IFO_BLOB_MAX) + 1)

/*
 * Seal r with the ring's active key into out as NUL-terminated text;
 * *outlen (optional) gets its length without the NUL. outsz of IFO_TEXT_MAX
 * always suffices. Errors: IFO_ERR_NOKEY (NULL ring), the errors of
 * ifo_record_validate, IFO_ERR_TOOLONG (out too small; out is then ""),
 * IFO_ERR_CRYPTO, IFO_ERR_NOMEM.
 */
int ifo_seal(const ifo_keyring_t *kr, const ifo_record_t *r, char *out,
		size_t outsz, size_t *outlen);

/*
 * Open text[0..len) (need not be NUL-terminated, no surrounding blanks).
 * Checks, in this order, each with its own error:
 *   1. base64url                          IFO_ERR_FORMAT
 *   2. version byte (before any other structure, since another version may
 *      use another layout)                IFO_ERR_VERSION
 *   3. header/ctlen/tag structure         IFO_ERR_TRUNCATED, IFO_ERR_TRAILING,
 *                                         IFO_ERR_FORMAT
 *   4. key id in the ring                 IFO_ERR_KEYID (IFO_ERR_NOKEY for a
 *                                         NULL or verify-only ring)
 *   5. vtag, then GCM tag                 IFO_ERR_AUTH
 *   6. decrypted body and whole record    as ifo_body_decode and
 *                                         ifo_record_validate
 *   7. now >= expires                     IFO_ERR_EXPIRED
 *   8. expect_contact (if not NULL) equal byte for byte to the sealed
 *      contact; checked only on an authentic record IFO_ERR_UE_MISMATCH
 * The caller compares generation with what it already holds (anti-rollback).
 * On success *out holds CK/IK: ifo_record_clear() it after use. On error
 * *out is zeroed.
 */
int ifo_open(const ifo_keyring_t *kr, const char *text, size_t len,
		const char *expect_contact, uint64_t now, ifo_record_t *out);

/*
 * Read the clear header without a key (for the S-CSCF, which holds no key).
 * Runs checks 1 to 3 of ifo_open, so the text is structurally a record
 * (lengths, charsets, no trailing bytes), but nothing is authenticated: do
 * not trust the fields for anything but indexing and ordering. On error
 * *h is zeroed.
 */
int ifo_peek(const char *text, size_t len, ifo_header_t *h);

/*
 * Check a record's origin without decrypting it (for the S-CSCF): checks 1
 * to 4 of ifo_open, then the vtag (IFO_ERR_AUTH). Works with a verify-only
 * or a sealing ring. On success *h holds the clear header, now
 * authenticated as written by a holder of the key; expiry and contact are
 * left to the caller. On error *h is zeroed.
 */
int ifo_verify(const ifo_keyring_t *kr, const char *text, size_t len,
		ifo_header_t *h);

/*
 * Run each primitive once on dummy data. OpenSSL 3 loads and caches its
 * algorithm implementations at first use, which costs far more than a
 * record; a Kamailio module calls this in mod_init, before forking, so
 * every child inherits the warm cache instead of paying it during the
 * first takeover. IFO_OK, or IFO_ERR_CRYPTO.
 */
int ifo_crypto_warmup(void);

#endif /* IFO_SEAL_H */
