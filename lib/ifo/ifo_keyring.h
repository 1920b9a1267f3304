/*
 * ifo_keyring.h - ring of record-sealing keys with key ids, for rotation
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_KEYRING_H
#define IFO_KEYRING_H

#include <stddef.h>

#include "ifo_record.h"

#define IFO_KEYRING_MAX 16	/* keys per ring */
#define IFO_RING_KEY_LEN 32 /* AES-256 */

/*
 * Opaque: keys never leave the library (except as derived verify keys, see
 * ifo_keyring_verify_text). The API only lists key ids, which are not
 * secret (they travel in clear in every sealed record).
 *
 * Two kinds of ring. A sealing ring (P-CSCF) seals, opens and verifies
 * records. A verify-only ring (S-CSCF) holds, for each sealing key, the
 * verify key HMAC-SHA256(key, "ims_ipsec_failover verify key"): it can
 * tell a record sealed by the pool from a forged or foreign one, but it
 * cannot decrypt a record or seal one the P-CSCFs would open.
 */
typedef struct ifo_keyring ifo_keyring_t;

/*
 * Key file format, one key per line:
 *
 *     <keyid> <64 hex digits = 32-byte key> [active]
 *
 * keyid is 1..IFO_KEYID_MAX characters of [A-Za-z0-9._-]; hex digits may be
 * upper or lower case; fields are separated by spaces or tabs; blank lines
 * and everything from a '#' that starts a field are ignored; CRLF line ends
 * are accepted. Exactly one key is marked active: it seals, all keys open.
 * Rotation: add the new key on every node, then move "active" to it, then
 * remove the old key once records sealed with it have expired.
 *
 * The file is not checked for permissions (the library does not log); it
 * should be owned by the Kamailio user and mode 0600 or 0400.
 *
 * Errors: IFO_ERR_IO (file cannot be opened or read), IFO_ERR_FORMAT (syntax,
 * bad key id or hex, key not 32 bytes, duplicate key id, more than
 * IFO_KEYRING_MAX keys, no key or not exactly one active key, file over
 * 64 KiB), IFO_ERR_NOMEM. With errbuf != NULL a one-line reason, with the
 * line number where there is one, is written there; it never contains key
 * bytes or hex. On success *out must be released with ifo_keyring_free().
 */
int ifo_keyring_load(
		const char *path, ifo_keyring_t **out, char *errbuf, size_t errlen);

/* The same parser on text[0..len) (need not be NUL-terminated). */
int ifo_keyring_from_memory(const char *text, size_t len, ifo_keyring_t **out,
		char *errbuf, size_t errlen);

/* Load a verify-only ring: same rules and errors, every line "verify". */
int ifo_keyring_load_verify(
		const char *path, ifo_keyring_t **out, char *errbuf, size_t errlen);
int ifo_keyring_verify_from_memory(const char *text, size_t len,
		ifo_keyring_t **out, char *errbuf, size_t errlen);

/* 1 for a verify-only ring, 0 for a sealing ring or NULL. */
int ifo_keyring_is_verify(const ifo_keyring_t *kr);

/*
 * Write the verify-only key file of sealing ring kr into out (NUL
 * terminated, one line per key in ring order, *outlen its length without
 * the NUL). outsz of IFO_VERIFY_TEXT_MAX always suffices. Errors:
 * IFO_ERR_INVAL (NULL or verify-only ring), IFO_ERR_TOOLONG.
 */
#define IFO_VERIFY_LINE_MAX (IFO_KEYID_MAX + 1 + 2 * IFO_RING_KEY_LEN + 8)
#define IFO_VERIFY_TEXT_MAX (IFO_KEYRING_MAX * IFO_VERIFY_LINE_MAX + 1)
int ifo_keyring_verify_text(
		const ifo_keyring_t *kr, char *out, size_t outsz, size_t *outlen);

/* Cleanse the keys and free the ring; NULL is accepted. */
void ifo_keyring_free(ifo_keyring_t *kr);

/* Id of the key that seals; NULL for a NULL or verify-only ring. */
const char *ifo_keyring_active_id(const ifo_keyring_t *kr);

/* Number of keys; 0 for a NULL ring. */
int ifo_keyring_count(const ifo_keyring_t *kr);

/* Id of key i (0 <= i < count), in file order; NULL if out of range. */
const char *ifo_keyring_id(const ifo_keyring_t *kr, int i);

#endif /* IFO_KEYRING_H */
