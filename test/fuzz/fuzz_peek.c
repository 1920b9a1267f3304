/*
 * fuzz_peek.c - a record's text as the S-CSCF reads it without the keys
 * to open it (ifo_peek, ifo_verify): from a REGISTER's header, a claim
 * line, a database row. Checks that verification implies a readable
 * header, and that peek and verify agree on it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_seal.h"
#include "fuzz.h"

static int zero(const ifo_header_t *h)
{
	static const ifo_header_t z;

	return memcmp(h, &z, sizeof(z)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_dup(data, size);
	ifo_header_t p, v, s;
	int rp, rv, rs;

	rp = ifo_peek(text, size, &p);
	rv = ifo_verify(fz_vring(), text, size, &v);
	rs = ifo_verify(fz_ring(), text, size, &s);
	/* the sealing ring holds the same verify keys */
	FZ_CHECK(rv == rs);
	if(rp != IFO_OK) {
		FZ_CHECK(rp == IFO_ERR_FORMAT || rp == IFO_ERR_TRUNCATED
				 || rp == IFO_ERR_TRAILING || rp == IFO_ERR_VERSION);
		FZ_CHECK(rv == rp && zero(&p) && zero(&v));
	} else {
		FZ_CHECK(p.version == IFO_VERSION && p.node[0] && p.contact[0]);
		FZ_CHECK(rv == IFO_OK || rv == IFO_ERR_KEYID || rv == IFO_ERR_AUTH);
		if(rv == IFO_OK)
			FZ_CHECK(memcmp(&p, &v, sizeof(p)) == 0);
		else
			FZ_CHECK(zero(&v));
	}
	free(text);
	return 0;
}
