/*
 * ifo_b64.c - strict base64url (no padding) codec
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>

#include "ifo_b64.h"
#include "ifo_err.h"

static const char b64_alphabet[65] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
									 "abcdefghijklmnopqrstuvwxyz"
									 "0123456789-_";

/* Arithmetic instead of a table keeps the alphabet defined in one place. */
static int b64_value(unsigned char c)
{
	if(c >= 'A' && c <= 'Z')
		return c - 'A';
	if(c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if(c >= '0' && c <= '9')
		return c - '0' + 52;
	if(c == '-')
		return 62;
	if(c == '_')
		return 63;
	return -1;
}

int ifo_b64_encode(
		const uint8_t *in, size_t n, char *out, size_t outsz, size_t *outlen)
{
	size_t i, o = 0;
	uint32_t v;

	if(outlen)
		*outlen = 0;
	if(!out || (!in && n))
		return IFO_ERR_INVAL;
	/* keeps IFO_B64_ENCLEN() itself from overflowing */
	if(n > SIZE_MAX / 4 * 3 - 3 || outsz < IFO_B64_ENCLEN(n) + 1) {
		if(outsz)
			out[0] = '\0';
		return IFO_ERR_TOOLONG;
	}
	for(i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 0x3f];
		out[o++] = b64_alphabet[v >> 12 & 0x3f];
		out[o++] = b64_alphabet[v >> 6 & 0x3f];
		out[o++] = b64_alphabet[v & 0x3f];
	}
	if(n - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64_alphabet[v >> 18 & 0x3f];
		out[o++] = b64_alphabet[v >> 12 & 0x3f];
	} else if(n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64_alphabet[v >> 18 & 0x3f];
		out[o++] = b64_alphabet[v >> 12 & 0x3f];
		out[o++] = b64_alphabet[v >> 6 & 0x3f];
	}
	out[o] = '\0';
	if(outlen)
		*outlen = o;
	return IFO_OK;
}

int ifo_b64_check(const char *in, size_t n, size_t *declen)
{
	size_t i;
	int last;

	if(declen)
		*declen = 0;
	if(!in && n)
		return IFO_ERR_INVAL;
	if(n % 4 == 1)
		return IFO_ERR_FORMAT;
	for(i = 0; i < n; i++) {
		if(b64_value((unsigned char)in[i]) < 0)
			return IFO_ERR_FORMAT;
	}
	if(n % 4) {
		/* 2 chars carry 8 of 12 bits, 3 chars 16 of 18: rest must be 0 */
		last = b64_value((unsigned char)in[n - 1]);
		if(last & (n % 4 == 2 ? 0x0f : 0x03))
			return IFO_ERR_FORMAT;
	}
	if(declen)
		*declen = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
	return IFO_OK;
}

int ifo_b64_decode(
		const char *in, size_t n, uint8_t *out, size_t outsz, size_t *outlen)
{
	size_t i, o = 0, need, rest;
	uint32_t v;
	int rc;

	if(outlen)
		*outlen = 0;
	rc = ifo_b64_check(in, n, &need);
	if(rc != IFO_OK)
		return rc;
	if(need > outsz)
		return IFO_ERR_TOOLONG;
	if(need && !out)
		return IFO_ERR_INVAL;
	for(i = 0; i + 4 <= n; i += 4) {
		v = (uint32_t)b64_value((unsigned char)in[i]) << 18
			| (uint32_t)b64_value((unsigned char)in[i + 1]) << 12
			| (uint32_t)b64_value((unsigned char)in[i + 2]) << 6
			| (uint32_t)b64_value((unsigned char)in[i + 3]);
		out[o++] = (uint8_t)(v >> 16);
		out[o++] = (uint8_t)(v >> 8);
		out[o++] = (uint8_t)v;
	}
	rest = n - i;
	if(rest) {
		v = (uint32_t)b64_value((unsigned char)in[i]) << 18
			| (uint32_t)b64_value((unsigned char)in[i + 1]) << 12;
		if(rest == 3)
			v |= (uint32_t)b64_value((unsigned char)in[i + 2]) << 6;
		out[o++] = (uint8_t)(v >> 16);
		if(rest == 3)
			out[o++] = (uint8_t)(v >> 8);
	}
	if(outlen)
		*outlen = o;
	return IFO_OK;
}
