/*
 * ifo_keyring.h - ring of record-sealing keys with key ids, for rotation
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_KEYRING_H
#define IFO_KEYRING_H

#include <stddef.h>

#define IFO_KEYRING_MAX 16	/* keys per ring */
#define IFO_RING_KEY_LEN 32 /* AES-256 */

/*
 * Opaque: keys never leave the library. The API only lists key ids, which
 * are not secret (they travel in clear in every sealed record).
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

/* Cleanse the keys and free the ring; NULL is accepted. */
void ifo_keyring_free(ifo_keyring_t *kr);

/* Id of the key that seals; NULL for a NULL ring. */
const char *ifo_keyring_active_id(const ifo_keyring_t *kr);

/* Number of keys; 0 for a NULL ring. */
int ifo_keyring_count(const ifo_keyring_t *kr);

/* Id of key i (0 <= i < count), in file order; NULL if out of range. */
const char *ifo_keyring_id(const ifo_keyring_t *kr, int i);

#endif /* IFO_KEYRING_H */
