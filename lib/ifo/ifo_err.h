/*
 * ifo_err.h - error codes of the sealed SA record library (libifo)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_ERR_H
#define IFO_ERR_H

/*
 * Every libifo function that can fail returns IFO_OK (0) or one of these
 * negative values. They are distinct so that callers can count and report
 * why a record was refused (tampering, wrong key, expiry, ...) without ever
 * having to print the record or a key.
 */
enum ifo_err
{
	IFO_OK = 0,
	IFO_ERR_FORMAT = -1,	  /* bad base64, charset or field value */
	IFO_ERR_TRUNCATED = -2,	  /* input ends before the structure does */
	IFO_ERR_TRAILING = -3,	  /* bytes left after the structure */
	IFO_ERR_VERSION = -4,	  /* unsupported record version */
	IFO_ERR_KEYID = -5,		  /* key id unknown to the key ring */
	IFO_ERR_AUTH = -6,		  /* GCM tag mismatch: tampered or wrong key */
	IFO_ERR_EXPIRED = -7,	  /* now >= expires */
	IFO_ERR_UE_MISMATCH = -8, /* record sealed for another contact */
	IFO_ERR_TOOLONG = -9,	  /* field or output buffer too long/small */
	IFO_ERR_NOKEY = -10,	  /* key ring has no active key */
	IFO_ERR_NOMEM = -11,	  /* allocation failed */
	IFO_ERR_CRYPTO = -12,	  /* OpenSSL failure */
	IFO_ERR_IO = -13,		  /* key file could not be read */
	IFO_ERR_INVAL = -14		  /* NULL or otherwise unusable argument */
};

/* Static English text for an error code; never NULL, never key material. */
const char *ifo_strerror(int err);

#endif /* IFO_ERR_H */
