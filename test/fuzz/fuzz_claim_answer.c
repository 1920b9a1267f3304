/*
 * fuzz_claim_answer.c - a claim answer as the P-CSCF reads it: the values of
 * X-IMS-SA-Accepted and X-IMS-SA-Next, then the body of one letter per
 * claimed line (ifo_proto_uint, ifo_claim_results); the same body is also
 * read as a moves answer (ifo_moves_next), whose header value is the
 * X-IMS-SA-Next above. The input is the two values, each ended by '\n',
 * then the body. Checks the numbers against an independent reading, the
 * letters against the body, and every node id a moves line gives.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_proto.h"
#include "ifo_record.h"
#include "fuzz.h"

/* The number s[0..n) is, read with 128 bits, or -1 for no number. */
static int ref_uint(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	unsigned __int128 x = 0;
	size_t i;

	if(n == 0 || n > 20)
		return -1;
	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned)(s[i] - '0');
	}
	if(x > max)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

/* Takes the value up to the next '\n' off the input. */
static void value(const char **p, size_t *n, uint64_t max)
{
	const char *nl = memchr(*p, '\n', *n);
	size_t len = nl ? (size_t)(nl - *p) : *n;
	uint64_t got, want = 0;
	int rc;

	rc = ifo_proto_uint(*p, len, max, &got);
	FZ_CHECK(rc == IFO_OK || rc == IFO_ERR_FORMAT);
	FZ_CHECK((rc == IFO_OK) == (ref_uint(*p, len, max, &want) == 0));
	FZ_CHECK(got == (rc == IFO_OK ? want : 0));
	*p += len + (nl ? 1 : 0);
	*n -= len + (nl ? 1 : 0);
}

/* Every line the moves parser returns lies in the body, is trimmed and,
 * when accepted, a node id; the walk ends and never goes backwards. */
static void moves(const char *body, size_t len)
{
	ifo_span_t node;
	size_t pos = 0, last;
	int rc;

	for(;;) {
		last = pos;
		rc = ifo_moves_next(body, len, &pos, &node);
		FZ_CHECK(pos >= last && pos <= len);
		if(rc == 1)
			break;
		FZ_CHECK(rc == IFO_OK || rc == IFO_ERR_FORMAT);
		FZ_CHECK(node.len > 0 && node.s >= body
				 && node.s + node.len <= body + len);
		FZ_CHECK(node.s[0] != ' ' && node.s[node.len - 1] != ' ');
		if(rc == IFO_OK)
			FZ_CHECK(ifo_token_valid(node.s, node.len, IFO_NODE_MAX));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fz_dup(data, size), *res;
	const char *p = in;
	size_t n = size, nres, i;
	int set, count = 0;

	value(&p, &n, INT_MAX);
	value(&p, &n, 0xffffffffu);
	/* as many claimed lines as the body's first byte says */
	nres = n ? (unsigned char)p[0] : 0;
	res = malloc(nres ? nres : 1);
	FZ_CHECK(res != NULL);
	memset(res, 0, nres);
	set = ifo_claim_results(p, n, res, nres);
	for(i = 0; i < nres; i++) {
		if(res[i] == 0) {
			FZ_CHECK(i >= n || (p[i] != 'A' && p[i] != 'S' && p[i] != 'R'));
			continue;
		}
		FZ_CHECK(i < n && res[i] == p[i]);
		count++;
	}
	FZ_CHECK(set == count);
	moves(p, n);
	free(res);
	free(in);
	return 0;
}
