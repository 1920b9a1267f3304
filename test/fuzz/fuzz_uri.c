/*
 * fuzz_uri.c - the S-CSCF's URI helpers (ifs_uri.c, built here against
 * shim/core/str.h): a REGISTER's contact or a request's URI, a database
 * row's contact, matched against a record's contact; a To URI cut down
 * to the IMPU. The input is two URIs separated by the first '\n'. Checks
 * that the alias removal takes out one ";alias" parameter and nothing
 * else, that a URI matches itself and its alias-less form, and that the
 * IMPU is a prefix of the To URI.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ifs_uri.h"
#include "fuzz.h"

/* the module's own bound (ifs_store.c, ifs_attach.c, contact_matches) */
#define BUF 512

/* Is out uri less uri[i..i + cut), a whole ";alias" parameter? */
static int cut_at(const str *uri, const str *out, int i, int cut)
{
	int k;

	if(strncasecmp(uri->s + i, ";alias", 6) != 0
			|| (cut > 6 && uri->s[i + 6] != '=')
			|| memcmp(uri->s + i + cut, out->s + i, out->len - i) != 0)
		return 0;
	for(k = i + 1; k < i + cut; k++)
		if(uri->s[k] == ';' || uri->s[k] == '?')
			return 0;
	return i + cut == uri->len || uri->s[i + cut] == ';'
		   || uri->s[i + cut] == '?';
}

static void strip(const str *uri)
{
	char *buf = malloc(BUF);
	str out;
	int rc, cut, i, found = 0;

	FZ_CHECK(buf != NULL);
	rc = ifs_uri_strip_alias(uri, buf, BUF, &out);
	FZ_CHECK(rc >= -1 && rc <= 1);
	if(rc == 0)
		FZ_CHECK(out.s == uri->s && out.len == uri->len);
	if(rc == 1) {
		cut = uri->len - out.len;
		FZ_CHECK(out.s == buf && cut >= 6 && out.len <= BUF);
		/* where out and uri part, or before where bytes repeat */
		for(i = 0; i <= out.len && !found; i++) {
			found = cut_at(uri, &out, i, cut);
			if(i < out.len && out.s[i] != uri->s[i])
				break;
		}
		FZ_CHECK(found);
		if(uri->len <= BUF)
			FZ_CHECK(ifs_uri_contact_matches(uri, &out) == 1);
		FZ_CHECK(ifs_uri_contact_matches(&out, &out) == 1);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fz_dup(data, size), *nl;
	str a, b, impu;

	nl = memchr(in, '\n', size);
	a.s = in;
	a.len = nl ? (int)(nl - in) : (int)size;
	b.s = nl ? nl + 1 : in + size;
	b.len = (int)size - a.len - (nl ? 1 : 0);
	strip(&a);
	strip(&b);
	FZ_CHECK(ifs_uri_contact_matches(&a, &a) == 1);
	if(ifs_uri_contact_matches(&a, &b))
		FZ_CHECK(b.len <= a.len);
	ifs_uri_impu(&a, &impu);
	FZ_CHECK(impu.s == a.s && impu.len >= 0 && impu.len <= a.len);
	free(in);
	return 0;
}
