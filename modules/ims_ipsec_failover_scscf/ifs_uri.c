/*
 * URI helpers for matching a sealed record's contact with a REGISTER.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>


#include "ifs_uri.h"

#define ALIAS_NAME "alias"
#define ALIAS_LEN (sizeof(ALIAS_NAME) - 1)

/* Index where URI parameters may start: after the userinfo if there is
 * one (a user part may itself contain ';'), else after the scheme. */
static int params_start(const str *uri)
{
	int i, at = -1;

	for(i = 0; i < uri->len && uri->s[i] != '?'; i++) {
		if(uri->s[i] == '@')
			at = i;
	}
	if(at >= 0)
		return at + 1;
	for(i = 0; i < uri->len; i++) {
		if(uri->s[i] == ':')
			return i + 1;
	}
	return 0;
}

int ifs_uri_strip_alias(const str *uri, char *buf, int bufsz, str *out)
{
	int i, n, end;

	*out = *uri;
	for(i = params_start(uri); i < uri->len && uri->s[i] != '?'; i++) {
		if(uri->s[i] != ';')
			continue;
		n = uri->len - (i + 1);
		if(n < (int)ALIAS_LEN
				|| strncasecmp(uri->s + i + 1, ALIAS_NAME, ALIAS_LEN) != 0)
			continue;
		end = i + 1 + ALIAS_LEN;
		/* "alias" must be the whole parameter name, not "aliasx" */
		if(end < uri->len && uri->s[end] != '=' && uri->s[end] != ';'
				&& uri->s[end] != '?')
			continue;
		while(end < uri->len && uri->s[end] != ';' && uri->s[end] != '?')
			end++;
		if(uri->len - (end - i) > bufsz)
			return -1;
		memcpy(buf, uri->s, i);
		memcpy(buf + i, uri->s + end, uri->len - end);
		out->s = buf;
		out->len = uri->len - (end - i);
		return 1;
	}
	return 0;
}

int ifs_uri_contact_matches(const str *reg, const str *rec)
{
	char buf[512];
	str bare;

	if(reg->len == rec->len && memcmp(reg->s, rec->s, reg->len) == 0)
		return 1;
	if(reg->len > (int)sizeof(buf)
			|| ifs_uri_strip_alias(reg, buf, sizeof(buf), &bare) != 1)
		return 0;
	return bare.len == rec->len && memcmp(bare.s, rec->s, rec->len) == 0;
}

void ifs_uri_impu(const str *to_uri, str *impu)
{
	int i;

	*impu = *to_uri;
	/* start after the scheme ("sip:", "sips:", "tel:") so its own ':' is
	 * kept; the registrar starts at a fixed 4, which is the same for sip
	 * and tel */
	for(i = 0; i < to_uri->len && to_uri->s[i] != ':'; i++)
		;
	for(i++; i < to_uri->len; i++) {
		if(to_uri->s[i] == ';' || to_uri->s[i] == '?' || to_uri->s[i] == ':') {
			impu->len = i;
			break;
		}
	}
}
