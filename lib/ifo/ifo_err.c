/*
 * ifo_err.c - text for libifo error codes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "ifo_err.h"

const char *ifo_strerror(int err)
{
	switch(err) {
		case IFO_OK:
			return "success";
		case IFO_ERR_FORMAT:
			return "malformed record (encoding, character or field value)";
		case IFO_ERR_TRUNCATED:
			return "record truncated";
		case IFO_ERR_TRAILING:
			return "trailing bytes after record";
		case IFO_ERR_VERSION:
			return "unsupported record version";
		case IFO_ERR_KEYID:
			return "record key id not in key ring";
		case IFO_ERR_AUTH:
			return "record authentication failed (tampered or wrong key)";
		case IFO_ERR_EXPIRED:
			return "record expired";
		case IFO_ERR_UE_MISMATCH:
			return "record belongs to another UE contact";
		case IFO_ERR_TOOLONG:
			return "field or output buffer too long";
		case IFO_ERR_NOKEY:
			return "no active key in key ring";
		case IFO_ERR_NOMEM:
			return "out of memory";
		case IFO_ERR_CRYPTO:
			return "cryptographic library failure";
		case IFO_ERR_IO:
			return "key file could not be read";
		case IFO_ERR_INVAL:
			return "invalid argument";
	}
	return "unknown error";
}
