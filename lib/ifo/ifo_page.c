/*
 * ifo_page.c - codec of the takeover fetch answer body.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <stdio.h>

#include "ifo_err.h"
#include "ifo_page.h"
#include "ifo_proto.h"

static int must_escape(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || c == '%';
}

static size_t enc_len(const ifo_span_t *v)
{
	size_t n = 0, i;

	if(v->len == 0 || (v->len == 1 && v->s[0] == '.'))
		return v->len == 0 ? 1 : 3;
	for(i = 0; i < v->len; i++)
		n += must_escape((unsigned char)v->s[i]) ? 3 : 1;
	return n;
}

static char *enc(char *p, const ifo_span_t *v)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if(v->len == 0) {
		*p++ = '.';
		return p;
	}
	if(v->len == 1 && v->s[0] == '.') {
		memcpy(p, "%2E", 3);
		return p + 3;
	}
	for(i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->s[i];
		if(must_escape(c)) {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		} else {
			*p++ = (char)c;
		}
	}
	return p;
}

int ifo_page_put(char *buf, size_t size, size_t *len, const ifo_page_entry_t *e)
{
	char num[24];
	size_t need;
	char *p;
	int i, nl;

	if(e->n_routes < 0 || e->n_routes > IFO_PAGE_MAX_LIST || e->n_ids < 0
			|| e->n_ids > IFO_PAGE_MAX_LIST || e->record.len == 0
			|| e->contact.len == 0)
		return IFO_ERR_INVAL;
	nl = snprintf(num, sizeof(num), "%llu", (unsigned long long)e->expires);
	need = enc_len(&e->record) + 1 + enc_len(&e->contact) + 1 + (size_t)nl + 1
		   + enc_len(&e->path) + 1 + 3 + 1 + 3 + 1;
	for(i = 0; i < e->n_routes; i++)
		need += enc_len(&e->routes[i]) + 1;
	for(i = 0; i < e->n_ids; i++)
		need += enc_len(&e->ids[i]) + 1;
	if(*len + need > size)
		return IFO_ERR_TOOLONG;
	p = buf + *len;
	p = enc(p, &e->record);
	*p++ = ' ';
	p = enc(p, &e->contact);
	p += sprintf(p, " %s ", num);
	p = enc(p, &e->path);
	p += sprintf(p, " %d", e->n_routes);
	for(i = 0; i < e->n_routes; i++) {
		*p++ = ' ';
		p = enc(p, &e->routes[i]);
	}
	p += sprintf(p, " %d", e->n_ids);
	for(i = 0; i < e->n_ids; i++) {
		*p++ = ' ';
		p = enc(p, &e->ids[i]);
	}
	*p++ = '\n';
	*len = (size_t)(p - buf);
	return IFO_OK;
}

static int unhex(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes token [s, s+n) in place into *v. */
static int dec(char *s, size_t n, ifo_span_t *v)
{
	size_t i, o = 0;

	if(n == 1 && s[0] == '.') {
		v->s = s;
		v->len = 0;
		return 0;
	}
	for(i = 0; i < n; i++) {
		if(s[i] == '%') {
			int h, l;
			if(i + 2 >= n)
				return -1;
			h = unhex(s[i + 1]);
			l = unhex(s[i + 2]);
			if(h < 0 || l < 0)
				return -1;
			s[o++] = (char)(h << 4 | l);
			i += 2;
		} else if(must_escape((unsigned char)s[i])) {
			return -1;
		} else {
			s[o++] = s[i];
		}
	}
	v->s = s;
	v->len = o;
	return 0;
}

static int dec_count(char *s, size_t n, int *out)
{
	if(n == 0 || n > 2)
		return -1;
	*out = 0;
	for(size_t i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return *out > IFO_PAGE_MAX_LIST ? -1 : 0;
}

int ifo_page_next(char *buf, size_t len, size_t *pos, ifo_page_entry_t *e)
{
	char *line, *end, *tok[4 + 2 + 2 * IFO_PAGE_MAX_LIST];
	size_t tlen[4 + 2 + 2 * IFO_PAGE_MAX_LIST];
	int nt = 0, i, k, n;
	char *p;

	memset(e, 0, sizeof(*e));
	if(*pos >= len)
		return 1;
	line = buf + *pos;
	end = memchr(line, '\n', len - *pos);
	if(end == NULL)
		end = buf + len;
	*pos = (size_t)(end - buf) + (end < buf + len ? 1 : 0);
	for(p = line; p < end;) {
		char *sp = memchr(p, ' ', (size_t)(end - p));
		if(sp == NULL)
			sp = end;
		if(nt == (int)(sizeof(tok) / sizeof(tok[0])) || sp == p)
			return IFO_ERR_FORMAT;
		tok[nt] = p;
		tlen[nt++] = (size_t)(sp - p);
		p = sp < end ? sp + 1 : end;
		if(sp < end && p == end)
			return IFO_ERR_FORMAT; /* trailing space */
	}
	if(nt < 6 || dec(tok[0], tlen[0], &e->record) < 0 || e->record.len == 0
			|| dec(tok[1], tlen[1], &e->contact) < 0 || e->contact.len == 0
			|| dec(tok[3], tlen[3], &e->path) < 0)
		return IFO_ERR_FORMAT;
	/* 20 digits may be past 2^64 - 1: refused, not wrapped */
	if(ifo_proto_uint(tok[2], tlen[2], UINT64_MAX, &e->expires) != IFO_OK)
		return IFO_ERR_FORMAT;
	k = 4;
	if(dec_count(tok[k], tlen[k], &n) < 0 || k + 1 + n >= nt)
		return IFO_ERR_FORMAT;
	e->n_routes = n;
	for(i = 0; i < n; i++)
		if(dec(tok[k + 1 + i], tlen[k + 1 + i], &e->routes[i]) < 0)
			return IFO_ERR_FORMAT;
	k += 1 + n;
	if(dec_count(tok[k], tlen[k], &n) < 0 || k + 1 + n != nt)
		return IFO_ERR_FORMAT;
	e->n_ids = n;
	for(i = 0; i < n; i++)
		if(dec(tok[k + 1 + i], tlen[k + 1 + i], &e->ids[i]) < 0)
			return IFO_ERR_FORMAT;
	return IFO_OK;
}
