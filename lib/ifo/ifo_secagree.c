/*
 * ifo_secagree.c - ipsec-3gpp sec-agree header parser.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>

#include "ifo_err.h"
#include "ifo_secagree.h"

typedef struct span
{
	const char *s;
	size_t n;
} span_t;

static span_t trim(const char *s, size_t n)
{
	span_t r;

	while(n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while(n
			&& (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'
					|| s[n - 1] == '\n'))
		n--;
	r.s = s;
	r.n = n;
	return r;
}

static int span_is(span_t a, const char *lit)
{
	return a.n == strlen(lit) && strncasecmp(a.s, lit, a.n) == 0;
}

static int get_u32(span_t v, uint32_t max, uint32_t *out)
{
	uint64_t x = 0;
	size_t i;

	if(v.n == 0 || v.n > 10)
		return -1;
	for(i = 0; i < v.n; i++) {
		if(v.s[i] < '0' || v.s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v.s[i] - '0');
	}
	if(x == 0 || x > max)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

static int get_token(span_t v, char *out, size_t max)
{
	size_t i;

	if(v.n >= 2 && v.s[0] == '"' && v.s[v.n - 1] == '"') {
		v.s++;
		v.n -= 2;
	}
	if(v.n > max)
		return -1;
	for(i = 0; i < v.n; i++)
		if(v.s[i] < 0x21 || v.s[i] > 0x7e)
			return -1;
	memcpy(out, v.s, v.n);
	out[v.n] = '\0';
	return 0;
}

/* One mechanism entry: "ipsec-3gpp; p=v; p=v ..." */
static int parse_entry(span_t e, ifo_secagree_t *out)
{
	const char *p = e.s, *end = e.s + e.n, *semi, *eq;
	int first = 1;
	uint32_t v32;

	memset(out, 0, sizeof(*out));
	while(p <= end) {
		span_t item, name, val;

		semi = memchr(p, ';', (size_t)(end - p));
		if(semi == NULL)
			semi = end;
		item = trim(p, (size_t)(semi - p));
		p = semi + 1;
		if(first) {
			if(!span_is(item, "ipsec-3gpp"))
				return -1;
			first = 0;
			continue;
		}
		if(item.n == 0)
			continue;
		eq = memchr(item.s, '=', item.n);
		if(eq == NULL)
			continue;
		name = trim(item.s, (size_t)(eq - item.s));
		val = trim(eq + 1, (size_t)(item.s + item.n - eq - 1));
		if(span_is(name, "spi-c")) {
			if(get_u32(val, 0xffffffffu, &out->spi_c) < 0)
				return -1;
		} else if(span_is(name, "spi-s")) {
			if(get_u32(val, 0xffffffffu, &out->spi_s) < 0)
				return -1;
		} else if(span_is(name, "port-c")) {
			if(get_u32(val, 65535, &v32) < 0)
				return -1;
			out->port_c = (uint16_t)v32;
		} else if(span_is(name, "port-s")) {
			if(get_u32(val, 65535, &v32) < 0)
				return -1;
			out->port_s = (uint16_t)v32;
		} else if(span_is(name, "alg")) {
			if(get_token(val, out->alg, IFO_ALG_MAX) < 0)
				return -1;
		} else if(span_is(name, "ealg")) {
			if(get_token(val, out->ealg, IFO_ALG_MAX) < 0)
				return -1;
		} else if(span_is(name, "prot")) {
			if(get_token(val, out->prot, IFO_SHORT_MAX) < 0)
				return -1;
		} else if(span_is(name, "mod")) {
			if(get_token(val, out->mod, IFO_SHORT_MAX) < 0)
				return -1;
		}
	}
	if(first || !out->spi_c || !out->spi_s || !out->port_c || !out->port_s)
		return -1;
	return 0;
}

int ifo_secagree_parse(const char *s, size_t len, ifo_secagree_t *out)
{
	const char *p = s, *end = s + len, *comma;

	if(s == NULL || out == NULL)
		return IFO_ERR_INVAL;
	while(p <= end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if(comma == NULL)
			comma = end;
		if(parse_entry(trim(p, (size_t)(comma - p)), out) == 0)
			return IFO_OK;
		p = comma + 1;
	}
	memset(out, 0, sizeof(*out));
	return IFO_ERR_FORMAT;
}
