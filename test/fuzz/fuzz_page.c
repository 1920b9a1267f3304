/*
 * fuzz_page.c - the body of a fetch answer (ifo_page.h), as the P-CSCF
 * parses what an S-CSCF sent: every line in turn, to the end. Checks that
 * a line that parses is within bounds and that it survives being written
 * again (ifo_page_put) and parsed back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_page.h"
#include "fuzz.h"

static int span_eq(ifo_span_t a, ifo_span_t b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

static void in_buf(ifo_span_t v, const char *buf, size_t len)
{
	FZ_CHECK(v.len <= len);
	if(v.len)
		FZ_CHECK(v.s >= buf && v.s + v.len <= buf + len);
}

static void again(const ifo_page_entry_t *e, char *out, size_t outsz)
{
	ifo_page_entry_t d;
	size_t len = 0, pos = 0;
	int i;

	FZ_CHECK(ifo_page_put(out, outsz, &len, e) == IFO_OK);
	FZ_CHECK(len > 0 && out[len - 1] == '\n');
	FZ_CHECK(memchr(out, '\n', len - 1) == NULL);
	FZ_CHECK(ifo_page_next(out, len, &pos, &d) == IFO_OK && pos == len);
	FZ_CHECK(span_eq(d.record, e->record) && span_eq(d.contact, e->contact));
	FZ_CHECK(d.expires == e->expires && span_eq(d.path, e->path));
	FZ_CHECK(d.n_routes == e->n_routes && d.n_ids == e->n_ids);
	for(i = 0; i < e->n_routes; i++)
		FZ_CHECK(span_eq(d.routes[i], e->routes[i]));
	for(i = 0; i < e->n_ids; i++)
		FZ_CHECK(span_eq(d.ids[i], e->ids[i]));
	FZ_CHECK(ifo_page_next(out, len, &pos, &d) == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_dup(data, size);
	/* a decoded byte takes at most 3 when encoded again */
	size_t outsz = 3 * size + 64, pos = 0, last;
	char *out = malloc(outsz);
	ifo_page_entry_t e;
	int rc, i;

	FZ_CHECK(out != NULL);
	for(;;) {
		last = pos;
		rc = ifo_page_next(buf, size, &pos, &e);
		if(rc == 1)
			break;
		FZ_CHECK(pos > last && pos <= size);
		if(rc != IFO_OK) {
			FZ_CHECK(rc == IFO_ERR_FORMAT);
			continue;
		}
		FZ_CHECK(e.record.len > 0 && e.contact.len > 0);
		FZ_CHECK(e.n_routes >= 0 && e.n_routes <= IFO_PAGE_MAX_LIST);
		FZ_CHECK(e.n_ids >= 0 && e.n_ids <= IFO_PAGE_MAX_LIST);
		in_buf(e.record, buf, size);
		in_buf(e.contact, buf, size);
		in_buf(e.path, buf, size);
		for(i = 0; i < e.n_routes; i++)
			in_buf(e.routes[i], buf, size);
		for(i = 0; i < e.n_ids; i++)
			in_buf(e.ids[i], buf, size);
		again(&e, out, outsz);
	}
	FZ_CHECK(pos == size || size == 0);
	free(out);
	free(buf);
	return 0;
}
