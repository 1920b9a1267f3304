/*
 * fuzz_record.c - the binary codec of a record (ifo_record.h), as the
 * opener meets it after decoding (header) and decrypting (body). The
 * first byte picks the decoder, the rest is its input. Checks that what
 * decodes is valid and encodes to exactly the bytes it came from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "ifo_err.h"
#include "ifo_record.h"
#include "fuzz.h"

static void header(const uint8_t *in, size_t n)
{
	uint8_t back[IFO_HEADER_MAX];
	ifo_header_t h, h2;
	size_t used = 0, len = 0;
	int rc;

	rc = ifo_header_decode(in, n, &h, &used);
	if(rc != IFO_OK) {
		FZ_CHECK(ifo_header_decode(in, n, &h2, NULL) == rc);
		return;
	}
	FZ_CHECK(used >= IFO_HEADER_MIN && used <= IFO_HEADER_MAX && used <= n);
	FZ_CHECK(ifo_header_decode(in, n, &h2, NULL)
			 == (used == n ? IFO_OK : IFO_ERR_TRAILING));
	FZ_CHECK(ifo_header_encode(&h, back, sizeof(back), &len) == IFO_OK);
	FZ_CHECK(len == used && memcmp(back, in, used) == 0);
}

static void body(const uint8_t *in, size_t n)
{
	uint8_t back[IFO_BODY_MAX];
	ifo_record_t r;
	size_t len = 0;

	ifo_record_init(&r);
	strcpy(r.node, "n");
	strcpy(r.contact, "c");
	if(ifo_body_decode(in, n, &r) != IFO_OK)
		return;
	FZ_CHECK(n >= IFO_BODY_MIN && n <= IFO_BODY_MAX);
	FZ_CHECK(ifo_record_validate(&r) == IFO_OK);
	FZ_CHECK(ifo_body_encode(&r, back, sizeof(back), &len) == IFO_OK);
	FZ_CHECK(len == n && memcmp(back, in, n) == 0);
	ifo_record_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if(size == 0)
		return 0;
	if(data[0] & 1)
		body(data + 1, size - 1);
	else
		header(data + 1, size - 1);
	return 0;
}
