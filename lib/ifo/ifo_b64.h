/*
 * ifo_b64.h - strict base64url (RFC 4648 section 5, no padding)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_B64_H
#define IFO_B64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Characters needed for n bytes, without the terminating NUL. A macro so
 * that buffer bounds such as IFO_TEXT_MAX stay compile-time constants.
 */
#define IFO_B64_ENCLEN(n) ((n) / 3 * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

/*
 * Encode n bytes into out as A-Z a-z 0-9 - _ and NUL-terminate. Needs
 * outsz >= IFO_B64_ENCLEN(n) + 1, else IFO_ERR_TOOLONG (out is then "").
 * *outlen (optional) gets the length without the NUL.
 */
int ifo_b64_encode(
		const uint8_t *in, size_t n, char *out, size_t outsz, size_t *outlen);

/*
 * Validate n characters without decoding them. Strict: any character outside
 * the url-safe alphabet (including '=', whitespace and NUL), a length of
 * 4k+1, or non-zero unused bits in the last character (a non-canonical
 * encoding) give IFO_ERR_FORMAT. Refusing non-canonical input keeps exactly
 * one text per blob, so texts can be compared or used as keys.
 * *declen (optional) gets the decoded length.
 */
int ifo_b64_check(const char *in, size_t n, size_t *declen);

/*
 * Decode n characters into out (same rules as ifo_b64_check). Returns
 * IFO_ERR_TOOLONG if the result does not fit into outsz bytes.
 */
int ifo_b64_decode(
		const char *in, size_t n, uint8_t *out, size_t outsz, size_t *outlen);

#endif /* IFO_B64_H */
