/*
 * fuzz_b64.c - base64url (ifo_b64.h): the text of every record, from SIP
 * headers and database rows. Checks that check and decode agree, that a
 * text that decodes is the one encoding of its bytes, and that any bytes
 * encode and decode back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_b64.h"
#include "ifo_err.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_dup(data, size);
	size_t declen = 0, outlen = 0, n = 0, cap = size * 3 / 4 + 1;
	uint8_t *out = malloc(cap);
	char *back = malloc(IFO_B64_ENCLEN(size) + 1);
	int rc;

	FZ_CHECK(out != NULL && back != NULL);
	/* as text */
	rc = ifo_b64_check(text, size, &declen);
	FZ_CHECK(rc == IFO_OK || rc == IFO_ERR_FORMAT);
	FZ_CHECK(ifo_b64_decode(text, size, out, cap, &outlen) == rc);
	if(rc == IFO_OK) {
		FZ_CHECK(outlen == declen && declen < cap);
		FZ_CHECK(ifo_b64_encode(
						 out, outlen, back, IFO_B64_ENCLEN(outlen) + 1, &n)
				 == IFO_OK);
		FZ_CHECK(n == size && memcmp(back, text, size) == 0);
		if(declen > 0)
			FZ_CHECK(ifo_b64_decode(text, size, out, declen - 1, &outlen)
					 == IFO_ERR_TOOLONG);
	}
	/* as bytes */
	FZ_CHECK(ifo_b64_encode(data, size, back, IFO_B64_ENCLEN(size) + 1, &n)
			 == IFO_OK);
	FZ_CHECK(n == IFO_B64_ENCLEN(size) && back[n] == '\0');
	FZ_CHECK(ifo_b64_check(back, n, &declen) == IFO_OK && declen == size);
	free(out);
	out = malloc(size ? size : 1);
	FZ_CHECK(out != NULL);
	FZ_CHECK(ifo_b64_decode(back, n, out, size, &outlen) == IFO_OK);
	FZ_CHECK(outlen == size && (size == 0 || memcmp(out, data, size) == 0));
	FZ_CHECK(ifo_b64_encode(data, size, back, IFO_B64_ENCLEN(size), &n)
			 == IFO_ERR_TOOLONG);
	free(back);
	free(out);
	free(text);
	return 0;
}
