/*
 * fuzz_claim.c - the body of a claim, as the S-CSCF reads what a P-CSCF
 * sent: each line "<generation> <record>" (ifo_claim_next), then the
 * record's header read and verified (ifs_verify: ifo_peek, ifo_verify).
 * Checks that lines are within the body and trimmed, and that the
 * generation is the number written.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_proto.h"
#include "ifo_seal.h"
#include "fuzz.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = fz_dup(data, size);
	char num[24];
	ifo_claim_line_t l;
	ifo_header_t h;
	size_t pos = 0, last, g, nl;
	int rc;

	for(;;) {
		last = pos;
		rc = ifo_claim_next(body, size, &pos, &l);
		if(rc == 1)
			break;
		FZ_CHECK(pos > last && pos <= size);
		FZ_CHECK(l.line.len > 0 && l.line.s >= body + last
				 && l.line.s + l.line.len <= body + pos);
		FZ_CHECK(!blank(l.line.s[0]) && !blank(l.line.s[l.line.len - 1]));
		FZ_CHECK(memchr(l.line.s, '\n', l.line.len) == NULL);
		if(rc != IFO_OK) {
			FZ_CHECK(rc == IFO_ERR_FORMAT);
			continue;
		}
		FZ_CHECK(l.record.len > 0
				 && l.record.s + l.record.len == l.line.s + l.line.len);
		/* the digits before the record, without leading zeros */
		g = (size_t)(l.record.s - 1 - l.line.s);
		FZ_CHECK(l.record.s[-1] == ' ' && g >= 1 && g <= 20);
		while(g > 1 && l.line.s[0] == '0') {
			l.line.s++;
			g--;
		}
		nl = (size_t)snprintf(
				num, sizeof(num), "%llu", (unsigned long long)l.generation);
		FZ_CHECK(nl == g && memcmp(num, l.line.s, g) == 0);
		if(l.record.len >= IFO_TEXT_MAX)
			continue;
		if(ifo_verify(fz_vring(), l.record.s, l.record.len, &h) != IFO_OK)
			ifo_peek(l.record.s, l.record.len, &h);
	}
	FZ_CHECK(pos == size);
	free(body);
	return 0;
}
