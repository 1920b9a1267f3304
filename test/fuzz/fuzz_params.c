/*
 * fuzz_params.c - the value of an X-IMS-SA-Fetch or X-IMS-SA-Claim header,
 * as the S-CSCF reads a P-CSCF's request: its parameters
 * (ifo_proto_params), then node, cursor and max checked as ifs_fetch.c
 * and ifs_claim.c do. Checks that values are within the input, trimmed
 * and not empty.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_proto.h"
#include "ifo_record.h"
#include "fuzz.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void given(ifo_span_t v, const char *in, size_t n)
{
	if(v.s == NULL) {
		FZ_CHECK(v.len == 0);
		return;
	}
	FZ_CHECK(v.len > 0 && v.s > in && v.s + v.len <= in + n);
	FZ_CHECK(v.s[-1] == '=' || blank(v.s[-1]));
	FZ_CHECK(!blank(v.s[0]) && !blank(v.s[v.len - 1]));
	FZ_CHECK(memchr(v.s, ';', v.len) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fz_dup(data, size);
	ifo_params_t p;
	uint64_t v;
	int rc;

	rc = ifo_proto_params(in, size, &p);
	FZ_CHECK(rc == IFO_OK || rc == IFO_ERR_FORMAT);
	if(rc != IFO_OK) {
		FZ_CHECK(!p.node.s && !p.cursor.s && !p.max.s);
	} else {
		given(p.node, in, size);
		given(p.cursor, in, size);
		given(p.max, in, size);
		ifo_token_valid(p.node.s, p.node.len, IFO_NODE_MAX);
		if(ifo_proto_uint(p.cursor.s, p.cursor.len, 0xffffffffu, &v) == IFO_OK)
			FZ_CHECK(v <= 0xffffffffu);
		if(ifo_proto_uint(p.max.s, p.max.len, 200, &v) == IFO_OK)
			FZ_CHECK(v <= 200);
	}
	free(in);
	return 0;
}
